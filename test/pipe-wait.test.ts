// A pipeline stage whose writer still runs at its exec (issue 10, item 4): the tracer holds the
// reader at its exec until the pipe's writers have ended, then keys it on the pipe's bytes. A held
// reader must never keep its writer waiting: a write that could fill the pipe, a parent that waits
// for the exec, and the deadline each let it go on, and it then runs unrecorded.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runMemo, scratch, type MemoRun } from './helpers.js';

/** processcache run with a deadline for held execs (long: a test must not depend on timing). */
function run(script: string, dir: string, store: string, waitMs = 20_000): MemoRun & { ms: number } {
  const t0 = performance.now();
  const r = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store, env: { ...process.env, PROCESSCACHE_PIPE_WAIT_MS: String(waitMs) } });
  return { ...r, ms: performance.now() - t0 };
}

function untraced(script: string, dir: string): string {
  return spawnSync('bash', ['--norc', '-c', script], { cwd: dir, encoding: 'utf8' }).stdout;
}

/** Statuses of every execution whose argv starts with name, in order. */
function statuses(r: MemoRun, name: string): string[] {
  return r.stats.executions.filter((e) => e.argv[0] === name).map((e) => e.status + (e.reason ? ` (${e.reason})` : ''));
}

test('a stage whose writer still runs at its exec waits for it, and is reused alone on its bytes', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(join(dir, 'vals'), 'abc bcd cde\n');
  // the writer is a subshell (echo, a builtin) or a program (tr), the reader sed or sort
  const script = 'for v in $(cat vals); do echo "$v" | sed s/c/C/; echo "$v" | tr a-z A-Z | sort -r; done';
  const first = run(script, dir, store);
  assert.is(first.stdout, untraced(script, dir));
  const second = run(script, dir, store);
  assert.is(second.stdout, untraced(script, dir));
  writeFileSync(join(dir, 'vals'), 'abc bcd xyz\n');
  const third = run(script, dir, store);
  assert.is(third.stdout, untraced(script, dir), 'the changed value reaches its reader: no stale replay');
  assert.equal(statuses(third, 'sed'), ['hit', 'hit', 'miss (never recorded)'], JSON.stringify(third.stats.executions));
  assert.equal(statuses(third, 'sort'), ['hit', 'hit', 'miss (never recorded)'], JSON.stringify(third.stats.executions));
});

test('a held reader never keeps its writer waiting: a writer that fills the pipe lets it go at once', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const script = 'seq 1 300000 | wc -l; yes | head -n 2';
  const r = run(script, dir, store);
  assert.is(r.stdout, '300000\ny\ny\n');
  // held for the deadline (20 s), it would take that long: let go, it runs, recorded on what it
  // read (all of the pipe, alone)
  assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
  assert.equal(statuses(r, 'wc'), ['miss (never recorded)'], JSON.stringify(r.stats.executions));
});

test('a parent that writes into its child\'s stdin is not waited for: it waits for the exec itself', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const script = [
    `/usr/bin/python3 -c 'import subprocess; print(subprocess.run(["tr", "a-z", "A-Z"], input=b"py\\n", capture_output=True).stdout.decode(), end="")'`,
    `node -e 'process.stdout.write(require("child_process").spawnSync("sed", ["s/n/N/"], { input: "node\\n" }).stdout)'`,
    // bash's process substitution: bash writes, the child reads
    `echo sub > >(cat); wait`,
  ].join('\n');
  const r = run(script, dir, store);
  assert.is(r.stdout, 'PY\nNode\nsub\n');
  assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
});

test('a writer that waits for its reader is let go at the deadline, and the reader runs unrecorded', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  // the writer waits on a FIFO that only the reader's program writes into
  const script = 'mkfifo f; { read -r x < f; echo "got $x"; } | sh -c "echo go > f; cat"';
  const r = run(script, dir, store, 300);
  assert.is(r.stdout, 'got go\n');
  assert.ok(statuses(r, 'sh')[0]?.startsWith('uncacheable'), JSON.stringify(r.stats.executions));
});

test('by default no reader is held: a reader\'s timeout on stdin fires as it does untraced', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const script = '{ sleep 0.3; echo y; } | bash --norc -c "read -t 0.05 l && echo got \\$l || echo timed-out"';
  for (let i = 0; i < 2; i++) {
    const r = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
    assert.is(r.stdout, 'timed-out\n', `run ${i + 1}`);
  }
});

/** Makes a pipe, writes argv[1]'s pieces into it ("P:" a packet: O_DIRECT set on the write end
 * first, "N:" plain bytes), closes the write end and runs argv[2:] on it. */
const PACKETS = `import fcntl, os, sys
r, w = os.pipe()
for piece in sys.argv[1].split(','):
    mode, text = piece.split(':')
    flags = fcntl.fcntl(w, fcntl.F_GETFL)
    fcntl.fcntl(w, fcntl.F_SETFL, flags | os.O_DIRECT if mode == 'P' else flags & ~os.O_DIRECT)
    os.write(w, text.encode())
os.close(w)
pid = os.fork()
if pid == 0:
    os.dup2(r, 0); os.close(r); os.execvp(sys.argv[2], sys.argv[2:])
os.close(r); os.waitpid(pid, 0)
print(open('bump').read(), end='')
`;

test('pipes in packet mode are never read ahead nor replayed merged: one packet, packets then plain bytes, a writer that sets O_DIRECT on fd 5 (hunt 6)', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(join(dir, 'packets.py'), PACKETS);
  const reader = (size: number): string => `/usr/bin/python3 -c 'import os\nout = []\nwhile True:\n    b = os.read(0, ${size})\n    out.append(b)\n    if not b: break\nprint(out)'`;
  const scripts = [
    `/usr/bin/python3 packets.py P:hello_world ${reader(5)}`,
    `/usr/bin/python3 packets.py P:abc,N:def ${reader(2)}`,
    `/usr/bin/python3 packets.py P:p1,P:p2,N:plain ${reader(100)}`,
    // a writer that puts the pipe in packet mode through another fd: a replay of it would merge
    `/usr/bin/python3 -c 'import fcntl, os; fcntl.fcntl(5, fcntl.F_SETFL, fcntl.fcntl(5, fcntl.F_GETFL) | os.O_DIRECT); os.write(1, b"hello_world"); os.write(1, b"second"); print(open("bump").read(), file=__import__("sys").stderr)' 5>&1 | { sleep 0.2; exec ${reader(5)}; }`,
  ];
  for (const [n, script] of scripts.entries()) {
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(dir, 'bump'), `run ${i}\n`); // the outer processes miss, the inner ones could hit
      const expected = spawnSync('bash', ['--norc', '-c', script], { cwd: dir, encoding: 'utf8' });
      const r = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store });
      assert.is(r.stdout, expected.stdout, `script ${n}, run ${i + 1}`);
      assert.is(r.stderr, expected.stderr, `script ${n}, run ${i + 1}`);
    }
  }
});

test('a child that resizes a pipe its parent writes into is not replayed: the parent would wait on the old size (hunt 6)', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const script = `/usr/bin/python3 -c 'import fcntl, os, subprocess\nopen("bump").read()\nr, w = os.pipe()\nsubprocess.run(["/usr/bin/python3", "-c", "import fcntl; fcntl.fcntl(1, 1031, 1048576)"], stdout=w)\nprint("size", fcntl.fcntl(w, 1032)); os.write(w, b"x" * 200000); print("wrote")'`;
  for (let i = 0; i < 2; i++) {
    writeFileSync(join(dir, 'bump'), `run ${i}\n`);
    const r = runMemo(['bash', '--norc', '-c', script], { cwd: dir, store, timeout: 60_000 });
    assert.is(r.stdout, 'size 1048576\nwrote\n', `run ${i + 1}`);
  }
});

test.run();
