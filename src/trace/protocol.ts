// Mirrors native/protocol.h: the spec record sent to the tracer and the event records it sends.
import { decodeProcessAttrs, type ProcessAttrs } from './process-attrs.js';

export const SPEC_MAGIC = 0x70637433; // "pct3": with pipeWaitMs
export const SPEC_DROP_PRIVILEGES = 1;
export const SPEC_NO_NEW_PRIVS = 2;
export const SPEC_NO_NOTIFY = 4;
export const SPEC_DECIDE_EXEC = 8;
/** writes into file streams are read back at each execution's end, not trapped (native/lazy.h) */
export const SPEC_LAZY_WRITES = 16;
const REPLY_MAGIC = 0x70637445; // "pctE": with defer_ms, release and defer_watch

export const EventType = {
  start: 1, exec: 2, spawn: 3, exit: 4, access: 5, flag: 6, nondet: 7, output: 8, error: 9,
  warn: 10, done: 11, thread: 12, execQuery: 13, observed: 14, fdEnd: 15, reaped: 16,
  /** an exec query asked again after a wait, for the last time: the answer must not be wait */
  execQueryLast: 17,
  /** pid: a skipped thread whose deferred output reached its deadline, or whose pipe was read: it is written now */
  deferEnd: 18,
  /** value: the thread; op 0: what a read of a pipe on stdin took (empty: its end), op 1: a read
   * there whose bytes were not taken (readv, splice) */
  stdinData: 19,
  /** pid received signal op from process value (0: a terminal, through the kernel) */
  signal: 20,
  /** pid sends signal op (0: a probe of whether it lives) to traced process value */
  signalSent: 21,
} as const;
/** PCT_REPLY_WAIT: the tracer holds the process and asks again */
const REPLY_WAIT = 2;

/** Access ops, indexed by their number in the protocol. */
export const ACCESS_OPS = [
  '', 'read', 'write', 'create', 'truncate', 'probe', 'list', 'readlink', 'exec', 'chdir',
  'rename', 'delete', 'mkdir', 'rmdir', 'symlink', 'link', 'chmod', 'utime', 'mknod', 'stdin',
  'dup', 'xattr',
] as const;
export type AccessOp = Exclude<(typeof ACCESS_OPS)[number], ''>;

export interface CommandSpec {
  exe: string;
  cwd: string;
  argv: string[];
  env: string[];
  uid: number;
  gid: number;
  groups: number[];
  umask: number;
  flags: number;
  /** the caller's fds >= 3, ascending, which the command inherits */
  fds: number[];
  /** bit N-1: signal N starts ignored (the rest at their defaults) */
  sigIgnored: bigint;
  /** bit N-1: signal N starts blocked */
  sigBlocked: bigint;
  /** how long an exec may be held for the writers of the pipe on its stdin; 0 or none: never */
  pipeWaitMs?: number;
}

const SPEC_HEADER = 64;

export function encodeSpec(spec: CommandSpec): Buffer {
  const strings = Buffer.from([spec.exe, spec.cwd, ...spec.argv, ...spec.env].map((s) => `${s}\0`).join(''));
  const ids = [...spec.groups, ...spec.fds];
  const header = Buffer.alloc(SPEC_HEADER + 4 * ids.length);
  const fields = [SPEC_MAGIC, spec.flags, spec.uid, spec.gid, spec.umask, spec.groups.length,
    spec.argv.length, spec.env.length, strings.length, spec.fds.length];
  fields.forEach((v, i) => header.writeUInt32LE(v >>> 0, i * 4));
  header.writeBigUInt64LE(BigInt.asUintN(64, spec.sigIgnored), 40);
  header.writeBigUInt64LE(BigInt.asUintN(64, spec.sigBlocked), 48);
  header.writeUInt32LE(spec.pipeWaitMs ?? 0, 56);
  // the process whose stdout and stderr the command gets: no writer from outside the trace
  header.writeUInt32LE(process.pid, 60);
  ids.forEach((g, i) => header.writeUInt32LE(g >>> 0, SPEC_HEADER + i * 4));
  return Buffer.concat([header, strings]);
}

export interface RawEvent {
  type: number;
  op: number;
  pid: number;
  value: number;
  timeNs: bigint;
  kind: number;
  aux: number;
  payload: Buffer;
}

const HEADER = 32;

/** Splits the tracer's byte stream into events; chunks may cut records anywhere. */
export class EventDecoder {
  private pending: Buffer[] = [];
  private pendingLength = 0;

  push(chunk: Buffer): RawEvent[] {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    const events: RawEvent[] = [];
    for (;;) {
      // whole events are read where they lie
      const first = this.pending[0];
      if (!first) return events;
      let at = 0;
      for (let len; first.length - at >= HEADER && first.length - at >= (len = eventLength(first, at));) {
        events.push(decodeAt(first, at, len));
        at += len;
      }
      if (at > 0) this.drop(at);
      if (this.pending.length < 2 || this.pendingLength < HEADER) return events;
      // an event cut by a read is joined alone (a large one comes in many reads: joined once it
      // is whole), not the events after it
      const len = eventLength(this.pending[0]!.length >= 4 ? this.pending[0]! : Buffer.concat(this.pending, 4), 0);
      if (this.pendingLength < len) return events;
      events.push(decodeAt(Buffer.concat(this.pending, len), 0, len));
      this.drop(len);
    }
  }

  get leftover(): number {
    return this.pendingLength;
  }

  /** Takes the first n pending bytes away. */
  private drop(n: number): void {
    this.pendingLength -= n;
    while (n > 0) {
      const first = this.pending[0]!;
      if (first.length > n) {
        this.pending[0] = first.subarray(n);
        return;
      }
      n -= first.length;
      this.pending.shift();
    }
  }
}

function eventLength(buf: Buffer, at: number): number {
  const len = buf.readUInt32LE(at);
  if (len < HEADER) throw new Error(`corrupt tracer stream: record of ${len} bytes`);
  return len;
}

function decodeAt(buf: Buffer, at: number, len: number): RawEvent {
  return {
    type: buf.readUInt16LE(at + 4),
    op: buf.readUInt16LE(at + 6),
    pid: buf.readInt32LE(at + 8),
    value: buf.readInt32LE(at + 12),
    timeNs: buf.readBigUInt64LE(at + 16),
    kind: buf.readUInt32LE(at + 24),
    aux: buf.readUInt32LE(at + 28),
    payload: buf.subarray(at + HEADER, at + len),
  };
}


/** The NUL-terminated strings of a payload. */
export function payloadStrings(payload: Buffer): string[] {
  const out: string[] = [];
  // indexOf is a memchr: a byte-by-byte loop here was a measurable share of a traced build's CPU
  for (let start = 0, nul; (nul = payload.indexOf(0, start)) >= 0; start = nul + 1) {
    out.push(payload.toString('utf8', start, nul));
  }
  return out;
}

/** A process about to execve, asking whether to run the program (SPEC_DECIDE_EXEC). */
export interface ExecQuery {
  pid: number;
  tid: number;
  exe: string;
  cwd: string;
  stdio: [string, string, string];
  /** which open files fds 1 and 2 name (device and inode, as the tracer mixes them) */
  streams: [string, string];
  /** which open file fd 0 names */
  stdinId: string;
  argv: string[];
  env: string[];
  /** the process's umask at the exec, when /proc says it */
  umask: number | null;
  /** what else it inherits: credentials, signals, limits, namespaces, affinity, uname, fds >= 3 */
  process: ProcessAttrs;
  /** asked again after waits, for the last time: waiting is no answer any more */
  last: boolean;
}

/** A skipped thread whose output waits (deferMs), let go: written, or dropped (its reader was
 * replayed, keyed on those very bytes). */
export interface DeferRelease { tid: number; write: boolean }

export type ExecDecision = (
  | { skip: false; wait?: false }
  /** not yet: the pipe on its stdin has a writer that still runs; the tracer holds the process
   * and asks again when a traced process ends, and for the last time at a deadline */
  | { skip: false; wait: true; /** held up to this long, not the run's pipe wait (asked again at each exec too) */ waitMs?: number }
  | {
    skip: true; exitCode: number; output: { fd: number; data: Buffer }[]; tag?: unknown;
    /** where to move the offsets of files it inherited open for reading (the recorded run's ends) */
    seeks?: { fd: number; pos: number }[];
    /** its output waits up to this long for the exec of its pipe's reader (a release) */
    deferMs?: number;
    /** the shell that alone holds the pipe's read end, its reader not forked yet: its read of
     * the pipe or its wait for a child lets the output go (native held[].watch) */
    deferWatch?: number;
  }) & { release?: DeferRelease };

/** PCT_UMASK_UNKNOWN: the tracer could not read the umask */
const UMASK_UNKNOWN = 0xffff;

export function decodeExecQuery(ev: RawEvent): ExecQuery {
  const [exe = '', cwd = '', k0 = '', k1 = '', k2 = '', s1 = '', s2 = '', s0 = '', ...rest] = payloadStrings(ev.payload);
  return {
    pid: ev.pid,
    tid: ev.value,
    exe,
    cwd,
    stdio: [k0, k1, k2],
    streams: [s1, s2],
    stdinId: s0,
    argv: rest.slice(0, ev.kind),
    env: rest.slice(ev.kind, ev.kind + ev.aux),
    umask: ev.op === UMASK_UNKNOWN ? null : ev.op,
    process: decodeProcessAttrs(rest.slice(ev.kind + ev.aux)),
    last: ev.type === EventType.execQueryLast,
  };
}

/** The reply as the parts it is sent in: a replay's bytes go out as they are, uncopied (a copy
 * of an 800 KB output into one buffer cost a hit 2 ms of page faults here). */
export function encodeExecReply(decision: ExecDecision): Buffer[] {
  const chunks = decision.skip ? decision.output : [];
  const seeks = decision.skip ? decision.seeks ?? [] : [];
  const head = Buffer.alloc(36);
  head.writeUInt32LE(REPLY_MAGIC, 0);
  head.writeUInt32LE(decision.skip ? 1 : decision.wait ? REPLY_WAIT : 0, 4);
  head.writeInt32LE(decision.skip ? decision.exitCode : 0, 8);
  head.writeUInt32LE(chunks.length, 12);
  head.writeUInt32LE(seeks.length, 16);
  head.writeUInt32LE(decision.skip ? decision.deferMs ?? 0 : decision.wait ? decision.waitMs ?? 0 : 0, 20);
  head.writeInt32LE(decision.release?.tid ?? 0, 24);
  head.writeUInt32LE(decision.release?.write ? 1 : 0, 28);
  head.writeInt32LE(decision.skip ? decision.deferWatch ?? 0 : 0, 32);
  const parts: Buffer[] = [head];
  for (const s of seeks) {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(s.fd, 0);
    b.writeBigUInt64LE(BigInt(s.pos), 8);
    parts.push(b);
  }
  for (const c of chunks) {
    const h = Buffer.alloc(8);
    h.writeUInt32LE(c.fd, 0);
    h.writeUInt32LE(c.data.length, 4);
    parts.push(h, c.data);
  }
  return parts;
}
