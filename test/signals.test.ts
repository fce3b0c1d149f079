// Signals and cancellation: signals inside the command work as untraced (timeout(1) sends its
// group SIGCONT after the kill), the signals processcache receives reach the command, and neither
// a killed processcache nor a killed skipped process leaves anything running behind.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, runMemo, runTrace, scratch } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
// run through the sh launcher, as users start it: the pid signalled is the one they would signal
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
const unique = (): string => String(100000 + Math.floor(Math.random() * 800000));

/** Has the process ended (reaped, or a zombie: no cmdline)? It may end between two looks (ESRCH). */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`).length === 0;
  } catch {
    return true;
  }
}

/** Polls until check() holds; fails after the deadline (generous: the machine is shared). */
async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (check()) return;
  assert.unreachable(`timed out waiting until ${what}`);
}

interface Proc { pid: number; state: string; syscall: string; argv: string[] }

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      let syscall = '';
      try { syscall = readFileSync(`/proc/${name}/syscall`, 'utf8').split(' ')[0]!; } catch { /* not ours to read */ }
      out.push({ pid: Number(name), state: stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3), syscall, argv });
    } catch { /* gone meanwhile */ }
  }
  return out;
}

/** Live processes whose command line mentions mark (a zombie's is empty). */
const marked = (mark: string): Proc[] => processes().filter((p) => p.argv.some((a) => a.includes(mark)));

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
}

test('timeout(1) inside the command ends it and exits 124, traced and memoized', () => {
  const t = runTrace(['sh', '-c', 'timeout 0.2 sleep 30'], { timeout: 25_000 });
  assert.is(t.status, 124, 'trace: timeout must not hang on the SIGCONT it sends its group');
  const store = scratch('pc-store-');
  for (let i = 0; i < 2; i++) {
    const r = runMemo(['sh', '-c', 'timeout 0.2 sleep 30'], { store, timeout: 25_000 });
    assert.is(r.status, 124, `run ${i + 1}`);
  }
});

test('a timeout that ran out is not replayed to a run that would finish in time; one that did not run out is reused', () => {
  const store = scratch('pc-store-');
  const dir = scratch();
  // the delay is declared no input (--ignore-env): only timing tells the two runs apart
  const command = ['sh', '-c', 'timeout 0.5 sh -c "sleep $DELAY; echo finished"; echo "status $?"'];
  const run = (delay: string): ReturnType<typeof runMemo> =>
    runMemo(command, { cwd: dir, store, args: ['--ignore-env', 'DELAY'], env: { ...process.env, DELAY: delay }, timeout: 25_000 });
  const late = run('20');
  assert.is(late.stdout, 'status 124\n');
  const timeout = late.stats.executions.find((e) => e.argv[0] === 'timeout');
  assert.match(timeout?.reason ?? '', /^timer: /, JSON.stringify(late.stats.executions));
  assert.is(run('0').stdout, 'finished\nstatus 0\n', 'the timed-out run was replayed');
  const quick = [0, 1].map(() => runMemo(['timeout', '20', 'sh', '-c', 'echo quick'], { cwd: dir, store, timeout: 25_000 }));
  assert.is(quick[1]!.stdout, 'quick\n');
  assert.is(quick[1]!.stats.executions[0]!.status, 'hit', JSON.stringify(quick[0]!.stats.executions));
});

test("O_ASYNC's SIGIO is timing: the program that took it is not recorded", () => {
  const dir = scratch();
  writeFileSync(join(dir, 'sigio.py'), [
    'import os, fcntl, signal, time',
    'got = []',
    'signal.signal(signal.SIGIO, lambda *a: got.append(1))',
    'r, w = os.pipe()',
    'fcntl.fcntl(r, fcntl.F_SETOWN, os.getpid())',
    'fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_ASYNC)',
    'os.write(w, b"x")',
    'time.sleep(0.1)',
    'print("sigio" if got else "none")',
  ].join('\n'));
  const r = runMemo(['python3', 'sigio.py'], { cwd: dir, store: scratch('pc-store-'), timeout: 25_000 });
  assert.is(r.stdout, 'sigio\n');
  // (python3 may be a shim whose bash runs the interpreter)
  assert.ok(r.stats.executions.some((e) => e.argv.includes('sigio.py') && /^timer: an I\/O readiness/.test(e.reason ?? '')), JSON.stringify(r.stats.executions));
});

test('kill 0 inside a group of its own stays inside the command: reused whole, and its sender is never replayed alone', () => {
  const store = scratch('pc-store-');
  const dir = scratch();
  writeFileSync(join(dir, 'in'), '1\n');
  // the sender ignores the signal it sends its group; a replay of it alone would send none, and
  // its parent, running again for a new input, would neither trap it nor stop waiting early
  const script = 'trap "echo term" TERM; sleep 20 & sh -c "trap \'\' TERM; kill 0"; wait; echo done; cat in';
  const command = ['setsid', '-w', 'sh', '-c', script];
  const untraced = (): string => spawnSync(command[0]!, command.slice(1), { cwd: dir, encoding: 'utf8', timeout: 25_000 }).stdout;
  const first = runMemo(command, { cwd: dir, store, timeout: 25_000 });
  assert.is(first.stdout, untraced());
  const sender = first.stats.executions.find((e) => e.argv[2]?.startsWith("trap ''"));
  assert.match(sender?.reason ?? '', /sends SIGTERM to a process outside its subtree/, JSON.stringify(first.stats.executions));
  writeFileSync(join(dir, 'in'), '2\n');
  const changed = runMemo(command, { cwd: dir, store, timeout: 25_000 });
  assert.is(changed.stdout, untraced(), 'the sender was replayed without its kill');
  const again = runMemo(command, { cwd: dir, store, timeout: 25_000 });
  assert.is(again.stdout, 'term\ndone\n2\n');
  assert.is(again.stats.executions[0]!.status, 'hit', JSON.stringify(changed.stats.executions));
});

test('a signal whose sender ended before it was taken is still the command\'s own', () => {
  const store = scratch('pc-store-');
  const dir = scratch();
  // blocked until the sender has ended and been reaped: its pid names no live process then
  writeFileSync(join(dir, 'late.py'), [
    'import signal, subprocess',
    'signal.signal(signal.SIGUSR1, lambda *a: print("usr1", flush=True))',
    'signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})',
    'subprocess.run(["sh", "-c", "kill -USR1 $PPID"])',
    'signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})',
    'print("after", flush=True)',
  ].join('\n'));
  const runs = [0, 1].map(() => runMemo(['python3', 'late.py'], { cwd: dir, store, timeout: 25_000 }));
  for (const r of runs) assert.is(r.stdout, 'usr1\nafter\n');
  assert.is(runs[1]!.stats.executions[0]!.status, 'hit', JSON.stringify(runs[1]!.stats.executions.filter((e) => e.status !== 'hit').map((e) => [e.argv.slice(0, 3), e.status, e.reason])));
});

test('a process stopped and continued inside the command runs on', () => {
  const t = runTrace(['sh', '-c', 'sleep 0.5 & p=$!; kill -STOP $p; kill -CONT $p; wait $p; echo $?; kill -CONT $$; echo on'], { timeout: 25_000 });
  assert.is(t.status, 0);
  assert.is(t.stdout, '0\non\n');
});

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  test(`${sig} to processcache reaches the command, whose status it returns`, async () => {
    const dir = scratch();
    const mark = unique();
    const script = `trap 'echo ${sig} > got; kill $p; exit 3' ${sig.slice(3)}; sleep ${mark} & p=$!; wait`;
    const child = spawn(CLI, ['run', '--quiet', '--store', join(dir, 'store'), '--', 'sh', '-c', script], { cwd: dir, env: ENV, stdio: 'ignore' });
    const ended = exited(child);
    await until('the command runs its sleep', () => marked(mark).some((p) => p.argv[0] === 'sleep'));
    child.kill(sig);
    const how = await Promise.race([ended, sleep(20_000).then(() => null)]);
    assert.ok(how, `processcache did not end after ${sig}`);
    assert.equal(how, { code: 3, signal: null });
    assert.is(readFileSync(join(dir, 'got'), 'utf8'), `${sig}\n`);
    await until('nothing of the command is left', () => marked(mark).length === 0);
  });
}

test('a cancelled job whose trap exits 0 is not recorded: the next run does the work', async () => {
  const dir = scratch();
  const mark = unique();
  writeFileSync(join(dir, 'job.sh'), [
    "trap 'echo cancelled; exit 0' TERM",
    'echo start',
    `i=0; while [ $i -lt 200 ]; do sleep 0.05 0.000${mark}; i=$((i + 1)); done`,
    'echo finished > result.txt',
    'echo done',
  ].join('\n'));
  // both outputs made first: the directory the job stats is the same for both runs
  const outs = ['out1', 'out2'].map((name) => openSync(join(dir, name), 'w'));
  const run = (out: number): ChildProcess => spawn(CLI, ['run', '--quiet', '--store', join(dir, 'store'), '--', 'sh', 'job.sh'], { cwd: dir, env: ENV, stdio: ['ignore', out, out] });
  const cancelled = run(outs[0]!);
  const ended = exited(cancelled);
  await until('the job sleeps', () => marked(mark).some((p) => p.argv[0] === 'sleep'));
  cancelled.kill('SIGTERM');
  assert.equal(await ended, { code: 0, signal: null });
  assert.is(readFileSync(join(dir, 'out1'), 'utf8'), 'start\ncancelled\n');
  const second = await exited(run(outs[1]!));
  for (const fd of outs) closeSync(fd);
  assert.equal(second, { code: 0, signal: null });
  assert.is(readFileSync(join(dir, 'out2'), 'utf8'), 'start\ndone\n', 'the cancelled run was replayed');
  assert.is(readFileSync(join(dir, 'result.txt'), 'utf8'), 'finished\n');
});

test('a signal from outside that its receiver ignores changes nothing: SIGURG to a sleep', async () => {
  const dir = scratch();
  const mark = unique();
  const run = (): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => exited(spawn(CLI, ['run', '--quiet', '--store', join(dir, 'store'), '--stats-json', join(dir, 'stats.json'), '--', 'sh', '-c', `sleep 0.6 0.000${mark}; echo ok`], { cwd: dir, env: ENV, stdio: 'ignore' }));
  const first = run();
  await until('the command sleeps', () => marked(mark).some((p) => p.argv[0] === 'sleep'));
  for (const p of marked(mark)) if (p.argv[0] === 'sleep') process.kill(p.pid, 'SIGURG');
  assert.equal(await first, { code: 0, signal: null });
  const stats = JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8')) as { executions: { status: string; reason?: string }[] };
  assert.ok(stats.executions.every((e) => !(e.reason ?? '').includes('received')), JSON.stringify(stats.executions));
  assert.equal(await run(), { code: 0, signal: null });
  const again = JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8')) as { executions: { status: string }[] };
  assert.is(again.executions[0]!.status, 'hit');
});

test('a child killed by SIGKILL from outside (the OOM killer, kill -9) makes no entry: the next run does not replay its failure', async () => {
  const dir = scratch();
  const mark = unique();
  const script = `sleep 1.5 0.000${mark}; echo "rc=$?"`;
  const outs = ['out1', 'out2'].map((name) => openSync(join(dir, name), 'w'));
  const run = (out: number): ChildProcess => spawn(CLI, ['run', '--quiet', '--store', join(dir, 'store'), '--', 'sh', '-c', script], { cwd: dir, env: ENV, stdio: ['ignore', out, out] });
  const first = exited(run(outs[0]!));
  await until('the command sleeps', () => marked(mark).some((p) => p.argv[0] === 'sleep'));
  for (const p of marked(mark)) if (p.argv[0] === 'sleep') process.kill(p.pid, 'SIGKILL');
  assert.equal(await first, { code: 0, signal: null });
  await exited(run(outs[1]!));
  for (const fd of outs) closeSync(fd);
  assert.match(readFileSync(join(dir, 'out1'), 'utf8'), /rc=137/);
  assert.is(readFileSync(join(dir, 'out2'), 'utf8'), 'rc=0\n', 'the killed run was replayed');
});

test('an attribute changed from outside while the command ran (a taskset of its shell) is not keyed as it was at the start', async () => {
  const dir = scratch();
  const mark = unique();
  const script = `sleep 1.2 0.000${mark}; nproc`;
  const outs = ['out1', 'out2'].map((name) => openSync(join(dir, name), 'w'));
  const run = (out: number): ChildProcess => spawn(CLI, ['run', '--quiet', '--store', join(dir, 'store'), '--', 'sh', '-c', script], { cwd: dir, env: ENV, stdio: ['ignore', out, out] });
  const first = exited(run(outs[0]!));
  await until('the command sleeps', () => marked(mark).some((p) => p.argv[0] === 'sleep'));
  const shell = marked(mark).find((p) => p.argv[0] === 'sh');
  assert.ok(shell, 'the command shell');
  assert.is(spawnSync('taskset', ['-p', '1', String(shell.pid)]).status, 0);
  await first;
  await exited(run(outs[1]!));
  for (const fd of outs) closeSync(fd);
  assert.is(readFileSync(join(dir, 'out1'), 'utf8'), '1\n');
  assert.is(readFileSync(join(dir, 'out2'), 'utf8'), spawnSync('nproc', { encoding: 'utf8' }).stdout, 'the changed affinity was replayed');
});

test('signals inside the command are its own: a script that kills its own background job is reused', () => {
  const store = scratch('pc-store-');
  const dir = scratch();
  const script = 'sleep 30 & p=$!; kill $p; wait $p; echo "status $?"';
  const runs = [0, 1].map(() => runMemo(['sh', '-c', script], { cwd: dir, store, timeout: 25_000 }));
  for (const r of runs) assert.is(r.stdout, 'status 143\n');
  assert.is(runs[1]!.stats.executions[0]!.status, 'hit', JSON.stringify(runs[1]!.stats.executions.filter((e) => e.status !== 'hit').map((e) => [e.argv.slice(0, 3), e.status, e.reason])));
});

test("asking whether its own ended job lives (kill -0) stays inside the command: the script is reused", () => {
  const store = scratch('pc-store-');
  const dir = scratch();
  const script = 'sleep 0.1 & p=$!; while kill -0 $p 2>/dev/null; do sleep 0.05; done; echo gone';
  const runs = [0, 1].map(() => runMemo(['sh', '-c', script], { cwd: dir, store, timeout: 25_000 }));
  for (const r of runs) assert.is(r.stdout, 'gone\n');
  assert.is(runs[1]!.stats.executions[0]!.status, 'hit', JSON.stringify(runs[1]!.stats.executions.filter((e) => e.status !== 'hit').map((e) => [e.argv.slice(0, 3), e.status, e.reason])));
});

test('a command killed by the SIGTERM passed on gives 128+15, and what it left running gets it too', async () => {
  const dir = scratch();
  const mark = unique();
  const child = spawn(CLI, ['run', '--quiet', '--store', join(dir, 'store'), '--', 'sh', '-c', `kill -CONT $$; sleep ${mark}; echo never`], { cwd: dir, env: ENV, stdio: 'ignore' });
  const ended = exited(child);
  await until('the command runs its sleep', () => marked(mark).some((p) => p.argv[0] === 'sleep'));
  child.kill('SIGTERM');
  const how = await Promise.race([ended, sleep(20_000).then(() => null)]);
  assert.ok(how, 'processcache did not end after SIGTERM');
  assert.equal(how, { code: 128 + 15, signal: null });
  await until('nothing of the command is left', () => marked(mark).length === 0);
});

test('processcache killed with SIGKILL leaves no traced process behind', async () => {
  const dir = scratch();
  const mark = unique();
  // the shell ignores SIGTERM, as a job would that the CI's grace period does not stop
  const child = spawn(CLI, ['run', '--quiet', '--store', join(dir, 'store'), '--', 'sh', '-c', `trap '' TERM; sleep ${mark}; echo after`], { cwd: dir, env: ENV, stdio: 'ignore' });
  const ended = exited(child);
  await until('the command runs its sleep', () => marked(mark).some((p) => p.argv[0] === 'sleep'));
  child.kill('SIGKILL');
  await ended;
  await until('the tracer and the command are gone', () => marked(mark).length === 0);
});

const EXECVE = process.arch === 'arm64' ? '221' : '59';

test('a skipped process held while its output is replayed, killed, stops its replay', async () => {
  const dir = scratch();
  const data = join(dir, 'data');
  writeFileSync(data, 'x'.repeat(39_999) + '\n');
  utimesSync(data, new Date('2020-01-01'), new Date('2020-01-01'));
  const store = join(dir, 'store');
  // 60000 bytes fill most of the pipe: the replay of head's 40000 must wait for the reader,
  // which reads only once `go` exists (and runs no program meanwhile: a program's exec stops
  // briefly where a held process stays)
  const reader = 'import os, sys, time\nwhile not os.path.exists("go"): time.sleep(0.05)\nopen("count", "w").write(str(len(sys.stdin.buffer.read())))';
  const script = `{ printf "%60000s" ""; head -c 40000 data; } | python3 -c '${reader}'`;
  const argv = ['run', '--quiet', '--min-duration-ms', '0', '--store', store, '--', 'sh', '-c', script];
  for (let i = 0; i < 2; i++) {
    const child = spawn(CLI, argv, { cwd: dir, env: ENV, stdio: 'ignore' });
    const ended = exited(child);
    if (i === 1) {
      // the skipped head: still the subshell's fork (its exec never ran), stopped at execve
      const atExec = (): number[] => marked(script).filter((p) => p.state === 't' && p.syscall === EXECVE).map((p) => p.pid);
      let held: number | undefined;
      await until('head is held at its exec', () => {
        const before = atExec();
        if (before.length === 0) return false;
        spawnSync('sleep', ['0.3']);
        held = atExec().find((pid) => before.includes(pid));
        return held !== undefined;
      });
      process.kill(held!, 'SIGKILL');
      await until('the held process is gone', () => gone(held!));
    } else {
      await until('the reader waits', () => processes().some((p) => p.argv[0] === 'python3' && p.argv.includes(reader)));
    }
    writeFileSync(join(dir, 'go'), '');
    const how = await Promise.race([ended, sleep(30_000).then(() => null)]);
    assert.ok(how, `run ${i + 1} did not end`);
    const count = Number(readFileSync(join(dir, 'count'), 'utf8'));
    if (i === 0) assert.is(count, 100_000);
    else assert.ok(count < 100_000, `the killed process's replay went on writing: ${count} bytes`);
    rmSync(join(dir, 'go'));
  }
});

test.run();
