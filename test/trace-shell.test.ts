// The tracer on shell commands: the exact accesses each process makes inside a scratch dir, the
// process tree, the standard streams and how the command ends.
import { mkdirSync, writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { accessesUnder, execsNamed, only, runTrace, scratch } from './helpers.js';

function project(): string {
  const dir = scratch();
  writeFileSync(`${dir}/in.txt`, 'hello\n');
  mkdirSync(`${dir}/d`);
  writeFileSync(`${dir}/d/b`, '');
  writeFileSync(`${dir}/d/a`, '');
  return dir;
}

test('a pipeline: who reads, who writes, and the process tree', () => {
  const dir = project();
  const r = runTrace(['sh', '-c', 'cat in.txt | tr a-z A-Z > out.txt; cat out.txt'], { cwd: dir });
  assert.is(r.status, 0);
  assert.is(r.stdout, 'HELLO\n');
  const [sh, ...rest] = r.trace.executions;
  assert.is(sh!.parent, null);
  assert.equal(sh!.argv, ['sh', '-c', 'cat in.txt | tr a-z A-Z > out.txt; cat out.txt']);
  assert.ok(rest.every((e) => e.parent === sh!.id), 'every command is a child of the shell');
  // dash checks that "." is the directory $PWD claims
  assert.equal(accessesUnder(sh!, dir), ['probe . ok dir', 'create out.txt ok']);
  const [cat1, cat2] = execsNamed(r.trace, 'cat');
  const tr = only(execsNamed(r.trace, 'tr'), 'tr');
  assert.equal(accessesUnder(cat1!, dir), ['read in.txt ok']);
  assert.equal(accessesUnder(tr, dir), []);
  assert.equal(accessesUnder(cat2!, dir), ['read out.txt ok']);
  assert.ok(tr.accesses.some((a) => a.op === 'stdin'), 'tr reads its stdin');
  assert.equal(cat1!.stdio, { 0: 'socket', 1: 'pipe', 2: 'socket' });
  assert.equal(tr.stdio['0'], 'pipe');
  assert.equal(tr.stdio['1'], 'file');
  assert.equal(cat1!.output, [{ fd: 1, bytes: 6 }]);
  assert.equal(tr.accesses[0], { op: 'exec', path: '/usr/bin/tr', result: 'ok' });
  assert.equal(r.trace.command, ['sh', '-c', 'cat in.txt | tr a-z A-Z > out.txt; cat out.txt']);
  assert.is(r.trace.cwd, dir);
  assert.is(r.trace.exitCode, 0);
});

test('absent files are probes; directory listings carry the names', () => {
  const dir = project();
  const r = runTrace(['sh', '-c', 'test -e missing || ls d; cat nothere/x 2>/dev/null; true'], { cwd: dir });
  assert.is(r.status, 0);
  assert.is(r.stdout, 'a\nb\n');
  const sh = r.trace.executions[0]!;
  assert.equal(accessesUnder(sh, dir), ['probe . ok dir', 'probe missing ENOENT']);
  const ls = only(execsNamed(r.trace, 'ls'), 'ls');
  assert.equal(accessesUnder(ls, dir), ['probe d ok dir', 'read d ok', 'list d ok [a,b]']);
  const cat = only(execsNamed(r.trace, 'cat'), 'cat');
  assert.equal(accessesUnder(cat, dir), ['probe nothere/x ENOENT']);
  assert.is(cat.exitCode, 1);
});

test('file-system changes: mkdir, rename, symlink, readlink, delete, rmdir, utime, chmod, chdir', () => {
  const dir = project();
  const script = 'mkdir sub; mv in.txt sub/moved; ln -s moved sub/l; readlink sub/l; rm sub/l; ' +
    'mkdir sub/x; rmdir sub/x; cd sub && touch t && chmod +x t';
  const r = runTrace(['sh', '-c', script], { cwd: dir });
  assert.is(r.status, 0);
  assert.is(r.stdout, 'moved\n');
  const one = (name: string): string[] => accessesUnder(only(execsNamed(r.trace, name), name), dir);
  assert.equal(execsNamed(r.trace, 'mkdir').map((e) => accessesUnder(e, dir)), [['mkdir sub ok'], ['mkdir sub/x ok']]);
  assert.equal(one('mv'), ['rename in.txt ok -> sub/moved']);
  assert.equal(one('ln'), ['symlink sub/l ok => moved']);
  assert.equal(one('readlink'), ['readlink sub/l ok => moved']);
  assert.equal(one('rm'), ['probe sub/l ok symlink', 'delete sub/l ok']);
  assert.equal(one('rmdir'), ['rmdir sub/x ok']);
  assert.equal(one('touch'), ['create sub/t ok', 'utime sub/t ok']);
  assert.equal(one('chmod'), ['probe sub/t ok file', 'chmod sub/t ok']);
  const sh = r.trace.executions[0]!;
  assert.equal(accessesUnder(sh, dir), ['probe . ok dir', 'chdir sub ok']);
  // after the cd, relative paths resolve against the new directory
  assert.is(only(execsNamed(r.trace, 'touch'), 'touch').cwd, `${dir}/sub`);
});

test('stdout and stderr chunks in order, each filed by the stream it lands in; copies of stdin', () => {
  const dir = project();
  const r = runTrace(['sh', '-c', 'printf ab; printf cde >&2; exec 3>&1; printf f >&3'], { cwd: dir });
  assert.is(r.stdout, 'abf');
  assert.is(r.stderr, 'cde');
  const sh = r.trace.executions[0]!;
  // dash writes the redirected printf through fd 1 after moving fd 2 onto it: stderr's all the same
  assert.equal(sh.output.map((o) => `${o.fd}:${o.bytes}`), ['1:2', '2:3', '1:1']);
  // a copy of stdin below fd 10 is reported (its reads are not seen); copies of fds 1 and 2 are not
  const copies = runTrace(['sh', '-c', 'exec 4<&0; exec 5>&1; exec 12<&0'], { cwd: dir, input: 'x' }).trace.executions[0]!;
  const dups = copies.accesses.filter((a) => a.op === 'dup').map((a) => `${a.fd}->${a.to}`);
  assert.equal(dups, ['0->4']);
});

test('exit codes and signals come back as the command gave them', () => {
  const r = runTrace(['sh', '-c', 'exit 3']);
  assert.is(r.status, 3);
  assert.is(r.trace.exitCode, 3);
  const k = runTrace(['sh', '-c', 'kill -TERM $$']);
  assert.is(k.status, 128 + 15);
  assert.is(k.trace.exitCode, 143);
  assert.is(k.trace.executions[0]!.signal, 15);
  assert.is(k.trace.executions[0]!.exitCode, null);
  assert.equal(k.trace.executions[0]!.flags, [], 'a signal to itself stays inside the subtree');
});

test('stdin is passed through and its reads are reported', () => {
  const r = runTrace(['wc', '-c'], { input: 'four' });
  assert.is(r.stdout.trim(), '4');
  const wc = r.trace.executions[0]!;
  assert.is(wc.stdio['0'], 'socket');
  assert.ok(wc.accesses.some((a) => a.op === 'stdin'));
});

test('a command that is not found fails before tracing, with a clear message', () => {
  const r = (() => {
    try { return runTrace(['no-such-program-xyz']); } catch (e) { return (e as Error).message; }
  })();
  assert.type(r, 'string');
  assert.match(r as string, /no-such-program-xyz: command not found in PATH/);
});

test('paths that name the asking process are answered for that process, not the tracer', () => {
  const r = runTrace(['readlink', '/proc/self/exe']);
  assert.is(r.stdout, '/usr/bin/readlink\n');
  const access = r.trace.executions[0]!.accesses.find((a) => a.path === '/proc/self/exe');
  assert.equal(access, { op: 'readlink', result: 'ok', path: '/proc/self/exe', target: '/usr/bin/readlink' });
});

test('the notification path and the ptrace-only path report the same accesses', () => {
  const cmd = ['sh', '-c', 'gcc -o m m.c && ./m && ls d && cat in.txt && test -e nope; readlink -f /proc/self/cwd'];
  const both = [undefined, '0'].map((notify) => {
    const dir = project();
    writeFileSync(`${dir}/m.c`, '#include <stdio.h>\n#include "h.h"\nint main(void) { return V; }\n');
    writeFileSync(`${dir}/h.h`, '#define V 0\n');
    const r = runTrace(cmd, { cwd: dir, env: { ...process.env, PROCESSCACHE_NOTIFY: notify } });
    assert.is(r.status, 0, r.stderr);
    return r.trace.executions.map((e) => `${e.exe.replace(dir, '.')}: ${accessesUnder(e, dir).join(' | ')}`);
  });
  assert.equal(both[0], both[1]);
  assert.ok(both[0]!.some((line) => line.includes('read h.h ok')), 'the header read is seen');
});

test.run();
