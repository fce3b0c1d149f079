// Reuse from a fresh copy: a CI checkout has the same contents and new mtimes. For lua5.4
// (`make -j2 linux`) and dash (`./configure && make -j2`), side by side in one run, RUNS runs of
// each variant alternating, every run on a fresh copy at the same path: untraced; processcache
// cold (empty store); processcache warm (the store a cold run left). lua's copy is `cp -r` (every
// mtime new, in copy order); dash's keeps the order of the distributed files' mtimes and moves them
// all forward (with `cp -r`, automake's rebuild rules fire untraced too: configure.ac would be
// newer than aclocal.m4). Prints medians, ratios to untraced, spread, and what the warm run reused.
// Run: npm run bench:fresh   (RUNS=5 by default)
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, debianSource, median, spread, table, timed } from './lib.js';

const RUNS = Number(process.env.RUNS ?? 5);
const env: NodeJS.ProcessEnv = { ...process.env };
delete env.RUNS;
const work = mkdtempSync(join(tmpdir(), 'pc-bench-fresh-'));
const stats = join(work, 'stats.json');

/** Every path under dir, deepest first (a directory's mtime is set after its entries'). */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    out.push(p);
  }
  return out;
}

/** A copy whose mtimes are new and keep the source's order: all moved so the newest is a minute old. */
function shiftedCopy(from: string, to: string): void {
  cpSync(from, to, { recursive: true, preserveTimestamps: true });
  const paths = walk(to);
  const newest = Math.max(...paths.map((p) => statSync(p).mtimeMs));
  const offset = Date.now() - 60_000 - newest;
  for (const p of paths) {
    const m = (statSync(p).mtimeMs + offset) / 1000;
    utimesSync(p, m, m);
  }
}

interface Workload {
  name: string;
  source: string;
  argv: string[];
  copy(from: string, to: string): void;
}

const workloads: Workload[] = [
  { name: 'lua5.4 make -j2 linux (cp -r)', source: debianSource('lua5.4', join(work, 'lua-src')), argv: ['make', '-s', '-j2', 'linux'],
    copy: (from, to) => cpSync(from, to, { recursive: true }) },
  { name: 'dash ./configure && make -j2 (order kept)', source: debianSource('dash', join(work, 'dash-src')),
    argv: ['sh', '-c', './configure -q && make -s -j2'], copy: shiftedCopy },
];

const variants = ['untraced', 'cold', 'warm'] as const;
for (const w of workloads) {
  const dir = join(work, 'build');
  const store = join(work, 'store');
  const fresh = (): void => {
    rmSync(dir, { recursive: true, force: true });
    w.copy(w.source, dir);
  };
  const memo = (): string[] => [process.execPath, CLI, 'run', '--quiet', '--store', store, '--stats-json', stats, '--', ...w.argv];
  // the warm runs use the store a cold run left: record one first
  rmSync(store, { recursive: true, force: true });
  fresh();
  timed(memo(), dir, env);
  const primed = join(work, 'store-primed');
  rmSync(primed, { recursive: true, force: true });
  cpSync(store, primed, { recursive: true });
  const times = new Map<string, number[]>(variants.map((v) => [v, []]));
  const reused: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const v of variants) {
      fresh();
      rmSync(store, { recursive: true, force: true });
      if (v === 'warm') cpSync(primed, store, { recursive: true });
      times.get(v)!.push(timed(v === 'untraced' ? w.argv : memo(), dir, env));
      if (v === 'warm') {
        const s = JSON.parse(readFileSync(stats, 'utf8')) as { ran: number; reused: number };
        reused.push(`${s.reused} reused, ${s.ran} ran`);
      }
    }
    process.stderr.write(`${w.name} run ${run + 1}/${RUNS}: ${variants.map((v) => `${v} ${times.get(v)!.at(-1)!.toFixed(0)}`).join(', ')}\n`);
  }
  const base = median(times.get('untraced')!);
  const rows = [['variant', 'median ms', 'vs untraced', 'spread']];
  for (const v of variants) {
    const m = median(times.get(v)!);
    const ratio = v === 'untraced' ? '1.00' : m >= base ? `${(m / base).toFixed(2)}x slower` : `${(base / m).toFixed(1)}x faster`;
    rows.push([v, m.toFixed(0), ratio, spread(times.get(v)!)]);
  }
  console.log(`${w.name}, ${RUNS} runs each, alternating, each on a fresh copy (${new Date().toISOString().slice(0, 10)}); warm runs: ${reused.join('; ')}`);
  console.log(table(rows));
}
rmSync(work, { recursive: true, force: true });
