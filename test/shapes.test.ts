// Real command shapes (issue 10): terminals, the shells' fd idioms, stdin from a file, and in-kernel
// copies into stdout. Each case runs in a cached and an untraced twin (test/twins.ts) and must hit
// where the issue says it is cacheable; the rules must not be fooled into a wrong replay.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, compileC, runMemo, scratch, statusOf, type MemoRun } from './helpers.js';
import { twins, type TwinStep } from './twins.js';

const PY = '/usr/bin/python3';
const obs = (observe: string, input?: string): TwinStep => (input === undefined ? { observe } : { observe, input });
const chg = (change: string): TwinStep => ({ change });

/** Runs the steps in twins; returns each observation's statuses of the named program. */
function checkTwins(setup: string, steps: TwinStep[]): string[][] {
  const r = twins(setup, steps);
  assert.is(r.mismatch, null, r.mismatch ?? '');
  return r.statuses;
}

/** The observation's root (the shell the twins run it in) hit whole. */
function rootHit(statuses: string[]): boolean {
  return /^sh:hit/.test(statuses[0] ?? '');
}

/** The statuses of every execution of a program in an observation's list. */
function statusesOf(statuses: string[], name: string): string[] {
  return statuses.filter((s) => s.startsWith(`${name}:`)).map((s) => s.slice(name.length + 1));
}

test('bash without a controlling terminal is cacheable: its failed open of /dev/tty is an answer', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  // setsid: a new session, without a controlling terminal, as on a CI runner
  const run = (): MemoRun => runMemo(['setsid', '-w', 'bash', '--norc', '-c', 'echo from bash; ls >/dev/null'], { cwd: dir, store });
  const first = run();
  assert.is(first.stdout, 'from bash\n');
  assert.is(statusOf(first, 'bash'), 'miss', 'bash is recorded');
  const second = run();
  assert.is(second.stdout, 'from bash\n');
  assert.is(statusOf(second, 'setsid'), 'hit', 'and reused');
});

test('a process recorded without a controlling terminal is not replayed to one that has one', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  // the same stdio both times (files), only the session differs
  const probe = "bash --norc -c 'if exec 3<>/dev/tty; then echo has-tty; else echo no-tty; fi' </dev/null >out.txt 2>/dev/null";
  for (let i = 0; i < 2; i++) runMemo(['setsid', '-w', 'sh', '-c', probe], { cwd: dir, store });
  assert.is(readFileSync(join(dir, 'out.txt'), 'utf8'), 'no-tty\n');
  const run = `${process.execPath} ${CLI} run --quiet --store ${store} -- sh -c "${probe}"`;
  const r = spawnSync('script', ['-qec', run, join(dir, 'typescript')], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  assert.is(readFileSync(join(dir, 'out.txt'), 'utf8'), 'has-tty\n', 'with a terminal, bash opens it');
});

const REDIRECTS = [
  'mkdir -p out',
  'for f in a b c; do echo "file $f" > "out/$f.txt"; done',
  'echo to-stderr >&2',
  '{ echo grouped; echo err-in-group >&2; } 2>&1',
  'exec 3>&1; echo via-3 >&3; ls out >&3',
  'echo last',
].join('\n');

test('the shells save and restore fds around redirections: a script with them is reused whole', () => {
  for (const shell of ['sh', 'bash --norc']) {
    const script = `${shell} -c '${REDIRECTS.replace(/'/g, "'\\''")}'`;
    // the first run makes out/, the second records the script with out/ there, the third reuses it
    const statuses = checkTwins(':', [obs(script), obs(script), obs(script), chg('touch out/d.txt'), obs(script), obs(script)]);
    assert.ok(rootHit(statuses[2]!), `${shell}: ${JSON.stringify(statuses)}`);
    assert.not.ok(rootHit(statuses[3]!), `${shell}: ls lists out/ anew`);
  }
});

test('exec >file sends what follows into the file, not to the replayed stdout', () => {
  const script = "sh -c 'echo before; exec > log.txt; echo inside; ls; exec 2>&1; echo err >&2'";
  const statuses = checkTwins('touch a', [obs(script), obs(script), obs(script), chg('rm log.txt'), obs(script), obs(script)]);
  assert.ok(rootHit(statuses[2]!), JSON.stringify(statuses));
});

test('a program that copies fd 1 to fd 12 and writes there is replayed with those bytes', () => {
  const dir = scratch();
  const prog = compileC(dir, 'dup12', [
    '#include <unistd.h>',
    'int main(void) { dup2(1, 12); write(12, "via-12\\n", 7); close(12); dup2(2, 9); write(9, "err-9\\n", 6); return 0; }',
  ].join('\n'));
  const store = scratch('pc-store-');
  const runs: MemoRun[] = [];
  for (let i = 0; i < 2; i++) runs.push(runMemo([prog], { cwd: dir, store }));
  for (const r of runs) {
    assert.is(r.stdout, 'via-12\n');
    assert.is(r.stderr, 'err-9\n');
  }
  assert.is(statusOf(runs[1]!, 'dup12'), 'hit', 'its writes through the copies were captured');
});

test('stdin from a file is an input, and a replay leaves the offset where the run left it', () => {
  const lines = 'printf "one\\ntwo\\nthree\\n" > in.txt';
  // the root's own argument differs at each step: it runs, and its children are looked up
  const headCat = (n: number): TwinStep => obs(`{ head -n 1; echo --; cat; } < in.txt; : ${n}`);
  const statuses = checkTwins(lines, [headCat(1), headCat(2), chg('printf "uno\\ndos\\n" > in.txt'), headCat(3), headCat(4)]);
  assert.equal(statusesOf(statuses[1]!, 'head'), ['hit'], JSON.stringify(statuses));
  assert.equal(statusesOf(statuses[1]!, 'cat'), ['hit'], JSON.stringify(statuses));
  assert.equal(statusesOf(statuses[2]!, 'head').map((s) => s.slice(0, 4)), ['miss'], 'a changed file is read anew');
  assert.equal(statusesOf(statuses[3]!, 'cat'), ['hit'], JSON.stringify(statuses));
  // the loop is the shell's own: it reads the file it opened, by path
  const loop = 'while read l; do echo "line: $l"; done < in.txt; wc -l < in.txt';
  const looped = checkTwins(lines, [obs(loop), obs(loop), chg('echo four >> in.txt'), obs(loop), obs(loop)]);
  assert.ok(rootHit(looped[1]!), JSON.stringify(looped));
  assert.not.ok(rootHit(looped[2]!), JSON.stringify(looped));
});

test('a script whose pipelines run inside it is reused whole; a stage reading a pipe still written is not reused alone', () => {
  const setup = 'mkdir -p in out; for i in 1 2 3; do seq $i 40 | sed "s/^/w$i /" > in/$i.txt; done';
  const script = 'for f in in/*.txt; do tr a-z A-Z < $f | grep -v 7 | sort -r | uniq -c > out/$(basename $f); done; cat out/* | wc -l; echo x | tr x y';
  // the first run fills out/, which the second lists as the third will
  const statuses = checkTwins(setup, [obs(script), obs(script), obs(script), chg('echo w2 77 >> in/2.txt'), obs(script), obs(script)]);
  assert.ok(rootHit(statuses[2]!), JSON.stringify(statuses));
  assert.not.ok(rootHit(statuses[3]!), 'a changed input runs the script');
  assert.ok(rootHit(statuses[4]!), JSON.stringify(statuses));
  // a stage whose writer had ended by its exec is keyed on the pipe's bytes (the test below);
  // one whose writer still ran reads bytes nobody knew at its exec
  const grep = statuses[3]!.filter((x) => x.startsWith('grep:'));
  assert.ok(grep.length > 0 && grep.every((x) => /^grep:(uncacheable \(it reads stdin \(pipe\)\)|miss|hit)/.test(x)), JSON.stringify(grep));
});

test('mkdir -p with several paths is reused from a fresh tree: a relative chdir is taken from the old cwd', () => {
  // the tracer resolved chdir("out") at its exit, from the new cwd: out/out, an input never there
  const mk = (n: number): TwinStep => obs(`mkdir -p out/tokens out/counts; ls out; : ${n}`);
  const statuses = checkTwins(':', [mk(1), chg('rm -r out'), mk(2)]);
  assert.equal(statusesOf(statuses[1]!, 'mkdir'), ['hit'], JSON.stringify(statuses));
});

test('stdin from a pipe: what it reads now, never a replay of other bytes, through a copy of it too', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const runs = [1, 2].map((i) => runMemo(['sh', '-c', 'exec 5<&0; cat <&5'], { cwd: dir, store, input: `input ${i}\n` }));
  assert.is(runs[1]!.stdout, 'input 2\n', 'what it reads now, never a replay');
  // uncacheable while the test's end of the pipe was open at the exec, a miss on the new bytes once closed
  assert.is.not(statusOf(runs[1]!, 'sh'), 'hit');
});

/** A python script that fills a pipe, closes its write end and, once its own read end is closed
 * too, runs argv[2:] on it: the pipe's bytes are all there, and nobody else can read them. */
const FEEDER = `import os, sys
r, w = os.pipe(); os.write(w, sys.argv[1].encode()); os.close(w)
go_r, go_w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(go_w); os.read(go_r, 1)
    os.dup2(r, 0); os.close(r); os.execvp(sys.argv[2], sys.argv[2:])
os.close(r); os.close(go_r); os.write(go_w, b'g'); os.waitpid(pid, 0)
print(open('x').read(), end='')
`;

test('a pipe no process can write into any more is an input: a finished writer and a here-document key their reader', () => {
  const feeder = join(scratch('pc-feeder-'), 'feed.py');
  writeFileSync(feeder, FEEDER);
  const feed = (text: string): string => `/usr/bin/python3 ${feeder} '${text}' sort`;
  // bash 5.1+ passes a small here-document through a pipe it has filled and closed
  const heredoc = "bash --norc -c 'sort <<END\nb\na\nEND\ncat x'";
  const statuses = checkTwins('echo 1 > x', [obs(feed('b\na\n')), chg('echo 2 > x'), obs(feed('b\na\n')), obs(feed('c\na\n')),
    obs(heredoc), chg('echo 3 > x'), obs(heredoc)]);
  assert.equal(statusesOf(statuses[1]!, 'sort'), ['hit'], JSON.stringify(statuses));
  assert.equal(statusesOf(statuses[2]!, 'sort'), ['miss (never recorded)'], 'other bytes in the pipe: another fingerprint');
  // bash may still hold the read end when sort execs: then sort reads a pipe not known to be finished
  assert.ok(statusesOf(statuses[4]!, 'sort').every((x) => x === 'hit' || x.startsWith('uncacheable')), JSON.stringify(statuses));
});

test('a pipe from outside the traced command is never read ahead: an outside reader takes what a skipped one would leave, an outside writer writes on', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const pc = `${CLI} run --quiet --min-duration-ms 0 --store ${store} --`;
  const outer = (inner: string): string => `printf 'a\\nb\\n' | { ${inner} | cat; echo "rest: $(cat)"; }`;
  for (let i = 0; i < 2; i++) {
    const r = spawnSync('sh', ['-c', outer(`${pc} head -c 2`)], { cwd: dir, encoding: 'utf8' });
    assert.is(r.stdout, 'a\nrest: b\n', `run ${i + 1}: what the real head leaves the outer cat`);
  }
  // the writer outside keeps writing: reading ahead would take bytes it then could not put back
  const seq = spawnSync('sh', ['-c', `seq 1 300000 | ${pc} sh -c 'head -n 2; sleep 0.05; head -c 12 | tr "\\n" " "' | cat`], { cwd: dir, encoding: 'utf8' });
  const lines = seq.stdout.split('\n');
  assert.equal(lines.slice(0, 2), ['1', '2'], seq.stdout.slice(0, 200));
  assert.ok(Number(lines[2]!.split(' ')[0]) < 30000, `no bytes lost: ${lines[2]}`);
});

test('a pipe read ahead and then opened by path (/proc/PID/fd/0) for writing: its reader is not recorded (hunt 4)', () => {
  const cmd = 'echo 1 | { sleep .3; exec sh -c "sleep 1; cat"; } & P=$!; sleep .6; sh -c "cat d > /proc/$P/fd/0"; wait';
  // recorded, the reader would replay d1 after d changed (and its early end would leave the writer no /proc/PID)
  checkTwins('echo d1 > d', [obs(cmd), obs(cmd), chg('echo d2 > d'), obs(cmd)]);
});

test('a pipe another process also reads is not an input: a replay would leave it the bytes the reader took', () => {
  // head takes the whole block; skipped, it would leave cat the bytes
  const py = `/usr/bin/python3 -c "import os, subprocess; r, w = os.pipe(); os.write(w, b'a\\nb\\n'); os.close(w); subprocess.run(['head', '-n', '1'], stdin=r); subprocess.run(['cat'], stdin=r); print(open('x').read())"`;
  const statuses = checkTwins('echo 1 > x', [obs(py), chg('echo 2 > x'), obs(py), chg('echo 3 > x'), obs(py)]);
  assert.ok(statusesOf(statuses[2]!, 'head').every((x) => x.startsWith('uncacheable')), JSON.stringify(statuses));
});

test('cat of a file is cacheable: its copy_file_range or sendfile into stdout is captured', () => {
  const setup = 'head -c 300000 /dev/zero | tr "\\0" x > big.txt; echo small > small.txt';
  const cats = (n: number): TwinStep => obs(`cat big.txt > copy.txt; cat small.txt; cat small.txt big.txt > both.txt; wc -c < both.txt; : ${n}`);
  const statuses = checkTwins(setup, [cats(1), cats(2), chg('echo bigger >> big.txt'), cats(3), cats(4)]);
  assert.equal(statusesOf(statuses[1]!, 'cat'), ['hit', 'hit', 'hit'], JSON.stringify(statuses));
  assert.equal(statusesOf(statuses[3]!, 'cat'), ['hit', 'hit', 'hit'], JSON.stringify(statuses));
  // python's os.sendfile straight into fd 1, a pipe or a file
  const py = "/usr/bin/python3 -c 'import os; f = os.open(\"small.txt\", os.O_RDONLY); os.sendfile(1, f, None, 100)'";
  const sent = checkTwins(setup, [obs(`${py}; : 1`), obs(`${py}; : 2`), obs(`${py} > out.txt; cat out.txt; : 3`), obs(`${py} > out.txt; cat out.txt; : 4`)]);
  assert.equal(statusesOf(sent[1]!, 'python3'), ['hit'], JSON.stringify(sent));
  assert.equal(statusesOf(sent[3]!, 'python3'), ['hit'], JSON.stringify(sent));
});

test('splice from a pipe into /dev/null needs no capture: grep drains its input so', () => {
  const grep = (n: number): TwinStep => obs(`printf 'a\\nb\\n' | grep a > /dev/null && echo found; : ${n}`);
  const statuses = checkTwins(':', [grep(1), grep(2)]);
  const row = statuses[0]!.find((s) => s.startsWith('grep:')) ?? '';
  assert.not.match(row, /stdout-uncaptured/, JSON.stringify(statuses));
});

test('splice from a pipe into stdout is not captured: uncacheable, with the reason', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const splice = "import os, sys\nr, w = os.pipe()\nos.write(w, b'spliced\\n')\nos.close(w)\nos.splice(r, 1, 100)\n";
  writeFileSync(join(dir, 's.py'), splice);
  const runs = [1, 2].map(() => runMemo(['/usr/bin/python3', 's.py'], { cwd: dir, store }));
  for (const r of runs) assert.is(r.stdout, 'spliced\n');
  const row = runs[1]!.stats.executions.find((e) => e.exe.includes('python'))!;
  assert.is(row.status, 'uncacheable');
  assert.match(row.reason ?? '', /stdout-uncaptured:splice/);
});

test('a directory listed again after the script changed it: its first listing is the input (configure globs conftest* around its compiles)', () => {
  const script = "bash --norc -c 'echo d/*; echo x > d/new.c; echo d/*; rm d/new.c; echo d/*'";
  const statuses = checkTwins('mkdir d; echo a > d/a.txt', [obs(script), obs(script), chg('echo b > d/b.txt'), obs(script), obs(script)]);
  assert.ok(rootHit(statuses[1]!), JSON.stringify(statuses));
  assert.not.ok(rootHit(statuses[2]!), 'b.txt is listed anew');
  assert.ok(rootHit(statuses[3]!), JSON.stringify(statuses));
});

test('a directory too large for one getdents is one listing, not its last part', () => {
  const setup = 'mkdir big && cd big && for i in $(seq 1500); do : > "a-rather-long-file-name-to-fill-the-buffer-$i"; done';
  const ls = obs('ls big | wc -l');
  const statuses = checkTwins(setup, [ls, ls, chg('rm big/a-rather-long-file-name-to-fill-the-buffer-1500'), ls, ls]);
  assert.ok(rootHit(statuses[1]!), JSON.stringify(statuses));
  assert.not.ok(rootHit(statuses[2]!), 'one name fewer');
  assert.ok(rootHit(statuses[3]!), JSON.stringify(statuses));
});

test("a shell's copy of its stdout on fd 6 (autoconf's AS_MESSAGE_FD) is reused; a look through it, or a copy of it, is seen", () => {
  const copy = obs("bash --norc -c 'exec 6>&1; echo to-6 >&6; echo plain; cat a.txt >&6' > log");
  const statuses = checkTwins('echo a > a.txt', [copy, copy, chg('echo b > a.txt'), copy]);
  assert.ok(rootHit(statuses[1]!), JSON.stringify(statuses));
  assert.not.ok(rootHit(statuses[2]!), JSON.stringify(statuses));
  // log grows at every observation: a stale replay prints where it stood before
  const size = (fd: number): string => `os.write(2, b'%d\\n' % os.fstat(${fd}).st_size)`;
  const look = obs(`bash --norc -c 'exec 6>&1; ${PY} -c "import os; ${size(6)}"; ${PY} -c "import os; ${size(6)}" > other.txt; ` +
    `${PY} -c "import os; os.dup2(6, 7); ${size(7)}" > other.txt; ${PY} -c "import os; print(os.lseek(6, 0, os.SEEK_CUR))" > other.txt' >> log`);
  const looks = checkTwins('echo a > a.txt', [look, look, look, chg('echo more >> log'), look]);
  const rows = looks.flat().join('\n');
  assert.match(rows, /stdout-looked/, 'a look at where an ancestor\'s copy stands');
});

test('install sets its mode with a minimal POSIX ACL (fsetxattr): a chmod, reused; any other ACL is not modelled', () => {
  const install = obs('install -c -m 640 a.txt dst.txt; ls -l dst.txt | cut -c1-10');
  const statuses = checkTwins('echo a > a.txt', [install, chg('rm dst.txt'), install, chg('rm dst.txt; chmod 600 a.txt'), install]);
  assert.ok(rootHit(statuses[1]!), JSON.stringify(statuses));
  // owner, a named user, group, mask, other: not a mode
  const acl = `${PY} -c "import os, struct; os.setxattr('a.txt', 'system.posix_acl_access', struct.pack('<I' + 'HHI' * 5, 2, 1, 6, 0xffffffff, 2, 4, 65534, 4, 4, 0xffffffff, 0x10, 4, 0xffffffff, 0x20, 4, 0xffffffff))" || echo no-acl`;
  const named = checkTwins('echo a > a.txt', [obs(acl), obs(acl)]);
  // the kernel keeps the setuid, setgid and sticky bits that a chmod would set: the mode before is an input (hunt 13)
  const minimal = obs(`${PY} -c "import os, struct; os.setxattr('f', 'system.posix_acl_access', struct.pack('<I' + 'HHI' * 3, 2, 1, 7, 0xffffffff, 4, 5, 0xffffffff, 0x20, 0, 0xffffffff))"`);
  checkTwins('echo data > f; chmod 1644 f', [minimal, chg('chmod 1644 f'), minimal, chg('chmod 0644 f'), minimal, chg('chmod 1644 f'), minimal]);
  assert.match(named.flat().join('\n'), /unmodelled-syscall:setxattr/, JSON.stringify(named));
});

test("a directory's mtime after the script made a name in it is the script's own doing, not an input; one stat'ed before is", () => {
  // each run leaves d older than ref again: only what the run itself did to d makes it newer
  const after = "bash --norc -c 'touch d/new; [ d -nt ref ] && echo newer; rm d/new; sleep 0.02; rm ref; : > ref'";
  const before = "bash --norc -c '[ d -nt ref ] && echo newer; touch d/new; rm d/new'";
  const setup = 'mkdir d; sleep 0.02; touch ref';
  const a = checkTwins(setup, [obs(after), obs(after), obs(after)]);
  assert.ok(rootHit(a[1]!), `its own change made d newer: ${JSON.stringify(a)}`);
  // the first run finds d older than ref, the second newer (the first run's changes): a replay of
  // the first would print nothing
  checkTwins(setup, [obs(before), obs(before), obs(before)]);
  // a file dated in the future is newer than the run's own change (hunt 13)
  const future = obs("sh -c 'touch d/x; [ d -nt f ] && echo newer || echo older; rm d/x'");
  const dated = (when: string): TwinStep => chg(`touch -d "${when}" f; touch -d "-2 hours" . d`);
  const f = checkTwins('mkdir d', [dated('-1 hour'), future, dated('+1 day'), future, dated('-1 hour'), future]);
  assert.ok(rootHit(f[2]!), `as in the first run: ${JSON.stringify(f)}`);
  // a time the run sets itself (touch -d, cp -p) is not "newest now": not reused (hunt 14)
  const given = obs("sh -c 'touch -d 2000-01-01 G; test G -nt F && echo newer || echo older; rm G'");
  const g = checkTwins(':', [chg('touch -d 2010-01-01 F'), given, chg('touch -d 1995-01-01 F'), given, given]);
  assert.match(g.flat().join('\n'), /explicit-mtime/);
});

test("bash's check of $PWD as it starts keys no ancestor's mtime; a script's own test of one still does", () => {
  // bash stats $PWD, ".", then each ancestor of its working directory: only whether they are
  // directories. Their mtimes change with anything done in them (dash's build missed its root on
  // where /tmp ranked)
  // (it writes no file: a restore's rename into w would make w newer, a miss of its own)
  const quiet = obs(`cd a/b/w && bash --norc -c 'echo hi; cat in'`);
  const aged = (when: string): TwinStep => chg(`touch -d "${when}" a a/b`);
  const q = checkTwins('mkdir -p a/b/w; echo x > a/b/w/in', [quiet, aged('-3 days'), quiet, aged('+1 hour'), quiet]);
  assert.ok(rootHit(q[1]!) && rootHit(q[2]!), `the ancestors' new mtimes are no input: ${JSON.stringify(q)}`);
  // the same for a script bash runs by its shebang (recorded under the script's path)
  const script = obs('cd a/b/w && ./s.sh');
  const sq = checkTwins("mkdir -p a/b/w; echo x > a/b/w/in; printf '#!/bin/bash\\necho hi; cat in\\n' > a/b/w/s.sh; chmod +x a/b/w/s.sh", [script, aged('-3 days'), script, aged('+1 hour'), script]);
  assert.ok(rootHit(sq[1]!) && rootHit(sq[2]!), `the script's ancestors: ${JSON.stringify(sq)}`);
  // a test of an ancestor's mtime after the walk keys its order as before
  const looks = obs(`cd a/b/w && bash --norc -c '[ .. -nt ref ] && echo newer || echo older'`);
  const l = checkTwins('mkdir -p a/b/w; touch -d "-1 day" a/b; touch a/b/w/ref', [looks, aged('+1 hour'), looks, aged('-2 days'), looks]);
  assert.not.ok(rootHit(l[1]!), `a/b became newer than ref: ${JSON.stringify(l)}`);
  // its `cd` walks the target's ancestors the same way before its chdir; a test just before it
  // is the script's own
  const cd = obs(`cd a/b/w && bash --norc -c 'cd sub && cat in'`);
  const c = checkTwins('mkdir -p a/b/w/sub; echo x > a/b/w/sub/in', [cd, aged('-3 days'), cd, aged('+1 hour'), cd]);
  assert.ok(rootHit(c[1]!) && rootHit(c[2]!), `cd's walk: ${JSON.stringify(c)}`);
  const testThenCd = obs(`cd a/b/w && bash --norc -c '[ ../.. -ot .. ] && echo older || echo newer; cd sub && cat in'`);
  const t = checkTwins('mkdir -p a/b/w/sub; echo x > a/b/w/sub/in; touch -d "-2 days" a', [testThenCd, chg('touch -d "-3 days" a/b'), testThenCd, testThenCd]);
  assert.not.ok(rootHit(t[1]!), `a/b became older than a: ${JSON.stringify(t)}`);
  // without $PWD bash makes no such stats: a script that makes the same ones, in the same order,
  // compares what it stat'ed (hunt 71)
  const mimic = obs(`cd a/b/w && env -u PWD -u OLDPWD /usr/bin/bash -c '[ . -ef . ]; [ ../../../.. -ot ../../.. ]; [ ../.. -nt .. ] && echo newer || echo older; [ . -ef . ]'`);
  const m = checkTwins('mkdir -p a/b/w; touch -d "-1 day" a/b', [mimic, aged('-2 days'), chg('touch -d "-1 hour" a'), mimic, mimic]);
  assert.not.ok(rootHit(m[1]!), `a became newer than a/b: ${JSON.stringify(m)}`);
  // nor does a program that is only named bash (dash stats $PWD and "." as it starts; hunt 72)
  const named = obs(`cd a/b/w && ../../../bin/bash -c '[ ../../../.. -ot ../../.. ]; [ ../.. -nt .. ] && echo newer || echo older; [ . -ef . ]'`);
  const n = checkTwins('mkdir -p a/b/w bin; ln -s "$(command -v dash || command -v sh)" bin/bash; touch -d "-1 day" a/b; touch -d "-2 days" a',
    [named, chg('touch -d "+1 hour" a'), named, named]);
  assert.not.ok(rootHit(n[1]!), `a became newer than a/b: ${JSON.stringify(n)}`);
  // nor a script named bash that holds bash's banner (hunt 74): its interpreter's cd walks nothing,
  // and the tests just before its cd are the script's own
  const fake = "printf '#!/bin/sh\\n# GNU bash, version 5 (not)\\n[ ../.. -ot .. ]; if [ ../a -nt ../a/b ]; then echo newer; else echo older; fi; cd ../a/b\\n' > bin/bash; chmod +x bin/bash";
  const fakeRun = obs('cd w && ../bin/bash');
  const f = checkTwins(`mkdir -p w a/b bin; ${fake}; touch -d "-1 day" a/b`, [fakeRun, chg('touch -d "-2 days" a'), fakeRun, fakeRun]);
  assert.not.ok(rootHit(f[1]!), `a became older than a/b: ${JSON.stringify(f)}`);
  // / has no component to check: bash in / looks at it twice, `cd /` not at all, and a test of /
  // just before is the script's own (hunt 73). x goes from older than / to newer (not into the
  // future, which any key tells); w stays the oldest
  const older = chg('touch -r / -d "-10 days" a/b/w; touch -r / -d "-1 day" x');
  const newer = chg('touch x');
  const cdSlash = obs(`D=$PWD; cd a/b/w && unset OLDPWD && D=$D /usr/bin/bash -c '[ "$D/x" -nt / ] && echo newer || echo older; cd /'`);
  const cs = checkTwins('mkdir -p a/b/w x', [older, cdSlash, newer, cdSlash, cdSlash]);
  assert.not.ok(rootHit(cs[1]!) || statusesOf(cs[1]!, 'bash').includes('hit'), `x became newer than /: ${JSON.stringify(cs)}`);
  const inSlash = obs(`D=$PWD; cd / && unset OLDPWD && D=$D /usr/bin/bash -c '[ / -nt "$D/x" ] && echo newer || echo older'`);
  const is = checkTwins('mkdir -p a/b/w x', [older, inSlash, newer, inSlash, inSlash]);
  assert.not.ok(rootHit(is[1]!) || statusesOf(is[1]!, 'bash').includes('hit'), `x became newer than /: ${JSON.stringify(is)}`);
});

test('make -j2 into one log: cat\'s in-kernel copies are found where they landed, out of the order the recipes ended in, and the make is recorded', () => {
  // b writes at 0 and 0.6 s, a at 0.3 s: the log holds B A B, the recipes end a then b
  const setup = "printf 'all: a b\\na:\\n\\tsleep 0.3; cat a.txt\\nb:\\n\\tcat b.txt; sleep 0.6; cat b.txt\\n.PHONY: all a b\\n' > Makefile; echo A > a.txt; echo B > b.txt";
  const make = obs('make -s -j2 > log');
  const statuses = checkTwins(setup, [make, make]);
  // (the twin's sh stat'ed . before its `> log` made a name there: it reruns)
  assert.equal(statusesOf(statuses[1]!, 'make'), ['hit'], JSON.stringify(statuses));
});


// Node's child_process (libuv) gives a child's piped stdio as one end of a socketpair, not a pipe.
// `--preserve-symlinks-main`: without it node realpaths its script, an lstat of /tmp, whose mtime
// every run here changes; node is a program whose use of mtimes is unknown, so that one is keyed.
const SORT_THROUGH_NODE = `node --preserve-symlinks-main -e '
const { spawnSync } = require("child_process");
const fs = require("fs");
const fromFile = process.argv[1] === "file";
const r = spawnSync("sort", fromFile ? { input: fs.readFileSync("in.txt") } : { stdio: ["inherit", "pipe", "inherit"] });
fs.writeFileSync("out.txt", r.stdout);
console.log("sorted", r.stdout.length, "bytes");
'`;

test('a Node script that feeds its child through a socketpair is reused whole; the child reading the socket is not reused alone', () => {
  const script = `${SORT_THROUGH_NODE} file`;
  const statuses = checkTwins('printf "pear\\napple\\n" > in.txt', [obs(script), obs(script), chg('echo fig >> in.txt'), obs(script), obs(script)]);
  assert.equal(statusesOf(statuses[0]!, 'sort'), ['uncacheable (it reads stdin (socket))'], JSON.stringify(statuses[0]));
  assert.ok(statusesOf(statuses[0]!, 'node').every((s) => !s.startsWith('uncacheable')), JSON.stringify(statuses[0]));
  assert.ok(rootHit(statuses[1]!), JSON.stringify(statuses[1]));
  assert.not.ok(rootHit(statuses[2]!), 'a changed input runs the script');
  assert.ok(rootHit(statuses[3]!), JSON.stringify(statuses[3]));
});

test('a socket the command was given as stdin is not the subtree\'s: a Node script handing it to its child is never replayed', () => {
  const script = `${SORT_THROUGH_NODE} inherited`;
  const statuses = checkTwins('true', [obs(script, 'b\na\n'), obs(script, 'b\na\n'), obs(script, 'c\na\n')]);
  for (const s of statuses) assert.not.ok(rootHit(s), JSON.stringify(s));
  assert.ok(statusesOf(statuses[1]!, 'node').every((s) => s.startsWith('uncacheable')), JSON.stringify(statuses[1]));
});

test('stdin and stdout on sockets (how a Node parent spawns processcache) through recv and send: seen as reads of stdin and output not taken', () => {
  const dir = scratch();
  const prog = compileC(dir, 'sockio', [
    '#include <sys/socket.h>',
    '#include <unistd.h>',
    'int main(void) {',
    '  char buf[64]; ssize_t n = recv(0, buf, sizeof buf, 0);',
    '  if (n > 0) send(1, buf, (size_t)n, 0);',
    '  return 0;',
    '}',
  ].join('\n'));
  const store = scratch('pc-store-');
  // spawnSync gives both as sockets (libuv's socketpair): the test depends on that
  const kinds = spawnSync('sh', ['-c', 'stat -L -c %F /proc/self/fd/0 /proc/self/fd/1'], { input: '', encoding: 'utf8' }).stdout;
  assert.is(kinds, 'socket\nsocket\n');
  const first = runMemo([prog], { cwd: dir, store, input: 'one\n' });
  const second = runMemo([prog], { cwd: dir, store, input: 'two\n' });
  assert.is(first.stdout, 'one\n');
  assert.is(second.stdout, 'two\n');
  assert.is(statusOf(second, 'sockio'), 'uncacheable');
});

test.run();
