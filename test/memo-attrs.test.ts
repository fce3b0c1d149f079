// What a process inherits besides its arguments and environment (limits, credentials, signals,
// affinity, hostname, namespaces, open fds): a cached run must print what an untraced one would.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, runMemo, scratch, statusOf, type MemoRun, type RunOptions } from './helpers.js';

const PY = '/usr/bin/python3';

function setup(): { dir: string; store: string } {
  const dir = scratch();
  chmodSync(dir, 0o755); // readable by the unprivileged user of the setpriv test
  writeFileSync(`${dir}/in.txt`, 'hello\n');
  return { dir, store: scratch('pc-store-') };
}

/** Every execution recorded, however short: the programs here take a few ms. */
function memo(command: string[], o: RunOptions & { store: string }): MemoRun {
  const r = runMemo(command, { ...o, args: ['--min-duration-ms', '0'] });
  assert.is(r.status, 0, r.stderr);
  return r;
}

const rowsOf = (r: MemoRun, name: string) => r.stats.executions.filter((e) => e.exe.endsWith(`/${name}`));

test('resource limits: after ulimit -n 100 a program sees the new limits, not a replay of the old', () => {
  const { dir, store } = setup();
  const py = `${PY} -c 'import resource; print(resource.getrlimit(resource.RLIMIT_NOFILE))'`;
  const before = memo(['sh', '-c', py], { cwd: dir, store });
  const limited = memo(['sh', '-c', `ulimit -n 100; ${py}`], { cwd: dir, store });
  assert.is.not(before.stdout, '(100, 100)\n');
  assert.is(limited.stdout, '(100, 100)\n');
  assert.is(statusOf(limited, 'python3'), 'miss');
  const again = memo(['sh', '-c', `ulimit -n 100; ${py}`], { cwd: dir, store });
  assert.is(again.stdout, '(100, 100)\n');
  assert.is(again.stats.reused, 1, 'the same limits hit');
});

test('credentials: a program run under other uids and gids is not replayed from root\'s run', () => {
  const { dir, store } = setup();
  const py = [PY, '-c', 'import os; print(os.getuid(), os.getgid(), os.getgroups())'];
  const root = memo(py, { cwd: dir, store });
  assert.match(root.stdout, /^0 0 /);
  const nobody = memo(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...py], { cwd: dir, store });
  assert.is(nobody.stdout, '65534 65534 []\n');
  assert.is(statusOf(nobody, 'python3'), 'miss');
});

test('signals: ignored and blocked signals survive an exec, and enter the fingerprint', () => {
  const { dir, store } = setup();
  const show = `${PY} -c 'import signal; print(int(signal.getsignal(signal.SIGHUP)))'`;  // 0: default, 1: ignored
  assert.is(memo(['sh', '-c', show], { cwd: dir, store }).stdout, '0\n');
  const ignored = memo(['sh', '-c', `trap '' HUP; ${show}`], { cwd: dir, store });
  assert.is(ignored.stdout, '1\n');
  const child = "import signal; print(sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])))";
  const parent = (block: boolean): string[] => [PY, '-c',
    `import signal, subprocess; ${block ? 'signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1]); ' : ''}subprocess.run(['${PY}', '-c', "${child}"])`];
  assert.is(memo(parent(false), { cwd: dir, store }).stdout, '[]\n');
  const blocked = memo(parent(true), { cwd: dir, store });
  assert.is(blocked.stdout, '[10]\n');
});

test('CPU affinity: nproc under taskset is not replayed from a run on every CPU; the entry holds the affinity', () => {
  const { dir, store } = setup();
  const untraced = spawnSync('taskset', ['-c', '0', 'nproc'], { encoding: 'utf8' }).stdout;
  if (spawnSync('nproc', { encoding: 'utf8' }).stdout === untraced) return; // one CPU: taskset -c 0 changes nothing
  const all = memo(['sh', '-c', 'nproc'], { cwd: dir, store });
  const one = memo(['taskset', '-c', '0', 'sh', '-c', 'nproc'], { cwd: dir, store });
  assert.is(one.stdout, untraced);
  assert.is(rowsOf(one, 'sh')[0]?.status, 'miss');
  assert.match(rowsOf(one, 'sh')[0]?.reason ?? '', /affinity: \S+ -> 0$/);
  assert.is(memo(['taskset', '-c', '0', 'sh', '-c', 'nproc'], { cwd: dir, store }).stats.reused, 1, 'the same affinity hits');
  const allAgain = memo(['sh', '-c', 'nproc'], { cwd: dir, store });
  assert.is(allAgain.stdout, all.stdout);
  assert.is(allAgain.stats.reused, 1, 'and so does the other');
  // a program that never asks is reused whatever the affinity
  memo([PY, '-c', 'print(1)'], { cwd: dir, store });
  assert.is(memo(['taskset', '-c', '0', PY, '-c', 'print(1)'], { cwd: dir, store }).stats.reused, 1);
  const explained = spawnSync(process.execPath, [CLI, 'explain', '--store', store, '--', 'sh', '-c', 'nproc'], { cwd: dir, encoding: 'utf8' });
  assert.match(explained.stdout, /affinity: it ran with \S+; explain runs nothing/);
});

test('hostname: sethostname is never skipped, and a process in another UTS namespace is looked up apart', () => {
  const { dir, store } = setup();
  // the same shell line outside: the inner `hostname` has the same arguments and environment
  assert.is(memo(['sh', '-c', 'true; hostname'], { cwd: dir, store }).stdout, `${hostname()}\n`);
  const inside = ['unshare', '-u', 'sh', '-c', 'hostname other; hostname'];
  // (the shell runs `hostname` by exec in both: dash's last command)
  for (const round of [1, 2]) {
    const r = memo(inside, { cwd: dir, store });
    assert.is(r.stdout, 'other\n', `round ${round}`);
    const setter = r.stats.executions.find((e) => e.argv.join(' ') === 'hostname other');
    assert.is(setter?.status, 'uncacheable');
    assert.is(setter?.reason, 'unmodelled-syscall:sethostname');
  }
});

test('hostname: uname is an observed attribute, compared with what the querying process would see', () => {
  const { dir, store } = setup();
  const nodename = [PY, '-c', 'import os; print(os.uname().nodename)'];
  assert.is(memo(nodename, { cwd: dir, store }).stdout, `${hostname()}\n`);
  // processcache itself inside the namespace: the tracer's own uname is the process's
  const stats = `${scratch('pc-stats-')}/stats.json`;
  const around = spawnSync('unshare', ['-u', 'sh', '-c', 'hostname other && exec "$@"', 'sh', process.execPath, CLI, 'run',
    '--store', store, '--stats-json', stats, '--quiet', '--min-duration-ms', '0', '--', ...nodename], { cwd: dir, encoding: 'utf8' });
  assert.is(around.stdout, 'other\n', around.stderr);
  const py = nodename.map((a) => `'${a}'`).join(' ');
  // within one namespace that is not the tracer's, looked up under one key: uname tells them apart
  const twice = memo(['unshare', '-u', 'sh', '-c', `hostname a; ${py}; sleep 0.2; hostname b; ${py}`], { cwd: dir, store });
  assert.is(twice.stdout, 'a\nb\n');
});

test('an inherited fd open for reading: its file is an input, read as of the exec', () => {
  const { dir, store } = setup();
  writeFileSync(`${dir}/r.py`, 'import os\nprint(os.read(3, 100).decode(), end="")\n');
  const cmd = ['sh', '-c', `exec 3< in.txt; ${PY} r.py`];
  assert.is(memo(cmd, { cwd: dir, store }).stdout, 'hello\n');
  assert.is(memo(cmd, { cwd: dir, store }).stats.reused, 1);
  writeFileSync(`${dir}/in.txt`, 'changed\n');
  const edited = memo(cmd, { cwd: dir, store });
  assert.is(edited.stdout, 'changed\n');
  assert.is(statusOf(edited, 'python3'), 'miss');
  // the offset is the program's starting point: one line read by the shell first
  writeFileSync(`${dir}/in.txt`, 'one\ntwo\n');
  assert.is(memo(['sh', '-c', `exec 3< in.txt; ${PY} r.py`], { cwd: dir, store }).stdout, 'one\ntwo\n');
  assert.is(memo(['sh', '-c', `exec 3< in.txt; read x <&3; ${PY} r.py`], { cwd: dir, store }).stdout, 'two\n');
});

test('an inherited fd open for reading: a replay leaves the shared offset where the program left it', () => {
  const { dir, store } = setup();
  writeFileSync(`${dir}/in.txt`, 'one\ntwo\n');
  writeFileSync(`${dir}/head.py`, 'import os, time\nprint(os.read(3, 4).decode(), end="")\ntime.sleep(0.01)\n');
  // the shell reads on from where head.py stopped: the two share the open file, and its offset
  // the root's argument differs each run: it runs, and head.py is looked up
  const cmd = (n: number): string[] => ['sh', '-c', `exec 3< in.txt; ${PY} head.py; echo ---; cat <&3; : ${n}`];
  const untraced = spawnSync('sh', cmd(0).slice(1), { cwd: dir, encoding: 'utf8' }).stdout;
  assert.is(untraced, 'one\n---\ntwo\n');
  assert.is(memo(cmd(1), { cwd: dir, store }).stdout, untraced);
  const replayed = memo(cmd(2), { cwd: dir, store });
  assert.is(statusOf(replayed, 'python3'), 'hit');
  assert.is(replayed.stdout, untraced);
});

test('an inherited offset the shell moves while a background job runs is not replayed as the job\'s (hunt 44)', () => {
  const { dir, store } = setup();
  writeFileSync(`${dir}/in.txt`, 'b\na\nc\n');
  writeFileSync(`${dir}/job.py`, 'import time\ntime.sleep(0.4)\n');
  // job.py never reads fd 3; the shell reads a line there while it sleeps. A replay that moved
  // the offset by that line at the job's exec made the shell's read skip it
  const cmd = (n: number): string[] => ['bash', '-c', `exec 3< in.txt; ${PY} job.py & sleep 0.1; read y <&3; wait; read z <&3; echo "$y $z"; : ${n}`];
  const untraced = spawnSync('bash', cmd(0).slice(1), { cwd: dir, encoding: 'utf8' }).stdout;
  assert.is(untraced, 'b a\n');
  for (const n of [1, 2, 3]) {
    const r = memo(cmd(n), { cwd: dir, store });
    assert.is(r.stdout, untraced, JSON.stringify(r.stats.executions.map((e) => [e.argv[0], e.status, e.reason])));
    assert.match(rowsOf(r, 'python3')[0]?.reason ?? '', /moved while another process that shares the open file read too/);
  }
  // the job a wrapper that execs its program (hunt 45): the second exec's hold kept the first's
  // count of the shell's reads, which the shell's read came after
  const wrapped = (n: number): string[] => ['bash', '-c', `exec 3< in.txt; sh -c "${PY} job.py; exec /bin/true" & sleep 0.1; read -u 3 y; wait; read -u 3 z; echo "$y $z"; : ${n}`];
  for (const n of [1, 2, 3]) {
    const r = memo(wrapped(n), { cwd: dir, store });
    assert.is(r.stdout, untraced, JSON.stringify(r.stats.executions.map((e) => [e.argv[0], e.status, e.reason])));
  }
});

test('a pwrite into an inherited fd open for writing changes neither offset nor size: it is still seen', () => {
  const { dir, store } = setup();
  // the root's argument differs each round: it runs, and python3 is looked up
  const cmd = (n: number): string[] => ['sh', '-c', `exec 5>X; echo hello >&5; ${PY} -c 'import os, time; os.pwrite(5, b"J", 0); time.sleep(0.01)'; cat X; : ${n}`];
  for (const round of [1, 2]) {
    const r = memo(cmd(round), { cwd: dir, store });
    assert.is(r.stdout, 'Jello\n', `round ${round}`);
    assert.is(rowsOf(r, 'python3')[0]?.status, 'uncacheable', `round ${round}`);
  }
});

test('an inherited fd open for writing is cacheable only if nothing was written there; a deleted file never', () => {
  const { dir, store } = setup();
  const cmd = ['sh', '-c', `exec 4>>log; ${PY} -c 'import os; os.write(4, b"x")'`];
  for (const round of [1, 2]) {
    const r = memo(cmd, { cwd: dir, store });
    assert.is(rowsOf(r, 'python3')[0]?.status, 'uncacheable', `round ${round}`);
    assert.match(rowsOf(r, 'python3')[0]?.reason ?? '', /^it inherits fd 4, open for writing on \/.*\/log, and wrote there .*: a replay would not$/);
  }
  assert.is(readFileSync(`${dir}/log`, 'utf8'), 'xx');
  // pwrite with O_APPEND grows the file and leaves the offset: the size tells
  const pwrite = ['sh', '-c', `exec 4>>log; ${PY} -c 'import os; os.pwrite(4, b"p", 0)'`];
  assert.is(rowsOf(memo(pwrite, { cwd: dir, store }), 'python3')[0]?.status, 'uncacheable');
  // configure's pattern: every test runs with `exec 5>>config.log` in force and writes nothing to fd 5
  const quiet = ['sh', '-c', `exec 5>>config.log; echo checking >&5; ${PY} -c 'print(1 + 1); import time; time.sleep(0.01)'; echo done >&5`];
  assert.is(rowsOf(memo(quiet, { cwd: dir, store }), 'python3')[0]?.status, 'miss');
  const again = memo(quiet, { cwd: dir, store });
  assert.is(rowsOf(again, 'python3')[0]?.status, 'hit', 'a process that left the log alone is replayed');
  assert.is(again.stdout, '2\n');
  assert.is(readFileSync(`${dir}/config.log`, 'utf8'), 'checking\ndone\nchecking\ndone\n');
  writeFileSync(`${dir}/r.py`, 'import os\nprint(os.read(3, 100).decode(), end="")\n');
  const deleted = memo(['sh', '-c', `exec 3< in.txt; rm in.txt; ${PY} r.py`], { cwd: dir, store });
  assert.is(deleted.stdout, 'hello\n');
  assert.match(rowsOf(deleted, 'python3')[0]?.reason ?? '', /open on a deleted file/);
});

test('make\'s jobserver pipe is not data: a recursive make line stays cacheable', () => {
  const { dir, store } = setup();
  // '+' marks a line as recursive: make hands it the jobserver's fds (--jobserver-auth in MAKEFLAGS)
  writeFileSync(`${dir}/Makefile`, `all:\n\t+${PY} -c 'import os; print(sorted(int(f) for f in os.listdir("/proc/self/fd") if int(f) > 2)[:2])'\n`);
  const r = memo(['make', '-s', '-j2'], { cwd: dir, store });
  assert.match(r.stdout, /^\[\d+, \d+\]\n$/, 'the jobserver fds were inherited');
  assert.is(rowsOf(r, 'python3')[0]?.status, 'miss', JSON.stringify(rowsOf(r, 'python3')));
});

test('an inherited pipe is not captured: uncacheable, unless a jobserver variable names it (cargo\'s too)', () => {
  const { dir, store } = setup();
  const parent = (announce: boolean): string[] => [PY, '-c', [
    'import os, subprocess',
    'r, w = os.pipe()',
    `env = dict(os.environ, CARGO_MAKEFLAGS=f'-j --jobserver-fds={r},{w} --jobserver-auth={r},{w}') if ${announce ? 'True' : 'False'} else os.environ`,
    `subprocess.run(['${PY}', '-c', 'print(1)'], pass_fds=(r, w), env=env)`,
  ].join('\n')];
  const plain = memo(parent(false), { cwd: dir, store });
  const child = plain.stats.executions[1];
  assert.is(child?.status, 'uncacheable');
  assert.match(child?.reason ?? '', /^it inherits fd \d+ \(pipe:\[\d+\]\), a pipe: what passes through it is not captured$/);
  const cargo = memo(parent(true), { cwd: dir, store });
  assert.is(cargo.stats.executions[1]?.status, 'miss', cargo.stats.executions[1]?.reason);
});

test.run();
