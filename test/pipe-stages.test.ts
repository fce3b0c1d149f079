// A pipeline's stages reused one by one (issue 10, item 4): a reader whose pipe was still written
// at its exec is recorded keyed on the bytes it read; a hit's output into a pipe waits for its
// reader's exec, which is then keyed on those bytes (dropped when the reader is a hit too); a
// stage waits at its exec for the shell's fork that feeds it; a replay whose reader is gone ends
// as the program would have, by SIGPIPE.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runMemo, scratch, type MemoRun } from './helpers.js';

/** A long exec wait: how long a fork takes to exec must not decide what a test sees. */
const ENV = { ...process.env, PROCESSCACHE_EXEC_WAIT_MS: '20000' };

function run(script: string, dir: string, store: string): MemoRun {
  return runMemo(['bash', '--norc', '-c', script], { cwd: dir, store, env: ENV });
}

function untraced(script: string, dir: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('bash', ['--norc', '-c', script], { cwd: dir, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Runs script traced runs times (each a new script text, never reused whole) and compares its
 * stdout and stderr with an untraced run's each time. */
function sameAsUntraced(script: string, dir: string, store: string, runs: number): void {
  for (let i = 0; i < runs; i++) {
    const r = run(`: ${i}; ${script}`, dir, store);
    const u = untraced(script, dir);
    assert.is(r.stdout, u.stdout, `${script}, run ${i + 1}: ${JSON.stringify(r.stats.executions)}`);
    assert.is(r.stderr, u.stderr, `${script}, run ${i + 1}`);
  }
}

function statusesOf(r: MemoRun, name: string): string[] {
  return r.stats.executions.filter((e) => e.argv[0] === name).map((e) => e.status + (e.reason ? ` (${e.reason})` : ''));
}

function words(seed: number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`Word${(seed * 7919 + i * 104729) % 97} other${i % 13}`);
  return `${out.join(' ')}\n`;
}

const STAGES = ['tr', 'sort', 'uniq'];
const PIPELINE = `mkdir -p out; for f in in/*; do tr -cs A-Za-z '\\n' < "$f" | tr A-Z a-z | sort | uniq -c | sort -rn > "out/\${f##*/}"; done`;

function outputs(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(join(dir, 'out')).map((f) => [f, readFileSync(join(dir, 'out', f), 'utf8')]));
}

test('a per-file pipeline with one input changed: every stage of the other files is reused, those of the changed file run', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  mkdirSync(join(dir, 'in'));
  for (let i = 0; i < 4; i++) writeFileSync(join(dir, 'in', `doc${i}.txt`), words(i, 3000));
  const first = run(PIPELINE, dir, store);
  assert.is(first.status, 0, first.stderr);
  // recorded stage by stage, each reader keyed on what it read
  assert.equal(first.stats.executions.filter((e) => e.status === 'uncacheable').map((e) => `${e.argv[0]}: ${e.reason}`), []);
  writeFileSync(join(dir, 'in', 'doc2.txt'), words(2, 3000).replace('Word', 'Changed'));
  const second = run(PIPELINE, dir, store);
  const expected = scratch();
  spawnSync('cp', ['-a', join(dir, 'in'), expected]);
  untraced(PIPELINE, expected);
  assert.equal(outputs(dir), outputs(expected), 'the changed file reaches every stage: no stale replay');
  const stages = second.stats.executions.filter((e) => STAGES.includes(e.argv[0]!));
  assert.is(stages.length, 4 * 5);
  // per file: tr, tr, sort, uniq, sort; the third file's ran
  const missed = stages.filter((e) => e.status !== 'hit').map((e) => e.argv.join(' '));
  assert.is(missed.length, 5, JSON.stringify(stages.map((e) => [e.argv.join(' '), e.status, e.reason])));
  assert.ok(stages.filter((e) => e.status !== 'hit').every((e) => e.status === 'miss'), JSON.stringify(stages));
});

test('a reused command substitution goes out at the shell\'s own read of it, not at the deadline', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(join(dir, 'f'), 'hello\nworld\n');
  // no reader is forked: the shell reads the pipe itself, which only its watch sees
  const script = (n: number): string => `: ${n}; x=$(cat f); echo "got $x"; y=$(tr a-z A-Z < f); echo "$y"`;
  run(script(1), dir, store);
  const second = run(script(2), dir, store);
  assert.is(second.stdout, untraced(script(2), dir).stdout);
  assert.equal([...statusesOf(second, 'cat'), ...statusesOf(second, 'tr')], ['hit', 'hit'], JSON.stringify(second.stats.executions));
  assert.equal(second.stats.deferEnds, { read: 0, deadline: 0, watched: 2 });
});

test('a reused command read through a copy of the pipe after the shell forked goes out at the shell\'s read, not at the deadline', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(join(dir, 'f'), 'hello\nworld\n');
  // bash reads fd 3 (no trapped read) after a fork that is no reader: only its watch sees the
  // read. The loop (no fork) lets cat's hit come before the fork of true
  const script = (n: number): string => `: ${n}; exec 3< <(cat f); for ((i = 0; i < 30000; i++)); do :; done; true & read -u 3 a; read -u 3 b; wait; echo "$b $a"`;
  run(script(1), dir, store);
  const second = run(script(2), dir, store);
  assert.is(second.stdout, untraced(script(2), dir).stdout);
  assert.equal(statusesOf(second, 'cat'), ['hit'], JSON.stringify(second.stats.executions));
  // held at most until its deadline; the watch lets it go at once (a slow machine may order the
  // fork first, and then no deferral is made: nothing waits either)
  assert.is(second.stats.deferEnds.deadline, 0, JSON.stringify(second.stats.deferEnds));
});

test('a child keyed on the pipe it reads makes its parent, whose key does not hold those bytes, depend on them (hunt 37)', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  // the inner bash never reads its stdin: its background child does, once the writer has ended
  // (keyed on the finished pipe), and the inner bash drops its own copy
  const script = '{ sleep 0.3; cat data; } | bash -c "(sleep 0.6; exec cat) <&0 & exec </dev/null; wait"';
  // the same mtimes each run: only the bytes differ
  const put = (text: string): void => {
    writeFileSync(join(dir, 'data'), text);
    for (const p of ['data', '.']) utimesSync(join(dir, p), 1_700_000_000, 1_700_000_000);
  };
  put('one\n');
  assert.is(run(script, dir, store).stdout, 'one\n');
  put('two\n');
  const second = run(script, dir, store);
  assert.is(second.stdout, 'two\n', JSON.stringify(second.stats.executions));
  const inner = second.stats.executions.find((e) => e.argv[0] === 'bash' && e.parent !== null);
  assert.ok(inner && inner.status !== 'hit', JSON.stringify(second.stats.executions));
});

test('a reader is recorded on the bytes it read to the end, and reused on a replayed writer\'s bytes', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(join(dir, 'f'), 'b\na\nc\n');
  // each script differs (a no-op first), so that the script itself is never a hit
  const script = (n: number): string => `: ${n}; tr a-z A-Z < f | sort`;
  const first = run(script(1), dir, store);
  assert.is(first.stdout, 'A\nB\nC\n');
  assert.equal(statusesOf(first, 'sort'), ['miss (never recorded)']);
  const second = run(script(2), dir, store);
  assert.is(second.stdout, 'A\nB\nC\n');
  assert.equal([...statusesOf(second, 'tr'), ...statusesOf(second, 'sort')], ['hit', 'hit'], JSON.stringify(second.stats.executions));
  // other bytes: tr runs, and sort, whose bytes are not known at its exec, too
  writeFileSync(join(dir, 'f'), 'b\na\nd\n');
  const third = run(script(3), dir, store);
  assert.is(third.stdout, 'A\nB\nD\n');
  assert.not.ok(statusesOf(third, 'sort')[0]?.startsWith('hit'));
  const fourth = run(script(4), dir, store);
  assert.is(fourth.stdout, 'A\nB\nD\n');
  assert.equal(statusesOf(fourth, 'sort'), ['hit'], JSON.stringify(fourth.stats.executions));
});

test('a reader that stops before the end, shares its pipe or hands it on is not recorded on its reads', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const cases = [
    // head stops after a line: what it would do with other bytes after it is not known
    'seq 1 100000 | head -n 1',
    // two readers take turns on one pipe
    'seq 1 20000 | { head -c 10 >/dev/null; wc -l; }',
    // a child reads the pipe too
    'seq 1 20000 | sh -c "wc -l; cat"',
  ];
  for (const script of cases) {
    for (let i = 0; i < 3; i++) {
      const r = run(`: ${i}; ${script}`, dir, store);
      assert.is(r.stdout, untraced(script, dir).stdout, `${script}, run ${i + 1}`);
      if (i === 0 && script.includes('head -n')) {
        assert.ok(statusesOf(r, 'head')[0]?.startsWith('uncacheable (it reads stdin (pipe))'), JSON.stringify(r.stats.executions));
      }
    }
  }
});

test('a reader of two threads is not recorded on its reads (the other could change a buffer before it is copied); of one, it is', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const reader = (threads: boolean): string => `/usr/bin/python3 -c 'import sys, threading
if ${threads ? 'True' : 'False'}: t = threading.Thread(target=lambda: None); t.start(); t.join()
print(len(sys.stdin.read()))'`;
  // the writer still runs at the reader's exec: only its reads can key it
  const writer = 'sh -c "seq 1 20000; sleep 0.3"';
  for (const threads of [true, false]) {
    const first = run(`: 1; ${writer} | ${reader(threads)}`, dir, store);
    assert.is(first.stdout, '108894\n');
    const status = statusesOf(first, '/usr/bin/python3')[0] ?? '';
    if (threads) assert.ok(status.startsWith('uncacheable (it reads stdin (pipe))'), status);
    else assert.is(status, 'miss (never recorded)');
    const second = run(`: 2; ${writer} | ${reader(threads)}`, dir, store);
    assert.is(second.stdout, '108894\n');
    assert.equal(statusesOf(second, '/usr/bin/python3').map((x) => x.startsWith('hit')), [!threads], JSON.stringify(second.stats.executions));
  }
});

test('a hit writer whose reader has gone is killed by SIGPIPE as the program would be; one that ignores SIGPIPE is not replayed', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  // recorded where the reader reads everything
  run('seq 1 200000 | wc -l', dir, store);
  const script = 'set -o pipefail; seq 1 200000 | head -n 1; echo "status $? ${PIPESTATUS[*]}"';
  const expected = untraced(script, dir);
  assert.is(expected.stdout, '1\nstatus 141 141 0\n');
  const r = run(script, dir, store);
  assert.equal(statusesOf(r, 'seq'), ['hit'], JSON.stringify(r.stats.executions));
  assert.is(r.status, 0);
  assert.is(r.stdout, expected.stdout);
  // SIGPIPE ignored: seq's write fails with EPIPE and it says so; a replay could not
  run("trap '' PIPE; seq 1 200000 | wc -l", dir, store);
  const ignoring = "trap '' PIPE; set -o pipefail; seq 1 200000 | head -n 1; echo \"status $?\"";
  const traced = run(ignoring, dir, store);
  const plain = untraced(ignoring, dir);
  assert.is(traced.stdout, plain.stdout);
  assert.is(traced.stderr, plain.stderr);
  // not replayed: it runs, and meets EPIPE, which keeps it from being recorded
  assert.ok(statusesOf(traced, 'seq')[0]?.includes('EPIPE'), JSON.stringify(traced.stats.executions));
});

test('a deferred replay goes out at the first read of a reader that runs no program, and at the deadline for one that reads nothing', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(join(dir, 'f'), 'one\ntwo\n');
  // the reader is a subshell's while-read: it reads fd 0 without an exec
  const loop = 'tr a-z A-Z < f | while read -r l; do echo "got $l"; done';
  for (let i = 0; i < 2; i++) assert.is(run(`: ${i}; ${loop}`, dir, store).stdout, 'got ONE\ngot TWO\n', `run ${i + 1}`);
  const hit = run(`: 3; ${loop}`, dir, store);
  assert.is(hit.stdout, 'got ONE\ngot TWO\n');
  assert.equal(statusesOf(hit, 'tr'), ['hit'], JSON.stringify(hit.stats.executions));
  // a reader that waits on something else before it reads: the bytes still come (deadline)
  const late = 'tr a-z A-Z < f | { sleep 0.5; cat; }';
  for (let i = 0; i < 3; i++) assert.is(run(`: ${i}; ${late}`, dir, store).stdout, 'ONE\nTWO\n', `run ${i + 1}`);
});

test('hunt 11: a reader recorded on its reads keeps what its children did; a deferred replay whose reader closed its end meanwhile is no SIGPIPE; a writer that met EPIPE is not recorded; a reader waiting in select lets a deferral go', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(join(dir, 'f'), 'a b\nc\n');
  writeFileSync(join(dir, 'list'), 'g\n');
  writeFileSync(join(dir, 'g'), 'one\n');
  const same = (script: string, runs = 3): void => sameAsUntraced(script, dir, store, runs);
  // xargs, recorded on what it read, replayed nothing of its child's (childrenOf was emptied)
  same('cat f | xargs echo; echo "rc=$?"');
  same('cat list | xargs cat');
  writeFileSync(join(dir, 'g'), 'two\n');
  same('cat list | xargs cat', 1);
  // the reader closes its end before the deferred bytes go out: cat would have written them at once
  same('set -o pipefail; cat f | (/bin/sleep 0.1 </dev/null; exec 0<&-; /bin/sleep 0.2) && echo ok || echo "fail ${PIPESTATUS[*]}"');
  // python ignores SIGPIPE itself: recorded after an EPIPE, it would replay a truncated output
  const w = `/usr/bin/python3 -I -c 'import sys; sys.stdout.write("x" * 300000)'`;
  const broken = run(`${w} 2>/dev/null | head -c 10; echo`, dir, store);
  assert.ok(statusesOf(broken, '/usr/bin/python3')[0]?.includes('EPIPE'), JSON.stringify(broken.stats.executions));
  same(`${w} | wc -c; echo "ps=\${PIPESTATUS[*]}"`, 2);
  // bash's read -t waits in pselect6 before it reads: that lets the deferred bytes go, not the deadline
  same('cat f | { read -t 5 l && echo "got $l"; }', 2);
  const waited = run(': 9; cat f | { read -t 5 l && echo "got $l"; }', dir, store);
  const cat = waited.stats.executions.find((e) => e.argv[0] === 'cat');
  assert.is(cat?.status, 'hit');
  assert.ok(cat!.durationMs < 290, `held ${cat!.durationMs} ms: let go at the deadline (300 ms), not by the select`);
});

test('hunt 12: a replay into a pipe whose reader has gone meets SIGPIPE or EPIPE as the program would; a deferral goes out when a busy reader copies its stdin below 10 or selects on it', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const same = (script: string, runs = 3): void => sameAsUntraced(script, dir, store, runs);
  // seq is recorded where its reader read everything, then replayed after its reader has ended
  // (sleep is never skipped: what it does is take time)
  same('seq 3 | cat >/dev/null; { echo match; sleep 0.1; seq 3; } | grep -q match; echo ${PIPESTATUS[@]}');
  same('trap "" PIPE; seq 3 | cat >/dev/null; { sleep 0.1; seq 3; } | true; echo ${PIPESTATUS[@]}');
  // the reader is busy, then reads a copy of its stdin on fd 5 (or 10) with a short timeout
  const busy = 'i=0; while ((i<150000)); do ((i++)); done';
  same(`seq 3 | cat >/dev/null; seq 3 | { exec 5<&0; ${busy}; read -t 0.05 -u 5 x && echo yes $x || echo no; }`);
  same(`seq 3 | { exec 10<&0; ${busy}; read -t 0.05 -u 10 x && echo yes $x || echo no; }`);
});

test('a hit inside a command substitution is not deferred: the shell reads it itself, where no read is seen', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  for (let i = 0; i < 3; i++) {
    const r = run(`: ${i}; x=$(expr 16 + 1); echo "$x"`, dir, store);
    assert.is(r.stdout, '17\n');
    const expr = r.stats.executions.find((e) => e.argv[0] === 'expr');
    if (i > 0) {
      assert.is(expr?.status, 'hit');
      assert.ok(expr!.durationMs < 250, `held ${expr!.durationMs} ms: until the deferral's deadline (300 ms)`);
    }
  }
});

test.run();
