import { spawnSync, type StdioOptions } from 'node:child_process';
import { existsSync, fstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { FileHasher, readStatCache } from '../fingerprint/index.js';
import { MemoEngine, Roots, type MemoStats } from '../memo/index.js';
import { atomicWrite, defaultStoreDir, describeOtherRun, LocalStore, RunRegistry, sweepTemps } from '../store/index.js';
import { callerLaunch, exitCodeOf, fdFlags, resolveProgram, traceCommand, TraceBuilder, TraceError, xattrsValue, DEFAULT_PIPE_WAIT_MS } from '../trace/index.js';
import { DEFAULT_EXEC_WAIT_MS } from '../memo/index.js';
import { parseArgs, UsageError } from './args.js';
import { CWD_GONE, execWaitMs, forcedEnv, formatBytes, ignoredEnv, notUtf8, pipeWaitMs, VERSION, workingDir } from './common.js';


export const RUN_USAGE = 'usage: processcache run [--store DIR] [--root DIR] [--allow DIR]... [--read-only] ' +
  '[--stats-json FILE] [--quiet] [--ignore-env VAR]... [--env-input VAR]... [--min-duration-ms N] -- CMD [ARGS...]';

/** where in the trace's log each warning came (MemoOptions.warnedAt), once a trace runs */
let logPosition: (() => number) | null = null;
const warnedAt: number[] = [];
const warn = (message: string): void => {
  if (logPosition) warnedAt.push(logPosition());
  process.stderr.write(`processcache: warning: ${message}\n`);
};

export function summaryLine(s: MemoStats): string {
  return `processcache: ${s.ran} ran, ${s.reused} reused, saved ${(s.savedMs / 1000).toFixed(1)} s, restored ${formatBytes(s.bytesRestored)}`;
}

/** The command without us, when the cache cannot be used at all. It gets the caller's fds (Node
 * spawns with the ones named only), but its signals are Node's child defaults: all SIG_DFL, none
 * blocked. */
function runPlain(command: string[]): number {
  const fds = callerLaunch().fds;
  const stdio: StdioOptions = Array.from({ length: (fds.at(-1) ?? 2) + 1 }, (_, fd) => fd < 3 ? 'inherit' : fds.includes(fd) ? fd : 'ignore');
  const r = spawnSync(command[0]!, command.slice(1), { stdio });
  if (r.error) {
    process.stderr.write(`processcache: ${command[0]}: ${r.error.message}\n`);
    return 127;
  }
  return r.signal ? 128 + (constants.signals[r.signal] ?? 0) : r.status ?? 1;
}

/**
 * The caller's fds the command inherits that make every process uncacheable (a pipe or socket, or
 * a file open for reading and writing), as "fd N (what)"; a make jobserver's are tokens and are
 * left out, and a file open for writing only costs only the processes that write there.
 */
function writableInherited(fds: number[]): string[] {
  const jobserver = new Set([...(process.env.MAKEFLAGS ?? '').matchAll(/--jobserver-(?:auth|fds)=(\d+),(\d+)/g)].flatMap((m) => [Number(m[1]), Number(m[2])]));
  return fds.flatMap((fd) => {
    if (jobserver.has(fd)) return [];
    try {
      const flags = fdFlags('self', fd) ?? 0;
      const st = fstatSync(fd);
      const what = st.isFIFO() ? 'a pipe' : st.isSocket() ? 'a socket' : (flags & 3) === 2 ? 'open for reading and writing' : null;
      return what ? [`fd ${fd} (${what})`] : [];
    } catch {
      return [];
    }
  });
}

function nonNegativeInt(value: string | true | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} takes a whole number of milliseconds, not "${String(value)}"`);
  return n;
}

/** This run's registration among the store's runs; null when the store cannot take it. */
function register(store: LocalStore, dirs: string[]): RunRegistry | null {
  try {
    return RunRegistry.open(store.dir, dirs);
  } catch (e) {
    if (store.writable) store.writeFailed(e);
    return null;
  }
}

/**
 * Why an execution that started msAgo ms ago must not be recorded: another run writing in this
 * tree was running meanwhile. Unregistered, this run records nothing (a store it could not
 * register in is one it cannot write).
 */
function otherRunReason(runs: RunRegistry | null, msAgo: number | null, root: string): string | null {
  if (!runs) return 'this run could not register in the store, so other runs writing here could not be ruled out';
  try {
    const other = runs.otherSince(msAgo === null ? runs.since : Date.now() - msAgo);
    return other ? describeOtherRun(other, root) : null;
  } catch (e) {
    return `the store's list of runs could not be read (${(e as Error).message}), so other runs writing here could not be ruled out`;
  }
}

/** `processcache run`: runs CMD, skipping every process whose inputs are unchanged. */
export async function runMain(args: string[]): Promise<number> {
  const { options, lists, command } = parseArgs(args, {
    store: { value: true }, root: { value: true }, allow: { value: true, repeat: true },
    'read-only': { value: false }, 'stats-json': { value: true }, quiet: { value: false },
    'ignore-env': { value: true, repeat: true }, 'env-input': { value: true, repeat: true }, 'min-duration-ms': { value: true },
  }, RUN_USAGE);
  if (command.length === 0) throw new UsageError(`no command to run\n${RUN_USAGE}`);
  const undecodable = notUtf8();
  if (undecodable) {
    throw new UsageError(`${undecodable} is not valid UTF-8, and processcache (on Node) cannot pass such bytes on unchanged: ` +
      'run this command without processcache, or give it UTF-8');
  }
  const cwd = workingDir();
  if (cwd === null) {
    // the command can still run there (the kernel keeps the directory for it), but paths under
    // it name nothing anyone could look up again
    warn(`${CWD_GONE}: running ${command[0]} without the cache; cd to an existing directory to use it`);
    return runPlain(command);
  }
  resolveProgram(command[0]!, process.env, cwd); // "not found" is the user's error, said plainly
  const leaked = writableInherited(callerLaunch().fds);
  if (leaked.length) {
    warn(`the command inherits ${leaked.join(', ')} from whatever started processcache: a process could write there, ` +
      'and a replay would not, so nothing it runs is cached; close what the command does not use (as in `exec 9>&-`)');
  }
  const storeDir = resolve(cwd, String(options.get('store') ?? defaultStoreDir()));
  const root = resolve(cwd, String(options.get('root') ?? cwd));
  if (!existsSync(root)) throw new UsageError(`--root ${root} does not exist`);
  // a hit costs 1.1-1.6 ms per process here (bench:memo): a shorter program is cheaper to rerun
  const minDurationMs = nonNegativeInt(options.get('min-duration-ms'), 'min-duration-ms', 3);
  const ignoreEnv = ignoredEnv(lists.get('ignore-env'), forcedEnv(lists.get('env-input')));
  let store: LocalStore;
  try {
    mkdirSync(storeDir, { recursive: true });
    store = new LocalStore(storeDir, !options.has('read-only'), warn);
  } catch (e) {
    warn(`the store at ${storeDir} cannot be used (${(e as Error).message}); running without the cache`);
    return runPlain(command);
  }
  const statCachePath = join(storeDir, 'statcache.json');
  const hasher = new FileHasher(readStatCache(statCachePath));
  hasher.xattrs = xattrsValue;
  const umask = process.umask();
  const builder = new TraceBuilder();
  logPosition = () => builder.log.length;
  let index;
  try {
    index = await store.openIndex();
  } catch (e) {
    warn(`the store's index at ${storeDir} cannot be read (${(e as Error).message}); running without the cache`);
    return runPlain(command);
  }
  const roots = new Roots(root, lists.get('allow') ?? []);
  const runs = register(store, roots.allowed);
  const waitMs = pipeWaitMs(warn) ?? DEFAULT_PIPE_WAIT_MS;
  const engine = new MemoEngine({
    store, index, roots, ignoreEnv, minDurationMs, umask, toolVersion: VERSION, hasher, warn, holdsPipeReaders: waitMs > 0, execWaitMs: execWaitMs(warn) ?? DEFAULT_EXEC_WAIT_MS, warnedAt,
    // --read-only records nothing: an unregistered run of that kind has nothing to refuse
    otherRun: runs || store.writable ? (msAgo) => otherRunReason(runs, msAgo, root) : undefined,
  }, builder);
  let status;
  let stats;
  try {
    try {
      ({ status } = await traceCommand({ command, builder, decideExec: engine.decide, reaped: (pid) => engine.reaped(pid), pipeWaitMs: waitMs }));
    } catch (e) {
      if (!(e instanceof TraceError) || builder.executions.length > 0) throw e;
      warn(`${(e as Error).message}; running without the cache`);
      return runPlain(command);
    }
    stats = await engine.finish();
    if (hasher.dirty && store.writable) {
      try { atomicWrite(statCachePath, JSON.stringify(hasher.entries())); } catch (e) { store.writeFailed(e); }
    }
  } finally {
    runs?.close();
  }
  // a killed run leaves the files it was writing under temporary names: found, they are swept
  // (every bucket is read, so only then)
  if (runs?.killed.length && store.writable) sweepTemps(storeDir);
  if (!options.has('quiet')) process.stderr.write(`${summaryLine(stats)}\n`);
  const statsPath = options.get('stats-json');
  if (typeof statsPath === 'string') {
    try {
      writeFileSync(statsPath, `${JSON.stringify(stats, null, 1)}\n`);
    } catch (e) {
      warn(`could not write ${statsPath}: ${(e as Error).message}`);
    }
  }
  return exitCodeOf(status);
}
