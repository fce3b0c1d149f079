// Two processcache runs at once on one store and one tree: what one run's processes write is
// invisible to the other's tracer, so no entry may be recorded while another run writes there.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, scratch } from './helpers.js';

interface Row { argv: string[]; status: string; reason?: string }

const ROUNDS = 12;
/** Each round copies src to fresh out1 and out2 with a fingerprint of its own (X), so that each
 * copy is recorded; check(out) runs after each copy. */
const copies = (src: string, check = (_out: string): string => ''): string =>
  `for i in $(seq 1 ${ROUNDS}); do rm -f out1 out2; X=$i cp ${src} out1; ${check('out1')} X=$i cp ${src} out2; ${check('out2')} done`;

function run(dir: string, store: string, script: string, args: string[] = []): Promise<{ status: number | null; stderr: string; rows: Row[] }> {
  const stats = join(scratch('pc-stats-'), 'stats.json');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'run', '--quiet', '--store', store, '--min-duration-ms', '0', '--stats-json', stats, ...args, '--', 'sh', '-c', script],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
    child.on('close', (status) => {
      const rows = (JSON.parse(readFileSync(stats, 'utf8')) as { executions: Row[] }).executions;
      resolve({ status, stderr, rows });
    });
  });
}

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * Runs copies of a.txt and of b.txt at once in dir (b's run with bArgs), then checks what every
 * recorded copy holds and what a later run alone restores; returns the rows of both runs.
 */
async function race(dir: string, store: string, bArgs: string[] = []): Promise<Row[]> {
  const content = { 'a.txt': Buffer.from('A'.repeat(200_000)), 'b.txt': Buffer.from('B'.repeat(100_000)) };
  for (const [name, data] of Object.entries(content)) writeFileSync(join(dir, name), data);
  const [a, b] = await Promise.all([run(dir, store, copies('a.txt')), run(dir, store, copies('b.txt'), bArgs)]);
  // the two scripts race on out1 and out2 as they would untraced: a cp that found no out2 and then
  // met the other's (O_EXCL) fails with EEXIST; nothing else may fail
  for (const r of [a, b]) {
    const other = r.stderr.split('\n').filter((l) => l && !/^cp: cannot create regular file 'out\d': File exists$/.test(l));
    assert.equal(other, [], r.stderr);
  }
  // what every recorded copy would restore
  let wrong = 0;
  for (const rel of readdirSync(join(store, 'entries'), { recursive: true }).map(String).filter((f) => f.endsWith('.json'))) {
    const entry = JSON.parse(readFileSync(join(store, 'entries', rel), 'utf8')) as { argv: string[]; outputs: { type: string; blob?: string }[] };
    if (entry.argv[0] !== 'cp') continue;
    const source = sha(content[entry.argv[1] as keyof typeof content]);
    for (const o of entry.outputs) if (o.type === 'file' && o.blob !== source) wrong++;
  }
  // and a later run alone restores exactly what the copies make
  for (const src of ['a.txt', 'b.txt']) {
    const r = spawnSync(process.execPath, [CLI, 'run', '--quiet', '--store', store, '--min-duration-ms', '0', '--', 'sh', '-c',
      copies(src, (out) => `cmp -s ${src} ${out} || echo "round $i: ${out} is not ${src}";`)], { cwd: dir, encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout, '', `restored from ${src}'s copies`);
  }
  assert.is(wrong, 0, 'outputs holding the other run\'s bytes');
  return [...a.rows, ...b.rows];
}

test('two runs copying different files to the same outputs at once: every entry holds its own source', async () => {
  const rows = await race(scratch(), scratch('pc-store-'));
  const refused = rows.filter((r) => r.argv[0] === 'cp' && /^another processcache run \(pid \d+\) in the same root was active while it ran/.test(r.reason ?? ''));
  assert.ok(refused.length > 0, 'the overlapping copies say why they were not recorded');
});

test('a run whose root contains the other run\'s counts as overlapping it too', async () => {
  const outer = scratch();
  const dir = join(outer, 'work');
  mkdirSync(dir);
  const rows = await race(dir, scratch('pc-store-'), ['--root', outer]);
  const refused = rows.filter((r) => r.argv[0] === 'cp' && r.reason?.startsWith(`another processcache run (pid `) && r.reason.includes(`) in ${outer}, which shares directories with this root was active while it ran`));
  assert.ok(refused.length > 0, 'the copies of the inner run name the outer one');
});

test.run();
