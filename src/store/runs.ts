// The processcache runs under way on one store, and where each may write. Outputs are captured when
// a writer's exit is processed, and inputs hashed when its recording runs: a process of another
// run changing those files meanwhile is invisible to this run's tracer, and its entry would pair
// one run's inputs with the other's bytes (two runs `cp`-ing different files to one output stored
// blobs that were neither source, and a later run restored them). So each run registers here, and
// an execution that overlapped another run writing in the same tree is not recorded.
//
// runs/PID.PROCSTART.STARTMS holds the directories the run may write (its root and --allow ones);
// at its end it is renamed to runs/PID.PROCSTART.STARTMS.ENDMS.end and kept while a live run that
// started before that end could still be recording an execution that overlapped it. A file whose
// process is gone (PROCSTART, the start time in /proc/PID/stat, tells a reused pid) was a killed
// run: it is taken as ended when found. Times are wall-clock milliseconds (Date.now()): the runs
// are different processes on one machine.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWrite } from './atomic.js';

const LIVE = /^(\d+)\.(\d+)\.(\d+)$/;
const ENDED = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.end$/;
/** Slack for comparing one process's clock reading with another's conversion of its tracer's clock. */
const MARGIN_MS = 5;
/** A directory modified less than this long ago may be modified again within the same timestamp
 * tick (the kernel's coarse clock ticks at least every 10 ms): its listing is not trusted for long. */
const SETTLE_MS = 20;

export interface OtherRun {
  pid: number;
  /** the directories it may write, as it registered them */
  dirs: string[];
  /** null while it runs */
  endMs: number | null;
}

interface Registration extends OtherRun {
  name: string;
  key: string;
  procStart: string;
  startMs: number;
}

/** The start time of a process (clock ticks since boot), which a reused pid does not share; null when it is gone. */
export function procStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name, which may hold spaces and parentheses; starttime is field 22
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

const under = (dir: string): string => (dir.endsWith('/') ? dir : `${dir}/`);

/** Whether two sets of directories share a path: one is, contains or is inside another. */
export function overlapping(a: string[], b: string[]): boolean {
  return a.some((x) => b.some((y) => x === y || x.startsWith(under(y)) || y.startsWith(under(x))));
}

/** Why an execution is not recorded: r overlapped it (root: this run's). */
export function describeOtherRun(r: OtherRun, root: string): string {
  const where = r.dirs[0] === root ? 'in the same root' : `in ${r.dirs[0]}, which shares directories with this root`;
  return `another processcache run (pid ${r.pid}) ${where} was active while it ran: what it wrote could be in this entry`;
}

/** A run's registration in the store, and what it knows of the others. */
export class RunRegistry {
  private readonly dir: string;
  private readonly key: string;
  private readonly startMs: number;
  /** the directory's mtime at the last listing, and whether it was old enough to trust */
  private listedNs = -1n;
  private settled = false;
  /** the other runs whose directories overlap ours, as last listed */
  private others: Registration[] = [];
  /** directories by registration key: a registration's content never changes */
  private readonly dirsOf = new Map<string, string[]>();
  /** pids of runs found killed (their registration left behind): their temporary files are litter */
  readonly killed: number[] = [];
  private closed = false;

  private constructor(private readonly store: string, private readonly dirs: string[]) {
    this.dir = join(store, 'runs');
    this.startMs = Date.now();
    const pid = process.pid;
    this.key = `${pid}.${procStartOf(pid) ?? 0}.${this.startMs}`;
  }

  /** Registers this process as a run that may write dirs; throws when the store cannot be written. */
  static open(store: string, dirs: string[]): RunRegistry {
    const r = new RunRegistry(store, dirs);
    mkdirSync(r.dir, { recursive: true });
    atomicWrite(join(r.dir, r.key), JSON.stringify(dirs));
    r.killed.push(...pruneRuns(store, r.dirsOf));
    return r;
  }

  /**
   * Another run writing in our directories that was running at some moment since sinceMs
   * (wall clock), or null. One stat of the runs directory per call; a listing only when it
   * changed, and a look at /proc for each overlapping run still registered.
   */
  otherSince(sinceMs: number): OtherRun | null {
    this.refresh();
    for (const r of this.others) {
      if (r.endMs !== null) {
        if (r.endMs >= sinceMs - MARGIN_MS) return r;
        continue;
      }
      if (procStartOf(r.pid) !== r.procStart && endKilled(this.dir, r)) this.killed.push(r.pid);
      return r;
    }
    return null;
  }

  /** Ends the registration: kept as an ended run for as long as a live one may need it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      renameSync(join(this.dir, this.key), join(this.dir, `${this.key}.${Date.now()}.end`));
      pruneRuns(this.store, this.dirsOf);
    } catch { /* a store gone read-only meanwhile: a later run finds it killed */ }
  }

  /** When the registration started (wall clock): no execution of this run started earlier. */
  get since(): number {
    return this.startMs;
  }

  private refresh(): void {
    const st = statSync(this.dir, { bigint: true });
    if (st.mtimeNs === this.listedNs && this.settled) return;
    this.listedNs = st.mtimeNs;
    this.settled = Date.now() - Number(st.mtimeNs / 1_000_000n) > SETTLE_MS;
    const { runs, unread } = listRuns(this.dir, this.dirsOf);
    if (unread) this.settled = false;
    this.others = runs.filter((r) => r.key !== this.key && overlapping(r.dirs, this.dirs));
  }
}

/** Every registration, live or ended; dirsOf caches their contents, which never change. */
function listRuns(dir: string, dirsOf: Map<string, string[]>): { runs: Registration[]; unread: boolean } {
  const runs: Registration[] = [];
  let unread = false;
  for (const name of readdirSync(dir)) {
    const m = LIVE.exec(name) ?? ENDED.exec(name);
    if (!m) continue; // a registration being written
    const key = `${m[1]}.${m[2]}.${m[3]}`;
    let dirs = dirsOf.get(key);
    if (!dirs) {
      try {
        const parsed = JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown;
        dirs = Array.isArray(parsed) && parsed.every((d) => typeof d === 'string') ? parsed : ['/'];
        dirsOf.set(key, dirs);
      } catch {
        dirs = ['/']; // renamed at its end meanwhile: taken to overlap everything until listed again
        unread = true;
      }
    }
    runs.push({ name, key, dirs, pid: Number(m[1]), procStart: m[2]!, startMs: Number(m[3]), endMs: m[4] === undefined ? null : Number(m[4]) });
  }
  return { runs, unread };
}

/** A registration whose process is gone ended at some moment up to now, which is all we know; true if we marked it. */
function endKilled(dir: string, r: Registration): boolean {
  r.endMs = Date.now();
  try {
    renameSync(join(dir, r.name), join(dir, `${r.key}.${r.endMs}.end`));
    return true;
  } catch {
    return false; // another run got there first
  }
}

/**
 * Ends the registrations of killed runs and removes the ended ones no live run can need: a live
 * run's executions all started after its registration, so a run that ended before every live
 * registration started overlapped none of them. Returns the pids of the killed runs it marked.
 */
export function pruneRuns(store: string, dirsOf = new Map<string, string[]>()): number[] {
  const dir = join(store, 'runs');
  let runs: Registration[];
  try {
    ({ runs } = listRuns(dir, dirsOf));
  } catch {
    return []; // no runs yet
  }
  const killed: number[] = [];
  for (const r of runs) {
    if (r.endMs === null && procStartOf(r.pid) !== r.procStart && endKilled(dir, r)) killed.push(r.pid);
  }
  const firstStart = Math.min(...runs.filter((r) => r.endMs === null).map((r) => r.startMs));
  for (const r of runs) {
    if (r.endMs !== null && r.endMs < firstStart - MARGIN_MS) rmSync(join(dir, `${r.key}.${r.endMs}.end`), { force: true });
  }
  return killed;
}
