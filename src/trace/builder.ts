// Turns the tracer's events into executions: one per successful execve; a fork that does not exec
// belongs to its parent's execution.
import { createHash, type Hash } from 'node:crypto';
import { constants } from 'node:os';
import { OBSERVED_BY } from './process-attrs.js';
import { ownEntryOf } from './own-proc.js';
import { isSystemState } from './system-state.js';
import { CdWalks, PwdWalk, walkEnvOf, walksPwd, type WalkEnv } from './pwd-walk.js';
import { ACCESS_OPS, EventType, payloadStrings, type ExecQuery, type RawEvent } from './protocol.js';
import type { Access, CommandStatus, Execution, FileType, StdioKind } from './types.js';

const ERRNO_NAMES = new Map<number, string>(
  Object.entries(constants.errno).map(([name, num]) => [num, name]),
);

const FILE_TYPES: Record<number, FileType> = {
  1: 'fifo', 2: 'char', 4: 'dir', 6: 'block', 8: 'file', 10: 'symlink', 12: 'socket',
};

/** ACCESS kind bits (native/protocol.h: PCT_OPEN_*, PCT_PROBE_NOFOLLOW) */
/** native/protocol.h enum pct_rename_dest, by number (0: not looked at) */
const RENAME_DESTS: (Access['destBefore'])[] = [undefined, 'absent', 'file', 'symlink', 'other', 'empty-dir', 'full-dir'];
const OPEN_TRUNCATES = 1, OPEN_EXCL = 2, OPEN_APPENDS = 4, TRUNCATE_CALL = 8, RENAME_NOREPLACE = 16, PROBE_NOFOLLOW = 0x100, PROBE_ACCESS = 0x200;
/** a LIST's kind: the getdents went on from where an earlier one stopped (one listing, read in parts) */
const LIST_GOES_ON = 1;
/** a PCT_EV_DEFER_END's op (native/protocol.h PCT_DEFER_*) */
const DEFER_DEADLINE = 1, DEFER_WATCHED = 2;

/** A file descriptor opened by path: /dev/stdin, /dev/fd/N, /proc/self/fd/N and the like. */
const FD_BY_PATH = /^(?:\/dev\/(?:std(in|out|err)|fd\/(\d+))|\/proc\/(?:self|thread-self|\d+)(?:\/task\/\d+)?\/fd\/(\d+))$/;
const STD_NAMES: Record<string, number> = { in: 0, out: 1, err: 2 };

/** The fd a path opens again, or null when it names no fd. */
export function fdOfPath(path: string): number | null {
  const m = FD_BY_PATH.exec(path);
  if (!m) return null;
  return m[1] !== undefined ? STD_NAMES[m[1]]! : Number(m[2] ?? m[3]);
}

/** Character devices whose reads are no data a run depends on (or a flag says so elsewhere). */
const QUIET_DEVICES = new Set(['/dev/null', '/dev/zero', '/dev/full', '/dev/urandom', '/dev/random']);

export function errnoName(err: number): string {
  return err === 0 ? 'ok' : ERRNO_NAMES.get(err) ?? `errno${err}`;
}

function nsToMs(ns: bigint): number {
  return Math.round(Number(ns) / 1000) / 1000;
}

function pushUnique(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}

/** Everything the executions did, in the order it happened across all of them. */
export type LogItem =
  | { exec: number; kind: 'access'; access: Access }
  /** pos: where in a file stream the bytes were to go, taken at the write's entry. soloPid: the
   * writer's pid when it had one thread, so that its write was over before anything it did next
   * (its exec among them) */
  | { exec: number; kind: 'output'; fd: number; data: Buffer; pos?: number; soloPid?: number; range?: true }
  /** a write into a file that is another process's stream, not the writer's (identity: the
   * file, as streams name it); pos and soloPid as for output */
  | { exec: number; kind: 'foreign'; identity: string; data: Buffer; pos?: number; soloPid?: number }
  /** a program that was not run: what it stands for is known to whoever skipped it */
  | { exec: number; kind: 'replayed'; tag: unknown };

/** A process's own /proc status (the tracer spells /proc/self with the pid). */
const OWN_STATUS = /^\/proc\/(?:self|thread-self|\d+)\/(?:task\/\d+\/)?status$/;

/** /proc/N/..., a process's entry by its pid */
const PROC_PID = /^\/proc\/(\d+)(?:\/|$)/;

/** A process's own fd table with offsets (/proc/self/fdinfo/N and its spellings). */
const FDINFO = /^\/proc\/(self|thread-self|\d+)\/(task\/\d+\/)?fdinfo(\/|$)/;

/** PCT_OUT_FOREIGN: an OUTPUT event's op for a write into another process's file stream */
const OUT_FOREIGN = 3;
/** PCT_OUT_RANGE + fd: what an execution whose writes were not trapped left in its stream file,
 * read back at its end (native/lazy.h); it holds its whole subtree's output there */
const OUT_RANGE = 4;
/** PCT_OUT_UNSEEN: such an execution's range cannot be told to be its own */
const OUT_UNSEEN = 7;

/** The tracer's flag for a pipe put in packet mode (pipe2 or fcntl with O_DIRECT). */
const PACKET_MODE_FLAG = 'packet-mode:';

export class TraceBuilder {
  readonly executions: Execution[] = [];
  /** processes made by vfork (posix_spawn too) that have not exec'd: their parent waits for that */
  readonly vforked = new Set<number>();
  /** a traced process put a pipe in packet mode (native/tracer.c): from then on no pipe's bytes
   * are read ahead, since a packet's bounds cannot be seen nor put back */
  packetMode = false;
  /** skipped threads whose deferred output the tracer let go at its deadline (PCT_EV_DEFER_END) */
  readonly deferEnded = new Set<number>();
  /** why deferred outputs went out before a reader's exec: a read, the deadline, the watched shell */
  readonly deferEnds = { read: 0, deadline: 0, watched: 0 };
  /** what each execution read from the pipe on its stdin, by execution id (PCT_EV_STDIN_DATA) */
  readonly stdinReads = new Map<number, StdinRead>();
  /** processes that started a thread since their exec: one may change a read's buffer before the
   * tracer copies it at the read's exit */
  readonly threaded = new Set<number>();
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  readonly log: LogItem[] = [];
  /** the programs each process exec'd, in order (a program skipped at its exec is not one) */
  private readonly programsOfPid = new Map<number, Execution[]>();
  /** each execution's direct children */
  private readonly childrenByParent = new Map<number, Execution[]>();
  /** positions in the log of each execution's items */
  private readonly logOfExec = new Map<number, number[]>();
  /** called when an execution's process has ended (innermost first in an exec chain) */
  onExecutionEnd: ((exec: Execution) => void) | null = null;
  /** called for every access as it arrives, with its execution, its position in the log, for
   * a change the earliest it can have begun (ns on the tracer's clock, see tracerStartNs), and
   * when it was reported (the same clock) */
  onAccessSeen: ((access: Access, exec: number, at: number, beganNs: number | undefined, timeNs: number, pid: number) => void) | null = null;
  /** CLOCK_MONOTONIC when the tracer started, from which event times count (null: not said) */
  tracerStartNs: bigint | null = null;
  /** called when a program has started in a process */
  onExecutionStart: ((exec: Execution) => void) | null = null;
  rootPid: number | null = null;
  rootStatus: CommandStatus | null = null;
  done = false;
  /** the command's processes that have not ended, as far as the events so far tell */
  readonly livePids = new Set<number>();

  private readonly executionOfPid = new Map<number, Execution>();
  /** signals sent to each live process and not yet delivered: who sent them */
  private readonly sentTo = new Map<number, { pid: number; signal: number; exec: number }[]>();
  /** threads, whose ids the notification events carry, to their process */
  private readonly processOfThread = new Map<number, number>();
  private readonly listings = new Map<string, Access>();
  /** programs that may still be walking up their $PWD as they start, by execution */
  private readonly pwdWalks = new Map<number, PwdWalk>();
  /** what an exec query said of the environment, for the exec that follows it */
  private readonly execEnv = new Map<number, WalkEnv>();
  /** the same for an execution until its interpreter's exec (a script's shebang) */
  private readonly scriptEnv = new Map<number, WalkEnv>();
  /** executions whose program is bash (itself, or a script's interpreter): their cd walks */
  private readonly bashes = new Set<number>();
  private readonly cdWalks = new CdWalks();

  add(ev: RawEvent): void {
    const owner = this.processOfThread.get(ev.pid);
    if (owner !== undefined) ev = { ...ev, pid: owner };
    switch (ev.type) {
      case EventType.start:
        this.rootPid = ev.pid;
        this.livePids.add(ev.pid);
        if (ev.payload.length >= 8) this.tracerStartNs = ev.payload.readBigUInt64LE(0);
        break;
      case EventType.exec: this.onExec(ev); break;
      case EventType.spawn: {
        if (ev.op === 1) this.vforked.add(ev.value);
        const parent = this.executionOfPid.get(ev.pid);
        if (parent) this.executionOfPid.set(ev.value, parent);
        this.processOfThread.delete(ev.value); // a reused id: now a process of its own
        this.programsOfPid.delete(ev.value);
        this.threaded.delete(ev.value);
        this.livePids.add(ev.value);
        break;
      }
      case EventType.thread:
        this.processOfThread.set(ev.value, ev.pid);
        this.threaded.add(ev.pid);
        break;
      case EventType.exit: this.onExit(ev); break;
      case EventType.access: this.onAccess(ev); break;
      case EventType.flag: this.tag(ev, 'flags'); break;
      case EventType.deferEnd:
        this.deferEnded.add(ev.pid);
        this.deferEnds[ev.op === DEFER_DEADLINE ? 'deadline' : ev.op === DEFER_WATCHED ? 'watched' : 'read']++;
        break;
      case EventType.stdinData: this.onStdinData(ev); break;
      case EventType.nondet: this.tag(ev, 'nondeterminism'); break;
      case EventType.fdEnd: {
        // its process ended (the exit comes next): every execution it ran shares the open file
        for (const exec of this.executions) {
          if (exec.pid !== ev.pid || exec.endMs !== null || ev.payload.length < 8) continue;
          const size = ev.payload.length >= 16 ? Number(ev.payload.readBigInt64LE(8)) : -1;
          const others = ev.payload.length < 24 || ev.payload.readBigInt64LE(16) !== 0n;
          (exec.inheritedEnds ??= []).push({ fd: ev.op, pos: Number(ev.payload.readBigInt64LE(0)), size, others });
        }
        break;
      }
      case EventType.signal: {
        const exec = this.executionOfPid.get(ev.pid);
        exec?.signals.push({ signal: ev.op, from: ev.value === 0 ? null : this.senderOf(ev.pid, ev.value, ev.op) });
        break;
      }
      case EventType.signalSent: this.onSignalSent(ev); break;
      case EventType.observed: {
        const exec = this.executionOfPid.get(ev.pid);
        const attr = OBSERVED_BY[payloadStrings(ev.payload)[0] ?? ''];
        if (exec && attr) pushUnique(exec.observed, attr);
        break;
      }
      case EventType.output: {
        const exec = this.executionOfPid.get(ev.pid);
        if (!exec) break;
        // value 1: the tracer took the position at the entry (kind: its low 32 bits, aux the high)
        const where = {
          ...(ev.value === 1 ? { pos: ev.kind + ev.aux * 2 ** 32 } : {}),
          ...(this.threaded.has(ev.pid) ? {} : { soloPid: ev.pid }),
        };
        if (ev.op === OUT_UNSEEN || ev.op === OUT_RANGE + 1 || ev.op === OUT_RANGE + 2) {
          this.onRange(ev, exec);
          break;
        }
        if (ev.op === OUT_FOREIGN) {
          if (ev.payload.length < 8) break;
          const identity = ev.payload.readBigUInt64LE(0).toString(16);
          this.append({ exec: exec.id, kind: 'foreign', identity, data: Buffer.from(ev.payload.subarray(8)), ...where });
          break;
        }
        exec.output.push({ fd: ev.op, bytes: ev.payload.length });
        this.append({ exec: exec.id, kind: 'output', fd: ev.op, data: Buffer.from(ev.payload), ...where });
        break;
      }
      case EventType.error: this.errors.push(payloadStrings(ev.payload)[0] ?? 'unknown tracer error'); break;
      case EventType.warn: this.warnings.push(payloadStrings(ev.payload)[0] ?? ''); break;
      case EventType.done: this.done = true; break;
      default: this.errors.push(`unknown tracer event ${ev.type}`);
    }
  }

  /** A range (or why there is none) of one of the programs pid's process ran, sent at its end
   * (native/lazy.h): value tells which. One not found makes the last one unrecordable. */
  private onRange(ev: RawEvent, last: Execution): void {
    const exec = this.programsOfPid.get(ev.pid)?.[ev.value];
    if (!exec) {
      last.unseen ??= 'stdout-unseen: the tracer read back output for a program it cannot name';
      return;
    }
    if (ev.op === OUT_UNSEEN) {
      exec.unseen ??= payloadStrings(ev.payload)[0] ?? 'stdout-unseen';
      return;
    }
    const fd = ev.op - OUT_RANGE;
    exec.output.push({ fd, bytes: ev.payload.length });
    const pos = ev.kind + ev.aux * 2 ** 32;
    this.append({ exec: exec.id, kind: 'output', fd, data: Buffer.from(ev.payload), pos, range: true });
  }

  private onExec(ev: RawEvent): void {
    this.vforked.delete(ev.pid);
    this.threaded.delete(ev.pid); // an exec ends every other thread
    const [exe = '', cwd = '', k0, k1, k2, s1 = '', s2 = '', s0 = '', ...argv] = payloadStrings(ev.payload);
    const parent = this.executionOfPid.get(ev.pid) ?? null;
    const exec: Execution = {
      id: this.executions.length,
      parent: parent ? parent.id : null,
      pid: ev.pid,
      exe,
      argv,
      cwd,
      exitCode: null,
      signal: null,
      startMs: nsToMs(ev.timeNs),
      endMs: null,
      accesses: [{ op: 'exec', path: exe, result: 'ok' }],
      flags: [],
      nondeterminism: [],
      observed: [],
      signals: [],
      signalled: [],
      procReads: [],
      stdio: { '0': k0 as StdioKind, '1': k1 as StdioKind, '2': k2 as StdioKind },
      streams: [s1, s2],
      stdinId: s0,
      output: [],
    };
    this.adopt(exec);
    this.executionOfPid.set(ev.pid, exec);
    const env = this.execEnv.get(ev.pid);
    this.execEnv.delete(ev.pid);
    if (!this.startBash(exec, exe, env) && env) this.scriptEnv.set(exec.id, env); // a script's interpreter may be bash
    this.cdWalks.forget(ev.pid);
    const programs = this.programsOfPid.get(ev.pid) ?? [];
    programs.push(exec);
    this.programsOfPid.set(ev.pid, programs);
    this.append({ exec: exec.id, kind: 'access', access: exec.accesses[0]! });
    this.onExecutionStart?.(exec);
  }

  /** An exec query, before the exec it asks about: what of its environment the accesses that
   * follow need (bash's check of $PWD, trace/pwd-walk.ts). */
  noteQuery(query: ExecQuery): void {
    this.execEnv.set(query.pid, walkEnvOf(query.env));
  }

  /** A program that was not run: its process ends with the recorded status instead. */
  addSkipped(query: ExecQuery, exitCode: number, output: { fd: number; data: Buffer }[], timeMs: number, tag: unknown): Execution {
    this.execEnv.delete(query.pid);
    const parent = this.executionOfPid.get(query.pid) ?? null;
    const exec: Execution = {
      id: this.executions.length,
      parent: parent ? parent.id : null,
      pid: query.pid,
      exe: query.exe,
      argv: query.argv,
      cwd: query.cwd,
      exitCode,
      signal: null,
      startMs: timeMs,
      endMs: null,
      accesses: [],
      flags: [],
      nondeterminism: [],
      observed: [],
      signals: [],
      signalled: [],
      procReads: [],
      stdio: { '0': query.stdio[0] as StdioKind, '1': query.stdio[1] as StdioKind, '2': query.stdio[2] as StdioKind },
      streams: query.streams,
      stdinId: query.stdinId,
      output: output.map((o) => ({ fd: o.fd, bytes: o.data.length })),
      skipped: true,
    };
    this.adopt(exec);
    this.executionOfPid.set(query.pid, exec);
    this.append({ exec: exec.id, kind: 'replayed', tag });
    return exec;
  }

  private onSignalSent(ev: RawEvent): void {
    const sender = this.executionOfPid.get(ev.pid);
    if (!sender) return;
    // kind 1: the pid is no process's now (ESRCH): one of the command's that ended, or nobody's
    const target = ev.kind === 1 ? this.endedIn(ev.value) : this.executionOfPid.get(ev.value);
    if (!target) {
      pushUnique(sender.flags, 'signal-outside');
      return;
    }
    if (!sender.signalled.some((s) => s.to === target.id && s.signal === ev.op)) sender.signalled.push({ signal: ev.op, to: target.id });
    if (ev.op === 0 || ev.kind === 1) return;
    const sent = this.sentTo.get(ev.value);
    if (sent) sent.push({ pid: ev.pid, signal: ev.op, exec: sender.id });
    else this.sentTo.set(ev.value, [{ pid: ev.pid, signal: ev.op, exec: sender.id }]);
  }

  /**
   * The execution that sent receiver a signal, as the tracer saw it sent: the sender may have
   * ended by the delivery (its pid then names no one, or someone else). A sender the tracer did
   * not see send it is looked up by its pid, and null when that is not a live process of the
   * command.
   */
  private senderOf(receiver: number, senderPid: number, signal: number): number | null {
    const sent = this.sentTo.get(receiver) ?? [];
    const at = sent.findIndex((s) => s.pid === senderPid && s.signal === signal);
    if (at >= 0) return sent.splice(at, 1)[0]!.exec;
    return this.executionOfPid.get(senderPid)?.id ?? null;
  }

  private onExit(ev: RawEvent): void {
    const signaled = ev.op === 1;
    const ended: Execution[] = [];
    for (const exec of this.executions) {
      if (exec.pid === ev.pid && exec.endMs === null) {
        exec.endMs = nsToMs(ev.timeNs);
        exec.exitCode = signaled ? null : ev.value;
        exec.signal = signaled ? ev.value : null;
        ended.push(exec);
      }
    }
    this.executionOfPid.delete(ev.pid);
    this.programsOfPid.delete(ev.pid);
    this.sentTo.delete(ev.pid);
    this.livePids.delete(ev.pid);
    this.vforked.delete(ev.pid);
    this.execEnv.delete(ev.pid);
    this.cdWalks.forget(ev.pid);
    for (const exec of ended.reverse()) this.onExecutionEnd?.(exec);
    if (ev.pid === this.rootPid) {
      this.rootStatus = { exitCode: signaled ? null : ev.value, signal: signaled ? ev.value : null };
    }
  }

  private adopt(exec: Execution): void {
    this.executions.push(exec);
    if (exec.parent === null) return;
    const siblings = this.childrenByParent.get(exec.parent);
    if (siblings) siblings.push(exec);
    else this.childrenByParent.set(exec.parent, [exec]);
  }

  childrenOf(exec: Execution): readonly Execution[] {
    return this.childrenByParent.get(exec.id) ?? [];
  }

  private append(item: LogItem): number {
    const at = this.log.push(item) - 1;
    const mine = this.logOfExec.get(item.exec);
    if (mine) mine.push(at);
    else this.logOfExec.set(item.exec, [at]);
    return at;
  }

  /** Where in the log an execution began (its exec, or its replay). */
  startOf(exec: number): number {
    return this.logOfExec.get(exec)?.[0] ?? 0;
  }

  /** The execution a process runs now (for a process about to exec: its parent's). */
  executionOf(pid: number): Execution | null {
    return this.executionOfPid.get(pid) ?? null;
  }

  /** One execution's own items (its process and forks that did not exec) with their positions. */
  ownLog(exec: number): [number, LogItem][] {
    return (this.logOfExec.get(exec) ?? []).map((i) => [i, this.log[i]!]);
  }

  /** Is exec, or one of its descendants, still running in a process other than exec's own? */
  hasLiveDescendant(exec: Execution): boolean {
    for (const [pid, e] of this.executionOfPid) {
      if (pid !== exec.pid && this.isWithin(e, exec.id)) return true;
    }
    return false;
  }

  /** The outermost of the executions process pid ran (an exec chain shares a pid), if it has ended. */
  endedIn(pid: number): Execution | null {
    for (let i = this.executions.length - 1; i >= 0; i--) {
      let e = this.executions[i]!;
      if (e.pid !== pid) continue;
      if (e.endMs === null) return null;
      for (let up = e.parent === null ? undefined : this.executions[e.parent]; up?.pid === pid; up = up.parent === null ? undefined : this.executions[up.parent]) e = up;
      return e;
    }
    return null;
  }

  /** The programs exec's process went on to exec in its own pid, in order (an exec chain: `bash -c
   * '...; cmd'` runs its last command so). */
  execChainAfter(exec: Execution): Execution[] {
    const chain: Execution[] = [];
    let next = this.childrenOf(exec).find((c) => c.pid === exec.pid);
    while (next) {
      chain.push(next);
      next = this.childrenOf(next).find((c) => c.pid === exec.pid);
    }
    return chain;
  }

  isWithin(exec: Execution, ancestor: number): boolean {
    for (let e: Execution | undefined = exec; e; e = e.parent === null ? undefined : this.executions[e.parent]) {
      if (e.id === ancestor) return true;
    }
    return false;
  }

  private tag(ev: RawEvent, field: 'flags' | 'nondeterminism'): void {
    const exec = this.executionOfPid.get(ev.pid);
    const text = payloadStrings(ev.payload)[0];
    if (text?.startsWith(PACKET_MODE_FLAG)) this.packetMode = true;
    if (exec && text) pushUnique(exec[field], text);
  }

  private onAccess(ev: RawEvent): void {
    const exec = this.executionOfPid.get(ev.pid);
    const op = ACCESS_OPS[ev.op];
    if (!exec || !op) return;
    const [path, second, ...rest] = payloadStrings(ev.payload);
    const access: Access = { op, result: errnoName(ev.value) };
    if (path !== undefined && op !== 'stdin' && op !== 'dup') access.path = path;
    if (access.path) this.procRead(exec, access.path, ev.pid);
    switch (op) {
      case 'xattr': if (ev.kind & PROBE_NOFOLLOW) access.nofollow = true; break;
      case 'chmod': if (second !== undefined) access.seen = second; break;
      case 'utime':
        if (second !== undefined) access.seen = second;
        if (ev.kind & PROBE_NOFOLLOW) access.nofollow = true; // utimensat(AT_SYMLINK_NOFOLLOW): the link's own
        break;
      case 'probe': {
        const type = FILE_TYPES[ev.kind & 0xff];
        if (type) access.type = type;
        if (ev.kind & PROBE_NOFOLLOW) access.nofollow = true;
        if (ev.kind & PROBE_ACCESS) access.checks = true;
        if (second !== undefined) {
          access.seen = second;
          access.atMs = nsToMs(ev.timeNs);
        }
        break;
      }
      case 'read': {
        if (second !== undefined) access.seen = second;
        // the offsets of its open files, its stdout's among them (hunt 9): not modelled
        if (path !== undefined && FDINFO.test(path)) pushUnique(exec.flags, 'unmodelled: it reads where its open files stand (/proc/PID/fdinfo)');
        if (path !== undefined && this.readsAStream(exec, path, FILE_TYPES[ev.kind & 0xff])) return;
        if (path !== undefined && isSystemState(path)) pushUnique(exec.nondeterminism, path);
        // its own status holds its CPU affinity (Cpus_allowed_list), as sched_getaffinity does
        if (path !== undefined && OWN_STATUS.test(path)) pushUnique(exec.observed, 'affinity');
        if (path?.startsWith('/proc/')) this.ownEntryRead(exec, path, ev.pid);
        break;
      }
      case 'write': case 'truncate': {
        if (second !== undefined) access.seen = second;
        if (op === 'write' && ev.kind & OPEN_APPENDS) access.appends = true;
        if (op === 'truncate' && ev.kind & TRUNCATE_CALL) access.keepsPrefix = true;
        // the type from what stat said: the kind holds how it was opened
        const type = second === undefined ? undefined : FILE_TYPES[(parseInt(second.slice(0, second.indexOf(':')), 16) & 0o170000) >> 12];
        if (type === 'fifo' || type === 'socket') pushUnique(exec.flags, `fifo: it writes to ${path} by path, for another process to read`);
        break;
      }
      case 'list': {
        const key = `${exec.id}\0${path}`;
        const entries = new Map<string, string>();
        // a directory read again from its start is a new listing: what it holds then may be what
        // the execution made since (configure's globs of conftest*)
        const earlier = ev.kind & LIST_GOES_ON ? this.listings.get(key) : undefined;
        if (earlier) earlier.names!.forEach((n, i) => entries.set(n, earlier.types?.[i] ?? '?'));
        for (const typed of [second, ...rest]) if (typed) entries.set(typed.slice(1), typed[0]!);
        const names = [...entries.keys()].sort();
        const types = names.map((n) => entries.get(n)!).join('');
        if (earlier) {
          earlier.names = names;
          earlier.types = types;
          return;
        }
        access.names = names;
        access.types = types;
        this.listings.set(key, access);
        break;
      }
      case 'rename': case 'link':
        if (second !== undefined) access.to = second;
        if (op === 'rename' && ev.kind & RENAME_NOREPLACE) access.noReplace = true;
        if (op === 'rename' && RENAME_DESTS[(ev.kind >> 8) & 0xff]) access.destBefore = RENAME_DESTS[(ev.kind >> 8) & 0xff];
        break;
      case 'symlink': case 'readlink':
        if (second !== undefined) access.target = second;
        if (op === 'readlink' && path?.startsWith('/proc/') && second !== undefined) this.ownStdioLink(exec, path, second, ev.pid);
        break;
      case 'dup': access.fd = ev.kind; access.to = ev.aux; break;
      case 'create':
        if (ev.kind & OPEN_TRUNCATES) access.truncates = true;
        if (ev.kind & OPEN_EXCL) access.exclusive = true;
        if (ev.kind & OPEN_APPENDS) access.appends = true;
        break;
      default: break;
    }
    exec.accesses.push(access);
    this.followPwdWalk(exec, access);
    if (this.bashes.has(exec.id)) this.cdWalks.take(ev.pid, access);
    if (op === 'stdin') pushUnique(exec.observed, 'stdinKind');
    const at = this.append({ exec: exec.id, kind: 'access', access });
    this.onAccessSeen?.(access, exec.id, at, ev.aux > 0 && op !== 'dup' ? Number(ev.timeNs) - ev.aux * 1000 : undefined, Number(ev.timeNs), ev.pid);
  }

  /** Feeds bash's check of $PWD as it starts (trace/pwd-walk.ts); a script's interpreter's exec
   * starts one for the script's execution. */
  private followPwdWalk(exec: Execution, access: Access): void {
    // a script's second exec is its interpreter's
    if (access.op === 'exec' && access.path && exec.accesses.length === 2) this.startBash(exec, access.path, this.scriptEnv.get(exec.id));
    this.scriptEnv.delete(exec.id);
    const walk = this.pwdWalks.get(exec.id);
    if (walk && !walk.follow(access)) this.pwdWalks.delete(exec.id);
  }

  /** When program (exec'd, or a script's interpreter) is bash: follows its walks; says whether. */
  private startBash(exec: Execution, program: string, env: WalkEnv | undefined): boolean {
    if (!walksPwd(program)) return false;
    this.bashes.add(exec.id);
    const walk = PwdWalk.forBash(exec.cwd, env);
    if (walk) this.pwdWalks.set(exec.id, walk);
    return true;
  }

  /** A look at /proc/N of another process: its state is no file's content (hunt 29: an outside
   * process renamed itself, and `cat /proc/N/comm` was replayed). Its own entries are its own. */
  private procRead(exec: Execution, path: string, reader: number): void {
    const m = PROC_PID.exec(path);
    if (!m) return;
    const pid = Number(m[1]);
    if (pid === reader || this.processOfThread.get(pid) === reader) return;
    // a setting it inherited (oom_score_adj) or where its fds lead: another process's, held by no
    // key even where the subtree holds that process (hunt 32: `cat /proc/$$/oom_score_adj`)
    const entry = ownEntryOf(path, () => true);
    if (entry && (entry.use === 'selfstate' || entry.use === 'unkeyed' || /^fd(?:info)?\//.test(entry.entry))) {
      pushUnique(exec.flags, `unmodelled: it reads ${entry.entry} of another process (/proc/${pid}), which no input keys`);
    }
    if (exec.procReads.some((r) => r.pid === pid)) return;
    exec.procReads.push({ pid, from: this.executionOfPid.get(pid)?.id ?? null });
  }

  private isOwnPid(pid: number, reader: number): boolean {
    return pid === reader || this.processOfThread.get(pid) === reader;
  }

  /** A read of its own /proc entry: keyed already, the moment's state, an observed setting, or
   * nothing any input holds (own-proc.ts). */
  private ownEntryRead(exec: Execution, path: string, reader: number): void {
    const own = ownEntryOf(path, (pid) => this.isOwnPid(pid, reader));
    if (!own) return;
    if (own.use === 'moment') pushUnique(exec.nondeterminism, path);
    else if (own.use === 'selfstate') pushUnique(exec.observed, 'selfstate');
    else if (own.use === 'unkeyed') pushUnique(exec.flags, `unmodelled: it reads ${own.entry} in its own /proc entry, which no input keys`);
  }

  /**
   * Where its stdin, stdout or stderr leads (readlink /proc/self/fd/N: `tty`, `realpath
   * /dev/stdout`): the key holds only what kind of file each is (hunt 31 replayed `out1` into a
   * run writing to `plain2`). A pipe or socket's name is its inode number, another every run: the
   * moment's, as the clock is. An inherited fd above 2 is keyed by its path already.
   */
  private ownStdioLink(exec: Execution, path: string, target: string, reader: number): void {
    const own = ownEntryOf(path, (pid) => this.isOwnPid(pid, reader));
    const fd = own && /^fd\/([0-2])$/.exec(own.entry)?.[1];
    if (!fd || target === '/dev/null') return;
    if (/^(?:pipe|socket|anon_inode):/.test(target)) pushUnique(exec.nondeterminism, path);
    else pushUnique(exec.flags, `unmodelled: it reads which file its fd ${fd} is (readlink ${path}), which no input keys`);
  }

  private onStdinData(ev: RawEvent): void {
    const exec = this.executionOfPid.get(ev.pid);
    if (!exec) return;
    let read = this.stdinReads.get(exec.id);
    if (!read) this.stdinReads.set(exec.id, (read = new StdinRead()));
    read.add(ev.value, ev.op === 0 && !this.threaded.has(ev.pid) ? ev.payload : null);
  }

  /**
   * A read of something that is no file's content: stdin opened again by path is stdin; another
   * fd, a FIFO, a socket or a device holds bytes some other process sends, which a replay cannot
   * know. Returns true when the read was turned into a stdin access (already logged).
   */
  private readsAStream(exec: Execution, path: string, type: FileType | undefined): boolean {
    const fd = fdOfPath(path);
    if (fd === 0) {
      // read through another open file, whose reads the tracer does not take
      if (!this.stdinReads.has(exec.id)) this.stdinReads.set(exec.id, new StdinRead());
      this.stdinReads.get(exec.id)!.add(0, null);
      const access: Access = { op: 'stdin', result: 'ok' };
      exec.accesses.push(access);
      pushUnique(exec.observed, 'stdinKind');
      this.append({ exec: exec.id, kind: 'access', access });
      return true;
    }
    if (fd !== null) pushUnique(exec.flags, `fd-by-path: it opens its fd ${fd} by path (${path})`);
    else if (type === 'fifo' || type === 'socket') pushUnique(exec.flags, `fifo: it reads ${path}, whose bytes another process sends`);
    else if ((type === 'char' || type === 'block') && !QUIET_DEVICES.has(path) && !path.startsWith('/dev/tty') && !path.startsWith('/dev/pts/')) {
      pushUnique(exec.flags, `device: it reads the device ${path}`);
    }
    return false;
  }

  /** Now, on the tracer's clock (null when the tracer did not say when it started). */
  nowNs(): number | null {
    return this.tracerStartNs === null ? null : Number(process.hrtime.bigint() - this.tracerStartNs);
  }
}

/** The bytes an execution read from the pipe on its stdin, read by read. */
export class StdinRead {
  private readonly hash: Hash = createHash('sha256');
  private digest: string | undefined;
  /** it read up to the end (a read returned nothing: no writer is left) */
  ended = false;
  /** it read there in a way whose bytes were not taken, or read on after the end */
  unseen = false;
  /** the threads that read */
  readonly tids = new Set<number>();

  /** data null: a read whose bytes are not known */
  add(tid: number, data: Buffer | null): void {
    if (data === null || this.digest !== undefined) {
      this.unseen = true;
      return;
    }
    this.tids.add(tid);
    if (data.length === 0) this.ended = true;
    else if (this.ended) this.unseen = true; // bytes after the end: a writer came back
    else this.hash.update(data);
  }

  /** The bytes' hash, when they are all of what the pipe delivered, read by one thread alone. */
  wholeSha256(): string | null {
    if (!this.ended || this.unseen || this.tids.size !== 1) return null;
    return (this.digest ??= this.hash.digest('hex'));
  }
}
