// Output into a stream that is a regular file (issue 10, item 8): the tracer takes each write there
// at its entry, all the bytes it asks for, without the exit stop; the recording checks that the
// file's offset moved by exactly what was taken, so a write that failed or was short is never
// replayed whole.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileC, runMemo, scratch } from './helpers.js';
import { spawnSync } from 'node:child_process';

const PY = '/usr/bin/python3';

function untraced(script: string, dir: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('bash', ['--norc', '-c', script], { cwd: dir, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Runs body with a 2 MiB tmpfs mounted at DIR/disk (a disk that fills up), unmounted after. */
function withSmallDisk(body: (dir: string, disk: string) => void): void {
  if (process.getuid?.() !== 0) throw new Error('this test mounts a small tmpfs and needs root');
  const dir = scratch();
  const disk = join(dir, 'disk');
  spawnSync('mkdir', [disk]);
  // more than the 1 MiB below which nothing written there is recorded
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk], { encoding: 'utf8' });
  assert.is(mounted.status, 0, mounted.stderr);
  try {
    body(dir, disk);
  } finally {
    spawnSync('umount', [disk]);
  }
}

test('writes and writev into a file stream, fds 1 and 2 on one file, are replayed as written', () => {
  const dir = scratch();
  const plain = scratch();
  const store = scratch('pc-store-');
  const prog = 'import os, sys\nfor i in range(300):\n    os.write(1, b"out %d\\n" % i)\n    os.writev(2, [b"err ", b"%d" % i, b"\\n"])\nprint("done", flush=True)';
  const script = `${PY} -c '${prog}' > log 2>&1; ${PY} -c '${prog}' > out 2> err; cat log out err | sha256sum`;
  const expected = untraced(script, plain);
  const runs = [1, 2].map(() => runMemo(['bash', '--norc', '-c', script], { cwd: dir, store }));
  for (const [i, r] of runs.entries()) {
    assert.is(r.stdout, expected.stdout, `run ${i + 1}`);
    for (const f of ['log', 'out', 'err']) assert.is(readFileSync(join(dir, f), 'utf8'), readFileSync(join(plain, f), 'utf8'), `${f}, run ${i + 1}`);
  }
  const pythons = runs[1]!.stats.executions.filter((e) => e.argv[0] === PY);
  // the script is one hit whole on the second run, or each python is
  assert.ok(runs[1]!.stats.reused > 0 && pythons.every((e) => e.status === 'hit'), JSON.stringify(runs[1]!.stats.executions));
});

test('a short write into a file stream (ulimit -f) is caught by the offset: never replayed whole', () => {
  const dir = scratch();
  const plain = scratch();
  const store = scratch('pc-store-');
  // 1 KiB blocks: a write of 3000 bytes writes 1024, and says so
  const prog = 'import os, signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); n = os.write(1, b"a" * 3000); os.write(2, b"%d\\n" % n)';
  const script = `ulimit -f 1; ${PY} -c '${prog}' > out`;
  const expected = untraced(script, plain);
  assert.is(expected.stderr, '1024\n');
  for (let i = 0; i < 2; i++) {
    const r = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
    assert.is(r.stderr, expected.stderr, `run ${i + 1}`);
    assert.is(readFileSync(join(dir, 'out')).length, 1024, `run ${i + 1}: the file holds what the write wrote`);
    const py = r.stats.executions.find((e) => e.argv[0] === PY)!;
    // flagged at the write, which goes past the limit (hunt 22); the offset would catch it too
    assert.match(py.status + (py.reason ?? ''), /stdout-limited/, JSON.stringify(r.stats.executions));
  }
});

test('appends into a file stream (>>) add up from the file\'s size, and are reused where the file is as long', () => {
  const dir = scratch();
  const plain = scratch();
  const store = scratch('pc-store-');
  for (const d of [dir, plain]) spawnSync('bash', ['-c', 'printf "a\\nb\\n" > a.h'], { cwd: d });
  // the first cat's offset starts at 0 and jumps to the end at its first write: counted from the size
  const script = 'cat a.h >> log; cat >> log <<EOF\nhere\nEOF\ncat bump';
  for (let i = 0; i < 2; i++) {
    for (const d of [dir, plain]) spawnSync('bash', ['-c', `echo ${i} > bump; echo start > log`], { cwd: d });
    const expected = untraced(script, plain);
    const r = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
    assert.is(r.stdout, expected.stdout, `run ${i + 1}`);
    assert.is(readFileSync(join(dir, 'log'), 'utf8'), readFileSync(join(plain, 'log'), 'utf8'), `run ${i + 1}`);
    const appenders = r.stats.executions.filter((e) => e.argv[0] === 'cat' && e.argv[1] !== 'bump');
    if (i === 1) assert.ok(appenders.length === 2 && appenders.every((e) => e.status === 'hit'), JSON.stringify(r.stats.executions));
  }
});

/** A write from an unreadable buffer (EFAULT: nothing written), then a wait while a sibling writes. */
const EFAULT = `#include <time.h>
#include <unistd.h>
int main(void) { ssize_t r = write(1, (void *)1, 4); struct timespec t = { 0, 300000000 }; nanosleep(&t, 0); return r < 0 ? 0 : 1; }
`;

test('where its output lands in a file stream is an input: a program that prints its stdout\'s size is not replayed stale (hunt 7)', () => {
  const dir = scratch();
  const plain = scratch();
  const store = scratch('pc-store-');
  for (const d of [dir, plain]) spawnSync('bash', ['-c', 'echo start > log'], { cwd: d });
  const script = `${PY} -c 'import os; print(os.fstat(1).st_size)' >> log; cat ver > /dev/null`;
  for (let i = 0; i < 3; i++) {
    for (const d of [dir, plain]) spawnSync('bash', ['-c', `echo ${i} > ver`], { cwd: d });
    untraced(script, plain);
    runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
    assert.is(readFileSync(join(dir, 'log'), 'utf8'), readFileSync(join(plain, 'log'), 'utf8'), `run ${i + 1}`);
  }
});

test('a failed write whose bytes a sibling\'s write makes up for in the offset is caught by reading the file back (hunt 7)', () => {
  const dir = scratch();
  const plain = scratch();
  const store = scratch('pc-store-');
  for (const d of [dir, plain]) compileC(d, 'efault', EFAULT);
  const script = 'cat ver > /dev/null; { ( sleep 0.1; echo sib ) & ./efault; wait; echo end; } > out';
  for (let i = 0; i < 3; i++) {
    for (const d of [dir, plain]) spawnSync('bash', ['-c', `echo ${i} > ver`], { cwd: d });
    untraced(script, plain);
    const r = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
    assert.is(readFileSync(join(dir, 'out'), 'utf8'), readFileSync(join(plain, 'out'), 'utf8'), `run ${i + 1}`);
    assert.not.ok(r.stats.executions.some((e) => e.exe.endsWith('/efault') && e.status === 'hit'), JSON.stringify(r.stats.executions));
  }
});

test('a failed write whose bytes a sibling writes, the same bytes, is never recorded (hunt 8)', () => {
  const dir = scratch();
  const plain = scratch();
  const store = scratch('pc-store-');
  const failing = `${PY} -c 'import ctypes, time; time.sleep(0.2); ctypes.CDLL(None).write(1, ctypes.c_void_p(1), 5)'`;
  const script = `cat ver > /dev/null; { ${failing} & ${PY} -c 'import os, time; time.sleep(0.05); os.write(1, bytes(5))'; wait; } > out`;
  for (let i = 0; i < 3; i++) {
    for (const d of [dir, plain]) spawnSync('bash', ['-c', `echo ${i} > ver`], { cwd: d });
    untraced(script, plain);
    runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
    assert.is(readFileSync(join(dir, 'out')).length, readFileSync(join(plain, 'out')).length, `run ${i + 1}`);
  }
});

test('no write, an empty write, an O_APPEND file never written, an exec into another file: no refusal for output that is not there (hunt 7)', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  spawnSync('bash', ['-c', 'echo existing > log; echo in > in'], { cwd: dir });
  const script = `cat ver > /dev/null; cat /dev/null >> log; ${PY} -c 'import os; os.write(1, b""); print("x")' > empty; bash --norc -c 'exec > log2; echo hi; exec /bin/true' > o`;
  let last: ReturnType<typeof runMemo> | null = null;
  for (let i = 0; i < 2; i++) {
    spawnSync('bash', ['-c', `echo ${i} > ver`], { cwd: dir });
    last = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
  }
  const refused = last!.stats.executions.filter((e) => /output into fd/.test(e.reason ?? ''));
  assert.equal(refused, [], JSON.stringify(last!.stats.executions));
  assert.ok(last!.stats.executions.some((e) => e.argv[0] === PY && e.status === 'hit'), JSON.stringify(last!.stats.executions));
  assert.is(readFileSync(join(dir, 'empty'), 'utf8'), 'x\n');
});

/** processcache run with its stdout and stderr appended to dir/outer.log, as in `cmd >> build.log 2>&1`. */
function runIntoLog(command: string[], dir: string, store: string): ReturnType<typeof runMemo> {
  return runMemo(['bash', '--norc', '-c', `exec "$@" >> outer.log 2>&1`, 'wrap', ...command], { cwd: dir, store });
}

test('a process that never looks where its output starts is reused into a log that grew; one that looks is keyed on it', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  spawnSync('bash', ['-c', 'printf "b\\na\\n" > in'], { cwd: dir });
  // sort fstat's its own file (glibc's stdio), not the log, which the script inherits; dash's echo
  // writes into the log without a look; cat fstat's its stdout (is it its input?), so does python
  const script = `sort in > sorted; dash -c 'echo from dash'; cat in; ${PY} -c 'import os; os.write(2, b"%d\\n" % os.fstat(1).st_size)'`;
  const runs = [1, 2].map((i) => {
    writeFileSync(join(dir, 'outer.log'), 'x'.repeat(i * 10));
    return runIntoLog(['bash', '--norc', '-c', script], dir, store);
  });
  const rows = runs[1]!.stats.executions;
  const of = (name: string) => rows.find((e) => e.argv[0] === name || e.argv[0] === `/usr/bin/${name}`);
  assert.is(of('sort')?.status, 'hit', JSON.stringify(rows));
  assert.is(of('dash')?.status, 'hit', JSON.stringify(rows));
  for (const name of ['cat', 'python3']) {
    assert.is(of(name)?.status, 'miss', JSON.stringify(rows));
    assert.match(of(name)?.reason ?? '', /where its output starts in its (stdout|stderr) file \(a program there looked: fstat or lseek\): \d+ -> \d+/);
  }
  // 20 bytes of x, dash's line and cat's two: python saw 34
  assert.match(readFileSync(join(dir, 'outer.log'), 'utf8'), /^x{20}from dash\nb\na\n34\n/);
});

/** fstat of a copy of fd 1 on a saved fd, and a raw write there: no stdio, no look at fd 1 itself. */
const SAVED_FSTAT = `#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void) { struct stat st; char b[32]; if (dup2(1, 12) < 0 || fstat(12, &st) < 0) return 1;
  int n = snprintf(b, sizeof b, "%lld\\n", (long long)st.st_size); return write(12, b, (size_t)n) == n ? 0 : 1; }
`;

test('fstat through a saved copy of fd 1 is a look where its output starts too', () => {
  const dir = scratch();
  const plain = scratch();
  const store = scratch('pc-store-');
  for (const d of [dir, plain]) compileC(d, 'saved', SAVED_FSTAT);
  for (let i = 0; i < 3; i++) {
    for (const d of [dir, plain]) spawnSync('bash', ['-c', `echo ${i} > ver; printf %${i + 1}s > log`], { cwd: d });
    const script = 'cat ver > /dev/null; ./saved >> log';
    untraced(script, plain);
    runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
    assert.is(readFileSync(join(dir, 'log'), 'utf8'), readFileSync(join(plain, 'log'), 'utf8'), `run ${i + 1}`);
  }
});

test('ftruncate of a file stream is a change no replay makes: never recorded', () => {
  const dir = scratch();
  const plain = scratch();
  const store = scratch('pc-store-');
  const script = `cat ver > /dev/null; ${PY} -c 'import os; os.ftruncate(1, 2); os.write(1, b"x")' >> log`;
  for (let i = 0; i < 2; i++) {
    for (const d of [dir, plain]) spawnSync('bash', ['-c', `echo ${i} > ver; echo start > log`], { cwd: d });
    untraced(script, plain);
    const r = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
    assert.is(readFileSync(join(dir, 'log'), 'utf8'), readFileSync(join(plain, 'log'), 'utf8'), `run ${i + 1}`);
    const py = r.stats.executions.find((e) => e.argv[0] === PY)!;
    assert.match(`${py.status} ${py.reason ?? ''}`, /uncacheable .*truncates or extends its stdout or stderr file with ftruncate/, JSON.stringify(r.stats.executions));
  }
});

test('make -j2 into one log: jobs whose lines interleave are recorded (each write is where it went) and reused', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  // both jobs print a line every 10 ms: their writes interleave in the log
  writeFileSync(join(dir, 'p.py'), 'import sys, time\nfor i in range(20):\n    print(sys.argv[1], i, flush=True)\n    time.sleep(0.01)\n');
  writeFileSync(join(dir, 'Makefile'), `all: a b\na:\n\t@${PY} p.py a\nb:\n\t@${PY} p.py b\n.PHONY: all a b\n`);
  const env = { ...process.env };
  delete env.PYTHONUNBUFFERED; // one write per line
  const expected = ['a', 'b'].flatMap((j) => Array.from({ length: 20 }, (_, i) => `${j} ${i}`)).sort();
  const runs = [1, 2].map((i) => {
    writeFileSync(join(dir, 'ver'), `${i}\n`);
    const r = runMemo(['sh', '-c', 'cat ver > /dev/null; make -j2 > log 2>&1'], { cwd: dir, store, env });
    assert.equal(readFileSync(join(dir, 'log'), 'utf8').trim().split('\n').sort(), expected, `run ${i}`);
    return r;
  });
  const first = runs[0]!.stats.executions;
  assert.not.ok(first.some((e) => /output into fd/.test(e.reason ?? '')), JSON.stringify(first));
  const make = runs[1]!.stats.executions.find((e) => e.argv[0] === 'make');
  assert.is(make?.status, 'hit', JSON.stringify(runs[1]!.stats.executions));
});

/** Writes argv[2] lines "argv[1] i" into fd 1, one write each, as fast as it can. */
const LINES = `#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
  char b[64];
  for (int i = 0, n; i < atoi(argv[2]); i++)
    if ((n = snprintf(b, sizeof b, "%s %d\\n", argv[1], i)), write(1, b, n) != n) return 1;
  return 0;
}
`;

test('two processes taking turns writing into one file: neither is refused because its consecutive writes were merged', () => {
  // a write's position is taken at its entry; the other process's write, taken earlier, can land
  // first, between two of this one's writes: merged into one chunk, they were not found together
  // (4 of 4 runs refused before)
  const dir = scratch();
  const store = scratch('pc-store-');
  compileC(dir, 'lines', LINES);
  let last = '';
  for (let i = 1; i <= 4; i++) {
    const n = 3000 + Math.min(i, 3); // run 4 is run 3 again
    writeFileSync(join(dir, 'ver'), `${n}\n`);
    const r = runMemo(['sh', '-c', `cat ver > /dev/null; { ./lines a ${n} & ./lines b ${n}; wait; } > log`], { cwd: dir, store });
    const log = readFileSync(join(dir, 'log'), 'utf8');
    assert.is(log.trim().split('\n').length, 2 * n, `run ${i}`);
    if (i === 4) {
      assert.is(r.stats.executions[0]?.status, 'hit', JSON.stringify(r.stats.executions));
      assert.is(log, last);
      break;
    }
    const refused = r.stats.executions.filter((e) => /output into fd/.test(e.reason ?? ''));
    assert.equal(refused, [], `run ${i}`);
    assert.equal(r.stats.executions.filter((e) => e.argv[0] === './lines').map((e) => e.status), ['miss', 'miss'], `run ${i}`);
    last = log;
  }
});

test('hunt 22: a write the file size limit fails, while a sibling writes the same bytes there, is never replayed', () => {
  // Python ignores SIGXFSZ: its write gets EFBIG; the sibling's "X" lands where Python's would
  // have, so the offset and the file both look as if Python had written it
  const dir = scratch();
  const plain = scratch();
  const store = scratch('pc-store-');
  const py = 'import os, time\ntry: os.write(1, b"X\\n")\nexcept OSError as e: os.write(2, b"py: %d\\n" % e.errno)\ntime.sleep(0.6)';
  const script = `exec > log; printf "%02000d\\n" 0; ( ulimit -f 1; exec ${PY} -c '${py}' ) & sh -c "sleep 0.2; exec /bin/echo X"; wait; cat in`;
  for (let i = 1; i <= 2; i++) {
    for (const d of [dir, plain]) writeFileSync(join(d, 'in'), `r${i}\n`);
    const expected = untraced(script, plain);
    const r = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
    assert.is(r.stderr, expected.stderr, `run ${i}`);
    assert.is(readFileSync(join(dir, 'log'), 'utf8'), readFileSync(join(plain, 'log'), 'utf8'), `run ${i}`);
    const python = r.stats.executions.find((e) => e.argv[0] === PY);
    assert.match(python?.reason ?? '', /stdout-limited/, JSON.stringify(r.stats.executions));
  }
  // the limit is read once, and again after the process sets it itself
  const lowers = 'import os, resource, signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\nos.write(1, b"x\\n")\n' +
    'resource.setrlimit(resource.RLIMIT_FSIZE, (10, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))\n' +
    'try: os.write(1, b"y" * 20)\nexcept OSError as e: os.write(2, b"py: %d\\n" % e.errno)';
  writeFileSync(join(dir, 'lowers.py'), lowers);
  const r = runMemo(['sh', '-c', `${PY} lowers.py > out`], { cwd: dir, store, args: ['--min-duration-ms', '0'] });
  assert.is(readFileSync(join(dir, 'out'), 'utf8'), 'x\nyyyyyyyy');
  assert.match(r.stats.executions.find((e) => e.argv[0] === PY)?.reason ?? '', /stdout-limited/, JSON.stringify(r.stats.executions));
});

/** A second thread lowers the file size limit while the first writes; then a write past it. */
const THREAD_LIMIT = `#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
static void *lower(void *arg) {
  struct rlimit rl = { 1000, RLIM_INFINITY };
  (void)arg;
  setrlimit(RLIMIT_FSIZE, &rl);
  return 0;
}
int main(void) {
  static char big[2000];
  pthread_t t;
  memset(big, 'b', sizeof big);
  signal(SIGXFSZ, SIG_IGN);
  pthread_create(&t, 0, lower, 0);
  for (int i = 0; i < 100; i++) if (write(1, "a", 1) != 1) return 1;
  pthread_join(t, 0);
  return write(1, big, sizeof big) == sizeof big;
}
`;

test('hunt 23: a file size limit set by another thread, and direct I/O on a file stream, flag its writes', () => {
  // a write taken at its entry that then fails (EFBIG past a limit another thread set meanwhile,
  // EINVAL for an unaligned write under O_DIRECT) could pass for a sibling's same bytes
  const dir = scratch();
  const store = scratch('pc-store-');
  compileC(dir, 'lower', THREAD_LIMIT, ['-pthread']);
  const direct = 'import fcntl, os\nfl = fcntl.fcntl(1, fcntl.F_GETFL)\nfcntl.fcntl(1, fcntl.F_SETFL, fl | os.O_DIRECT)\n' +
    'try: os.write(1, b"X\\n")\nexcept OSError as e: os.write(2, b"py: %d\\n" % e.errno)\nfcntl.fcntl(1, fcntl.F_SETFL, fl)';
  writeFileSync(join(dir, 'direct.py'), direct);
  for (let i = 0; i < 3; i++) {
    const r = runMemo(['sh', '-c', `./lower > out; ${PY} direct.py > out2`], { cwd: dir, store, args: ['--min-duration-ms', '0'] });
    const rows = JSON.stringify(r.stats.executions);
    assert.is(readFileSync(join(dir, 'out')).length, 1000, rows);
    assert.match(r.stats.executions.find((e) => e.argv[0] === './lower')?.reason ?? '', /stdout-limited/, rows);
    assert.match(r.stats.executions.find((e) => e.argv[0] === PY)?.reason ?? '', /stdout-direct/, rows);
  }
});

test('hunt 23: a write that fails on a full disk while another process writes the same bytes there is never replayed', () => {
  // the disk is full when python writes (ENOSPC: the log's page is full, a new one is needed);
  // the sibling frees it and writes the same bytes where python's would have gone: the offset
  // moved by as much as python took, and the file holds those bytes there. Only finding every
  // write into the log meanwhile, each in a place of its own, tells
  withSmallDisk((_dir, disk) => {
    const store = scratch('pc-store-');
    writeFileSync(join(disk, 'w.py'), 'import os, time\ntry: os.write(1, b"X\\n")\nexcept OSError as e: os.write(2, b"py: %d\\n" % e.errno)\n' +
      'open("done", "w").close()\ntime.sleep(0.5)\n');
    const script = 'exec > log; printf "%04095d\\n" 0; head -c 2200000 /dev/zero > fill 2>/dev/null; ' +
      `${PY} w.py & sh -c "while [ ! -e done ]; do sleep 0.02; done; rm -f fill; exec /bin/echo X"; wait; cat in`;
    const reset = (i: number): void => { spawnSync('bash', ['-c', `rm -f log fill done; echo r${i} > in`], { cwd: disk }); };
    reset(1);
    runMemo(['bash', '--norc', '-c', script], { cwd: disk, store });
    reset(2);
    const expected = untraced(script, disk);
    assert.is(expected.stderr, 'py: 28\n');
    const expectedLog = readFileSync(join(disk, 'log'), 'utf8');
    reset(2);
    const r = runMemo(['bash', '--norc', '-c', script], { cwd: disk, store });
    assert.is(readFileSync(join(disk, 'log'), 'utf8'), expectedLog, JSON.stringify(r.stats.executions.map((e) => [e.argv[0], e.status, e.reason])));
    assert.is(r.stderr, expected.stderr);
  });
});

/**
 * Python's write of "X" into the log fails on a full disk; a sibling sharing the log's open file
 * waits for it, frees the disk and then does `sibling`. The log holds an older "X" further on (a
 * file opened without O_TRUNC). Run traced with the disk full, then untraced and traced with room:
 * the second traced run must be the untraced one (python a hit would say "py: 28").
 */
function failedWriteBeside(sibling: string, before?: string): void {
  withSmallDisk((_dir, disk) => {
    const store = scratch('pc-store-');
    const w = (write: string): void => writeFileSync(join(disk, 'w.py'), `import os, sys, time\nrc = 0\ntry: ${write}\nexcept OSError as e:\n` +
      '    os.write(2, b"py: %d\\n" % e.errno)\n    rc = 3\nopen("done", "w").close()\ntime.sleep(0.5)\nsys.exit(rc)\n');
    writeFileSync(join(disk, 'launch.py'), 'import os\nfd = os.open("log", os.O_WRONLY)\nos.dup2(fd, 1)\nos.close(fd)\nos.lseek(1, 4096, 0)\n' +
      'os.execv("/bin/bash", ["bash", "--norc", "script.sh"])\n');
    writeFileSync(join(disk, 'script.sh'), 'head -c $(cat fillsize) /dev/zero > fill 2>/dev/null\n' +
      `${PY} w.py & P=$!\nsh -c 'while [ ! -e done ]; do sleep 0.02; done; rm -f fill; ${sibling}'\nwait $P; echo "py rc $?" >&2\n`);
    const reset = (fill: number): void => {
      spawnSync('bash', ['-c', `rm -f log fill done; echo ${fill} > fillsize; printf "%04095d\\n" 0 > log; ` +
        'printf "X\\n" | dd of=log bs=1 seek=16384 conv=notrunc 2>/dev/null'], { cwd: disk });
    };
    if (before !== undefined) {
      // a run that records the sibling: it is a hit in the next, its replay writing the bytes
      w(before);
      reset(0);
      runMemo([PY, 'launch.py'], { cwd: disk, store });
    }
    w('os.write(1, b"X\\n")');
    reset(2200000);
    const first = runMemo([PY, 'launch.py'], { cwd: disk, store });
    assert.is(first.stderr, 'py: 28\npy rc 3\n');
    reset(0);
    const expected = spawnSync(PY, ['launch.py'], { cwd: disk, encoding: 'utf8' });
    assert.is(expected.stderr, 'py rc 0\n');
    const expectedLog = readFileSync(join(disk, 'log'));
    reset(0);
    const second = runMemo([PY, 'launch.py'], { cwd: disk, store });
    const rows = JSON.stringify(second.stats.executions.map((e) => [e.argv, e.status, e.reason]));
    assert.is(second.stderr, expected.stderr, rows);
    assert.ok(readFileSync(join(disk, 'log')).equals(expectedLog), rows);
  });
}

test('hunt 24: a failed write is not found in bytes the file held before, past the offset its own writes reached', () => {
  failedWriteBeside('head -c 8192 /dev/zero | tr "\\0" Y');
});

test('hunt 25: nor when the sibling writes the same bytes first and its other bytes could be found in older ones', () => {
  failedWriteBeside('printf "X\\n"; head -c 8192 /dev/zero | tr "\\0" Y');
});

test('hunt 25: nor when the sibling only moves the shared offset past older bytes (lseek)', () => {
  failedWriteBeside(`${PY} -c "import os; os.lseek(1, 12290, 1)"`);
});

test('hunt 25: nor when the sibling is a hit whose replay writes the same bytes', () => {
  failedWriteBeside('exec /bin/echo X', 'pass');
});

test('hunt 26: a subshell writing into the log with a builtin (its own stdout was another file) counts as another writer', () => {
  // the script's `exec > log` makes the log no stream of the script's own: its subshell's `echo X`
  // is a write into another process's stream, which the tracer now reports as such
  withSmallDisk((_dir, disk) => {
    const store = scratch('pc-store-');
    writeFileSync(join(disk, 'w.py'), 'import os, sys, time\nrc = 0\ntry: os.write(1, b"X\\n")\nexcept OSError as e:\n' +
      '    os.write(2, b"py: %d\\n" % e.errno)\n    rc = 3\nopen("done", "w").close()\ntime.sleep(0.5)\nsys.exit(rc)\n');
    writeFileSync(join(disk, 'script.sh'), 'exec > log; printf "%04095d\\n" 0; head -c $(cat fillsize) /dev/zero > fill 2>/dev/null\n' +
      `${PY} w.py & P=$!\n( while [ ! -e done ]; do sleep 0.02; done; rm -f fill; echo X )\nwait $P; echo "py rc $?" >&2\n`);
    const reset = (fill: number): void => { spawnSync('bash', ['-c', `rm -f log fill done; echo ${fill} > fillsize`], { cwd: disk }); };
    reset(2200000);
    assert.is(runMemo(['bash', '--norc', 'script.sh'], { cwd: disk, store }).stderr, 'py: 28\npy rc 3\n');
    reset(0);
    const expected = spawnSync('bash', ['--norc', 'script.sh'], { cwd: disk, encoding: 'utf8' });
    reset(0);
    const second = runMemo(['bash', '--norc', 'script.sh'], { cwd: disk, store });
    assert.is(second.stderr, expected.stderr, JSON.stringify(second.stats.executions.map((e) => [e.argv, e.status, e.reason])));
  });
});

test('hunt 26: a stdout open for reading only is refused (its writes fail after they were taken)', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(join(dir, 'log'), 'X\n');
  const r = runMemo(['bash', '--norc', '-c', `${PY} -c 'import os\ntry: os.write(1, b"X\\n")\nexcept OSError as e: print(e.errno, file=__import__("sys").stderr)' 1< log`], { cwd: dir, store, args: ['--min-duration-ms', '0'] });
  assert.is(r.stderr, '9\n');
  assert.match(r.stats.executions.find((e) => e.argv[0] === PY)?.reason ?? '', /open for reading only/, JSON.stringify(r.stats.executions));
});

/** Where its stdout stands, learnt one way or another, written to stderr without a look at it. */
const LOOK = `#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
int main(int argc, char **argv) {
  struct stat st; char b[256] = "";
  if (!strcmp(argv[1], "dup")) { int d = dup(1); if (d < 0 || fstat(d, &st) < 0) return 1; snprintf(b, sizeof b, "%lld\\n", (long long)st.st_size); }
  else if (!strcmp(argv[1], "fstat")) { if (fstat(1, &st) < 0) return 1; snprintf(b, sizeof b, "%lld\\n", (long long)st.st_size); }
  else { int f = open("/proc/self/fdinfo/1", O_RDONLY); if (f < 0 || read(f, b, 16) < 0) return 1; }
  return write(2, b, strlen(b)) < 0;
}
`;

test('hunt 9: looks through a copy on fds 3-9, /proc/self/fdinfo, a stream open for reading too, and a rewind through an inherited copy are never replayed stale', () => {
  const dir = scratch();
  const plain = scratch();
  const store = scratch('pc-store-');
  for (const d of [dir, plain]) compileC(d, 'look', LOOK);
  const script = 'cat ver > /dev/null; ./look dup >> log; ./look fdinfo >> log; ./look fstat 1<>log; ' +
    `{ echo hello; ${PY} -c "import os; os.lseek(3, 0, 0)" 3>&1; echo J; } > log2`;
  const reasons = new Set<string>();
  for (let i = 0; i < 3; i++) {
    for (const d of [dir, plain]) spawnSync('bash', ['-c', `echo ${i} > ver; printf %${i + 1}s > log; : > log2`], { cwd: d });
    const expected = untraced(script, plain);
    const r = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
    assert.is(r.stderr, expected.stderr, `run ${i + 1}`);
    for (const f of ['log', 'log2']) assert.is(readFileSync(join(dir, f), 'utf8'), readFileSync(join(plain, f), 'utf8'), `${f}, run ${i + 1}`);
    for (const e of r.stats.executions) if (e.status === 'uncacheable') reasons.add(e.reason ?? '');
  }
  const all = [...reasons].join('\n');
  // (a dup of fd 1 onto fd 3 gets a filter that traps looks there: `look dup` is keyed on where its
  // output starts, as a look through fd 1 is, and the stderr above holds what it saw each run)
  for (const why of [/fdinfo/, /open for reading too/]) assert.match(all, why);
});

test('hunt 10: a replay writes what it found in a file in the file\'s order, and a short write and its retry are not both replayed', () => {
  const dir = scratch();
  const plain = scratch();
  const store = scratch('pc-store-');
  const late = `${PY} -c "import os, time; os.write(1, b'C\\\\n'); time.sleep(0.9)"`;
  const retry = `${PY} -c "import os, resource, signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]; ` +
    `resource.setrlimit(resource.RLIMIT_FSIZE, (3, hard)); n = os.write(1, b'abcdef\\\\n'); resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard)); os.write(1, b'abcdef\\\\n'[n:])"`;
  // the retry goes past its file size limit: flagged (hunt 22), so it runs in a script of its own,
  // and the first one can be replayed whole
  const script = `{ ${late} & sleep 0.4; echo P; wait; } > order`;
  const retrying = `${retry} > retried`;
  const expected = untraced(`${script}; ${retrying}`, plain);
  assert.is(readFileSync(join(plain, 'order'), 'utf8'), 'C\nP\n');
  assert.is(readFileSync(join(plain, 'retried'), 'utf8'), 'abcdef\n');
  spawnSync('bash', ['-c', ': > order; : > retried'], { cwd: dir });
  let replayedWhole = 0;
  for (let i = 0; i < 3; i++) {
    const r = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
    const rows = JSON.stringify(r.stats.executions.map((e) => [e.argv[0], e.status, e.reason]));
    const retried = runMemo(['bash', '--norc', '-c', retrying], { cwd: dir, store });
    assert.is(readFileSync(join(dir, 'retried'), 'utf8'), 'abcdef\n', `run ${i + 1}: ${JSON.stringify(retried.stats.executions)}`);
    assert.match(retried.stats.executions.find((e) => e.argv[0] === PY)?.reason ?? '', /stdout-limited/);
    // only the script's own replay is judged for order: a hit of the child alone writes at its
    // exec, not when it wrote (a known limit: timing is not replayed)
    if (r.stats.executions[0]?.status !== 'hit') continue;
    replayedWhole++;
    assert.is(readFileSync(join(dir, 'order'), 'utf8'), 'C\nP\n', `run ${i + 1}: ${rows}`);
  }
  assert.ok(replayedWhole > 0, 'the script was replayed whole at least once');
  assert.is(expected.status, 0);
});

test('a replay into a file on a full disk is taken back, and the program runs: its own write error and status (hunt 13)', () => {
  withSmallDisk((dir, disk) => {
    const store = scratch('pc-store-');
    // the script differs each run (the root is never a hit): its sh is, its output replayed into log
    const script = (n: number): string => `: ${n}; sh -c "/bin/echo same; /bin/echo more" >> ${disk}/log; echo rc=$?`;
    // an empty log has no page yet: on a full disk its first append fails
    const reset = (full: boolean): void => {
      spawnSync('bash', ['-c', `rm -f ${disk}/*; : > ${disk}/log; ${full ? `head -c 2097152 /dev/zero > ${disk}/fill 2>/dev/null` : ':'}; true`]);
    };
    reset(false);
    const first = runMemo(['bash', '--norc', '-c', script(1)], { cwd: dir, store });
    assert.is(first.stdout, 'rc=0\n');
    reset(true);
    const expected = untraced(script(2), dir);
    const expectedLog = readFileSync(join(disk, 'log'), 'utf8');
    assert.match(expected.stderr, /No space left on device/);
    reset(true);
    const second = runMemo(['bash', '--norc', '-c', script(2)], { cwd: dir, store });
    assert.is(second.stdout, expected.stdout);
    assert.is(second.stderr, expected.stderr);
    assert.is(readFileSync(join(disk, 'log'), 'utf8'), expectedLog);
    assert.ok(second.stats.executions.some((e) => e.status === 'hit'), `a replay was tried: ${JSON.stringify(second.stats.executions.map((e) => [e.exe, e.status]))}`);
    // one stream into the full file, the other into a pipe: nothing reaches the pipe twice (hunt 14)
    const split = (n: number): string => `: ${n}; sh -c "echo out; echo err >&2" 2> ${disk}/log; echo rc=$?`;
    reset(false);
    runMemo(['bash', '--norc', '-c', split(1)], { cwd: dir, store });
    reset(true);
    const plain = untraced(split(2), dir);
    reset(true);
    const again = runMemo(['bash', '--norc', '-c', split(2)], { cwd: dir, store });
    assert.is(again.stdout, plain.stdout);
    // and a run whose write failed on the full disk is not recorded: free space is no input
    reset(true);
    const onFull = runMemo(['bash', '--norc', '-c', `: 3; sh -c "seq 1 3000 > ${disk}/o"; echo rc=$?`], { cwd: dir, store });
    assert.match(onFull.stats.executions.map((e) => e.reason ?? '').join('\n'), /bytes free/);
  });
});

/** Installs its own filter that answers seccomp(2) with a made-up success, then copies fd 1 to fd 6 and prints its size. */
const FAKED = `#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
  struct sock_filter f[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = { 4, f };
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) return 9;
  struct stat st;
  if (dup2(1, 6) != 6 || fstat(6, &st)) return 8;
  fprintf(stderr, "%lld\\n", (long long)st.st_size);
  return 0;
}
`;

test('a program whose own filter fakes seccomp(2)\'s success: the filter the tracer adds is known missing, its look is never replayed stale (hunt 14)', () => {
  const dir = scratch();
  const plain = scratch();
  const store = scratch('pc-store-');
  for (const d of [dir, plain]) compileC(d, 'faked', FAKED);
  const script = 'cat pad > out; sh -c ./faked >> out';
  for (let i = 0; i < 3; i++) {
    for (const d of [dir, plain]) writeFileSync(join(d, 'pad'), 'x'.repeat(i + 1));
    const expected = untraced(script, plain);
    const r = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
    assert.is(r.stderr, expected.stderr, `run ${i + 1}`);
    assert.is(r.status, expected.status);
  }
});

test.run();
