// The memo engine: at every exec, look the program up (weak fingerprint -> candidates -> every
// input still the same) and skip it on a hit; when a program that ran ends, record what its
// subtree read and left behind.
import { closeSync, constants, lstatSync, openSync, readlinkSync, readSync, statfsSync, statSync, type BigIntStats } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { basename, dirname } from 'node:path';
import { CHANGE_OPS, FileHasher, FsView, LinkWalker, namesFingerprint, permsValue, replaceable, UNREADABLE, sha256, statBase, statFields, statNow, toInput, weakKey, type Change, type ContextValue } from '../fingerprint/index.js';
import { identityOf, mtimeUse, openFileOf, parseSeen, readAtRecording, typeOfMode, summarize, WRITE_SINKS, type Input, type InputSpec, type StatSpec, type Step, type Summary } from '../observe/index.js';
import type { Entry, OutputState, Store, StoreIndex } from '../store/index.js';
import { fdFlags, procStatFields, STREAM_START_KEYS, type Access, type ExecDecision, type ExecQuery, type Execution, type TraceBuilder } from '../trace/index.js';
import type { Roots } from './paths.js';
import { fetchBlobs, keepsSetId, Restorer } from './restore.js';
import { RecentBlobs } from './recent-blobs.js';
import { LateChanges } from './late-changes.js';
import { attributeDifference, endOffsets, observedNames, recordedAttributes, seeksOf, streamShortfall, unjudgedAttributes, viewOf, type ProcessView, type Written } from './attributes.js';
import { OutputSnapshots, type Snapshot } from './snapshots.js';
import { capturePipeStdin, type PendingOutput, type PipeStdin } from './pipe-stdin.js';
import { readerGone, ReplayPipes, SHELLS } from './pipe-replay.js';
import { bytesIfStill, contextDifference, contextOf, ContextSearch, type ContextPair } from './context.js';
import { OWN_ABSOLUTE, parseStoredStat, rankMtimes } from './mtimes.js';
import { epochNsOf, Pins } from './pins.js';

export interface MemoOptions {
  store: Store;
  /** the store's index, opened once for the command */
  index: StoreIndex;
  roots: Roots;
  ignoreEnv: ReadonlySet<string>;
  /** executions shorter than this are not recorded: looking them up costs more than running them */
  minDurationMs: number;
  umask: number;
  toolVersion: string;
  hasher: FileHasher;
  warn(message: string): void;
  /** why an execution that started msAgo ms ago (null: not known) overlapped another processcache
   * run writing in this tree, whose changes the tracer cannot see; null when it did not */
  otherRun?(msAgo: number | null): string | null;
  /** the tracer holds an exec whose pipe's writers still run (PROCESSCACHE_PIPE_WAIT_MS > 0) */
  holdsPipeReaders?: boolean;
  /** how long a stage waits for the shell's fork that feeds it to exec (waitExec; 0: never) */
  execWaitMs?: number;
  /** where in the trace's log processcache printed each warning of its own while the command ran:
   * into its stderr, which may be the file a range reads back (native/lazy.h) */
  warnedAt?: readonly number[];
}

export type ExecutionStatus = 'hit' | 'miss' | 'uncacheable';

export interface ExecutionRow {
  id: number;
  parent: number | null;
  exe: string;
  argv: string[];
  status: ExecutionStatus;
  reason?: string;
  /** when it started, in ms since the first execution started: the run's timeline */
  startMs: number;
  durationMs: number;
}

export interface MemoStats {
  ran: number;
  reused: number;
  savedMs: number;
  bytesRestored: number;
  /** time spent deciding the hits: lookup, input checks, restore (what a skipped process costs) */
  hitCostMs: number;
  /** exec queries answered "wait": a reader held until its pipe's writer ended */
  stdinWaits: number;
  /** executions whose writes into their stdout or stderr files ran without a stop, their output
   * read back from the files at their end (native/lazy.h) */
  readBack: number;
  /** why a hit's output held for its pipe's reader went out before that reader's exec: a read
   * without an exec, the deadline (on a loaded machine: stages then miss), the watched shell's read
   * or wait (a command substitution) */
  deferEnds: { read: number; deadline: number; watched: number };
  executions: ExecutionRow[];
}

/** The passes of a lookup over an entry's inputs, by (stored absolute: outside the root, content). */
const CHECK_ORDER: ((outside: boolean, content: boolean) => boolean)[] = [
  (outside, content) => !outside && content,
  (outside, content) => !outside && !content,
  (outside) => outside,
];

/** Bytes written to fd 1 or 2, and which open file that fd named ('null': /dev/null). */
interface StreamChunk {
  fd: number;
  data: Buffer;
  dest: string;
  /** where in a file stream the write was to put it (absent: a pipe, a terminal, a replay) */
  pos?: number;
}

/** One step of a subtree at its position in the log, with the output it wrote. */
type Part = [number, Step | null, StreamChunk[]];
const NO_OUTPUT: StreamChunk[] = [];

/** Where a write of e's to fd lands. */
function destOf(e: Execution, fd: number): string {
  return e.stdio[fd === 2 ? '2' : '1'] === 'null' ? 'null' : e.streams[fd - 1] ?? '';
}

/**
 * A descendant's chunk as e's own output, on whichever of e's fds names the same open file; null
 * when it went to /dev/null or to a file or pipe that is neither. Such a file was opened inside
 * e's subtree (`cmd > out.txt`, `subprocess.run(cmd, stdout=open('f', 'w'))`), where its content
 * is an output by path, or inherited by e, where e's own fds are checked (attributes.ts); such a
 * pipe was made inside the subtree (`a | b`), and what flows there stays there.
 */
function asOwn(e: Execution, c: StreamChunk): StreamChunk | null {
  if (c.dest === e.streams[c.fd - 1]) return c;
  if (c.dest === e.streams[0]) return { ...c, fd: 1 };
  if (c.dest === e.streams[1]) return { ...c, fd: 2 };
  return null;
}

/** What an empty pipe holds (Linux's default), so that a write of no more never waits. */
const PIPE_HOLDS = 65536;

/**
 * Why a replay of the entry's output could hang, or null. The skipped process is held at its
 * exec while its output is written; a reader that reads only once that exec is done (a parent
 * in posix_spawn or vfork, Python's subprocess waiting on its exec-error pipe) then waits for
 * the replay, and the replay for it, as soon as the output outgrows the pipe.
 */
function replayWouldWait(entry: Entry, q: ExecQuery, pipes: ReplayPipes): string | null {
  let socket = false;
  const bytes = (entry.stream?.chunks ?? []).reduce((n, c) => {
    const kind = q.stdio[c.fd === 2 ? 2 : 1];
    socket ||= kind === 'socket';
    return kind === 'pipe' || kind === 'socket' ? n + c.bytes : n;
  }, 0);
  if (bytes <= PIPE_HOLDS || (!socket && pipes.mayBlock())) return null;
  return `its ${bytes} bytes of output are more than a pipe holds: replayed, they could wait for a reader that waits for the exec`;
}

/** Programs whose effect is the time they take: skipped, they would take none, and what runs
 * beside them, timed against them, would run otherwise (`{ sleep 0.1; seq 3; } | grep -q x`:
 * seq's SIGPIPE depends on grep having ended). Never looked up nor recorded; a script that
 * runs them is still reused whole. */
const TIME_IS_THEIR_EFFECT: ReadonlySet<string> = new Set(['sleep', 'usleep']);

/** SIGPIPE's bit in /proc/PID/status masks (signal 13) */
const SIGPIPE_BIT = 1n << 12n;

/**
 * Why the entry's output cannot be replayed into q's pipes: q ignores or blocks SIGPIPE, so a
 * write after its reader went away fails with EPIPE, and what the program then does is its own
 * (`seq: write error`, exit 1). A replay cannot fail that way; with SIGPIPE at its default, the
 * tracer kills the skipped process by SIGPIPE as the program would have been (native end_held).
 * Output a pipe holds is let through: the program's writes, too, fail only if the reader is gone
 * before them, a race either way (README: not modelled).
 */
function pipeErrorHidden(entry: Entry, q: ExecQuery, readerGone: (fd: 1 | 2) => boolean): string | null {
  const masked = [q.process.sigign, q.process.sigblk].some((m) => m !== undefined && /^[0-9a-f]+$/i.test(m) && (BigInt(`0x${m}`) & SIGPIPE_BIT) !== 0n);
  if (!masked) return null;
  const piped = (entry.stream?.chunks ?? []).reduce((n, c) => (['pipe', 'socket'].includes(q.stdio[c.fd === 2 ? 2 : 1]) ? n + c.bytes : n), 0);
  const gone = ([1, 2] as const).some((fd) => q.stdio[fd] === 'pipe' && entry.stream?.chunks.some((c) => c.fd === fd && c.bytes > 0) && readerGone(fd));
  return piped > PIPE_HOLDS || gone ? 'it ignores or blocks SIGPIPE: replayed into a pipe whose reader is gone, its writes could not fail with EPIPE as the program\'s would' : null;
}

/** How long a hit's output waits for its pipe's reader to exec: a pipeline's next stage execs
 * within a few ms of its fork, 90 ms under load; a reader that reads without an exec (`| while
 * read`) lets it go at its first read (native pct_release_read). Only a reader that neither execs
 * nor reads fd 0 (one that polls first) pays it. A longer PROCESSCACHE_EXEC_WAIT_MS lengthens it
 * too: both bound how long a stage waits for its neighbour's exec, and a reader that execs after
 * the deadline misses (a loaded CI machine's exec came after 300 ms). */
const DEFER_MS = 300;
/** How long a reader waits at its exec for its writers, shells' forks, to exec (waitExec): a stage
 * of a pipeline often execs before the stage that feeds it, which may be skipped (then its output
 * keys the reader). The writers' execs come within ms; any write into the pipe ends the wait. */
export const DEFAULT_EXEC_WAIT_MS = 100;
/** How long a reader's wait at its exec may go on past its deadline while the stage before it is
 * held at its own exec or still on its way there (mayWaitAgain). */
const CHAIN_WAIT_MS = 5000;

/** Two runs of parts, each in log order, as one (a sort of a compile's thousand accesses cost more). */
function mergeByPosition(a: Part[], b: Part[]): Part[] {
  if (!b.length) return a;
  const out: Part[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) out.push(a[i]![0] <= b[j]![0] ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/** What an exec that was let run was told, kept for the execution it starts. */
interface ExecAnswer {
  exe: string;
  /** the weak fingerprint it was looked up under (none when it was not looked up) */
  weak?: string;
  /** for a miss: how each candidate differed */
  missWhy?: string;
  /** why it cannot be recorded, known already at its exec */
  refused?: string;
  /** what its process inherited (limits, credentials, fds, affinity...) */
  view?: ProcessView;
  /** its place among snapshots and answers */
  tick: number;
  /** the open files it inherited (fds 0-2 and those >= 3 the tracer listed), by identity */
  inherited?: ReadonlySet<string>;
  /** the CI context variables in its environment that are searched for by value */
  context?: ContextValue[];
  /** of those, the values it was handed in its argv or other variables: its ancestors depend on them */
  passed?: ContextPair[];
  /** the pipe on its stdin, whose bytes (all of them known at the exec) are in its weak fingerprint */
  stdinPipe?: string;
  /** its weak fingerprint keyed on the bytes of the pipe on its stdin, which were not all there at
   * its exec: taken as it reads them (native stdin_exit), they key it if it read them all alone */
  rekey?: (stdinSha256: string) => string;
}

/** Nothing to store: an absence, a directory, a link, or a blob a restore just verified. */
const STORED: Promise<boolean> = Promise.resolve(true);

interface Lazy<T> {
  value(): T;
}

function lazy<T>(make: () => T): Lazy<T> {
  let made: { v: T } | undefined;
  return { value: () => (made ??= { v: make() }).v };
}

/** A stat input's key among an entry's: a stat and an lstat of one path are two. */
function statKey(path: string, nofollow: boolean | undefined): string {
  return nofollow ? `l${path}` : `s${path}`;
}

/** The type lstat says a path has, or undefined when nothing is there. */
/** The regular file at path as the hard-link checks know it: device and inode, and its links; null for anything else. */
function fileIdentity(path: string): { id: string; links: number } | null {
  try {
    const st = lstatSync(path, { throwIfNoEntry: false });
    return st?.isFile() ? { id: `${st.dev}:${st.ino}`, links: st.nlink } : null;
  } catch {
    return null; // out of processcache's reach (sudo mode, a root 700 directory): its content decides
  }
}

function lstatType(path: string): string | undefined {
  try {
    const st = lstatSync(path, { throwIfNoEntry: false });
    return st ? typeOfMode(st.mode) : undefined;
  } catch {
    return undefined;
  }
}

const TYPE_BITS: Record<string, number> = {
  fifo: 0o010000, char: 0o020000, dir: 0o040000, block: 0o060000, file: 0o100000, symlink: 0o120000, socket: 0o140000,
};

/** A type's S_IFMT bits: a stat spec keeps the type apart from the permission bits. */
function typeMode(type: string): number {
  return TYPE_BITS[type] ?? 0;
}

/**
 * How long the recording of an ended execution waits for its parent's wait to return it (the
 * tracer's REAPED, where reaped() pins its subtree's reads). The exit event comes before the
 * REAPED, and the recording would otherwise fold the subtree without the pins whenever the parent
 * is slow to get out of its wait (a loaded machine): then gcc's removal of the /tmp/cc*.s that as
 * read refused as's entry. A parent that never waits (SIGCHLD ignored) or waits late costs this
 * much delay to the recordings, nothing to the traced processes.
 */
const REAP_WAIT_MS = 1000;

interface ReapWait { done: Promise<void>; resolve: () => void }

/** Lets the event loop read what the tracer sent (an exec query) before the caller goes on. */
function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Opens that leave an fd writing into the file. */
const OPENS_FOR_WRITING: ReadonlySet<string> = new Set(['write', 'create', 'truncate']);
/** Opens by path that say what stat said of the file: a pipe among them gets a reader or a writer. */
const PIPE_OPENS: ReadonlySet<string> = new Set(['read', 'write', 'create', 'truncate']);
/** Changes by the traced command that can change where a path leads. */
const STRUCTURAL = new Set(['rename', 'delete', 'rmdir', 'symlink', 'link', 'mknod']);

function short(value: string): string {
  return value.length > 24 ? `${value.slice(0, 20)}...` : value;
}

/** From this fd up, the tracer sees reads as it sees reads of fd 0 (native/syscalls.h PCT_SAVED_FD_MIN). */
const SAVED_FD_MIN = 10;

/** The kinds of stdin whose bytes an ancestor that made them ran every writer of. */
const STDIN_CHANNELS: ReadonlySet<string> = new Set(['pipe', 'socket']);

/** The kinds of stdin whose reads need no capture: nothing (an end keyed by stdinKind, or EBADF:
 * a closed stdin is in every weak key), or a file whose content is an input. */
const SEEN_STDIN: ReadonlySet<string> = new Set(['null', 'closed', 'file']);

/** Whether what stat said is the open file fd 1 or 2 named at the exec. */
function ownStream(e: Execution, seenText: string): boolean {
  const seen = parseSeen(seenText);
  const id = seen ? openFileOf(seen) : '';
  return id !== '' && (id === e.streams[0] || id === e.streams[1]);
}

/** A signal's name for a reason ("SIGTERM"), or its number. */
function signalName(signal: number): string {
  return Object.entries(osConstants.signals).find(([, n]) => n === signal)?.[0] ?? `signal ${signal}`;
}

/** What in one execution's own doing makes a replay of it unfaithful. within: is the execution
 * of that id in e's subtree (e itself included)? */
function ownUnsafety(e: Execution, within: (id: number) => boolean): Unsafe[] {
  const why = (reason: string): Unsafe => ({ exe: e.exe, reason });
  const found = e.flags.slice(0, 1).map(why);
  // what it does on a signal is an input: none of its inputs holds whether one came (a cancelled
  // job's SIGTERM, which its trap turns into exit 0, would be replayed as the whole job)
  // another process's doing or state (null: one outside the command), liftable where it is within
  const outside = (from: number | null): boolean => from === null || !within(from);
  const fromOther = (from: number | null, reason: string): Unsafe => ({ ...why(reason), ...(from === null ? {} : { otherExec: from }) });
  const signal = e.signals.find((g) => outside(g.from));
  if (signal) {
    const from = signal.from === null ? 'from outside the command (a cancelled job, a terminal, another program)' : 'from a process outside its subtree';
    found.push(fromOther(signal.from, `it received ${signalName(signal.signal)} ${from}`));
  }
  // killed by SIGKILL, which makes no delivery stop: who sent it cannot be seen (the OOM killer, a
  // `kill -9` from outside), and an ancestor that went on would replay the failure (hunt 30)
  if (e.signal === osConstants.signals.SIGKILL) found.push(why('it was killed by SIGKILL, whose sender cannot be seen (the OOM killer, a kill -9)'));
  // a signal it sent: a replay would not send it, and the receiver would go on otherwise
  const sent = e.signalled.find((g) => !within(g.to));
  if (sent) found.push(fromOther(sent.to, sent.signal === 0 ? 'it asks whether a process outside its subtree lives (kill with signal 0)' : `it sends ${signalName(sent.signal)} to a process outside its subtree`));
  // another process's state, read in /proc: no input holds it
  const peek = e.procReads.find((r) => outside(r.from));
  if (peek) {
    const whose = peek.from === null ? 'a process outside the command' : 'a process outside its subtree';
    found.push(fromOther(peek.from, `it reads /proc/${peek.pid}, the state of ${whose}`));
  }
  // its stdout's file opened again by path: what it writes there is output and content at once
  const reopened = e.accesses.find((a) => (a.op === 'write' || a.op === 'truncate') && a.seen && !WRITE_SINKS.has(a.path ?? '') && ownStream(e, a.seen));
  if (reopened) found.push(why(`it opens ${reopened.path}, its own stdout or stderr, by path: its writes there would be restored and replayed`));
  // stdin from a regular file is an input (its content, its offset at the exec and at the end)
  if (SEEN_STDIN.has(e.stdio['0'])) return found;
  // a pipe's bytes come from its writers: unknown to a replay of this execution, but not to an
  // ancestor that made the pipe and ran them all (`a | b` in a script). A socket is such a pipe
  // too: Node's child_process (libuv) gives a child's stdin as one end of a socketpair, and a
  // socket that reaches outside the subtree was inherited (refused) or connected (flagged)
  const pipe = STDIN_CHANNELS.has(e.stdio['0']) && e.stdinId ? { pipe: e.stdinId } : {};
  if (e.accesses.some((a) => a.op === 'stdin')) found.push({ ...why(`it reads stdin (${e.stdio['0']})`), ...pipe });
  // writes are seen on every fd, reads only on fd 0 and from fd 10 up (where the shells save fd 0
  // around a redirection): a copy of stdin below 10 could be read unseen
  const dup = e.accesses.find((a) => a.op === 'dup' && a.fd === 0 && typeof a.to === 'number' && a.to < SAVED_FD_MIN);
  if (dup) found.push({ ...why(`it copies its stdin (${e.stdio['0']}) to fd ${dup.to}, whose reads are not seen`), ...pipe });
  return found;
}

/** The stream with the chunks found in a file put in the order the file holds them, each in one
 * of their places: make -j2's jobs are folded each where it ended, and wrote line by line. */
function inFileOrder(stream: StreamChunk[], placedAt: ReadonlyMap<object, number>): StreamChunk[] {
  const slots = stream.flatMap((c, i) => (placedAt.has(c) ? [i] : []));
  const sorted = slots.map((i) => stream[i]!).sort((a, b) => placedAt.get(a)! - placedAt.get(b)!);
  const out = [...stream];
  slots.forEach((slot, k) => { out[slot] = sorted[k]!; });
  return out;
}

/** Is the attribute name the ancestor's too? What its stdin was, only when the descendant's
 * stdin is the ancestor's: one the subtree set up itself (`wc < /dev/null` in a script) is the
 * subtree's doing. */
function sameStdin(name: string, descendant: Execution, ancestor: Execution): boolean {
  return name !== 'stdinKind' || descendant.stdinId === ancestor.stdinId;
}

/**
 * A descendant's observed attributes, as its ancestor's. Where a stream's output starts concerns
 * the ancestor only when that stream is one the ancestor inherited: a file its subtree opened
 * (`sort > out/x`) starts where the subtree's own files put it, and keying on the ancestor's own
 * log offset there would end its reuse for nothing.
 */
function seenFrom(names: string[], descendant: Execution, ancestor: Execution, inherited: ReadonlySet<string> | undefined, unsafe: Unsafe[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    if (!sameStdin(name, descendant, ancestor)) continue;
    const at = (STREAM_START_KEYS as readonly string[]).indexOf(name);
    if (at < 0) {
      out.push(name);
      continue;
    }
    // the ancestor's stdout, stderr or both may be that file (`>&2`): its own start there
    const id = descendant.streams[at]!;
    if (id === '' || id === '0') continue;
    ancestor.streams.forEach((mine, i) => {
      if (mine === id) out.push(STREAM_START_KEYS[i]!);
    });
    // a file the ancestor inherited on another fd (`>&3` into `3>>log`): where that one stands
    // at the ancestor's exec is not keyed (hunt 9)
    if (!ancestor.streams.includes(id) && (inherited === undefined || inherited.has(id))) {
      addUnsafe(unsafe, { exe: descendant.exe, reason: 'it looked (fstat or lseek) at where its output goes in a file its ancestor inherited on another fd, which is not keyed' });
    }
  }
  return out;
}

/**
 * Adds a reason to a subtree's list, which stays short: once a reason no ancestor can lift is in
 * it, the subtree is unsafe for good; of the pipe reasons, one per pipe is enough.
 */
function addUnsafe(list: Unsafe[], u: Unsafe): void {
  const liftable = (x: Unsafe): boolean => x.pipe !== undefined || x.otherExec !== undefined;
  if (list.some((x) => !liftable(x) || (u.pipe !== undefined && x.pipe === u.pipe) || (u.otherExec !== undefined && x.otherExec === u.otherExec))) return;
  list.push(u);
}

/** Less free than this where a subtree wrote: one of its writes may have failed unseen (ENOSPC). */
const LOW_SPACE_BYTES = 1 << 20;
/** Directories looked at per recording: a build writes into a few */
const LOW_SPACE_DIRS = 64;

/**
 * Why a restore could not leave path with the owner it has, or null: a restore makes its files
 * processcache's, in the group of a setgid directory as the kernel does. A step that runs a
 * program as another user (`setpriv`, `sudo -u`) leaves files that user owns; restored as
 * processcache's, that user could not write them any more (its next `echo > t/f` fails).
 */
function foreignOwner(path: string, st: BigIntStats): string | null {
  const uid = process.geteuid?.(), gid = process.getegid?.();
  if (uid === undefined || gid === undefined) return null; // not POSIX: no owners to keep
  const parent = statSync(dirname(path), { throwIfNoEntry: false });
  const group = parent && (parent.mode & 0o2000) !== 0 ? parent.gid : gid;
  if (Number(st.uid) === uid && Number(st.gid) === group) return null;
  return `${path} is owned by ${st.uid}:${st.gid}, and a restore would make it ${uid}:${group}'s (a program run as another user made it)`;
}

/**
 * Why the subtree's outputs sit on a file system too full to trust, or null. Writes into files
 * opened by path are not stopped at their result: a write that failed for a full disk shows only in
 * what the program printed and how it ended, which a replay would repeat once the disk has room
 * (hunt 14: one full disk kept replaying `cp: error writing`). Free space is no input: such a run
 * is not recorded.
 */
function lowOnSpace(outputs: readonly string[]): string | null {
  const dirs = new Set(outputs.map((p) => dirname(p)));
  let looked = 0;
  for (const dir of dirs) {
    if (++looked > LOW_SPACE_DIRS) break;
    try {
      const st = statfsSync(dir);
      const blocks = process.getuid?.() === 0 ? st.bfree : st.bavail;
      if (blocks * st.bsize < LOW_SPACE_BYTES) return `${dir} is on a file system with ${blocks * st.bsize} bytes free: a write there may have failed (ENOSPC), and free space is no input`;
    } catch {
      // gone: what the outputs hold is checked on its own
    }
  }
  return null;
}

/** Each pair once, in the order first met. */
function uniquePairs(pairs: ContextPair[]): ContextPair[] {
  const seen = new Set<string>();
  return pairs.filter((p) => {
    const key = `${p.name}=${p.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface Unsafe {
  /** the program in the subtree that did it */
  exe: string;
  reason: string;
  /** the pipe or socket it read: no reason against an ancestor that did not inherit it */
  pipe?: string;
  /** the execution that sent it a signal or whose /proc entry it read: no reason against an
   * ancestor whose subtree holds it */
  otherExec?: number;
}

/** A file changed in place while it had other names: its path then, and its dev:ino. */
interface LinkedChange { path: string; id: string }

/** The changes that reach every name of a file: its bytes and its mode. */
const IN_PLACE_CHANGES: ReadonlySet<string> = new Set(['write', 'truncate', 'chmod']);

/** An ended execution's subtree as its parent sees it. */
interface Folded {
  summary: Summary;
  /** why replaying the subtree would not be faithful (tracer flags, stdin, dups); none: it would */
  unsafe: Unsafe[];
  /** reads of a pipe the execution's key holds (the bytes read ahead at its exec, or its reads):
   * no reason against it, but one against an ancestor that neither holds those bytes in its key
   * nor made the pipe (hunt 37: `cat` keyed on the pipe inside a `bash -c` that was not, which then
   * replayed the old bytes' output) */
  keyedReads: Unsafe[];
  /** files with other names the subtree changed in place (noteLinkedChange) */
  linked: LinkedChange[];
  /** in the execution's own terms: its fds, and what they named */
  stream: StreamChunk[];
  /** its position in the log: where its effects fall among its parent's own accesses */
  endAt: number;
  /** its output into a stream file was read back from the file, not taken write by write */
  ranged?: true;
  /** what the hits in the subtree would have cost to run: their recorded durations */
  savedMs: number;
  /** the attributes (affinity, uname) the subtree read */
  observed: string[];
  /** the context values its descendants were handed or their entries depend on: found without a search */
  context: ContextPair[];
}

/** A recording under watch for changes reported late: spoiled before it was written, or withdrawn after. */
interface LateWatch {
  spoiled?: string;
  written?: { entry: Entry; done: Promise<void> };
}

/** A lookup's view of an entry's stat'ed mtimes: the part of each stat input's value they make. */
interface MtimeParts {
  suffix: Map<string, string>;
  /** the mtimes seen, by stored path: what the entry's stat inputs held when it hit */
  mtimes: Map<string, bigint>;
  /** when they were read (epoch ns) */
  at: bigint;
}

/** How many log items before an execution's exec are looked at for writes that may run after it. */
const EARLY_ITEMS = 64;

interface Hit {
  entry: Entry;
  /** the context values its argv or other variables hold: its ancestors depend on them */
  passed: ContextPair[];
  /** the mtimes its stat inputs had at the lookup: what a parent's recording orders */
  mtimes: Map<string, bigint>;
  /** when the lookup read them (epoch ns) */
  mtimesAt: bigint;
  /** what the restore created and removed: the changes a listing by the parent must discount */
  created: string[];
  removed: string[];
  /** the pipe on its stdin, whose bytes its key held: its replay stands for reading them */
  stdinPipe?: string;
}

export class MemoEngine {
  readonly stats: MemoStats = { ran: 0, reused: 0, savedMs: 0, bytesRestored: 0, hitCostMs: 0, stdinWaits: 0, readBack: 0, deferEnds: { read: 0, deadline: 0, watched: 0 }, executions: [] };
  private readonly rows = new Map<number, ExecutionRow>();
  /** what each exec that was let run was told, by pid until the exec is seen, then by execution */
  private readonly answerOfPid = new Map<number, ExecAnswer>();
  /** by execution: files with other names it changed in place (noteLinkedChange) */
  private readonly linkedChanges = new Map<number, LinkedChange[]>();
  /** processes held at their exec (told to wait), and since when (mayWaitAgain) */
  private readonly waitingSince = new Map<number, number>();
  private readonly answerOf = new Map<number, ExecAnswer>();
  private recording: Promise<void> = Promise.resolve();
  /** ended processes whose parent's wait has not returned them yet (reaped() has not run), by pid */
  private readonly reapWaits = new Map<number, ReapWait>();
  private readonly writes: Promise<void>[] = [];
  /** each ended execution's subtree, folded: what its parent composes instead of re-reading it */
  private readonly folded = new Map<number, Folded>();
  /** the hits whose replays wrote into files (their stdout or stderr): when (ms on the tracer's
   * clock), the execution their process ran then (its parent's), and what they wrote, by file */
  private readonly replayedIntoFiles: { atMs: number; within: Execution | null; chunks: { identity: string; data: Buffer }[] }[] = [];
  /** stored input paths found changed by a lookup in this run */
  private readonly knownDifferent = new Set<string>();
  private readonly snapshots = new OutputSnapshots();
  /** recorded entries, watching for changes reported after they were recorded */
  private readonly late = new LateChanges();
  /** orders snapshots and exec answers (the log's length does not: exits and spawns add nothing) */
  private tick = 0;
  /** pipes some process opened by path (/proc/PID/fd/N): a new writer or reader of a pipe whose
   * bytes were read ahead, which the key of its reader does not cover */
  private readonly pipesByPath = new Set<string>();
  /** the open files the command inherited (a pipe among them has holders outside the trace) */
  private outside: ReadonlySet<string> | 'unknown' | undefined;
  /** hits whose output into a pipe waits for the exec of the pipe's reader, by pipe */
  private readonly deferred = new Map<string, PendingOutput & { tid: number }>();
  /** the processes that opened each path for writing: while one lives, it may hold the file open */
  private readonly writingPids = new Map<string, Set<number>>();
  /** each rename, by its source path: a file open for writing keeps its writes going to the new name */
  private readonly renames = new Map<string, { to: string; at: number }[]>();

  private readonly fs: FsView;
  private readonly restorer: Restorer;
  /** the symlinks on the way to each path the subtrees touched */
  private readonly walker = new LinkWalker();
  /** each program's #! interpreter, or null for a binary */
  private readonly interpreters = new Map<string, string | null>();
  /** reads hashed while the file still held what was read */
  private readonly pins: Pins;
  /** which CI context values what an execution left holds, each blob searched once */
  private readonly context: ContextSearch;
  /** the blobs hits fetched last, their hashes checked */
  private readonly recentBlobs: RecentBlobs;

  constructor(private readonly opts: MemoOptions, private readonly builder: TraceBuilder) {
    this.fs = new FsView(opts.hasher);
    this.recentBlobs = new RecentBlobs(opts.store);
    this.context = new ContextSearch(opts.ignoreEnv, async (blob, path) => bytesIfStill(opts.roots.load(path), blob) ?? await this.recentBlobs.getBlob(blob));
    this.restorer = new Restorer(opts.roots, { keepSetId: keepsSetId(opts.store.trusted) });
    this.stats.deferEnds = builder.deferEnds; // counted live by the builder
    this.pins = new Pins(opts.hasher, builder);
    builder.onAccessSeen = (access, exec, at, beganNs, timeNs, pid) => {
      if (this.failed) return;
      try {
        this.accessSeen(access, exec, at, beganNs, timeNs, pid);
      } catch (e) {
        this.fail(e);
      }
    };
    builder.onExecutionStart = (exec) => {
      if (this.failed) return;
      try {
        this.started(exec);
      } catch (e) {
        this.fail(e);
      }
    };
    builder.onExecutionEnd = (exec) => {
      if (this.failed) return;
      // where it ended in the log is known now; the recording itself waits its turn
      const endAt = builder.log.length - 0.5;
      // judged now, in event order: by the time the recording runs, a descendant that outlived
      // exec may have ended too, and its effects would be missing from exec's entry
      const outlived = builder.hasLiveDescendant(exec);
      // before any exec that comes after this exit is answered: what exec left, as it left it
      try {
        if (!exec.skipped && !outlived) this.capture(exec, endAt);
      } catch (e) {
        this.fail(e);
        return;
      }
      // the parent's wait, coming next, pins what the subtree read: the fold waits for it
      const reap = exec.skipped || outlived || exec.pid === builder.rootPid ? undefined : this.expectReap(exec.pid);
      this.recording = this.recording.then(() => this.failed ? undefined : this.ended(exec, endAt, outlived, reap)).catch((e: unknown) => {
        this.opts.warn(`recording ${exec.exe} failed: ${(e as Error).message}`);
      });
    };
  }

  /**
   * What went wrong in the engine's own bookkeeping while the command ran: from then on nothing
   * is looked up or recorded (what it knows may be missing a piece), and the command runs on as
   * without processcache. A cache problem never fails the user's job.
   */
  private fail(e: unknown): void {
    this.failed = e instanceof Error ? e.message : String(e);
    this.opts.warn(`memoization stopped for this run, the command goes on untouched: ${this.failed}`);
  }

  private failed: string | null = null;

  private accessSeen(access: Access, exec: number, at: number, beganNs: number | undefined, timeNs: number, pid: number): void {
    this.notePipeByPath(access);
    if (access.op === 'read' && access.result === 'ok' && access.seen && access.path) {
      this.pins.noteRead(access, timeNs);
      // under the root a change by the subtree can be recorded: what it read may be its input
      if (this.opts.roots.allows(access.path)) this.pins.atRead(access, at);
      return;
    }
    if (access.result !== 'ok' || !access.path || !CHANGE_OPS.has(access.op) || WRITE_SINKS.has(access.path)) return;
    this.noteLinkedChange(access, exec);
    if (OPENS_FOR_WRITING.has(access.op) && !access.keepsPrefix) {
      const pids = this.writingPids.get(access.path);
      if (pids) pids.add(pid);
      else this.writingPids.set(access.path, new Set([pid]));
    }
    const change: Change = beganNs === undefined ? { at, exec } : { at, exec, beganNs };
    // under every name it reaches: a recording watches the real one (hunt 60: `chmod 700 L`, L -> d)
    for (const name of this.fs.changed(access.path, change)) this.late.reported(name, change);
    this.walker.reshaped(access.path);
    if (access.op === 'rename' && typeof access.to === 'string') {
      const moves = this.renames.get(access.path);
      if (moves) moves.push({ to: access.to, at });
      else this.renames.set(access.path, [{ to: access.to, at }]);
    }
    if (typeof access.to === 'string') {
      for (const name of this.fs.changed(access.to, change)) this.late.reported(name, change);
      this.walker.reshaped(access.to);
    }
    if (STRUCTURAL.has(access.op)) {
      this.fs.reshaped(access.path);
      if (typeof access.to === 'string') this.fs.reshaped(access.to);
      if (access.op === 'rename' && typeof access.to === 'string' && statNow(access.to, true)?.isDirectory()) this.fs.renamed(access.path, access.to);
    }
  }

  /**
   * The parent of process pid has just been told that it ended (its wait returned it), and waits
   * at that return until this is done: every read in the subtree that ended there is pinned, so
   * that a change the parent makes next (configure rewriting the conftest.c its compiler just
   * read) does not spoil what the recording, which comes later, takes as read.
   */
  reaped(pid: number): void {
    try {
      this.pinAtReap(pid);
    } finally {
      this.reapWaits.get(pid)?.resolve(); // its recording may fold it now
    }
  }

  /** A wait for the REAPED of pid, which has just ended; resolved by reaped(pid), or after REAP_WAIT_MS. */
  private expectReap(pid: number): ReapWait {
    const known = this.reapWaits.get(pid);
    if (known) return known; // an exec chain: one process, one wait
    let resolve!: () => void;
    const done = new Promise<void>((r) => { resolve = r; });
    const timer = setTimeout(() => wait.resolve(), REAP_WAIT_MS);
    timer.unref();
    const wait: ReapWait = {
      done,
      resolve: () => {
        clearTimeout(timer);
        if (this.reapWaits.get(pid) === wait) this.reapWaits.delete(pid);
        resolve();
      },
    };
    this.reapWaits.set(pid, wait);
    return wait;
  }

  /** The reads in exec's subtree that a hold may pin, with their places in the log: a file from
   * outside the root that the run never changed is read at the recording, as before. */
  private *holdableReads(exec: Execution): Generator<[number, Access & { path: string }]> {
    const stack = [exec];
    for (let e = stack.pop(); e; e = stack.pop()) {
      for (const [pos, item] of this.builder.ownLog(e.id)) {
        const a = item.kind === 'access' ? item.access : null;
        if (!a || a.op !== 'read' || a.result !== 'ok' || !a.seen || !a.path) continue;
        if (this.opts.roots.allows(a.path) || this.fs.changes.touched(a.path)) yield [pos, a as Access & { path: string }];
      }
      stack.push(...this.builder.childrenOf(e));
    }
  }

  /** Whether a hold at the parent's wait would pin a read in exec's subtree not pinned yet. */
  private holdWouldPin(exec: Execution): boolean {
    for (const [, a] of this.holdableReads(exec)) if (this.pins.mayPinAtHold(a)) return true;
    return false;
  }

  private pinAtReap(pid: number): void {
    const top = this.builder.endedIn(pid);
    if (!top || top.skipped) return;
    const at = this.builder.log.length;
    for (const [pos, a] of this.holdableReads(top)) {
      const changedSince = this.fs.changes.foreign({ path: a.path, kind: 'content' }, pos, () => false) !== null;
      this.pins.atHold(a, at, changedSince);
    }
    this.pins.endPass();
  }

  /** The weak fingerprint; a query without a umask (explain, an old kernel) is taken to have the root's. */
  /** stdinPipe: what the pipe on its stdin will deliver, when that is known at the exec */
  weakOfQuery(q: Pick<ExecQuery, 'exe' | 'argv' | 'cwd' | 'env' | 'stdio'> & { umask?: number | null }, view: ProcessView, stdinPipe?: PipeStdin): string {
    return weakKey({
      toolVersion: this.opts.toolVersion, exe: q.exe, argv: q.argv, cwd: q.cwd, env: q.env,
      stdio: q.stdio, umask: q.umask ?? this.opts.umask, process: stdinPipe ? { attrs: view.key, stdin: stdinPipe.sha256 } : view.key,
    }, this.opts.ignoreEnv);
  }

  /** The exec hook: a hit restores the outputs and skips the program. A hit's output deferred
   * into this exec's stdin is let go with the answer: dropped when this exec is skipped, keyed on
   * those bytes (its recorded run read them all), else written. */
  readonly decide = async (q: ExecQuery): Promise<ExecDecision> => {
    if (this.failed) return { skip: false };
    const pending = this.pendingInto(q);
    const keyed = { onPending: false };
    const decision = await this.decideExec(q, pending, keyed);
    if (!decision.skip && decision.wait) {
      if (!this.waitingSince.has(q.pid)) this.waitingSince.set(q.pid, performance.now());
    } else {
      this.waitingSince.delete(q.pid);
    }
    if (!pending || (!decision.skip && decision.wait)) return decision;
    this.deferred.delete(q.stdinId);
    return { ...decision, release: { tid: pending.tid, write: !(decision.skip && keyed.onPending) } };
  };

  /** The deferred output into q's stdin, while its writer is still held for it. */
  private pendingInto(q: ExecQuery): (PendingOutput & { tid: number }) | undefined {
    const pending = q.stdio[0] === 'pipe' && q.stdinId ? this.deferred.get(q.stdinId) : undefined;
    if (pending && (this.builder.deferEnded.has(pending.tid) || !this.builder.livePids.has(pending.writer))) {
      this.deferred.delete(q.stdinId); // let go at its deadline, or gone
      return undefined;
    }
    return pending;
  }

  /** keyed.onPending: the answer's lookup was keyed on pending, which a skip then drops */
  private async decideExec(q: ExecQuery, pending: PendingOutput | undefined, keyed: { onPending: boolean }): Promise<ExecDecision> {
    const started = performance.now();
    // first, even for a query refused below: the command's own exec tells what every process inherits
    const context = this.context.valuesOf(q.env);
    // what its ancestors depend on: values handed to it, and variables it names (which it depends on too)
    const passed = [...this.context.passedOn(context, q.argv, q.env, this.opts.ignoreEnv), ...this.context.namedInArgs(context, q.argv)];
    if (q.umask === null) {
      // the modes of what it creates depend on it: neither looked up nor recorded
      // what it was handed and names keys its ancestors even though it is refused
      return this.letRun(q, { refused: 'its umask could not be read (/proc/PID/status has none before Linux 4.7)', passed });
    }
    if (TIME_IS_THEIR_EFFECT.has(basename(q.exe))) return this.letRun(q, { refused: 'what it does is take time: skipped, it would take none', passed });
    // a thread other than the leader execs: the other threads end there, and a skip in its place
    // replayed its output twice into the parent's entry (hunt 35)
    if (q.tid !== q.pid) return this.letRun(q, { refused: 'its exec is made by a thread that is not its process\'s first: a replay there is not modelled', passed });
    const view = viewOf(q.process, q.env, q.streams, q.stdio[0] ?? '', q.exe);
    if (view.refused) return this.letRun(q, { refused: view.refused, passed });
    const readable = this.readableStream(q, view);
    if (readable) return this.letRun(q, { refused: readable, passed });
    const packets = this.packetStream(q);
    if (packets) return this.letRun(q, { refused: packets, passed });
    const piped = this.finishedPipe(q, pending);
    if (piped === 'wait' || piped === 'waitExec') {
      this.stats.stdinWaits++;
      return { skip: false, wait: true, ...(piped === 'waitExec' ? { waitMs: this.opts.execWaitMs ?? DEFAULT_EXEC_WAIT_MS } : {}) };
    }
    const stdinPipe = piped === 'later' ? undefined : piped;
    keyed.onPending = stdinPipe?.pending === true;
    const weak = this.weakOfQuery(q, view, stdinPipe);
    const pipes = new ReplayPipes(q, this.builder.livePids, this.builder.vforked.has(q.pid));
    let missWhy: string | undefined;
    try {
      const candidates = this.opts.index.candidates(weak);
      const misses: string[] = [];
      for (const entry of candidates) {
        const seeks = seeksOf(entry);
        if (typeof seeks === 'string') {
          misses.push(seeks);
          continue;
        }
        const parts = this.mtimeParts(entry);
        const differs = attributeDifference(entry, view) ?? contextDifference(entry, q.env) ?? this.firstDifference(entry, parts) ?? replayWouldWait(entry, q, pipes) ?? pipeErrorHidden(entry, q, (fd) => this.readerGone(q, fd)) ?? this.heldOpen(entry) ?? this.restorer.obstacle(entry);
        if (differs) {
          misses.push(differs);
          continue;
        }
        const blobs = await fetchBlobs(entry, this.recentBlobs);
        // the restore's changes are the parent's doing (-1: nobody's, for a skipped root); noted
        // first, since a restore that fails half-way has changed some paths all the same
        const change = { at: this.builder.log.length, exec: this.builder.executionOf(q.pid)?.id ?? -1, tick: ++this.tick };
        const paths = entry.outputs.map((o) => this.opts.roots.load(o.path));
        for (const path of paths) {
          this.fs.changed(path, change);
          this.walker.reshaped(path); // a file restored where a symlink was, or the reverse
        }
        const restored = this.restorer.restore(entry, blobs);
        entry.outputs.forEach((o, i) => {
          if (o.type === 'file') this.fs.settle(paths[i]!, o.blob);
          else this.fs.reshaped(paths[i]!); // a directory, a link or a removal: paths may lead elsewhere
          const state: OutputState = { ...o, path: paths[i]! };
          this.snapshots.add(paths[i]!, { at: change.at, taken: ++this.tick, lookedNs: this.builder.nowNs(), exec: change.exec, state, stored: STORED });
        });
        await this.opts.store.touchEntry(entry);
        this.stats.reused++;
        this.stats.savedMs += entry.durationMs;
        this.stats.bytesRestored += restored.bytes;
        this.stats.hitCostMs += performance.now() - started;
        const hit: Hit = { entry, passed, mtimes: parts.value().mtimes, mtimesAt: parts.value().at, created: restored.created, removed: restored.removed, ...(stdinPipe ? { stdinPipe: stdinPipe.id } : {}) };
        const output = this.stream(entry, blobs);
        this.noteReplayIntoFiles(q, view, output);
        return { skip: true, exitCode: entry.exitCode, output, tag: hit, seeks, ...this.deferral(q, entry, blobs, pipes) };
      }
      missWhy = misses.length ? `${misses.length} candidate(s), none matches: ${misses.slice(0, 3).join('; ')}` : 'never recorded';
    } catch (e) {
      this.opts.warn(`cache lookup for ${q.exe} failed, running it: ${(e as Error).message}`);
    }
    const rekey = piped === 'later' ? (sha: string): string => this.weakOfQuery(q, view, { id: q.stdinId, sha256: sha }) : undefined;
    return this.letRun(q, { weak, missWhy, view, context, passed, ...(stdinPipe ? { stdinPipe: stdinPipe.id } : {}), ...(rekey ? { rekey } : {}) });
  };

  /**
   * Why the entry's outputs cannot be restored under a running process: a restore replaces a file
   * (or removes it), and a process that opened it for writing and still runs would go on writing
   * into the old one (`exec >log; mv log log2; echo b`, with mv a hit, left `b` in no file).
   */
  private heldOpen(entry: Entry): string | null {
    for (const o of entry.outputs) {
      const path = this.opts.roots.load(o.path);
      for (const pid of this.writingPids.get(path) ?? []) {
        if (this.builder.livePids.has(pid)) return `${path} may be open for writing in process ${pid}, which still runs: a restore would replace the file under it`;
      }
    }
    return null;
  }

  /** The bytes of the pipe on q's stdin when no process can write into it any more: an input
   * like a file's. Only for a pipe made inside the command, whose holders are all traced. */
  private finishedPipe(q: ExecQuery, pending: PendingOutput | undefined): PipeStdin | 'wait' | 'waitExec' | 'later' | undefined {
    // the command's own exec comes first: what it inherited, processes outside may hold too
    this.outside ??= q.process.fdsUnknown ? 'unknown' : new Set([q.stdinId, ...q.streams, ...q.process.fds.map((f) => f.identity)]);
    if (q.stdio[0] !== 'pipe' || !q.stdinId || this.outside === 'unknown' || this.outside.has(q.stdinId)) return undefined;
    if (this.builder.packetMode) return undefined; // a packet's bounds cannot be read ahead
    const piped = capturePipeStdin(q.pid, q.stdinId, this.holdersFirst(q.pid), pending);
    if (typeof piped === 'string') return undefined;
    // the stage before, forked and not yet exec'd, still holds the read end of the pipe bash made
    // for its output: it closes it before its exec, which is then waited for (a loaded CI
    // machine's race, which refused the reader)
    if ('shared' in piped) return this.mayWaitAgain(q, [piped.reader]) && this.waitsForExecOf(q.pid, [piped.reader]) ? 'waitExec' : undefined;
    if (!('unfinished' in piped)) return piped;
    if (!this.mayWaitAgain(q, piped.writers)) return 'later';
    if (this.opts.holdsPipeReaders && this.mayWaitFor(q.pid, piped.writers)) return 'wait';
    // 'later': no other reader, so what it reads may key it when it is recorded (keyOnReads)
    return this.waitsForExecOf(q.pid, piped.writers) ? 'waitExec' : 'later';
  }

  /** Has the pipe on q's fd no reader left? Known only for a pipe made inside the command. */
  private readerGone(q: ExecQuery, fd: 1 | 2): boolean {
    const id = q.streams[fd - 1];
    if (!id || this.outside === undefined || this.outside === 'unknown' || this.outside.has(id)) return false;
    return readerGone(id, this.builder.livePids);
  }

  /**
   * May q wait on for these writers? Yes before its deadline; after it (q.last) only while each
   * writer is held at its own exec (for the stage before it: a pipeline's chain, whose stages all
   * began waiting at once) or is a shell's fork waiting for a CPU on its way to its exec (a loaded
   * machine), and for CHAIN_WAIT_MS at most.
   */
  private mayWaitAgain(q: ExecQuery, writers: number[]): boolean {
    if (!q.last) return true;
    const since = this.waitingSince.get(q.pid);
    if (since === undefined || performance.now() - since > Math.max(CHAIN_WAIT_MS, this.opts.execWaitMs ?? 0)) return false;
    const onItsWay = (w: number): boolean => this.waitingSince.has(w) || (this.forkOfShell(w) && procStatFields(w)?.[0] === 'R');
    return writers.length > 0 && writers.every((w) => this.builder.livePids.has(w) && onItsWay(w));
  }

  /** May the reader pid wait at its exec for these shells' forks (none: no) to exec? */
  private waitsForExecOf(pid: number, forks: number[]): boolean {
    return (this.opts.execWaitMs ?? DEFAULT_EXEC_WAIT_MS) > 0 && forks.length > 0 && forks.every((f) => this.forkOfShell(f)) && this.mayWaitFor(pid, forks);
  }

  /** Is pid a shell's fork that has not exec'd yet: the stage before a reader, on its way to its
   * program, which its exec answers (skipped: its output may key the reader) in a moment? */
  private forkOfShell(pid: number): boolean {
    const e = this.builder.executionOf(pid);
    return e !== null && e.pid !== pid && SHELLS.has(basename(e.exe));
  }

  /**
   * A reader whose pipe was still written at its exec is recorded keyed on what it read, as a
   * later run looks it up keyed on a finished pipe's bytes: when it read up to the end, in one
   * process of one thread (another could change a read's buffer before the tracer copies it),
   * through fd 0 or a saved copy (not readv, splice, a copy below 10 or /dev/stdin), and
   * no other process could read there (none held the pipe at its exec: finishedPipe; no
   * descendant got it; nothing opened it by path).
   */
  private keyOnReads(exec: Execution): void {
    const answer = this.answerOf.get(exec.id);
    const pipe = exec.stdinId;
    if (!answer?.rekey || !answer.weak || answer.stdinPipe || !pipe || this.builder.packetMode || this.pipesByPath.has(pipe)) return;
    const sha = this.builder.stdinReads.get(exec.id)?.wholeSha256();
    if (!sha || exec.accesses.some((a) => a.op === 'dup' && a.fd === 0)) return;
    const holds = (e: Execution): boolean => e.stdinId === pipe || this.answerOf.get(e.id)?.inherited?.has(pipe) !== false;
    for (const todo = [...this.builder.childrenOf(exec)]; todo.length;) {
      const e = todo.pop()!;
      if (holds(e)) return;
      todo.push(...this.builder.childrenOf(e));
    }
    this.answerOf.set(exec.id, { ...answer, weak: answer.rekey(sha), stdinPipe: pipe });
  }

  /**
   * Can the reader pid wait at its exec for these writers to end? Not when one of them waits for
   * that exec: a vfork or posix_spawn parent is suspended until it, and a parent that holds the
   * pipe's write end (Python's subprocess, Node's spawn, bash's process substitution) usually
   * reads its exec-error pipe until then. Writers that run beside it (a pipeline's stages, `echo
   * $x | sed`'s subshell) end or fill the pipe; the tracer's deadline bounds the rest.
   */
  private mayWaitFor(pid: number, writers: number[]): boolean {
    if (this.builder.vforked.has(pid)) return false;
    const ancestors = new Set<number>();
    for (let e = this.builder.executionOf(pid); e; e = e.parent === null ? null : this.builder.executions[e.parent] ?? null) ancestors.add(e.pid);
    return writers.every((w) => !ancestors.has(w));
  }

  /** Why a stream that is a file open for reading too (`1<>log`) cannot be: what the program
   * reads there is not seen, and its size (fstat) is not where its output starts (hunt 9). */
  private readableStream(q: ExecQuery, view: ProcessView): string | null {
    for (const s of view.streamStarts) {
      const flags = fdFlags(q.pid, s.fd);
      if (flags === null || (flags & 3) === constants.O_RDWR) return `its fd ${s.fd} is open for reading too on ${s.path} (1<>file): what it reads there is not seen`;
      // a write there fails (EBADF) after the tracer took it, and a read through the shared open
      // file moves the offset as the write would have (hunt 26)
      if ((flags & 3) === constants.O_RDONLY) return `its fd ${s.fd} is open for reading only on ${s.path} (1<file): its writes fail, and what it reads there is not seen`;
      // its start is the file's size then (attrs.c put_stream), not the offset, which may lag
      s.append = (flags & constants.O_APPEND) !== 0;
    }
    return null;
  }

  /**
   * Whether a hit's output (all into fd 1, a pipe whose reader has yet to exec) waits for that
   * exec: then the reader is keyed on it, and a reader replayed too drops it. The tracer writes
   * it at the deadline if no reader came (a subshell's `while read`, a slow fork).
   */
  private deferral(q: ExecQuery, entry: Entry, blobs: Map<string, Buffer>, pipes: ReplayPipes): { deferMs?: number; deferWatch?: number } {
    const stream = entry.stream;
    if (!stream?.chunks.length || stream.chunks.some((c) => c.fd !== 1) || this.builder.packetMode) return {};
    const made = (id: string): boolean => this.outside !== undefined && this.outside !== 'unknown' && !this.outside.has(id) && !this.deferred.has(id);
    const hasExeced = (pid: number): boolean => {
      const e = this.builder.executionOf(pid);
      return e === null || e.pid === pid; // unknown counts as running a program
    };
    const deferrable = pipes.deferrablePipe(made, hasExeced);
    if (!deferrable) return {};
    this.builder.deferEnded.delete(q.tid);
    // all of the stream went to fd 1: its blob is what the replay writes, when its chunks cover it
    const blob = blobs.get(stream.blob)!;
    const whole = stream.chunks.reduce((n, c) => n + c.bytes, 0) === blob.length;
    const bytes = whole ? blob : Buffer.concat(this.stream(entry, blobs).map((c) => c.data));
    this.deferred.set(deferrable.pipe, { writer: q.pid, tid: q.tid, bytes, sha256: whole ? stream.blob : sha256(bytes) });
    const deferMs = Math.max(DEFER_MS, this.opts.execWaitMs ?? DEFAULT_EXEC_WAIT_MS);
    return deferrable.watch === undefined ? { deferMs } : { deferMs, deferWatch: deferrable.watch };
  }

  /** Why q's output cannot be replayed as it was written: its fd 1 or 2 is a pipe in packet mode,
   * whose writes are read one by one, and a replay writes the stream in other pieces. Looked at
   * only once a traced process used packet mode. */
  private packetStream(q: ExecQuery): string | null {
    if (!this.builder.packetMode) return null;
    for (const fd of [1, 2] as const) {
      if (q.stdio[fd] !== 'pipe') continue;
      const flags = fdFlags(q.pid, fd);
      if (flags === null || (flags & constants.O_DIRECT) !== 0) return `its fd ${fd} is a pipe in packet mode (O_DIRECT): a replay would not keep its writes apart`;
    }
    return null;
  }

  /** Notes a pipe opened by path, for reading or writing (what stat said at the open). */
  private notePipeByPath(access: Access): void {
    if (!access.seen || !PIPE_OPENS.has(access.op)) return;
    const seen = parseSeen(access.seen);
    if (seen && typeOfMode(seen.mode) === 'fifo') this.pipesByPath.add(openFileOf(seen));
  }

  /** The traced processes, the one q.pid was forked from first: where a shell's copy of a
   * pipeline's pipe is most often still open, so that the look stops at once. */
  private *holdersFirst(pid: number): Iterable<number> {
    const parent = this.builder.executionOf(pid)?.pid;
    if (parent !== undefined && parent !== pid) yield parent;
    for (const other of this.builder.livePids) if (other !== parent) yield other;
  }

  /** The program runs; what it was told is kept for the execution it starts. */
  private letRun(q: ExecQuery, answer: Omit<ExecAnswer, 'exe' | 'tick' | 'inherited'>): ExecDecision {
    const inherited = new Set([q.stdinId, ...q.streams, ...q.process.fds.map((f) => f.identity)]);
    this.answerOfPid.set(q.pid, { ...answer, exe: q.exe, tick: ++this.tick, inherited: q.process.fdsUnknown ? undefined : inherited });
    return { skip: false };
  }

  /** A time on the tracer's clock (ms since it started), as ns since the epoch; undefined when unknown. */
  private realTimeOf(tracerMs: number): bigint | undefined {
    const start = this.builder.tracerStartNs;
    return start === null ? undefined : epochNsOf(start, tracerMs * 1e6);
  }

  /** Was the pipe made inside exec's subtree (exec did not inherit it), so that its writers ran there too? */
  /**
   * An attribute a descendant read (its terminal's size, its CPU affinity) that had another
   * value at the descendant's exec than at the ancestor's: it changed while the ancestor ran (a
   * terminal resized, a taskset from outside), and the ancestor's key, which holds the value at
   * its own exec, would replay the descendant's answer to a run that never saw the change.
   */
  private changedSinceExec(names: readonly string[], descendant: Execution, ancestor: Execution): string | null {
    const then = this.answerOf.get(ancestor.id)?.view?.observed;
    const now = this.answerOf.get(descendant.id)?.view?.observed;
    if (!then || !now) return null;
    for (const name of names) {
      if ((STREAM_START_KEYS as readonly string[]).includes(name)) continue; // each file's own
      if (!sameStdin(name, descendant, ancestor)) continue;
      if (then[name] !== now[name]) return `its ${name} changed while its ancestor ran (${then[name] ?? 'unknown'} -> ${now[name] ?? 'unknown'}): a terminal resized, a taskset from outside`;
    }
    return null;
  }

  private madeWithin(exec: Execution, pipe: string): boolean {
    const inherited = this.answerOf.get(exec.id)?.inherited;
    return pipe !== '0' && inherited !== undefined && !inherited.has(pipe);
  }

  /**
   * The first input found that no longer holds what it held, or null when every one does. A miss
   * is decided while the process waits, so the inputs that already differed for an earlier lookup
   * in this run go first (an edited source makes every ancestor miss on it), then the contents of
   * files under the root (the sources), then the rest under the root, then the system's, which
   * change far less often. `explain` lists every difference.
   */
  private firstDifference(entry: Entry, parts: Lazy<MtimeParts>): string | null {
    const unvouched = this.programUnvouched(entry);
    if (unvouched) return unvouched;
    for (const input of entry.inputs) {
      // a manifest is untrusted: an input without a path is malformed, and a miss
      if (typeof input !== 'object' || input === null || typeof input.path !== 'string') return this.differs(input, parts);
      if (!this.knownDifferent.has(input.path)) continue;
      const d = this.differs(input, parts);
      if (d) return d;
    }
    for (const pass of CHECK_ORDER) {
      for (const input of entry.inputs) {
        if (pass(input.path.startsWith('/'), input.kind === 'content')) {
          const d = this.differs(input, parts);
          if (d) return d;
        }
      }
    }
    return null;
  }

  /**
   * The mtime part of each stat input's value as the files are now: their order among the
   * entry's ordered ones, or the mtime itself. Computed once per lookup, when a stat input asks.
   */
  private mtimeParts(entry: Entry): Lazy<MtimeParts> {
    return lazy(() => {
      const ordered = new Map<string, bigint>();
      const suffix = new Map<string, string>();
      const mtimes = new Map<string, bigint>();
      const own = new Set<string>();
      const now = BigInt(Date.now()) * 1_000_000n;
      for (const input of entry.inputs) {
        if (input?.kind !== 'stat' || typeof input.path !== 'string' || typeof input.value !== 'string') continue;
        const stored = parseStoredStat(input.value);
        if (!stored?.mtime) continue;
        const m = this.fs.mtimeOf(this.opts.roots.load(input.path), stored.nofollow);
        if (m === null) {
          suffix.set(statKey(input.path, stored.nofollow), '@gone'); // nothing there now: the base differs too
          continue;
        }
        const key = statKey(input.path, stored.nofollow);
        if (stored.own) own.add(key);
        const at = stored.own ? now : m;
        mtimes.set(key, at);
        if (stored.mtime === 'order') ordered.set(key, at);
        else suffix.set(key, stored.own ? OWN_ABSOLUTE : `@t${m}`);
      }
      for (const [path, rank] of rankMtimes(ordered, () => now)) suffix.set(path, own.has(path) ? `${rank}n` : rank);
      return { suffix, mtimes, at: now };
    });
  }

  /** How one stored input differs from what its path holds now, or null when it does not. */
  private differs(input: Input, parts: Lazy<MtimeParts>): string | null {
    const now = this.currentOf(input, parts);
    if (now === undefined) return `${String(input?.path)}: an input of unknown kind`;
    if (now === input.value) return null;
    this.knownDifferent.add(input.path);
    return `${input.path}: ${short(input.value)} -> ${short(now)}`;
  }

  /** What an input's path holds now, in the input's terms; undefined for an input of unknown kind. */
  private currentOf(input: Input, parts: Lazy<MtimeParts>): string | undefined {
    if (typeof input !== 'object' || input === null) return undefined;
    if (typeof input.path !== 'string' || typeof input.value !== 'string') return undefined;
    const { kind } = input;
    if (kind === 'absent' && input.asUser === true) return this.absentForUser(this.opts.roots.load(input.path));
    if (kind === 'content' || kind === 'absent' || kind === 'link') return this.fs.valueAt(kind, this.opts.roots.load(input.path));
    if (kind === 'replaceable') {
      // nothing there is as good as the file the recording left; anything else must be that file's like
      const now = replaceable(this.opts.roots.load(input.path), this.opts.hasher);
      return now === null ? input.value : now;
    }
    const spec = this.specOf(input);
    if (!spec) return undefined;
    const base = this.fs.value(spec);
    return spec.kind === 'stat' && spec.mtime && base !== 'absent' ? base + (parts.value().suffix.get(statKey(input.path, spec.nofollow)) ?? '') : base;
  }

  /**
   * The inputs that no longer hold what they held (all of them are looked at, for explaining), and
   * the context values its outputs hold that env (explain's own: its children's are taken to be
   * the same) does not have.
   */
  differences(entry: Entry, env: readonly string[]): string[] {
    const unvouched = this.programUnvouched(entry);
    const parts = this.mtimeParts(entry);
    const context = contextDifference(entry, env);
    return [...(unvouched ? [unvouched] : []), ...unjudgedAttributes(entry), ...(context ? [context] : []), ...entry.inputs.flatMap((input) => this.differs(input, parts) ?? [])];
  }

  /**
   * Every recording lists the program it ran among its read inputs. An entry that does not
   * (crafted, or damaged: one with no inputs at all would match anything) is never a hit.
   */
  private programUnvouched(entry: Entry): string | null {
    const lists = entry.inputs.some((i) => i?.kind === 'content' && typeof i.path === 'string' && this.opts.roots.load(i.path) === entry.exe);
    return lists ? null : `${entry.exe}: the entry does not list its own program among its inputs`;
  }

  /**
   * An absence a process without privileges met, looked at as processcache's user: behind a
   * directory that user may not search (root's /root/.cargo/bin on PATH, under sudo the tracer
   * saw past it), nothing is known here, and the directories' permissions, which the entry keys
   * too, are what decided the process's answer (ENOENT or EACCES alike: not there for it).
   */
  private absentForUser(path: string): string {
    const now = this.fs.valueAt('absent', path);
    if (now !== 'exists') return now;
    try {
      statSync(path);
      return now;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EACCES' ? 'absent' : now;
    }
  }

  /** An input as stored (untrusted: it may come from a remote) back to what to look at. */
  private specOf(input: Input, mtimes?: Map<string, bigint>): InputSpec | null {
    if (typeof input.path !== 'string' || typeof input.value !== 'string') return null;
    const path = this.opts.roots.load(input.path);
    switch (input.kind) {
      case 'absent': return input.asUser === true ? { path, kind: 'absent', asUser: true } : { path, kind: 'absent' };
      case 'content': case 'link': case 'vacant': case 'replaceable': return { path, kind: input.kind };
      case 'stat': {
        // nothing there at the recording (an exec refused, then removed): anything there now,
        // a dangling symlink too, differs
        if (input.value === 'absent') return { path, kind: 'exists', nofollow: true };
        const stored = parseStoredStat(input.value);
        if (!stored) return null;
        const spec: StatSpec = { path, kind: 'stat', type: stored.type, mode: stored.mode, uid: stored.uid, gid: stored.gid, nofollow: stored.nofollow };
        if (stored.size !== undefined) spec.size = stored.size;
        // what a hit child's entry says is what its parent records (hunt 56: a placeholder of 1
        // there recorded `ls -l` of a file with two names as n1, and its parent never hit again)
        if (stored.links !== undefined) spec.nlink = stored.links;
        if (stored.mtime) spec.mtime = stored.mtime;
        if (stored.own) spec.mtimeOwn = true;
        const m = mtimes?.get(statKey(input.path, stored.nofollow));
        if (m !== undefined) spec.mtimeNs = m;
        return spec;
      }
      case 'exists': {
        const spec: InputSpec = typeof input.type === 'string' ? { path, kind: 'exists', type: input.type } : { path, kind: 'exists' };
        if (input.nofollow === true) spec.nofollow = true;
        return spec;
      }
      case 'xattrs': return input.nofollow === true ? { path, kind: 'xattrs', nofollow: true } : { path, kind: 'xattrs' };
      case 'perms': return input.value.startsWith('owner:') ? { path, kind: 'perms', owner: true } : { path, kind: 'perms' };
      case 'listing': {
        if (!Array.isArray(input.names) || !input.names.every((n) => typeof n === 'string')) return null;
        if (input.types === undefined) return { path, kind: 'listing', names: input.names };
        return typeof input.types === 'string' && input.types.length === input.names.length
          ? { path, kind: 'listing', names: input.names, types: input.types } : null;
      }
      default: return null;
    }
  }

  private stream(entry: Entry, blobs: Map<string, Buffer>): { fd: number; data: Buffer }[] {
    if (!entry.stream) return [];
    const all = blobs.get(entry.stream.blob)!;
    let at = 0;
    return entry.stream.chunks.map((c) => {
      const data = all.subarray(at, at + c.bytes);
      at += c.bytes;
      return { fd: c.fd, data };
    });
  }

  /** The value an input must keep; listings are what the directory held before the subtree ran. */
  /** kept: the snapshots of the outputs, what the subtree left at its end */
  private recordedValue(spec: InputSpec, kept: Map<string, Snapshot>): string | Promise<string> {
    if (spec.known !== undefined) return spec.known; // a replayed child's, as its lookup found it
    switch (spec.kind) {
      case 'listing': return namesFingerprint(spec.names, spec.types);
      case 'absent': case 'vacant': return 'absent';
      // what the recording left there is what a later create over it must find; 'taken' (a
      // directory, a link, a file with other names) is recorded as a value nothing matches
      case 'replaceable': {
        const left = replaceable(spec.path, this.opts.hasher) ?? 'replaceable:';
        return left === 'taken' ? 'replaceable:none' : left;
      }
      case 'exists':
        if (spec.type) return `type:${spec.type}`;
        if (!spec.nofollow) return 'exists';
        spec.type = lstatType(spec.path); // what a failed change found there, as it is now (stored with it)
        return spec.type ? `type:${spec.type}` : 'absent';
      case 'stat': {
        if (spec.mode >= 0) {
          return statBase(spec, { mode: typeMode(spec.type) | spec.mode, uid: spec.uid, gid: spec.gid, size: spec.size ?? 0, nlink: spec.nlink ?? 1 });
        }
        const st = statNow(spec.readAt ?? spec.path, spec.nofollow); // an exec's, a moved file's: as it is now
        return statBase(spec, st ? statFields(st) : undefined);
      }
      case 'perms':
        // as the access saw the bits, when the tracer looked; the attributes as they are now
        if (spec.mode === undefined || spec.uid === undefined || spec.gid === undefined) return this.fs.valueSoon(spec);
        return permsValue(spec.path, this.opts.hasher, { mode: spec.mode, uid: spec.uid, gid: spec.gid, size: 0, nlink: 1 }, spec.owner === true);
      case 'content':
        if (spec.movedTo !== undefined) {
          // what it held is where it went, as the subtree left it: read now, a parent may have
          // written on into it through an fd it kept (`exec >log; mv log log2; echo b`)
          const left = kept.get(spec.movedTo)?.state;
          if (left?.type === 'file') return `sha256:${left.blob}`;
          return this.fs.valueSoon({ path: spec.movedTo, kind: 'content' });
        }
        if (spec.prefix !== undefined) {
          const digest = this.opts.hasher.hashPrefix(spec.path, spec.prefix);
          return digest ? `sha256:${digest}` : 'lost';
        }
        return this.fs.valueSoon(spec);
      default: return this.fs.valueSoon(spec);
    }
  }

  /**
   * The mtime part of each stat input's value: its order among the ordered ones, or itself. A
   * replayed child's stat input carries the mtime its lookup saw; one without is read now.
   */
  private mtimeSuffixes(inputs: InputSpec[], since: bigint | undefined, end: bigint | undefined): Map<string, string> | string {
    // dated after the run began: a file, or a directory dated past its end (one others changed
    // while it ran, /tmp, is no date to compare with)
    const datedAfter = (spec: StatSpec, m: bigint): boolean => since !== undefined && m > since && (spec.type !== 'dir' || (end !== undefined && m > end));
    const ordered = new Map<string, bigint>();
    const out = new Map<string, string>();
    const own = new Set<string>();
    let ownDir: string | null = null;
    let dated: string | null = null;
    for (const spec of inputs) {
      if (spec.kind !== 'stat' || !spec.mtime) continue;
      const key = statKey(spec.path, spec.nofollow);
      if (spec.mtimeOwn && since !== undefined) {
        ownDir = spec.path;
        // its value was the instant of the subtree's own change, which a rerun makes anew: for a
        // program that keeps or prints mtimes (python, node) that is the run's own time, as the
        // clock is, not an input (OWN_ABSOLUTE)
        if (spec.mtime === 'absolute') out.set(key, OWN_ABSOLUTE);
        else {
          own.add(key);
          ordered.set(key, since);
        }
        continue;
      }
      const m = spec.mtimeNs ?? this.fs.mtimeOf(spec.path, spec.nofollow === true);
      if (m === null) return `${spec.path}: its mtime cannot be read any more`;
      if (datedAfter(spec, m)) dated = spec.path;
      if (spec.mtime === 'order') ordered.set(key, m);
      else out.set(key, `@t${m}`);
    }
    // a directory's own mtime stands for the instant of the run's change, which comes later in a
    // rerun: against an input dated after the start, which is newer is timing (hunt 34)
    if (ownDir && dated) return `${dated} is dated after the run began, and ${ownDir}, which the run changed, is compared with it: which is newer is timing`;
    // in the future when the program looked: make warns of it, and would not once the clock passed it
    const seenAt = new Map<string, bigint>();
    for (const spec of inputs) {
      if (spec.kind !== 'stat' || spec.mtime !== 'order') continue;
      const at = spec.seenAtNs ?? (spec.seenAtMs === undefined ? undefined : this.realTimeOf(spec.seenAtMs));
      if (at !== undefined) seenAt.set(statKey(spec.path, spec.nofollow), at);
    }
    const fallback = end ?? BigInt(Date.now()) * 1_000_000n;
    for (const [path, rank] of rankMtimes(ordered, (key) => seenAt.get(key) ?? fallback)) out.set(path, own.has(path) ? `${rank}n` : rank);
    return out;
  }

  /**
   * A file read by the subtree must still be the file it opened: a change by a process outside
   * the trace (an editor, another run), or by a traced one whose report has not come in yet,
   * shows as another inode, size, mtime or ctime, and the content hashed now would not be what
   * the program read.
   */
  /**
   * A file with other names whose permissions or mode are read at the recording: a chmod through
   * another name after exec ended is no change under this one (hunt 60: `./s; chmod -x s2`, s2 a
   * hard link). Its ctime, after exec's end, tells that something changed it.
   */
  private changedByAnotherName(exec: Execution, inputs: InputSpec[]): string | null {
    const end = exec.endMs === null ? undefined : this.realTimeOf(exec.endMs);
    if (end === undefined) return null;
    for (const spec of inputs) {
      if (!readAtRecording(spec)) continue;
      const st = statNow(spec.path, false);
      if (!st || st.isDirectory() || st.nlink < 2n || st.ctimeNs <= end) continue;
      return `${spec.path} has other names, and one of them changed it after it ended, before it was recorded`;
    }
    return null;
  }

  private readButChanged(inputs: InputSpec[]): string | null {
    for (const spec of inputs) {
      if (spec.kind !== 'content' || !spec.seen || spec.pinned) continue; // a pin checked it when it hashed
      const seen = parseSeen(spec.seen);
      if (seen && typeOfMode(seen.mode) !== 'file') continue; // a directory's identity changes with its entries
      const now = statNow(spec.path, false);
      if (!seen || !now || identityOf(seen) !== identityOf({ ino: now.ino, size: Number(now.size), mtimeNs: now.mtimeNs, ctimeNs: now.ctimeNs })) {
        return `${spec.path} changed after it was read, by a process outside the trace or one whose report had not come in yet`;
      }
    }
    return null;
  }

  private started(exec: Execution): void {
    const answer = this.answerOfPid.get(exec.pid);
    this.answerOfPid.delete(exec.pid);
    if (!answer) return;
    // looked up under another program than the one that started: that fingerprint is not its own
    this.answerOf.set(exec.id, answer.exe === exec.exe ? answer : { ...answer, weak: undefined });
  }

  /** Snapshots the paths exec's own processes changed, as they are now (its exit just came in). */
  private capture(exec: Execution, endAt: number): void {
    const taken = ++this.tick;
    const paths = new Set<string>();
    for (const [at, item] of this.builder.ownLog(exec.id)) {
      if (item.kind !== 'access' || item.access.result !== 'ok' || !CHANGE_OPS.has(item.access.op)) continue;
      if (item.access.path) paths.add(item.access.path);
      if (typeof item.access.to === 'string') paths.add(item.access.to);
      if (item.access.path && OPENS_FOR_WRITING.has(item.access.op)) for (const to of this.movedAfter(item.access.path, at, endAt)) paths.add(to);
    }
    for (const path of paths) {
      if (!this.opts.roots.allows(path)) continue; // refused when recording: nothing to keep
      // even a failed look is kept: an earlier snapshot must not stand in for it
      const now = this.stateNow(path);
      const snapshot = { at: endAt, taken, lookedNs: this.builder.nowNs(), exec: exec.id, ...now };
      this.snapshots.add(path, snapshot);
      // and under its real name, the one the recording knows it by, when a symlinked directory is
      // on the way (hunt 64: `cp a.c build/a; chmod 600 build/a`, build -> out, withdrew cp's entry)
      const real = this.walker.walk(path, false).real;
      if (real !== path && this.opts.roots.allows(real)) this.snapshots.add(real, snapshot);
    }
  }

  /** Where renames after `from` took path by endAt (`exec >log; ...; mv log log2; echo b`: the
   * shell's fd still writes into what is now log2, which its exit must snapshot). */
  private movedAfter(path: string, from: number, endAt: number): string[] {
    const names: string[] = [];
    let at = from;
    for (let name = path; ;) {
      const next = this.renames.get(name)?.find((m) => m.at > at && m.at <= endAt);
      if (!next || names.includes(next.to)) return names;
      names.push(next.to);
      name = next.to;
      at = next.at;
    }
  }

  /**
   * A file output with more than one link is restored as a hard link to another name the entry
   * knows (an input it read, or an output before it); one whose other names the entry does not
   * know cannot be restored as it was (a later write through the other name would show): refused.
   * A link brings back the file as the name linked to holds it then: a change the subtree made
   * through the other name is refused in lostLinkedChange (hunt 42: `cat o/f; echo x >> g`
   * replayed left both names without the x). Making the name linked to an output too, as tried
   * first, restored its recorded mode over a newer one (`ln -f a b` after `chmod 600 a`: hunt 47).
   */
  private hardLinks(outputs: OutputState[], inputs: InputSpec[]): string | null {
    const first = new Map<string, string>(); // dev:ino -> the first stored name
    // dev:ino -> the names the entry knows, each once: a file read and then appended to, or
    // chmod'ed, is one name, not two (hunt 37: it was counted twice, and linked to itself)
    const names = new Map<string, Set<string>>();
    const know = (id: string, path: string): void => {
      const known = names.get(id) ?? new Set<string>();
      known.add(path);
      names.set(id, known);
    };
    for (const spec of inputs) {
      if (spec.kind !== 'content' || !this.opts.roots.allows(spec.path)) continue;
      const k = fileIdentity(spec.path);
      if (!k || k.links < 2) continue;
      if (!first.has(k.id)) first.set(k.id, this.opts.roots.store(spec.path));
      know(k.id, spec.path);
    }
    const byName = new Map(outputs.map((o) => [o.path, o]));
    for (const o of outputs) {
      if (o.type !== 'file') continue;
      const path = this.opts.roots.load(o.path);
      const k = fileIdentity(path);
      if (!k || k.links < 2) continue;
      know(k.id, path);
      const name = first.get(k.id);
      if (name === undefined) first.set(k.id, o.path);
      else if (name !== o.path) {
        o.linkOf = name;
        const other = byName.get(name);
        // one file: a snapshot of one name taken before a change through the other tells otherwise
        if (other && (other.type !== 'file' || other.blob !== o.blob || other.mode !== o.mode)) return `${path} and ${this.opts.roots.load(name)} are one file, and were recorded with different contents or modes`;
      }
    }
    for (const o of outputs) {
      if (o.type !== 'file') continue;
      const path = this.opts.roots.load(o.path);
      const k = fileIdentity(path);
      const known = k ? names.get(k.id)?.size ?? 1 : 1;
      if (k && k.links > known) return `${path} has ${k.links} hard links, and the entry knows only ${known} of its names`;
    }
    return null;
  }

  /**
   * Each file output's mtime rank among the entry's: a restore writes them in one instant, and
   * make after a hit must find a.out newer than the z.o it was linked from, as it would have.
   */
  private mtimeOrder(outputs: OutputState[]): { path: string; order: number }[] {
    const mtimes = new Map<string, bigint>();
    for (const o of outputs) {
      if (o.type !== 'file') continue;
      const st = lstatSync(this.opts.roots.load(o.path), { bigint: true, throwIfNoEntry: false });
      if (st?.isFile()) mtimes.set(o.path, st.mtimeNs);
    }
    // the directories the outputs are in, ranked with the files (hunt 36: after a replay every
    // file was newer than the directory a `mkdir D/x` after them had changed)
    const dirs = new Map<string, bigint>();
    for (const o of outputs) {
      const dir = dirname(o.path);
      if (dir === o.path || dirs.has(dir) || !this.opts.roots.allows(this.opts.roots.load(dir))) continue;
      const st = lstatSync(this.opts.roots.load(dir), { bigint: true, throwIfNoEntry: false });
      if (st?.isDirectory()) dirs.set(dir, st.mtimeNs);
    }
    if (mtimes.size + dirs.size < 2) return [];
    const ranks = rankMtimes(new Map([...mtimes, ...[...dirs].map(([d, m]): [string, bigint] => [`dir:${d}`, m])]));
    const rank = (key: string): number => Number(ranks.get(key)!.slice(2));
    for (const o of outputs) if (o.type === 'file' && mtimes.has(o.path)) o.order = rank(o.path);
    return [...dirs.keys()].map((d) => ({ path: d, order: rank(`dir:${d}`) }));
  }

  /** A path's state now, the blob of a file stored (or found stored); a null state when it cannot
   * be told. foreign: why a restore could not leave it so (its owner), when it could not. */
  private stateNow(path: string): { state: OutputState | null; stored: Promise<boolean>; foreign?: string } {
    try {
      const st = lstatSync(path, { bigint: true, throwIfNoEntry: false });
      if (!st) return { state: { path, type: 'absent' }, stored: STORED };
      const foreign = foreignOwner(path, st);
      if (foreign) return { state: null, stored: STORED, foreign };
      const mode = Number(st.mode) & 0o7777;
      if (st.isSymbolicLink()) return { state: { path, type: 'symlink', target: readlinkSync(path) }, stored: STORED };
      if (st.isDirectory()) return { state: { path, type: 'dir', mode }, stored: STORED };
      if (!st.isFile()) return { state: null, stored: STORED };
      const cached = this.fs.settledDigest(path) ?? this.opts.hasher.cached(path, st);
      // hashed through a shared buffer: the bytes are read again only for a blob the store lacks
      // (a replayed output is there already: reading it whole into a fresh buffer cost 3 ms per
      // 800 KB in page faults, at every recording that left it)
      const known = cached === undefined ? this.opts.hasher.digestOf(path, st) : { digest: cached, size: Number(st.size) };
      if (!known) return { state: null, stored: STORED }; // replaced meanwhile
      const { digest, size } = known;
      // maybe known as somebody's input only: stored now if it still holds that
      const stored = this.opts.store.hasBlob(digest, size).then((has) => has || this.storeIfStill(path, digest)).catch(() => false);
      return { state: { path, type: 'file', blob: digest, mode, size }, stored };
    } catch {
      return { state: null, stored: STORED }; // gone or replaced meanwhile
    }
  }

  /** Stores path's bytes as the blob digest names, if they still hash to it. */
  private async storeIfStill(path: string, digest: string): Promise<boolean> {
    const now = this.opts.hasher.read(path);
    if (now.digest !== digest) return false;
    this.context.scan(digest, now.data);
    await this.opts.store.putBlob(digest, now.data);
    return true;
  }

  private row(exec: Execution, status: ExecutionStatus, reason?: string): void {
    const first = this.builder.executions[0]?.startMs ?? exec.startMs;
    const row: ExecutionRow = {
      id: exec.id, parent: exec.parent, exe: exec.exe, argv: exec.argv, status,
      startMs: Math.round((exec.startMs - first) * 1000) / 1000,
      durationMs: Math.round(((exec.endMs ?? exec.startMs) - exec.startMs) * 1000) / 1000,
    };
    if (reason) row.reason = reason;
    this.rows.set(exec.id, row);
  }

  /** endAt: after what the log held when it ended, before what came next */
  private async ended(exec: Execution, endAt: number, outlived: boolean, reap?: ReapWait): Promise<void> {
    // a process waiting at its exec goes first: recording waits for no one, and an exec query
    // that arrived with this exit would otherwise queue behind the whole recording
    await yieldToIo();
    // the pins are taken when the parent's wait returns it, which the tracer reports after the
    // exit, and later still when the parent is slow to run: folded before, the reads go unpinned,
    // and the parent's next change (gcc removing the .s as read) refuses the recording
    if (reap && this.holdWouldPin(exec)) await reap.done;
    if (exec.skipped && exec.parent === null) {
      this.row(exec, 'hit'); // a skipped root: no parent folds it in
      return;
    }
    const folded = await this.fold(exec, endAt);
    // what the processes left running do next is not in the fold: no ancestor may stand for it
    if (outlived) folded.unsafe.push({ exe: exec.exe, reason: 'a process it started outlived it' });
    this.folded.set(exec.id, folded);
    for (const child of this.builder.childrenOf(exec)) this.folded.delete(child.id); // folded into this one now
    if (exec.skipped) {
      this.row(exec, 'hit');
      return;
    }
    this.stats.ran++;
    await yieldToIo();
    const reason = outlived ? 'a process it started outlives it' : await this.record(exec, folded);
    this.row(exec, reason ? 'uncacheable' : 'miss', reason ?? this.answerOf.get(exec.id)?.missWhy);
  }

  /** exec's subtree: its own accesses and output, with each ended child folded in where it ended. */
  private async fold(exec: Execution, endAt: number): Promise<Folded> {
    const own: Part[] = []; // in log order
    // what its subtree left in a stream file, read back at its end when its writes were not
    // trapped (native/lazy.h): it holds every write there of its own and of its descendants
    const ranges = new Map<string, StreamChunk>();
    const hitUnsafe: Unsafe[] = [];
    const mtimes = mtimeUse(this.interpreterOf(exec.exe) ?? exec.exe, exec.argv);
    let savedMs = 0;
    const observed = [...exec.observed];
    const context: ContextPair[] = [];
    // a file it inherited open for reading is read as of its exec (opened by another process:
    // no permission of its own let it through)
    for (const { path } of this.answerOf.get(exec.id)?.view?.reads ?? []) {
      own.push([this.builder.startOf(exec.id), { kind: 'access', access: { op: 'read', path, result: 'ok' } }, NO_OUTPUT]);
    }
    // without a view (never asked), taken for a process that permissions may stop
    const unprivileged = this.answerOf.get(exec.id)?.view?.privileged !== true;
    const ownUser = this.answerOf.get(exec.id)?.view?.ownUser === true;
    for (const [at, item] of this.builder.ownLog(exec.id)) {
      if (item.kind === 'access') {
        const pinned = item.access.op === 'read' ? this.pins.of(item.access) : undefined;
        const step: Step = { kind: 'access', access: item.access, mtimes };
        if (pinned) step.pinned = pinned;
        if (unprivileged) step.unprivileged = true;
        if (ownUser) step.ownUser = true;
        own.push([at, step, NO_OUTPUT]);
      }
      else if (item.kind === 'output') {
        const chunk: StreamChunk = { fd: item.fd, data: item.data, dest: destOf(exec, item.fd), ...(item.pos === undefined ? {} : { pos: item.pos }) };
        if (item.range) ranges.set(chunk.dest, chunk);
        else own.push([at, null, [chunk]]);
      }
      else if (item.kind === 'foreign') continue; // content of a file it wrote; counted by that file's owner (writtenMeanwhile)
      else {
        const [step, chunks] = await this.replayedStep(item.tag as Hit);
        own.push([at, step, chunks.map((c) => ({ ...c, dest: destOf(exec, c.fd) }))]);
        savedMs += (item.tag as Hit).entry.durationMs;
        observed.push(...seenFrom(observedNames((item.tag as Hit).entry), this.builder.executions[item.exec]!, exec, this.answerOf.get(exec.id)?.inherited, hitUnsafe));
        const pipe = (item.tag as Hit).stdinPipe;
        if (pipe) hitUnsafe.push({ exe: this.builder.executions[item.exec]!.exe, reason: 'it reads stdin (pipe), whose bytes it was reused on', pipe });
        context.push(...contextOf((item.tag as Hit).entry), ...(item.tag as Hit).passed);
      }
    }
    const children: Part[] = [];
    let childReason: string | null = null;
    this.keyOnReads(exec);
    // reading a pipe whose bytes its key holds is reading an input
    const keyedPipe = this.answerOf.get(exec.id)?.stdinPipe;
    const within = (id: number): boolean => this.builder.isWithin(this.builder.executions[id]!, exec.id);
    // a read of a pipe whose bytes this key holds, or that this subtree made and wrote
    const liftedPipe = (u: Unsafe): boolean => u.pipe !== undefined && (u.pipe === keyedPipe || this.madeWithin(exec, u.pipe));
    const unsafe: Unsafe[] = [];
    const keyedReads: Unsafe[] = [];
    for (const u of ownUnsafety(exec, within)) (keyedPipe && u.pipe === keyedPipe ? keyedReads : unsafe).push(u);
    for (const u of hitUnsafe) if (!liftedPipe(u)) addUnsafe(unsafe, u);
    if (keyedPipe && this.pipesByPath.has(keyedPipe)) unsafe.push({ exe: exec.exe, reason: 'its stdin, a pipe read ahead at its exec, was opened by path meanwhile (/proc/PID/fd): bytes came or went that its key does not hold' });
    for (const child of this.builder.childrenOf(exec)) {
      const f = this.folded.get(child.id);
      if (!f) continue; // still running: an outliving descendant, refused when recording
      if (f.summary.unmodelled) childReason ??= f.summary.unmodelled;
      for (const u of [...f.unsafe, ...f.keyedReads]) {
        const lifted = liftedPipe(u) || (u.otherExec !== undefined && within(u.otherExec));
        if (!lifted) addUnsafe(unsafe, u);
      }
      savedMs += f.savedMs;
      const changed = this.changedSinceExec(f.observed, child, exec);
      if (changed) addUnsafe(unsafe, { exe: child.exe, reason: changed });
      observed.push(...seenFrom(f.observed, child, exec, this.answerOf.get(exec.id)?.inherited, unsafe));
      context.push(...f.context, ...(this.answerOf.get(child.id)?.passed ?? []));
      const s = f.summary;
      const stream: StreamChunk[] = [];
      const piped: Buffer[] = [];
      for (const c of f.stream) {
        const mine = c.dest === 'null' ? null : asOwn(exec, c);
        if (mine) stream.push(mine);
        else if (c.dest !== 'null') piped.push(c.data);
      }
      // what flowed through a pipe inside this subtree (`printenv X | sha256sum > out`) is in no
      // output of it, and the value may have decided what is
      if (piped.length) context.push(...this.context.inBytes(this.answerOf.get(exec.id)?.context ?? [], piped));
      children.push([f.endAt, { kind: 'replayed', inputs: s.inputs, outputs: s.outputs, created: s.created, removed: s.removed, renewed: s.renewed, entryChanges: s.entryChanges, permsChanged: s.permsChanged, ...(s.moved?.length ? { moved: s.moved } : {}), ...(s.hardLinked?.length ? { hardLinked: s.hardLinked } : {}) }, stream]);
    }
    const parts = mergeByPosition(own, children.sort((a, b) => a[0] - b[0]));
    const steps: Step[] = [];
    const stream: StreamChunk[] = [];
    for (const [, step, out] of parts) {
      if (step) steps.push(step);
      for (const o of out) if (!ranges.has(o.dest)) stream.push(o);
    }
    stream.push(...ranges.values());
    const summary = summarize(steps, this.walker, this.realTimeOf(exec.startMs), exec.endMs === null ? undefined : this.realTimeOf(exec.endMs));
    if (childReason && !summary.unmodelled) {
      summary.cacheable = false;
      summary.reason = childReason;
      summary.unmodelled = childReason;
    }
    if (ranges.size) this.stats.readBack++;
    const linked = [...(this.linkedChanges.get(exec.id) ?? [])];
    this.linkedChanges.delete(exec.id);
    for (const child of this.builder.childrenOf(exec)) linked.push(...(this.folded.get(child.id)?.linked ?? []));
    return { summary, unsafe, keyedReads, linked, stream, endAt, savedMs, observed: [...new Set(observed)], context: uniquePairs(context), ...(ranges.size ? { ranged: true as const } : {}) };
  }

  /**
   * The interpreter a script names on its #! line (`env` skipped), or null for a binary: a wrapper
   * script called `cc` is a shell, and uses mtimes as one, whatever its name says.
   */
  private interpreterOf(exe: string): string | null {
    let known = this.interpreters.get(exe);
    if (known === undefined) {
      known = null;
      try {
        const fd = openSync(exe, 'r');
        try {
          const head = Buffer.alloc(256);
          const line = head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString('latin1').split('\n')[0]!;
          const words = line.startsWith('#!') ? line.slice(2).trim().split(/\s+/) : [];
          known = (basename(words[0] ?? '') === 'env' ? words.find((w, i) => i > 0 && !w.startsWith('-')) : words[0]) ?? null;
        } finally {
          closeSync(fd);
        }
      } catch { /* unreadable: classified by its own name */ }
      this.interpreters.set(exe, known);
    }
    return known;
  }

  /** A child served from cache: what its entry stands for, and its output stream. */
  private async replayedStep(hit: Hit): Promise<[Step, { fd: number; data: Buffer }[]]> {
    const { entry, created, removed } = hit;
    const inputs = entry.inputs.flatMap((i) => {
      const spec = this.specOf(i, hit.mtimes);
      if (!spec) return [];
      if (spec.kind === 'stat') spec.seenAtNs = hit.mtimesAt;
      // what the lookup found is what the parent depended on too (a stat's order is the parent's own)
      if (spec.kind !== 'stat' && spec.kind !== 'listing') spec.known = i.value;
      return [spec];
    });
    const entryChanges: [string, 'added' | 'removed'][] = [
      ...created.map((p): [string, 'added'] => [p, 'added']), ...removed.map((p): [string, 'removed'] => [p, 'removed'])];
    const step: Step = {
      kind: 'replayed', inputs, outputs: entry.outputs.map((o) => this.opts.roots.load(o.path)), created, entryChanges,
      removed: entry.outputs.filter((o) => o.type === 'absent').map((o) => this.opts.roots.load(o.path)),
      renewed: [...created, ...entry.outputs.filter((o) => o.type === 'file' && o.newFile).map((o) => this.opts.roots.load(o.path))],
    };
    // what the hit moved or linked from its inputs keeps their mtime (a link restored as one; a
    // moved file is restored dated now, named): a parent's later look there is keyed as if it ran
    const moved: [string, string][] = [];
    const hardLinked: [string, string][] = [];
    for (const o of entry.outputs) {
      if (o.type !== 'file') continue;
      if (typeof o.movedFrom === 'string') moved.push([this.opts.roots.load(o.path), this.opts.roots.load(o.movedFrom)]);
      if (typeof o.linkOf === 'string') hardLinked.push([this.opts.roots.load(o.path), this.opts.roots.load(o.linkOf)]);
    }
    if (moved.length) step.moved = moved;
    if (hardLinked.length) step.hardLinked = hardLinked;
    if (!entry.stream) return [step, []];
    const blob = await this.recentBlobs.getBlob(entry.stream.blob);
    if (!blob) throw new Error('a replayed output stream is missing');
    return [step, this.stream(entry, new Map([[entry.stream.blob, blob]]))];
  }

  /**
   * A file changed in place (written, truncated, chmod-ed) while it had other names: noted with
   * its inode, since a later rm or mv of this name leaves an entry that restores only this
   * name's end (hunt 38: `echo new > g; rm g` replayed left g's other name with the old bytes).
   * The tracer's stat at the call's exit, while the process is stopped, tells the links (looked
   * at here, later, a chmod'ed name already replaced read as another file: hunt 39); a change
   * through an fd whose file has no name left tells none.
   */
  private noteLinkedChange(access: Access, exec: number): void {
    if (!IN_PLACE_CHANGES.has(access.op) || !this.opts.roots.allows(access.path!)) return;
    const seen = access.seen ? parseSeen(access.seen) : null;
    if (!seen || typeOfMode(seen.mode) !== 'file' || seen.nlink < 2) return;
    const list = this.linkedChanges.get(exec) ?? [];
    list.push({ path: access.path!, id: `${seen.dev}:${seen.ino}` });
    this.linkedChanges.set(exec, list);
  }

  /** Why the entry cannot stand for changes made in place to a file with other names: its end
   * at that name is not that file any more (removed, replaced, renamed away); or the subtree read
   * it (or linked to it) under another name, whose content is then read at the recording after
   * the change (hunt 42: `ln t h; python3 -c "open('h', 'r+').write('XY')"` recorded t as read
   * with XY in it). */
  private lostLinkedChange(linked: LinkedChange[], outputs: OutputState[], inputs: InputSpec[]): string | null {
    for (const change of linked) {
      const out = outputs.find((o) => this.opts.roots.load(o.path) === change.path);
      if (out?.type !== 'file' || fileIdentity(change.path)?.id !== change.id) {
        return `${change.path}, a file with other names, was changed in place and then removed or replaced: a restore could not carry the change to its other names`;
      }
      const read = inputs.find((spec) => spec.kind === 'content' && spec.path !== change.path && fileIdentity(spec.path)?.id === change.id);
      if (read) return `${read.path} was read (or linked to), and then changed in place through its other name ${change.path}: what it held when read is lost`;
    }
    return null;
  }

  /** Records exec's entry; returns why it cannot be, or null. */
  private async record(exec: Execution, folded: Folded): Promise<string | null> {
    const answer = this.answerOf.get(exec.id);
    if (answer?.refused) return answer.refused;
    if (exec.unseen) return exec.unseen;
    // a warning's place in the log may come before the exec it fell in was reported (the
    // tracer's events come in batches): any warning before its end counts
    if (folded.ranged && this.opts.warnedAt?.some((at) => at <= folded.endAt)) {
      return 'processcache printed a warning while it ran, perhaps into the file its output was read back from';
    }
    const weak = answer?.weak;
    if (!weak) return 'its exec was not seen';
    if (exec.exitCode === null) return `killed by signal ${exec.signal}`;
    const [unsafe] = folded.unsafe;
    if (unsafe) return unsafe.exe === exec.exe ? unsafe.reason : `${unsafe.exe}: ${unsafe.reason}`;
    const durationMs = (exec.endMs ?? exec.startMs) - exec.startMs;
    if (durationMs < this.opts.minDurationMs) return `shorter than ${this.opts.minDurationMs} ms: a lookup would cost more`;
    const { summary } = folded;
    if (!summary.cacheable) return summary.reason ?? 'not modelled';
    const attributes = recordedAttributes(folded.observed, answer?.view);
    if (typeof attributes === 'string') return attributes;
    const offsets = endOffsets(answer?.view, exec.inheritedEnds);
    if (typeof offsets === 'string') return offsets;
    const placedAt = new Map<object, number>();
    const meanwhile = (identity: string): Written[] => this.writtenMeanwhile(exec, folded.endAt, identity);
    const short = streamShortfall(answer?.view, exec.inheritedEnds, folded.stream, exec.streams, this.builder.execChainAfter(exec).map((e) => e.streams), placedAt, meanwhile);
    if (short) return short;
    const full = lowOnSpace(summary.outputs);
    if (full) return full;
    if (placedAt.size) folded.stream = inFileOrder(folded.stream, placedAt);
    // checked before anything is read (a file a process outside the subtree removed is not read)
    // and again after (reading lets the tracer's events in)
    const kept = new Map<string, Snapshot>();
    const within = (id: number): boolean => this.builder.isWithin(this.builder.executions[id]!, exec.id);
    for (const path of summary.outputs) {
      const snapshot = this.snapshots.last(path, folded.endAt, within);
      if (snapshot?.foreign) return snapshot.foreign;
      if (snapshot?.state) kept.set(path, snapshot);
    }
    const racedEarly = this.changedByOthers(exec, folded.endAt, summary.inputs, summary.outputs, kept);
    if (racedEarly) return racedEarly;
    const outputs = await this.outputStates(summary.outputs, new Set(summary.created), new Set(summary.removed), new Set(summary.renewed), kept, new Map(summary.moved ?? []));
    if (typeof outputs === 'string') return outputs;
    const unlinked = this.hardLinks(outputs, summary.inputs) ?? this.lostLinkedChange(folded.linked, outputs, summary.inputs);
    if (unlinked) return unlinked;
    const dirOrder = this.mtimeOrder(outputs);
    const soon = summary.inputs.map((spec) => this.recordedValue(spec, kept));
    const values = soon.every((v) => typeof v === 'string') ? soon : await Promise.all(soon);
    const readNs = this.builder.nowNs();
    // an output, too, is read as it is now, and what exec left may have been overwritten since
    const raced = this.changedByOthers(exec, folded.endAt, summary.inputs, summary.outputs, kept);
    if (raced) return raced;
    const lost = values.indexOf('lost');
    if (lost >= 0) return `${summary.inputs[lost]!.path} is shorter than before its appends: it was changed otherwise`;
    const blind = values.findIndex((v) => v === UNREADABLE || v === 'xattrs:unreadable:13');
    if (blind >= 0) return `${summary.inputs[blind]!.path}: the command read it, and processcache's user may not (EACCES): a later change would not be seen`;
    const changedOutside = this.readButChanged(summary.inputs) ?? this.changedByAnotherName(exec, summary.inputs);
    if (changedOutside) return changedOutside;
    const suffixes = this.mtimeSuffixes(summary.inputs, this.realTimeOf(exec.startMs), exec.endMs === null ? undefined : this.realTimeOf(exec.endMs));
    if (typeof suffixes === 'string') return suffixes;
    // watched from here on: a change reported while the stream is stored counts as much as a later one
    const late = this.watchLate(exec, summary.inputs, summary.outputs, kept, readNs);
    const inputs = summary.inputs.map((spec, i) => toInput(spec, values[i]! + (spec.kind === 'stat' && values[i] !== 'absent' ? suffixes.get(statKey(spec.path, spec.nofollow)) ?? '' : ''), this.opts.roots.store(spec.path)));
    const { stream, data } = await this.storeStream(folded.stream);
    const context = await this.context.found(answer?.context ?? [], {
      inputs, outputs, stream: stream && data ? { blob: stream.blob, data, chunks: stream.chunks } : null,
      below: [...folded.context, ...(answer?.passed ?? []), ...this.context.namedInReads(answer?.context ?? [], inputs, (p) => this.opts.roots.load(p))],
    });
    if (typeof context === 'string') return context;
    // its ancestors fold this in: what it depends on, they do (a value that went through a pipe or a
    // file since deleted shows in none of their outputs)
    folded.context = uniquePairs([...folded.context, ...context]);
    if (late.spoiled) return late.spoiled;
    // after every read of the file system: a run registered after this look came after them too
    const nowNs = this.builder.nowNs();
    const other = this.opts.otherRun?.(nowNs === null ? null : nowNs / 1e6 - exec.startMs);
    if (other) return other;
    const strong = sha256(weak + JSON.stringify(inputs) + (attributes ? JSON.stringify(attributes) : '') + (context.length ? `context${JSON.stringify(context)}` : ''));
    const children = this.builder.childrenOf(exec).flatMap((e) => {
      const childWeak = this.answerOf.get(e.id)?.weak;
      return childWeak ? [{ weak: childWeak, exe: e.exe, argv: e.argv }] : [];
    });
    const entry: Entry = {
      version: 1, weak, strong, exe: exec.exe, argv: exec.argv, inputs, outputs, stream,
      // what running it costs: its own time here plus what its skipped descendants would have taken
      exitCode: exec.exitCode ?? 0, durationMs: Math.round((durationMs + folded.savedMs) * 1000) / 1000, createdAt: new Date().toISOString(),
      children, ...(attributes ? { attributes } : {}), ...(offsets ? { offsets } : {}), ...(context.length ? { context } : {}),
      ...(dirOrder.length ? { dirOrder } : {}),
    };
    // the next recording need not wait for this one's write; finish() waits for all of them
    const written = this.opts.store.putEntry(entry).catch((e: unknown) => {
      this.opts.warn(`storing the entry of ${exec.exe} failed: ${(e as Error).message}`);
    });
    this.writes.push(written);
    late.written = { entry, done: written };
    return null;
  }

  /**
   * Withdraws exec's entry when a change to what it read or left, by a process outside its
   * subtree, is reported only after the recording, but may have begun before the recording (or
   * the snapshot) looked at the file.
   */
  private watchLate(exec: Execution, inputs: InputSpec[], outputs: string[], kept: Map<string, Snapshot>, readNs: number | null): LateWatch {
    const own = this.ownBy(exec);
    const state: LateWatch = {};
    // absence, existence and listings were recorded as exec saw them: a later change leaves them
    // be; permissions and an exec's mode were read at the recording (hunt 58: a parent's `chmod
    // 700 d` right after `cat d/f` ended was recorded as what cat had met)
    const readLate = new Set(inputs.filter(readAtRecording).map((i) => i.path));
    const read = inputs.filter((i) => i.kind === 'content' || i.kind === 'link').map((i) => i.path);
    // a pinned read was looked at when it was pinned (its permissions, read now, were not)
    const pinnedNs = new Map<string, number | null>();
    for (const i of inputs) if (i.kind === 'content' && i.pinned && !outputs.includes(i.path)) pinnedNs.set(i.path, i.pinned.ns);
    this.late.watch(new Set([...read, ...readLate, ...outputs]), {
      spoils: (path, c) => {
        if (own(c.exec)) return false;
        const looked = readLate.has(path) ? readNs : kept.has(path) ? kept.get(path)!.lookedNs : pinnedNs.has(path) ? pinnedNs.get(path)! : readNs;
        return c.beganNs === undefined || looked === null || c.beganNs < looked;
      },
      withdraw: (path, c) => {
        const by = c.exec >= 0 ? this.builder.executions[c.exec]!.exe : 'a restore';
        state.spoiled = `${path} may have been changed by ${by} (outside its subtree) before it was recorded, a change reported only after`;
        const written = state.written;
        if (!written) return; // not written yet: the recording refuses it
        this.writes.push(written.done.then(() => this.opts.store.removeEntry(written.entry)).catch((e: unknown) => {
          this.opts.warn(`withdrawing the entry of ${exec.exe} failed: ${(e as Error).message}`);
        }));
        const row = this.rows.get(exec.id);
        if (row) {
          row.status = 'uncacheable';
          row.reason = `${state.spoiled}: its entry was withdrawn`;
        }
      },
    });
    return state;
  }

  /** Whether an execution (by id) is exec or runs below it; -1, a restore by nobody, is not. */
  private ownBy(exec: Execution): (id: number) => boolean {
    return (id) => id >= 0 && this.builder.isWithin(this.builder.executions[id]!, exec.id);
  }

  private describeChange(path: string, change: Change, endAt: number): string {
    const by = change.exec >= 0 ? this.builder.executions[change.exec]!.exe : 'a restore';
    const when = change.at < endAt ? 'while it ran' : 'after it ended, before it was recorded';
    return `${path} was changed by ${by} (outside its subtree) ${when}`;
  }

  /**
   * Why exec cannot be recorded: a process outside its subtree changed one of its inputs or
   * outputs after exec started. While it ran, the build raced with itself; after it ended (gcc
   * removing the temporary file `as` read, a shell appending to the file its child wrote), what
   * the file holds now is not what exec read or left.
   */
  private changedByOthers(exec: Execution, endAt: number, inputs: InputSpec[], outputs: string[], kept: Map<string, Snapshot>): string | null {
    const since = this.builder.startOf(exec.id);
    const own = this.ownBy(exec);
    const why = (path: string, change: Change): string => this.describeChange(path, change, endAt);
    for (const input of inputs) {
      // absence, existence and listings are recorded as exec saw them: only their contents and
      // link targets are read again now, and only those can a later change spoil
      // (a stat's: as the tracer saw it; one with no mode, an exec's, is read at the recording)
      const seen = input.kind === 'absent' || input.kind === 'vacant' || input.kind === 'replaceable' || input.kind === 'exists' || input.kind === 'listing' || (input.kind === 'stat' && !readAtRecording(input));
      // a pinned read was hashed as it was read: a change after the pin and after exec ended (its
      // parent's, once its wait returned) spoils nothing; one while it ran is still a race
      const pinned = input.kind === 'content' ? input.pinned : undefined;
      const harmless = seen ? (c: Change): boolean => c.at > endAt : pinned ? (c: Change): boolean => c.at > pinned.at && c.at > endAt : undefined;
      // what a rename moved is read where it went: a change to the name it left is no change to it
      const at = input.kind === 'content' && input.movedTo !== undefined ? { path: input.movedTo, kind: 'content' as const } : input;
      const change = this.fs.changes.foreign(at, since, own, harmless);
      if (change) return why(input.path, change);
    }
    for (const path of outputs) {
      const snapshot = kept.get(path);
      // a process whose exec was answered after the snapshot could not have changed it before,
      // nor a restore made after it (a parent's child served from cache)
      const after = snapshot
        ? (c: Change): boolean => c.at > endAt && (c.tick ?? (c.exec >= 0 ? this.answerOf.get(c.exec)?.tick ?? -1 : -1)) > snapshot.taken
        : undefined;
      const change = this.fs.changes.foreign({ path, kind: 'content' }, since, own, after);
      if (change) return why(path, change);
    }
    return null;
  }

  /** The final state of each output; a message when one is outside the allowed directories. */
  private async outputStates(paths: string[], createdHere: Set<string>, removedHere: Set<string>, renewed: Set<string>, kept: Map<string, Snapshot>, movedFrom: Map<string, string>): Promise<OutputState[] | string> {
    const states: OutputState[] = [];
    for (const path of paths.sort()) {
      // made and removed by the subtree (a compiler's temporary file): no effect
      const noEffect = createdHere.has(path) && removedHere.has(path);
      if (!this.opts.roots.allows(path)) {
        if (noEffect && !lstatSync(path, { throwIfNoEntry: false })) continue;
        return `it writes ${path}, outside the root`;
      }
      let state: OutputState;
      const snapshot = kept.get(path);
      try {
        if (snapshot && !(await snapshot.stored)) return `${path}: what it held at the end could not be stored`;
        state = snapshot?.state ?? await this.finalState(path);
      } catch (e) {
        // gone or replaced between its stat and its read: somebody is still changing it
        return `${path} changed while it was being recorded (${(e as Error).message})`;
      }
      // the file system is read after the subtree ended, and the tracer's events trail it: a
      // removal or a re-creation not yet reported is seen here, against what the subtree did last
      if ((state.type === 'absent') !== removedHere.has(path)) {
        return `${path} was ${state.type === 'absent' ? 'removed' : 'made again'} by another process after it ended, before it was recorded`;
      }
      if (noEffect) continue;
      const from = state.type === 'file' ? movedFrom.get(path) : undefined;
      states.push({ ...state, path: this.opts.roots.store(path), ...(state.type === 'file' && renewed.has(path) ? { newFile: true as const } : {}),
        ...(from !== undefined ? { movedFrom: this.opts.roots.store(from) } : {}) });
    }
    return states;
  }

  /** A path's state now, its blob in the store; throws when that cannot be had. */
  private async finalState(path: string): Promise<OutputState> {
    const now = this.stateNow(path);
    if (now.foreign) throw new Error(now.foreign);
    if (!now.state) throw new Error('neither a file, a directory nor a symlink, or gone meanwhile');
    if (!(await now.stored)) throw new Error('its content could not be stored');
    return now.state;
  }

  /** Stores the stream; its bytes are given back for the search of context values. */
  private async storeStream(chunks: { fd: number; data: Buffer }[]): Promise<{ stream: Entry['stream']; data: Buffer | null }> {
    if (!chunks.length) return { stream: null, data: null };
    const data = Buffer.concat(chunks.map((c) => c.data));
    const blob = sha256(data);
    await this.opts.store.putBlob(blob, data);
    return { stream: { blob, chunks: chunks.map((c) => ({ fd: c.fd, bytes: c.data.length })) }, data };
  }

  /**
   * What processes outside exec's subtree wrote into the file identity names (a stream of theirs)
   * while exec ran: its start to endAt in the log.
   */
  private writtenMeanwhile(exec: Execution, endAt: number, identity: string): Written[] {
    const out: Written[] = [];
    const log = this.builder.log;
    const from = this.builder.startOf(exec.id);
    // a write taken just before its exec by a process that still ran then may run after it, and
    // move its offset: it counts as written meanwhile (hunt 27)
    for (let i = Math.max(0, from - EARLY_ITEMS); i < endAt && i < log.length; i++) {
      const item = log[i]!;
      if (item.kind !== 'output' && item.kind !== 'foreign') continue;
      const writer = this.builder.executions[item.exec]!;
      const into = item.kind === 'output' ? writer.streams[item.fd - 1] : item.identity;
      if (into !== identity || this.builder.isWithin(writer, exec.id)) continue;
      // an ancestor's range holds exec's own writes; its own unseen ones were counted (lazy.h)
      if (item.kind === 'output' && item.range && this.builder.isWithin(exec, writer.id)) continue;
      if (i < from && writer.endMs !== null && writer.endMs < exec.startMs) continue;
      if (i < from && this.wentOnBefore(item.soloPid, i, exec)) continue;
      out.push(item.pos === undefined ? { data: item.data } : { pos: item.pos, data: item.data });
    }
    // a replay writes where the offset stands when it runs, at the hit's exec (a hit has no items
    // in the log: its time tells, hunt 25)
    const until = exec.endMs ?? Number.POSITIVE_INFINITY;
    for (const { atMs, within, chunks } of this.replayedIntoFiles) {
      if (atMs < exec.startMs || atMs > until || (within && this.builder.isWithin(within, exec.id))) continue;
      for (const c of chunks) if (c.identity === identity) out.push({ data: c.data });
    }
    return out;
  }

  /**
   * Was the write at log item `at`, by a process with one thread, over before exec's exec? So
   * when that process exec'd after it, before exec did (or is exec's own: bash's forks print
   * their `set -x` line, then exec): a thread's write ends before its next call. Its offset,
   * taken at exec's exec, is then past it, and it is no write meanwhile.
   */
  private wentOnBefore(soloPid: number | undefined, at: number, exec: Execution): boolean {
    if (soloPid === undefined) return false;
    if (soloPid === exec.pid) return true;
    for (let id = exec.id - 1; id >= 0; id--) {
      const start = this.builder.startOf(id);
      if (start <= at) return false;
      if (this.builder.executions[id]!.pid === soloPid) return true;
    }
    return false;
  }

  /** Notes what a hit's replay writes into files, as it is decided: a recording of a process
   * that wrote there meanwhile may come before the hit has ended. */
  private noteReplayIntoFiles(q: ExecQuery, view: ProcessView, output: { fd: number; data: Buffer }[]): void {
    const files = new Set(view.streamStarts.map((s) => s.fd));
    const chunks = output.flatMap((c) => {
      const fd = c.fd === 2 ? 2 : 1;
      return files.has(fd) && q.streams[fd - 1] ? [{ identity: q.streams[fd - 1]!, data: c.data }] : [];
    });
    const nowNs = this.builder.nowNs();
    if (chunks.length) this.replayedIntoFiles.push({ atMs: nowNs === null ? Number.POSITIVE_INFINITY : nowNs / 1e6, within: this.builder.executionOf(q.pid), chunks });
  }

  /** Waits for the recordings still under way; the rows in execution order. */
  async finish(): Promise<MemoStats> {
    // the trace is over: no REAPED comes any more (each came before any later event, the tracer
    // waiting for its answer)
    for (const wait of [...this.reapWaits.values()]) wait.resolve();
    await this.recording;
    await Promise.all(this.writes);
    this.stats.executions = [...this.rows.values()].sort((a, b) => a.id - b.id);
    return this.stats;
  }
}
