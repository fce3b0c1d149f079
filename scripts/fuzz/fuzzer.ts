// The stale-replay fuzzer: random sequences of file-system changes and observing commands, run in
// twin directories, one under `processcache run` with a store of its own, the other untraced. Any
// difference in what an observation printed, returned or left in its twin is a stale replay (or
// a wrong restore), reduced to a minimal shell script.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANGES, INIT, OBSERVATIONS, Rng, q, type ChangeRow, type Observation, type ObservationRow, type Step } from './grammar.js';

export interface FuzzOptions {
  seed: number;
  /** stop drawing sequences after this long (the running one finishes) */
  seconds: number;
  /** or after this many sequences */
  sequences: number;
  verbose: boolean;
  /** draw only these classes (a change class limits the changes, an observation class the observations) */
  only: string[];
  /** classes left out, with why */
  excluded: Record<string, string>;
  /** leave each failing sequence's directories behind */
  keep: boolean;
  /** the processcache CLI to test */
  cli: string;
  /** time allowed to reduce each new kind of mismatch */
  minimizeSeconds: number;
  /** observations write into files, not pipes (set for every other sequence): processcache's
   * stdout a file is what lets writes run untrapped (native/lazy.h) */
  fileStreams?: boolean;
  log(line: string): void;
}

export interface Mismatch {
  /** the observation class that saw it, and the field that differs first */
  signature: string;
  obsCls: string;
  /** the classes of the reproduction's changes and contexts */
  changeClasses: string[];
  details: string[];
  script: string;
  minimized: boolean;
  /** the failing twins' directory, with --keep */
  kept?: string;
}

export interface FuzzResult {
  sequences: number;
  steps: number;
  observations: number;
  /** observations whose cached run reused at least one execution */
  hits: number;
  /** every mismatch seen; `repros` holds one minimal reproduction per signature */
  mismatches: Mismatch[];
  repros: Mismatch[];
  seconds: number;
  /** of which spent reducing mismatches */
  reducing: number;
}

/** A command's time limit: a hang shows as a difference (status 124), not a stuck fuzzer. */
const TIMEOUT_S = 15;
/** A fixed environment, the same in both twins and in the reproduction scripts: C messages and
 * sorting, the system python3 (not a version manager's shim), .pyc files written (the module
 * class checks python's own cache). */
const ENV: NodeJS.ProcessEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', HOME: process.env.HOME ?? '/' };

interface Twins {
  base: string;
  cached: string;
  plain: string;
  store: string;
}

function makeTwins(): Twins {
  const base = mkdtempSync(join(tmpdir(), 'pc-fuzz-'));
  // the uid context runs observations as nobody, which must reach the twins
  chmodSync(base, 0o755);
  // `c` and `p`: the same length, so nothing that prints a path length or pads one differs
  const t = { base, cached: join(base, 'c'), plain: join(base, 'p'), store: join(base, 'store') };
  for (const dir of [t.cached, t.plain]) {
    mkdirSync(dir, { mode: 0o755 });
    const r = spawnSync('/bin/sh', ['-c', INIT], { cwd: dir, env: ENV, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`the initial tree failed: ${r.stderr}`);
  }
  return t;
}

interface Outcome {
  status: string;
  stdout: string;
  stderr: string;
}

function run(argv: string[], cwd: string, racer?: string, toFiles = false): Outcome {
  const full = racer ? ['/bin/sh', '-c', `(${racer}) & "$@"; s=$?; wait; exit $s`, 'racer', ...argv] : argv;
  // beside the twin, not in it: the files are no part of its tree; opened by a shell that execs
  // the command, so that no other process holds them (processcache would then trap every write)
  const files = [`${cwd}.out`, `${cwd}.err`];
  const command = toFiles ? ['/bin/sh', '-c', 'o=$1 e=$2; shift 2; exec "$@" >"$o" 2>"$e"', 'sh', ...files, ...full] : full;
  const r = spawnSync(command[0]!, command.slice(1), {
    cwd,
    env: ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: (TIMEOUT_S + 10) * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 16 << 20,
  });
  const status = r.status !== null ? String(r.status) : `signal ${r.signal}`;
  const [stdout, stderr] = toFiles ? files.map((f) => (existsSync(f) ? readFileSync(f, 'utf8') : '')) : [r.stdout, r.stderr];
  return { status: status === '124' || status === '137' ? `${status} (timed out)` : status, stdout: stdout!, stderr: stderr! };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

interface Entry {
  type: string;
  mode: number;
  nlink: number;
  ino: bigint;
  mtime: bigint;
  content?: string;
  target?: string;
}
type Tree = Map<string, Entry>;

/** Text with the twin's path as @D: an error message, a cwd or a .pyc names it. */
const norm = (s: string, dir: string): string => s.split(dir).join('@D');

function snapshot(root: string): Tree {
  const tree: Tree = new Map();
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const abs = join(root, path);
      const st = lstatSync(abs, { bigint: true });
      const type = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFIFO() ? 'fifo' : 'other';
      const e: Entry = { type, mode: Number(st.mode & 0o7777n), nlink: Number(st.nlink), ino: st.ino, mtime: st.mtimeNs };
      if (type === 'file') {
        // a file that names its own path (a .pyc names its source) names its twin: that is
        // where it was written, not what it says
        const data = Buffer.from(norm(readFileSync(abs).toString('latin1'), root), 'latin1');
        e.content = data.length <= 80 ? JSON.stringify(data.toString('latin1')) : `sha256:${createHash('sha256').update(data).digest('hex').slice(0, 16)} (${data.length} bytes)`;
      } else if (type === 'symlink') e.target = readlinkSync(abs);
      tree.set(path, e);
      if (type === 'dir') walk(path);
    }
  };
  walk('');
  return tree;
}

/** The other names of each hard-linked file, per path. */
function linkGroups(tree: Tree): Map<string, string> {
  const byIno = new Map<bigint, string[]>();
  for (const [path, e] of tree) if (e.type !== 'dir' && e.nlink > 1) byIno.set(e.ino, [...(byIno.get(e.ino) ?? []), path]);
  const groups = new Map<string, string>();
  for (const paths of byIno.values()) for (const p of paths) groups.set(p, paths.filter((x) => x !== p).join(',') || '(outside the tree)');
  return groups;
}

/** Per twin, the step that last changed each path's mtime: the files one step wrote are ordered
 * by how the program wrote them, which a restore need not repeat; files of different steps are
 * ordered by the steps, and a restore must keep that (make compares them). */
type LastStep = Map<string, number>;

function advance(last: LastStep, before: Tree | undefined, after: Tree, step: number): void {
  for (const [path, e] of after) if (before?.get(path)?.mtime !== e.mtime) last.set(path, step);
}

function compareTrees(plain: Tree, cached: Tree, lastPlain: LastStep): string[] {
  const diffs: string[] = [];
  const paths = [...new Set([...plain.keys(), ...cached.keys()])].sort();
  const gp = linkGroups(plain), gc = linkGroups(cached);
  for (const path of paths) {
    const p = plain.get(path), c = cached.get(path);
    if (!p || !c) {
      diffs.push(`tree: ${path} only in the ${p ? 'plain' : 'cached'} twin (${(p ?? c)!.type})`);
      continue;
    }
    for (const key of ['type', 'content', 'target', 'mode', 'nlink'] as const) {
      const a = p[key], b = c[key];
      if (a !== b) diffs.push(`tree: ${path} ${key}: plain ${key === 'mode' ? Number(a).toString(8) : String(a)}, cached ${key === 'mode' ? Number(b).toString(8) : String(b)}`);
    }
    if ((gp.get(path) ?? '') !== (gc.get(path) ?? '')) diffs.push(`tree: ${path} hard links: plain [${gp.get(path) ?? ''}], cached [${gc.get(path) ?? ''}]`);
  }
  const files = paths.filter((x) => plain.get(x)?.type === 'file' && cached.get(x)?.type === 'file');
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const a = files[i]!, b = files[j]!;
      if (lastPlain.get(a) === lastPlain.get(b)) continue;
      const sp = Math.sign(Number(plain.get(a)!.mtime - plain.get(b)!.mtime));
      const sc = Math.sign(Number(cached.get(a)!.mtime - cached.get(b)!.mtime));
      // equal mtimes are the clock's granularity, not an order
      if (sp !== 0 && sc !== 0 && sp !== sc) diffs.push(`mtime order: ${a} is ${sp > 0 ? 'newer' : 'older'} than ${b} in the plain twin, ${sc > 0 ? 'newer' : 'older'} in the cached one`);
    }
  }
  return diffs;
}

interface SequenceRun {
  steps: number;
  observations: number;
  hits: number;
  /** the first differing observation: its index in the steps, the differences */
  failure?: { index: number; signature: string; details: string[] };
  twins: Twins;
}

function runSequence(steps: Step[], options: FuzzOptions): SequenceRun {
  const twins = makeTwins();
  const stats = join(twins.base, 'stats.json');
  const out: SequenceRun = { steps: 0, observations: 0, hits: 0, twins };
  let context: string[] = [];
  let treeP = snapshot(twins.plain);
  const lastP: LastStep = new Map();
  advance(lastP, undefined, treeP, -1);
  for (const [index, step] of steps.entries()) {
    out.steps++;
    if (step.kind === 'context') {
      context = step.argv;
      if (options.verbose) options.log(`  context ${step.cls}: ${context.join(' ')}`);
      continue;
    }
    const details: string[] = [];
    if (step.kind === 'change') {
      if (options.verbose) options.log(`  change ${step.sh}`);
      // a clock tick (4 ms) since the twins' last writes: a change in the same tick as the plain
      // twin's last observation would leave them equal there and ordered in the cached twin
      sleep(10);
      for (const dir of [twins.cached, twins.plain]) run(['timeout', String(TIMEOUT_S), '/bin/sh', '-c', step.sh], dir);
    } else {
      out.observations++;
      const argv = [...context, '/bin/sh', '-c', step.obs.sh];
      const racer = step.race ?? step.obs.racer;
      rmSync(stats, { force: true });
      const c = run(['timeout', '-k', '2', String(TIMEOUT_S), process.execPath, options.cli, 'run', '--quiet', '--store', twins.store, '--stats-json', stats, '--', ...argv], twins.cached, racer, options.fileStreams);
      const p = run(['timeout', '-k', '2', String(TIMEOUT_S), ...argv], twins.plain, racer, options.fileStreams);
      if (existsSync(stats) && (JSON.parse(readFileSync(stats, 'utf8')) as { reused: number }).reused > 0) out.hits++;
      if (!step.race) {
        // processcache's own warnings (a cache problem: it ran the program) are a difference of
        // their own, named after any real one
        const warnings = c.stderr.match(/^processcache: warning: .*$/gm) ?? [];
        c.stderr = c.stderr.replace(/^processcache: warning: .*\n/gm, '');
        if (c.status !== p.status) details.push(`exit: plain ${p.status}, cached ${c.status}`);
        for (const key of ['stdout', 'stderr'] as const) {
          const a = norm(p[key], twins.plain), b = norm(c[key], twins.cached);
          if (a !== b) details.push(`${key}: plain ${JSON.stringify(a.slice(0, 300))}, cached ${JSON.stringify(b.slice(0, 300))}`);
        }
        for (const w of warnings) details.push(`warning: ${norm(w, twins.cached)}`);
      }
      if (options.verbose) options.log(`    ${step.obs.sh}${racer ? `  (racer: ${racer})` : ''} -> ${p.status}${details.length ? ' DIFFERS' : ''}`);
    }
    const treeC = snapshot(twins.cached), nextP = snapshot(twins.plain);
    advance(lastP, treeP, nextP, index);
    treeP = nextP;
    details.push(...compareTrees(treeP, treeC, lastP));
    if (details.length > 0) {
      const obsCls = step.kind === 'observe' ? step.obs.cls : step.cls;
      const field = details[0]!.split(':')[0]!;
      out.failure = { index, signature: `${obsCls} ${field}`, details };
      break;
    }
  }
  return out;
}

/** A sequence: a few observations, run once, then again after every change. Running each one
 * several times is the point: a stale entry is only replayed by a later run of the same command. */
export function generate(rng: Rng, changes: ChangeRow[], observations: ObservationRow[]): Step[] {
  const list: Observation[] = [];
  const count = rng.int(2, 4);
  for (let i = 0; i < count && observations.length > 0; i++) {
    const o = rng.weighted(observations).make(rng);
    if (!list.some((x) => x.sh === o.sh)) list.push(o);
  }
  const steps: Step[] = list.map((obs) => ({ kind: 'observe', obs }));
  const rounds = rng.int(2, 5);
  for (let i = 0; i < rounds && changes.length > 0; i++) {
    const step = rng.weighted(changes).make(rng);
    steps.push(step);
    // a raced reader joins the list: its next, unraced runs are the ones compared
    if (step.kind === 'observe' && !list.some((x) => x.sh === step.obs.sh)) list.push(step.obs);
    for (const obs of list) steps.push({ kind: 'observe', obs });
  }
  return steps;
}

function classesOf(steps: Step[]): string[] {
  return [...new Set(steps.flatMap((s) => (s.kind === 'observe' ? (s.race ? ['race-edit'] : []) : [s.cls])))];
}

/** The steps as a shell script that shows the difference on its own. */
export function script(steps: Step[], cli: string, header: string[], details: string[] = []): string {
  const lines = [
    '#!/bin/sh',
    ...header.map((h) => `# ${h}`),
    `PC=\${PC:-"node ${cli}"}`,
    `export PATH=${q(ENV.PATH!)} LC_ALL=C`,
    'T=$(mktemp -d) && chmod 755 "$T" && mkdir -m 755 "$T/c" "$T/p" && cd "$T" || exit 1',
    `init() {\n${INIT.split('\n').map((l) => `  ${l}`).join('\n')}\n}`,
    '(cd c && init) && (cd p && init)',
    '# change TEXT: untraced in both twins (after a clock tick: the twins\' mtimes keep their order)',
    'change() { sleep 0.01; (cd c && sh -c "$1"); (cd p && sh -c "$1"); }',
    '# observe TEXT: `$CTX sh -c TEXT`, cached in c, untraced in p ($RACER, if set, runs beside each); shows any difference',
    "CTX=",
    'observe() {',
    '  (cd c && { [ -z "${RACER:-}" ] || sh -c "$RACER" & }; eval "$PC run --quiet --store \\"\\$T/store\\" -- $CTX /bin/sh -c \\"\\$1\\"" >../c.out 2>../c.err; echo "exit $?" >>../c.err; wait)',
    '  (cd p && { [ -z "${RACER:-}" ] || sh -c "$RACER" & }; eval "$CTX /bin/sh -c \\"\\$1\\"" >../p.out 2>../p.err; echo "exit $?" >>../p.err; wait)',
    '  tree p >tree.p; tree c >tree.c',
    '  sed -i "s|$T/[cp]|@D|g" c.out c.err p.out p.err',
    '  printf \'+ %s\\n\' "$1"; diff p.out c.out && diff p.err c.err && diff tree.p tree.c',
    '}',
    '# tree DIR: each path\'s type, mode, link count, symlink target, and each file\'s content',
    'tree() { (cd "$1" && find . ! -name . -printf \'%p %y %m %n %l\\n\' | sort && find . -type f -exec md5sum {} + | sort -k2); }',
  ];
  for (const step of steps) {
    if (step.kind === 'change') lines.push(`change ${q(step.sh)}  # ${step.cls}`);
    else if (step.kind === 'context') lines.push(`CTX=${q(step.argv.map((a) => (/^[\w./=,:-]+$/.test(a) ? a : q(a))).join(' '))}  # context ${step.cls}`);
    else {
      const racer = step.race ?? step.obs.racer;
      lines.push(`${racer ? `RACER=${q(racer)} ` : ''}observe ${q(step.obs.sh)}  # ${step.obs.cls}${step.race ? ' (raced: its own output is timing-dependent)' : ''}`);
    }
  }
  // an order of mtimes is no line of a listing: the script tests the pair itself
  for (const d of details) {
    const m = /^mtime order: (\S+) is \w+ than (\S+) in/.exec(d);
    if (m) lines.push(`for t in p c; do (cd $t && [ ${m[1]} -nt ${m[2]} ] && echo "$t: ${m[1]} newer than ${m[2]}" || echo "$t: ${m[1]} not newer than ${m[2]}"); done`);
  }
  return `${lines.join('\n')}\n`;
}

/** Drops steps one at a time, keeping each drop after which the same kind of mismatch remains. */
function minimize(steps: Step[], signature: string, options: FuzzOptions, deadline: number): { steps: Step[]; details: string[] } | undefined {
  let best: { steps: Step[]; details: string[] } | undefined;
  const attempt = (candidate: Step[]): boolean => {
    const r = runSequence(candidate, options);
    rmSync(r.twins.base, { recursive: true, force: true });
    if (r.failure?.signature !== signature) return false;
    best = { steps: candidate.slice(0, r.failure.index + 1), details: r.failure.details };
    return true;
  };
  // a timing-dependent mismatch may not come back: then there is nothing to reduce
  if (!attempt(steps)) return undefined;
  // the usual shape is the failing command, a change, the failing command: try that cut first
  const last = best!.steps[best!.steps.length - 1]!;
  if (last.kind === 'observe') attempt(best!.steps.filter((s) => s.kind !== 'observe' || s.race !== undefined || s.obs.sh === last.obs.sh));
  for (let pass = 0; pass < 2; pass++) {
    let dropped = false;
    for (let i = best!.steps.length - 2; i >= 0 && Date.now() < deadline; i--) {
      const candidate = best!.steps.filter((_, j) => j !== i);
      if (attempt(candidate)) dropped = true;
      i = Math.min(i, best!.steps.length - 1);
    }
    if (!dropped || Date.now() >= deadline) break;
  }
  return best;
}

/** The rows left to draw from after --only and the exclusions. */
export function rows(options: Pick<FuzzOptions, 'only' | 'excluded'>): { changes: ChangeRow[]; observations: ObservationRow[] } {
  const allowed = <T extends { name: string }>(all: T[]): T[] => {
    const kept = all.filter((r) => !(r.name in options.excluded));
    const only = kept.filter((r) => options.only.includes(r.name));
    return only.length > 0 ? only : kept;
  };
  return { changes: allowed(CHANGES), observations: allowed(OBSERVATIONS) };
}

export function fuzz(options: FuzzOptions): FuzzResult {
  const started = Date.now();
  const { changes, observations } = rows(options);
  const result: FuzzResult = { sequences: 0, steps: 0, observations: 0, hits: 0, mismatches: [], repros: [], seconds: 0, reducing: 0 };
  let lastProgress = started;
  const progress = (): string =>
    `${Math.round((Date.now() - started) / 1000)} s: ${result.sequences} sequences, ${result.steps} steps, ${result.observations} observations (${result.hits} with a hit), ${result.mismatches.length} mismatches`;
  while (result.sequences < options.sequences && Date.now() - started < options.seconds * 1000) {
    const index = result.sequences;
    // one PRNG per sequence, from the seed and the index: `--seed N` draws the same sequences in
    // the same order, whatever the time limit
    const rng = new Rng(options.seed * 1_000_003 + index);
    const steps = generate(rng, changes, observations);
    const sequenceOptions = { ...options, fileStreams: index % 2 === 1 };
    if (options.verbose) options.log(`sequence ${index}: ${steps.length} steps${sequenceOptions.fileStreams ? ', into files' : ''}`);
    const r = runSequence(steps, sequenceOptions);
    result.sequences++;
    result.steps += r.steps;
    result.observations += r.observations;
    result.hits += r.hits;
    if (r.failure) {
      const failing = steps.slice(0, r.failure.index + 1);
      const mismatch: Mismatch = {
        signature: r.failure.signature,
        obsCls: r.failure.signature.split(' ')[0]!,
        changeClasses: classesOf(failing),
        details: r.failure.details,
        script: '',
        minimized: false,
      };
      const header = [`processcache stale-replay reproduction: seed ${options.seed}, sequence ${index}${sequenceOptions.fileStreams ? ' (stdout and stderr into files)' : ' (stdout and stderr into pipes; the script writes files)'}`];
      let shown = failing;
      const first = !result.repros.some((m) => m.signature === mismatch.signature);
      // one reduction per kind of mismatch, and four kinds' worth in all: the time goes to
      // finding other kinds, and a failing test still ends in minutes
      if (first && result.reducing >= 4 * options.minimizeSeconds) {
        header.push('not reduced: the time for reductions is spent');
        result.repros.push(mismatch);
      } else if (first) {
        const reducing = Date.now();
        const reduced = minimize(failing, mismatch.signature, sequenceOptions, reducing + options.minimizeSeconds * 1000);
        result.reducing += (Date.now() - reducing) / 1000;
        if (reduced) {
          shown = reduced.steps;
          mismatch.minimized = true;
          mismatch.details = reduced.details;
          mismatch.changeClasses = classesOf(shown);
          header.push(`reduced from ${failing.length} to ${shown.length} steps`);
        } else header.push('did not come back when run again: timing-dependent, not reduced');
        result.repros.push(mismatch);
      }
      header.push(`the last observation differs: ${mismatch.details[0]}`);
      mismatch.script = script(shown, options.cli, header, mismatch.details);
      if (options.keep) mismatch.kept = r.twins.base;
      result.mismatches.push(mismatch);
      options.log(`MISMATCH ${mismatch.signature} (sequence ${index}; classes ${mismatch.changeClasses.join(', ') || 'none'}):\n  ${mismatch.details.slice(0, 6).join('\n  ')}${mismatch.kept ? `\n  kept in ${mismatch.kept}` : ''}`);
      if (options.verbose || first) options.log(mismatch.script);
    }
    if (!options.keep || !r.failure) rmSync(r.twins.base, { recursive: true, force: true });
    if (Date.now() - lastProgress > 10_000) {
      lastProgress = Date.now();
      options.log(progress());
    }
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

/** The final summary: totals, and mismatches by class (an observation class, or a change class
 * of the reproduction). */
export function summary(result: FuzzResult, options: Pick<FuzzOptions, 'excluded'>): string {
  const byClass = new Map<string, number>();
  for (const m of result.mismatches) for (const c of new Set([m.obsCls, ...m.changeClasses])) byClass.set(c, (byClass.get(c) ?? 0) + 1);
  const lines = [
    `${result.sequences} sequences, ${result.steps} steps, ${result.observations} observations (${result.hits} with a hit) in ${result.seconds.toFixed(0)} s` +
      ` (${(result.observations / Math.max(result.seconds - result.reducing, 1)).toFixed(1)} observations/s, not counting ${result.reducing.toFixed(0)} s reducing mismatches), ${result.mismatches.length} mismatches`,
  ];
  if (byClass.size > 0) lines.push(`mismatches by class: ${[...byClass].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  if (result.repros.length > 0) lines.push(`kinds: ${result.repros.map((m) => m.signature).join('; ')}`);
  const excluded = Object.entries(options.excluded);
  if (excluded.length > 0) lines.push(`excluded classes:\n${excluded.map(([c, why]) => `  ${c}: ${why}`).join('\n')}`);
  return lines.join('\n');
}
