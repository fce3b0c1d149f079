// Real command shapes (issue 10): for each workload, side by side in one run, RUNS runs of each
// variant alternating (so the machine's noise hits all alike): untraced; processcache cold (empty
// store); warm (the store that round's cold run left, same inputs); and, where the workload has
// one, "one input changed" (the same store, one input file edited). Every run starts from a fresh
// copy of the pristine inputs at the same path, so the working directory (part of every
// fingerprint) is stable. Every run's outputs and stdout/stderr are compared with an untraced run
// of the same inputs: a fast wrong result is a failure, reported loudly, and the exit code is 1.
//
// Workloads: dash (Debian's source, ./configure && make -j2), pipeline (a tr|sort|uniq pipeline
// per file over 48 files, then a merge), python (python steps with unbuffered output redirected
// into files, ~650k lines).
// Run: npm run bench:shapes [-- [--runs N] [WORKLOAD[:RUNS]]...]
//   e.g. npm run bench:shapes -- --runs 3 pipeline      npm run bench:shapes -- dash:3 pipeline python
//   (env: RUNS=N, SHAPES="dash:3 pipeline"; default: every workload, 5 runs; BENCH_KEEP=1 keeps the work directory)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync,
  readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { ExecutionRow, MemoStats as Stats } from '../../src/memo/engine.js';
import { CLI, ROOT, debianSource, median, table } from './lib.js';

const WORKLOADS_DIR = join(ROOT, 'test', 'bench', 'workloads');

// ---------------------------------------------------------------------------------------------
// Workloads

/** What a workload is: how to lay out its pristine inputs and how to run it. */
interface Workload {
  name: string;
  title: string;
  /** targets from the issue: cold at most `cold` x untraced, warm and changed at least x faster */
  targets: { cold: number; warm: number; changed?: number };
  /** Lays out the pristine inputs in dir (called once); returns a note for the report, if any. */
  prepare(dir: string): string | undefined;
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** Edits one input of a fresh copy: the "one input changed" variant; absent: no such variant. */
  change?(dir: string): void;
}

/** A small deterministic PRNG (mulberry32): the same inputs on every machine and every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pseudo-words from syllables, drawn with a skew toward the first ones (text is Zipf-like). */
function wordSource(seed: number, vocabulary: number): () => string {
  const rnd = prng(seed);
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vel', 'do', 'pri', 'nax', 'el', 'or', 'qui', 'bes', 'th', 'ua'];
  const words = Array.from({ length: vocabulary }, () => {
    const n = 1 + Math.floor(rnd() * 4);
    return Array.from({ length: n }, () => syllables[Math.floor(rnd() * syllables.length)]!).join('');
  });
  return () => {
    const w = words[Math.floor(vocabulary * rnd() ** 3)]!;
    const r = rnd();
    return r < 0.08 ? w[0]!.toUpperCase() + w.slice(1) : r < 0.1 ? `${w},` : r < 0.12 ? `${w}.` : w;
  };
}

/** Lines of `perLine` words until about `bytes` bytes. */
function text(next: () => string, bytes: number, perLine: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const line = Array.from({ length: perLine }, next).join(' ');
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

const PIPELINE_FILES = 48;
const pipeline: Workload = {
  name: 'pipeline',
  title: `per-file shell pipeline over ${PIPELINE_FILES} files + merge`,
  targets: { cold: 1.3, warm: 20, changed: 5 },
  prepare(dir) {
    mkdirSync(join(dir, 'in'), { recursive: true });
    cpSync(join(WORKLOADS_DIR, 'pipeline.sh'), join(dir, 'pipeline.sh'));
    for (let i = 0; i < PIPELINE_FILES; i++) {
      const next = wordSource(1000 + i, 6000);
      writeFileSync(join(dir, 'in', `doc${String(i).padStart(2, '0')}.txt`), text(next, 200_000 + 5_000 * i, 12));
    }
    return undefined;
  },
  argv: ['bash', 'pipeline.sh'],
  change: (dir) => appendTo(join(dir, 'in', 'doc17.txt'), 'Processcache changed this line of doc seventeen\n'),
};

/** The python3 the steps run: the real binary, not a version manager's shim (a shell script that
 * execs the interpreter after reading its own configuration: a different command shape). */
function realPython(): { path: string; note: string } {
  const which = spawnSync('sh', ['-c', 'command -v python3'], { encoding: 'utf8' }).stdout.trim();
  const forced = process.env.SHAPES_PYTHON;
  const path = forced ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : which);
  if (!path) throw new Error('no python3: set SHAPES_PYTHON');
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const shim = which && realpathSync(which) !== realpathSync(path) ? ` (python3 on PATH is ${which}, not used)` : '';
  return { path, note: `python: ${path} -> ${realpathSync(path)}, ${version}${shim}` };
}

const PYTHON_FILES = 12;
function pythonWorkload(): Workload {
  const py = realPython();
  return {
    name: 'python',
    title: `python steps, unbuffered output into files (${PYTHON_FILES} data files)`,
    targets: { cold: 1.3, warm: 10, changed: 4 },
    prepare(dir) {
      mkdirSync(join(dir, 'data'), { recursive: true });
      cpSync(join(WORKLOADS_DIR, 'python'), join(dir, 'steps'), { recursive: true });
      for (let i = 0; i < PYTHON_FILES; i++) writeFileSync(join(dir, 'data', `part${String(i).padStart(2, '0')}.csv`), csv(2000 + i, 1100));
      return py.note;
    },
    argv: ['bash', 'steps/run.sh', py.path],
    env: { PYTHONUNBUFFERED: '1' },
    change: (dir) => appendTo(join(dir, 'data', 'part05.csv'), '9999,changed row,"processcache edited part five"\n'),
  };
}

/** A CSV data file: id, a short title and a longer body per row. */
function csv(seed: number, rows: number): string {
  const next = wordSource(seed, 3000);
  const lines = ['id,title,body'];
  for (let i = 0; i < rows; i++) {
    lines.push(`${i},${text(next, 1, 6).trim().replaceAll(',', '')},"${text(next, 1, 40).trim()}"`);
  }
  return `${lines.join('\n')}\n`;
}

const dash: Workload = {
  name: 'dash',
  title: "dash (Debian source): ./configure && make -j2",
  targets: { cold: 1.3, warm: 20 },
  prepare(dir) {
    debianSource('dash', dir);
    return undefined;
  },
  argv: ['sh', '-c', './configure && make -j2'],
};

function appendTo(path: string, line: string): void {
  writeFileSync(path, line, { flag: 'a' });
}

// ---------------------------------------------------------------------------------------------
// Output snapshots: what a run left in its directory and printed, to compare runs with

/** relative path -> what it is: 'd', 'l:TARGET', or 'f:MODE:SHA256' (mtimes are no output here). */
type Tree = Map<string, string>;
interface Outcome {
  tree: Tree;
  stdout: string;
  stderr: string;
}

function snapshot(dir: string, under = dir, into: Tree = new Map()): Tree {
  for (const e of readdirSync(under, { withFileTypes: true })) {
    const p = join(under, e.name);
    const rel = relative(dir, p);
    if (e.isDirectory()) {
      into.set(rel, 'd');
      snapshot(dir, p, into);
    } else if (e.isSymbolicLink()) {
      into.set(rel, `l:${readlinkSync(p)}`);
    } else {
      const mode = (lstatSync(p).mode & 0o7777).toString(8);
      into.set(rel, `f:${mode}:${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  }
  return into;
}

/** The lines of a stream in sorted order: what parallel jobs print, whose order varies untraced. */
function lines(stream: string): string {
  return stream.split('\n').sort().join('\n');
}

/** Keys whose values differ between two outcomes: the tree's paths, '(stdout)' and '(stderr)', and
 * '(stdout lines)' and '(stderr lines)' (the same lines in any order: still checked when make -j2
 * makes the order vary between untraced runs). */
function differences(a: Outcome, b: Outcome): string[] {
  const out: string[] = [];
  for (const s of ['stdout', 'stderr'] as const) {
    if (a[s] !== b[s]) out.push(`(${s})`);
    if (lines(a[s]) !== lines(b[s])) out.push(`(${s} lines)`);
  }
  for (const p of new Set([...a.tree.keys(), ...b.tree.keys()])) {
    if (a.tree.get(p) !== b.tree.get(p)) out.push(p);
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// Runs

const VARIANTS = ['untraced', 'cold', 'warm', 'changed'] as const;
type Variant = (typeof VARIANTS)[number];


interface RunResult {
  ms: number;
  outcome: Outcome;
  stats?: Stats;
}

/** The paths one benchmark run works in; the build directory is the same for every run. */
interface Paths {
  pristine: string;
  build: string;
  store: string;
  primed: string;
  stats: string;
  stdout: string;
  stderr: string;
}

function pathsFor(work: string, w: Workload): Paths {
  const base = join(work, w.name);
  mkdirSync(base, { recursive: true });
  const p = (n: string): string => join(base, n);
  return { pristine: p('pristine'), build: p('build'), store: p('store'), primed: p('store-primed'),
    stats: p('stats.json'), stdout: p('stdout'), stderr: p('stderr') };
}

/** A fresh copy of the pristine inputs, `cp -a` (mtimes kept: make sees the distributed order). */
function freshCopy(paths: Paths, changed: boolean, w: Workload): void {
  rmSync(paths.build, { recursive: true, force: true });
  const r = spawnSync('cp', ['-a', paths.pristine, paths.build], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`cp -a ${paths.pristine} failed`);
  if (changed) w.change!(paths.build);
}

/** The bench's own settings stay out of the commands' environment (and so their fingerprints). */
function commandEnv(w: Workload): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...w.env };
  delete env.RUNS;
  delete env.SHAPES;
  delete env.SHAPES_PYTHON;
  return env;
}

/** Runs the workload once, stdout and stderr into files (a CI log), timed; it must succeed. */
function runOnce(w: Workload, paths: Paths, traced: boolean): RunResult {
  const argv = traced
    ? [process.execPath, CLI, 'run', '--quiet', '--store', paths.store, '--stats-json', paths.stats, '--', ...w.argv]
    : w.argv;
  rmSync(paths.stats, { force: true });
  // the files opened by a shell that execs the command, as a CI step's `cmd > log` does: no other
  // process holds them (one that could write there makes processcache trap every write)
  const redirect = ['/bin/sh', '-c', 'o=$1 e=$2; shift 2; exec "$@" >"$o" 2>"$e"', 'sh', paths.stdout, paths.stderr];
  const t0 = performance.now();
  const r = spawnSync(redirect[0]!, [...redirect.slice(1), ...argv], { cwd: paths.build, env: commandEnv(w), stdio: 'ignore' });
  const ms = performance.now() - t0;
  const stderr = readFileSync(paths.stderr, 'utf8');
  if (r.status !== 0) throw new Error(`${w.name}: \`${argv.join(' ')}\` exited ${r.status ?? r.signal}: ${stderr.slice(-2000)}`);
  const outcome = { tree: snapshot(paths.build), stdout: readFileSync(paths.stdout, 'utf8'), stderr };
  const stats = traced ? (JSON.parse(readFileSync(paths.stats, 'utf8')) as Stats) : undefined;
  return { ms, outcome, stats };
}

/** The store a variant starts with: empty for cold, what the round's cold run left otherwise. */
function prepareStore(v: Variant, paths: Paths): void {
  rmSync(paths.store, { recursive: true, force: true });
  if (v === 'warm' || v === 'changed') cpSync(paths.primed, paths.store, { recursive: true });
}

// ---------------------------------------------------------------------------------------------
// Reports

const failures: string[] = [];

/** A wrong result: said at once on stderr, and again at the end, and the exit code is 1. */
function fail(message: string): void {
  failures.push(message);
  process.stderr.write(`\n!!! MISMATCH: ${message}\n\n`);
}

/** Reasons with their paths, hashes and numbers taken out, so the same cause in many places groups
 * (a list of like items, "a: x -> y; b: x -> y", becomes one). */
function normaliseReason(reason: string): string {
  const general = reason
    .replace(/(^|[\s('"`=])(?:\/|\.\.?\/)?[\w.+-]+(?:\/[\w.+-]*)+/g, '$1<path>')
    .replace(/\b[\w-]+\.(?:c|h|o|s|in|am|ac|m4|sh|py|txt|csv|log|tmp)\b/g, '<path>')
    .replace(/\bsha\d+:[0-9a-f]+(?:\.\.\.)?/g, '<hash>')
    .replace(/\b0x[0-9a-f]+\b/gi, 'N')
    .replace(/\d+(?:\.\d+)?/g, 'N');
  return general.split('; ').filter((part, i, parts) => part !== parts[i - 1]).join('; ');
}

/** Rows of the given status grouped by normalised reason: count and the programs involved. */
function groupReasons(rows: ExecutionRow[], status: ExecutionRow['status']): string[] {
  const groups = new Map<string, { count: number; exes: Map<string, number> }>();
  for (const row of rows) {
    if (row.status !== status) continue;
    const key = normaliseReason(row.reason ?? '(no reason given)');
    const g = groups.get(key) ?? { count: 0, exes: new Map<string, number>() };
    g.count++;
    const exe = basename(row.exe);
    g.exes.set(exe, (g.exes.get(exe) ?? 0) + 1);
    groups.set(key, g);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1].count - a[1].count)
    .map(([reason, g]) => {
      const exes = [...g.exes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([e, n]) => `${e} ${n}`).join(', ');
      return `${String(g.count).padStart(5)}  ${reason}  [${exes}]`;
    });
}

function counts(s: Stats): string {
  const uncacheable = s.executions.filter((e) => e.status === 'uncacheable').length;
  return `${s.reused}/${s.ran}/${uncacheable}`;
}

/** Distinct values in run order, e.g. "0/412/20" or "0/412/20, 0/411/21". */
function distinct(xs: string[]): string {
  return [...new Set(xs)].join(', ');
}

function ms(x: number): string {
  return x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`;
}

/** min-max of the runs, in the unit of their median. */
function range(xs: number[]): string {
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  return median(xs) >= 10_000 ? `${(lo / 1000).toFixed(1)}-${(hi / 1000).toFixed(1)} s` : `${lo.toFixed(0)}-${hi.toFixed(0)} ms`;
}

/** "Nx slower" or "Nx faster": a ratio below 1 said the other way round reads without arithmetic. */
function factor(slowdown: number): string {
  return slowdown >= 1 ? `${slowdown.toFixed(2)}x slower` : `${(1 / slowdown).toFixed(1 / slowdown < 10 ? 2 : 1)}x faster`;
}

/** A variant's median against untraced as the issue states it (cold/untraced, untraced/warm,
 * untraced/changed), with the issue's target and whether it is met. */
function ratio(v: Variant, m: number, base: number, w: Workload): { text: string; ok: boolean } {
  if (v === 'untraced') return { text: '1.00', ok: true };
  if (v === 'cold') return { text: `${factor(m / base)} (target <= ${w.targets.cold}x slower)`, ok: m / base <= w.targets.cold };
  const target = v === 'warm' ? w.targets.warm : w.targets.changed!;
  return { text: `${factor(m / base)} (target >= ${target}x faster)`, ok: base / m >= target };
}

interface Summary {
  workload: Workload;
  runs: number;
  medians: Map<Variant, number>;
  ratios: Map<Variant, { text: string; ok: boolean }>;
  counts: Map<Variant, string>;
}

// ---------------------------------------------------------------------------------------------
// One workload

function bench(w: Workload, runs: number, work: string): Summary {
  const paths = pathsFor(work, w);
  const note = w.prepare(paths.pristine);
  const variants = VARIANTS.filter((v) => v !== 'changed' || w.change);

  // references: two untraced runs of the pristine inputs (what differs between them varies
  // untraced too and is left out of the comparisons) and one of the changed inputs
  process.stderr.write(`${w.name}: reference runs (untraced)\n`);
  const reference = (changed: boolean): Outcome => {
    freshCopy(paths, changed, w);
    return runOnce(w, paths, false).outcome;
  };
  const ref = reference(false);
  const unstable = new Set(differences(ref, reference(false)));
  const refChanged = w.change ? reference(true) : undefined;
  if (refChanged && differences(ref, refChanged).every((p) => unstable.has(p))) {
    throw new Error(`${w.name}: the changed input changes no output: the variant would test nothing`);
  }

  const times = new Map<Variant, number[]>(variants.map((v) => [v, []]));
  const countsOf = new Map<Variant, string[]>(variants.map((v) => [v, []]));
  let lastWarm: Stats | undefined;
  for (let run = 0; run < runs; run++) {
    for (const v of variants) {
      freshCopy(paths, v === 'changed', w);
      prepareStore(v, paths);
      const r = runOnce(w, paths, v !== 'untraced');
      times.get(v)!.push(r.ms);
      const diff = differences(v === 'changed' ? refChanged! : ref, r.outcome).filter((p) => !unstable.has(p));
      if (diff.length) fail(`${w.name} ${v} run ${run + 1}: differs from an untraced run of the same inputs in ${diff.length}: ${diff.slice(0, 20).join(' ')}`);
      if (r.stats) countsOf.get(v)!.push(counts(r.stats));
      if (v === 'cold') cpSync(paths.store, paths.primed, { recursive: true });
      if (v === 'warm') {
        lastWarm = r.stats;
        if (r.stats!.reused === 0) process.stderr.write(`!!! ${w.name} warm run ${run + 1} reused nothing: leaked fds? (run through scripts/no-leaked-fds.sh)\n`);
      }
    }
    rmSync(paths.primed, { recursive: true, force: true });
    process.stderr.write(`${w.name} run ${run + 1}/${runs}: ${variants.map((v) => `${v} ${ms(times.get(v)!.at(-1)!)}`).join(', ')}\n`);
  }

  const base = median(times.get('untraced')!);
  const medians = new Map(variants.map((v) => [v, median(times.get(v)!)]));
  const ratios = new Map(variants.map((v) => [v, ratio(v, medians.get(v)!, base, w)]));
  const countsMap = new Map(variants.map((v) => [v, v === 'untraced' ? '' : distinct(countsOf.get(v)!)]));
  const rows = [['variant', 'median', 'min-max', 'vs untraced', 'reused/ran/uncacheable']];
  for (const v of variants) {
    const xs = times.get(v)!;
    const r = ratios.get(v)!;
    rows.push([v === 'changed' ? 'one input changed' : v, ms(medians.get(v)!), range(xs),
      `${r.text}${r.ok ? '' : ' MISSED'}`, countsMap.get(v)!]);
  }
  console.log(`\n## ${w.title}\n${runs} runs of each variant, alternating, each on a fresh cp -a copy at ${paths.build}`);
  if (note) console.log(note);
  console.log(`command: ${w.argv.join(' ')}${w.env ? ` (env ${Object.entries(w.env).map(([k, x]) => `${k}=${x}`).join(' ')})` : ''}`);
  if (unstable.size) console.log(`not compared (differ between two untraced runs): ${[...unstable].join(' ')}`);
  console.log(table(rows));
  console.log('(ran counts the uncacheable executions too; a hit covers its whole subtree)');
  if (lastWarm) {
    const uncacheable = groupReasons(lastWarm.executions, 'uncacheable');
    const misses = groupReasons(lastWarm.executions, 'miss');
    console.log(`last warm run: uncacheable executions by reason (count, reason, [programs]):${uncacheable.length ? '' : ' none'}`);
    for (const line of uncacheable) console.log(line);
    if (misses.length) {
      console.log('last warm run: executions that missed, by reason:');
      for (const line of misses) console.log(line);
    }
  }
  return { workload: w, runs, medians, ratios, counts: countsMap };
}

/** The figures as a markdown table for the README. */
function markdown(summaries: Summary[]): string {
  const rows = [['workload', 'runs', 'untraced', 'cold', 'warm', 'one input changed', 'warm reused/ran/uncacheable']];
  for (const s of summaries) {
    const cell = (v: Variant): string => {
      const m = s.medians.get(v);
      const r = s.ratios.get(v);
      return m === undefined || !r ? '-' : `${ms(m)}, ${r.text.replace(' (target', ' (goal')}${r.ok ? '' : ' ✗'}`;
    };
    rows.push([s.workload.title, String(s.runs), ms(s.medians.get('untraced')!), cell('cold'), cell('warm'), cell('changed'), s.counts.get('warm') ?? '']);
  }
  const [head, ...body] = table(rows).split('\n');
  const rule = `|${head!.slice(1, -1).split('|').map((c) => '-'.repeat(c.length)).join('|')}|`;
  return [head, rule, ...body].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

/** fds above 2 that children inherit (no close-on-exec): each makes every traced process uncacheable. */
function leakedFds(): number[] {
  return readdirSync('/proc/self/fdinfo').map(Number).filter((fd) => {
    if (fd <= 2) return false;
    try {
      const flags = /flags:\s*([0-7]+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
      return flags !== undefined && (parseInt(flags, 8) & 0o2000000) === 0;
    } catch {
      return false; // closed while we looked (the read's own fd)
    }
  });
}

/** Selected workloads with their run counts, from the arguments or RUNS and SHAPES. */
function selection(): { name: string; runs: number }[] {
  const { values, positionals } = parseArgs({ options: { runs: { type: 'string' } }, allowPositionals: true });
  const runs = Number(values.runs ?? process.env.RUNS ?? 5);
  const names = positionals.length ? positionals : (process.env.SHAPES?.split(/[\s,]+/).filter(Boolean) ?? ['dash', 'pipeline', 'python']);
  return names.map((arg) => {
    const [name, n] = arg.split(':');
    const r = n === undefined ? runs : Number(n);
    if (!Number.isInteger(r) || r < 1) throw new Error(`bad run count in ${arg}`);
    return { name: name!, runs: r };
  });
}

function main(): void {
  const leaked = leakedFds();
  if (leaked.length) {
    throw new Error(`fds ${leaked.join(', ')} are inherited by every child and make every traced process uncacheable: ` +
      'run through scripts/no-leaked-fds.sh (npm run bench:shapes does)');
  }
  const known: Record<string, () => Workload> = { dash: () => dash, pipeline: () => pipeline, python: pythonWorkload };
  const chosen = selection();
  for (const c of chosen) if (!known[c.name]) throw new Error(`unknown workload ${c.name}: one of ${Object.keys(known).join(', ')}`);
  const work = mkdtempSync(join(tmpdir(), 'pc-bench-shapes-'));
  const summaries: Summary[] = [];
  try {
    for (const c of chosen) summaries.push(bench(known[c.name]!(), c.runs, work));
  } finally {
    // BENCH_KEEP=1 leaves the pristine inputs, the last copy and its store, to look at
    if (process.env.BENCH_KEEP) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  const node = process.version;
  console.log(`\n## README table (${new Date().toISOString().slice(0, 10)}, Node ${node}, medians; goals from issue 10)\n`);
  console.log(markdown(summaries));
  if (failures.length) {
    console.log(`\n!!! ${failures.length} WRONG RESULT(S): a traced run's outputs differ from an untraced run's:`);
    for (const f of failures) console.log(`!!! ${f}`);
    process.exitCode = 1;
  }
}

main();
