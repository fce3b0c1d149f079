// Writes that do not stop (issue 10, item 8; native/lazy.h): where processcache's stdout and
// stderr are files, a process whose streams are files writes without the tracer, and what its
// subtree left in those files is read back at its end. Each case runs in a cached and an untraced
// twin with every observation's stdout and stderr into files (test/twins.ts): the cached twin must
// give the untraced result, and the case must exercise the cache.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, compileC, runMemo, scratch } from './helpers.js';
import { hitSomewhere, twins, type TwinStep } from './twins.js';

const PY = '/usr/bin/python3';
const obs = (observe: string): TwinStep => ({ observe });
const chg = (change: string): TwinStep => ({ change });

function check(setup: string, steps: TwinStep[]): void {
  const r = twins(setup, steps, true);
  assert.is(r.mismatch, null, r.mismatch ?? '');
  assert.ok(hitSomewhere(r), `no step hit: the case did not exercise the cache ${JSON.stringify(r.statuses)}`);
}

/** The script with a no-op that changes its text: its shell is a miss, its children may hit. */
const again = (script: string, n: number): string => `: run ${n}; ${script}`;

test('unbuffered python into redirected files: each python is reused and replayed byte for byte', () => {
  const store = scratch('pc-store-');
  const dir = scratch();
  const prog = "import sys\\nfor i in range(20000): print('line', i)\\nprint('err', file=sys.stderr)";
  const script = `mkdir -p out; for n in 1 2; do ${PY} -u -c "$(printf "${prog}")" > out/p$n.txt 2> out/e$n.txt; done; echo done`;
  const plain = spawnSync('/bin/sh', ['-c', script], { cwd: scratch(), encoding: 'utf8' });
  assert.is(plain.status, 0, plain.stderr);
  const cold = runMemo(['/bin/sh', '-c', script], { cwd: dir, store, toFiles: true });
  assert.is(cold.stdout, 'done\n');
  // the shell and both pythons wrote without a stop, and were read back
  assert.ok(cold.stats.readBack >= 3, JSON.stringify(cold.stats));
  const expected = readFileSync(join(dir, 'out/p1.txt'), 'utf8');
  assert.is(expected.split('\n').length, 20001);
  // each python's 20000 lines were read back from its files at its end (npm run bench:shapes
  // shows what that saves)
  const warm = runMemo(['/bin/sh', '-c', again(script, 2)], { cwd: dir, store, toFiles: true });
  const pythons = warm.stats.executions.filter((e) => e.exe.endsWith('/python3'));
  assert.is(pythons.length, 2);
  for (const p of pythons) assert.is(p.status, 'hit', JSON.stringify(p));
  for (const n of [1, 2]) {
    assert.is(readFileSync(join(dir, `out/p${n}.txt`), 'utf8'), expected);
    assert.is(readFileSync(join(dir, `out/e${n}.txt`), 'utf8'), 'err\n');
  }
});

/**
 * Runs each script under processcache (one store) and untraced, in two directories set up alike,
 * stdout into a file: the lines must be the same, in any order. A writer beside a process makes
 * the order a race that a replay (written at once) decides its own way, as a hit of a make job
 * does; what must not happen is a line lost, or written twice.
 */
function sameLines(setup: string, scripts: string[]): void {
  const store = scratch('pc-store-');
  const cached = scratch(), plain = scratch();
  for (const dir of [cached, plain]) spawnSync('/bin/sh', ['-c', setup], { cwd: dir });
  const sorted = (s: string): string => s.split('\n').sort().join('\n');
  let hits = 0;
  for (const script of scripts) {
    const a = runMemo(['/bin/sh', '-c', script], { cwd: cached, store, toFiles: true });
    const b = spawnSync('/bin/sh', ['-c', script], { cwd: plain, encoding: 'utf8' });
    assert.is(sorted(a.stdout), sorted(b.stdout), `${script}: ${JSON.stringify(a.stats.executions.map((e) => [e.exe, e.status, e.reason]))}`);
    hits += a.stats.executions.filter((e) => e.status === 'hit').length;
  }
  assert.ok(hits > 0, 'nothing hit: the case did not exercise the cache');
}

/** A parent.py that starts `cat f; sleep; cat f` and, while it runs, does `meanwhile` (python
 * code; sys.argv[1] tells the runs apart, so that python misses while its child may hit). */
function parentScript(meanwhile: string): string {
  return [
    'echo data > f',
    `printf '%s\\n' 'import subprocess, sys, time' "p = subprocess.Popen(['sh', '-c', 'cat f; sleep 0.8; cat f'])" 'time.sleep(0.4)' "${meanwhile}" 'p.wait()' > parent.py`,
  ].join('; ');
}
const runs = [`${PY} parent.py 1`, `${PY} parent.py 2`, `${PY} parent.py 3; cat f`];

test("a parent's write while its untrapped child runs is not the child's output (write counts)", () => {
  // python writes P into the stdout it shares with sh while sh runs: sh's range holds P, which a
  // replay of sh alone would write a second time
  sameLines(parentScript("sys.stdout.write('P' + sys.argv[1] + '\\\\n'); sys.stdout.flush()"), runs);
});

test('a fork beside a running untrapped child traps the forking process first (one line of untrapped processes)', () => {
  // python starts another sh that writes B into their common stdout while the first sh runs:
  // untrapped, B would be unseen (python itself wrote nothing), and the first sh's range would
  // hold it
  sameLines(parentScript("subprocess.run(['sh', '-c', 'echo B' + sys.argv[1]])"), runs);
});

test('a program that opens its own stdout file again (/dev/stdout, >> by name) is not replayed from a range', () => {
  const script = (n: number): string => `: ${n}; sh -c 'echo a; echo b >> /dev/stdout' > log; cat log; sh -c 'echo x; echo y >> log2' >> log2; cat log2; cat f`;
  check('echo f > f', [obs(script(1)), obs(script(2)), obs(script(3))]);
});

test("a copy of another process's stream on fd 3 traps the writes of the program that gets it", () => {
  const script = (n: number): string => `: ${n}; exec 3>&1; ${PY} -c "import os; os.write(3, b'to3\\\\n'); print('own')" > out; cat out`;
  check('', [obs(script(1)), obs(script(2)), obs(script(3))]);
});

test('a program that starts threads writes through the filter added then; each program of an exec chain has its own range', () => {
  const threads = `import threading, sys\\ndef w(k):\\n    for i in range(200): sys.stdout.write(f'{k} {i}\\\\n')\\nts = [threading.Thread(target=w, args=(k,)) for k in range(3)]\\n[t.start() for t in ts]\\n[t.join() for t in ts]\\nprint('end')`;
  // the exec chain first: a pipeline makes its shell trap its writes (two children at once)
  const script = (n: number): string => `: ${n}; sh -c 'echo one ${n}; exec sh -c "echo two; exec echo three"' > chain; cat chain; ${PY} -u -c "$(printf "${threads}")" > raw; ${PY} -u -c "$(printf "${threads}")" | sort > sorted; sort raw > sorted2; cmp sorted sorted2 && echo same`;
  check('', [obs(script(1)), obs(script(2)), obs(script(3))]);
});

test('a C program that dups its stdout file to fd 12 and writes there is replayed whole', () => {
  const dir = scratch();
  const bin = compileC(dir, 'dup12', '#include <unistd.h>\nint main(void){ dup2(1, 12); write(12, "via12\\n", 6); write(1, "via1\\n", 5); return 0; }');
  const script = (n: number): string => `: ${n}; ${bin} > out; ${bin}; cat out`;
  check('', [obs(script(1)), obs(script(2)), obs(script(3))]);
});

test('PROCESSCACHE_LAZY_WRITES=0 traps every write, with the same result', () => {
  const store = scratch('pc-store-');
  const dir = scratch();
  const script = `${PY} -u -c "print('a'); print('b')" > o; cat o`;
  const env = { ...process.env, PROCESSCACHE_LAZY_WRITES: '0' };
  const a = runMemo(['/bin/sh', '-c', script], { cwd: dir, store, toFiles: true, env });
  const b = runMemo(['/bin/sh', '-c', again(script, 2)], { cwd: dir, store, toFiles: true, env });
  assert.is(a.stdout, 'a\nb\n');
  assert.is(b.stdout, 'a\nb\n');
  assert.ok(b.stats.executions.some((e) => e.status === 'hit'), JSON.stringify(b.stats.executions));
  assert.is(a.stats.readBack, 0);
});

/**
 * Hunt 66: the file a range is read back from changed otherwise than by a write through its open
 * file while the range was open. Cold: python starts `sh` writing aaaa, then bbbb into log and,
 * while it runs, does `disturb`; warm: the same without it (python a miss, sh may hit). The warm
 * run's log must be the untraced one's.
 */
function disturbed(disturb: string): void {
  const store = scratch('pc-store-');
  const cached = scratch(), plain = scratch();
  const parent = [
    'import os, sys, subprocess, time, mmap',
    "fd = os.open('log', os.O_RDWR | os.O_CREAT | os.O_CLOEXEC)",
    "p = subprocess.Popen(['sh', '-c', 'echo aaaa; sleep 0.8; echo bbbb'], stdout=open('log', 'w'))",
    'time.sleep(0.4)',
    `if sys.argv[1] == 'disturb': ${disturb}`,
    'p.wait()',
  ].join('\n');
  for (const dir of [cached, plain]) writeFileSync(join(dir, 'p.py'), parent);
  const cold = runMemo(['/bin/sh', '-c', `${PY} p.py disturb; od -c log`], { cwd: cached, store, toFiles: true });
  assert.ok(cold.stats.readBack > 0, 'nothing was read back: the case did not exercise ranges');
  const warm = runMemo(['/bin/sh', '-c', `: 2; ${PY} p.py no; od -c log`], { cwd: cached, store, toFiles: true });
  const want = spawnSync('/bin/sh', ['-c', `: 2; ${PY} p.py no; od -c log`], { cwd: plain, encoding: 'utf8' });
  assert.is(warm.stdout, want.stdout, JSON.stringify(warm.stats.executions.map((e) => [e.argv.join(' '), e.status, e.reason])));
}

test('hunt 66: a truncation of the output file by another process while it ran refuses the read-back output', () => {
  disturbed("open('log', 'w').close()");
  disturbed('os.ftruncate(fd, 0)');
  disturbed('os.truncate("log", 0)');
});

test('hunt 66: a store through a shared mapping, or a write through another open file, refuses the read-back output', () => {
  disturbed("m = mmap.mmap(fd, 5); m[0:1] = b'X'; m.flush(); m.close()");
  disturbed("q = os.open('log', os.O_WRONLY); os.lseek(q, 0, os.SEEK_SET); os.write(q, b'Y'); os.close(q)");
});

test('hunt 66: a parent that moves the offset it shares with its running child refuses the child\'s read-back output', () => {
  const setup = [
    `printf '%s\\n' 'import os, sys, subprocess, time' "p = subprocess.Popen(['sh', '-c', 'echo aaaa; sleep 0.8; echo bbbb'])" 'time.sleep(0.4)' "os.lseek(1, 0, os.SEEK_SET) if sys.argv[1] == 'seek' else None" 'p.wait()' > p.py`,
  ].join('; ');
  const store = scratch('pc-store-');
  const cached = scratch(), plain = scratch();
  for (const dir of [cached, plain]) spawnSync('/bin/sh', ['-c', setup], { cwd: dir });
  runMemo(['/bin/sh', '-c', `${PY} p.py seek > log; cat log`], { cwd: cached, store, toFiles: true });
  const warm = runMemo(['/bin/sh', '-c', `${PY} p.py no > log; cat log`], { cwd: cached, store, toFiles: true });
  const want = spawnSync('/bin/sh', ['-c', `${PY} p.py no > log; cat log`], { cwd: plain, encoding: 'utf8' });
  assert.is(want.stdout, 'aaaa\nbbbb\n');
  assert.is(warm.stdout, want.stdout, JSON.stringify(warm.stats.executions.map((e) => [e.argv.join(' '), e.status, e.reason])));
});

test('hunt 66: an output file open with O_APPEND (another writer appends inside) keeps every write trapped', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const run = spawnSync('/bin/sh', ['-c', `exec "$@" >> log 2>&1 < /dev/null`, 'sh', process.execPath, CLI, 'run', '--quiet', '--store', store, '--stats-json', 'stats.json', '--', 'sh', '-c', 'echo one; echo two'], { cwd: dir, encoding: 'utf8' });
  assert.is(run.status, 0);
  assert.is(readFileSync(join(dir, 'log'), 'utf8'), 'one\ntwo\n');
  assert.is((JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8')) as { readBack: number }).readBack, 0);
});

test('hunt 66: a write into stdout through Linux AIO (io_submit) is not replayed as nothing', () => {
  const dir = scratch();
  const bin = compileC(dir, 'aio', [
    '#include <linux/aio_abi.h>', '#include <sys/syscall.h>', '#include <unistd.h>', '#include <string.h>',
    'int main(void) { aio_context_t ctx = 0; static char buf[] = "via-aio\\n"; struct iocb cb; struct iocb *cbs[1] = { &cb }; struct io_event ev;',
    '  if (syscall(SYS_io_setup, 8, &ctx) < 0) return 1; memset(&cb, 0, sizeof cb); cb.aio_fildes = 1; cb.aio_lio_opcode = IOCB_CMD_PWRITE;',
    '  cb.aio_buf = (unsigned long)buf; cb.aio_nbytes = strlen(buf); if (syscall(SYS_io_submit, ctx, 1, cbs) != 1) return 1;',
    '  syscall(SYS_io_getevents, ctx, 1, 1, &ev, NULL); return 0; }',
  ].join('\n'));
  const store = scratch('pc-store-');
  for (const n of [1, 2]) {
    const r = runMemo(['/bin/sh', '-c', `: ${n}; ${bin} > out; cat out`], { cwd: dir, store, toFiles: true });
    assert.is(r.stdout, 'via-aio\n', JSON.stringify(r.stats.executions.map((e) => [e.exe, e.status, e.reason])));
  }
});

test('the shell that started processcache may hold the log, asleep: ranges are read back; once it runs, they are refused', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(join(dir, 'f'), 'data\n');
  const pc = `${process.execPath} ${CLI} run --quiet --store ${store} --stats-json stats.json --`;
  const readBack = (): number => (JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8')) as { readBack: number }).readBack;
  // `./ci.sh > log`, ci.sh running processcache in the foreground
  const quiet = spawnSync('/bin/sh', ['-c', `${pc} sh -c 'cat f; ${PY} -c "print(1)"' > log 2>&1 < /dev/null; echo after >> log`], { cwd: dir, encoding: 'utf8' });
  assert.is(quiet.status, 0);
  assert.is(readFileSync(join(dir, 'log'), 'utf8'), 'data\n1\nafter\n');
  assert.ok(readBack() > 0, 'nothing read back: the waiting shell counted as a writer');
  // the same shell writing while the command runs: each run's log must be the untraced one's,
  // with S once (sorted: a replay writes at once)
  // (its sleep holds no copy of the log: the shell alone does, asleep when the command starts)
  const script = (n: number): string => `(${pc} sh -c ': ${n}; cat f; sleep 0.6; cat f' < /dev/null) & sleep 0.3 > /dev/null 2>&1; echo S; wait`;
  for (const n of [1, 2, 1]) {
    spawnSync('/bin/sh', ['-c', `{ ${script(n)}; } > log 2>&1`], { cwd: dir });
    assert.is(readFileSync(join(dir, 'log'), 'utf8').split('\n').sort().join('\n'), ['', 'S', 'data', 'data'].join('\n'));
  }
});

/**
 * Hunt 68: `processcache run -- PROGRAM disturb > log`, then `... quiet > log`: PROGRAM starts a
 * child writing aaaa, then bbbb into the stdout they share and, with `disturb`, changes that file
 * meanwhile in a way no write count shows. The warm run (PROGRAM a miss, the child may hit) must
 * leave the untraced log.
 */
function sharedStdout(dir: string, program: string[]): void {
  const store = scratch('pc-store-');
  const pc = (arg: string): string[] => [process.execPath, CLI, 'run', '--quiet', '--store', store, '--', ...program, arg];
  const toLog = (argv: string[]): void => {
    const r = spawnSync('/bin/sh', ['-c', 'exec "$@" > log 2> err < /dev/null', 'sh', ...argv], { cwd: dir, encoding: 'utf8' });
    assert.is(r.status, 0, readFileSync(join(dir, 'err'), 'utf8'));
  };
  toLog(pc('disturb'));
  toLog(pc('quiet'));
  const warm = readFileSync(join(dir, 'log'), 'utf8');
  toLog([...program, 'quiet']);
  assert.is(warm, readFileSync(join(dir, 'log'), 'utf8'));
  assert.is(warm, 'aaaa\nbbbb\n');
}

const CHILD = "['sh', '-c', 'echo aaaa; sleep 0.8; echo bbbb']";

test('hunt 68: an ancestor splicing into the stdout it shares with its running child (splice counts no write)', () => {
  const dir = scratch();
  writeFileSync(join(dir, 'q.py'), [
    'import os, sys, subprocess, time',
    "r, w = os.pipe(); os.write(w, b'SPLICED\\n')",
    `p = subprocess.Popen(${CHILD})`,
    'time.sleep(0.4)',
    "if sys.argv[1] == 'disturb': os.splice(r, 1, 8)",
    'p.wait()',
  ].join('\n'));
  sharedStdout(dir, [PY, 'q.py']);
});

test('hunt 68: a shared writable mapping of the output file whose fd was closed before the child started', () => {
  const dir = scratch();
  writeFileSync(join(dir, 'm.py'), [
    'import os, sys, ctypes, subprocess, time',
    'libc = ctypes.CDLL(None, use_errno=True)',
    'libc.mmap.restype = ctypes.c_void_p',
    'libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]',
    "fd = os.open('log', os.O_RDWR)",
    'addr = libc.mmap(None, 4096, 3, 1, fd, 0)',
    'os.close(fd)',
    `p = subprocess.Popen(${CHILD})`,
    'time.sleep(0.4)',
    "if sys.argv[1] == 'disturb': ctypes.memmove(addr, b'XXXX\\n', 5)",
    'p.wait()',
  ].join('\n'));
  sharedStdout(dir, [PY, 'm.py']);
});

test('hunt 68: a child cloned with CLONE_UNTRACED cannot write unseen into a sibling\'s read-back output', () => {
  const dir = scratch();
  const bin = compileC(dir, 'u', [
    '#define _GNU_SOURCE', '#include <sched.h>', '#include <signal.h>', '#include <string.h>', '#include <unistd.h>', '#include <sys/syscall.h>', '#include <sys/wait.h>',
    'int main(int argc, char **argv) { pid_t u = -1; int st; (void)argc;',
    '  if (strcmp(argv[1], "disturb") == 0) { u = (pid_t)syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0); if (u == 0) { usleep(400000); write(1, "GHOST\\n", 6); _exit(0); } }',
    '  pid_t c = fork(); if (c == 0) { execl("/bin/sh", "sh", "-c", "echo aaaa; sleep 0.8; echo bbbb", (char *)0); _exit(127); }',
    '  waitpid(c, &st, 0); if (u > 0) waitpid(u, &st, 0); return 0; }',
  ].join('\n'));
  const store = scratch('pc-store-');
  const run = (arg: string): string => {
    spawnSync('/bin/sh', ['-c', 'exec "$@" > log 2> err < /dev/null', 'sh', process.execPath, CLI, 'run', '--quiet', '--store', store, '--', bin, arg], { cwd: dir });
    return readFileSync(join(dir, 'log'), 'utf8');
  };
  run('disturb');
  assert.is(run('quiet'), 'aaaa\nbbbb\n');
});

test('hunt 68: a quiet holder with a second thread (processcache run by a python whose thread writes into the log)', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(join(dir, 'ci.py'), [
    'import sys, threading, time, subprocess, os',
    "def beat(): time.sleep(0.4); os.write(1, b'HEARTBEAT\\n')",
    "if sys.argv[1] == 'hb': threading.Thread(target=beat, daemon=True).start()",
    "pre = '' if sys.argv[1] == 'hb' else ': 2; '",
    `cmd = [${JSON.stringify(process.execPath)}, ${JSON.stringify(CLI)}, 'run', '--quiet', '--store', ${JSON.stringify(store)}, '--', 'sh', '-c', pre + "sh -c 'echo a; sleep 0.8; echo b'; echo done"]`,
    'subprocess.run(cmd, stdin=subprocess.DEVNULL)',
  ].join('\n'));
  for (const arg of ['hb', 'no']) spawnSync('/bin/sh', ['-c', `${PY} ci.py ${arg} > log 2> err < /dev/null`], { cwd: dir });
  assert.is(readFileSync(join(dir, 'log'), 'utf8'), 'a\nb\ndone\n');
});

test.run();
