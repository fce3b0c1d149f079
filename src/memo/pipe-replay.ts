// A hit's output into a pipe: when it may be written whole, however long (nobody who waits for the
// skipped exec reads that pipe), and when it may wait for the pipe's reader to exec, so that the
// reader is keyed on those bytes (a pipeline's stages reused one by one: docs/design-notes.md).
import { readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { procStatFields, type ExecQuery } from '../trace/index.js';
import { pipeHolders } from './pipe-stdin.js';

/** Shells never wait for a child's exec before reading its pipe (no exec-error pipe, no vfork):
 * a shell holding a pipeline's pipe for a moment, between two forks, reads nothing from it. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);

function parentOf(pid: number): number | null {
  const ppid = procStatFields(pid)?.[1];
  return ppid === undefined ? null : Number(ppid);
}

/** pid's traced ancestors, nearest first (the tracer itself is not traced). */
function ancestorsOf(pid: number, traced: ReadonlySet<number>): Set<number> {
  const out = new Set<number>();
  for (let p = parentOf(pid); p !== null && p > 1 && traced.has(p) && !out.has(p); p = parentOf(p)) out.add(p);
  return out;
}

/** The calls a reader waits for input in (read, readv, pread64, preadv, preadv2, select,
 * pselect6, poll, ppoll, epoll_wait, epoll_pwait, epoll_pwait2, recvfrom, recvmsg), by arch. */
const INPUT_WAITS: Record<string, ReadonlySet<number>> = {
  x64: new Set([0, 19, 17, 295, 327, 23, 270, 7, 271, 232, 281, 441, 45, 47]),
  arm64: new Set([63, 65, 67, 69, 286, 72, 73, 22, 441, 207, 212]),
};

/**
 * Can a deferral wait for pid's exec, or be let go by its read? Not when it sleeps waiting for
 * input: a reader already blocked in read or select on the pipe (a subshell's `read -t`) entered
 * it before a deferral could be let go by it, and would wait for the deadline. Running, stopped
 * by the tracer (what it does next comes to the tracer first) or asleep in any other call (a
 * fork's page faults on a loaded machine, a subshell waiting for a child) can.
 */
function notWaitingForInput(pid: number): boolean {
  const state = procStatFields(pid)?.[0];
  if (state === undefined || state === 'Z' || state === 'X') return false;
  if (state !== 'S' && state !== 'D') return true;
  let call: string;
  try {
    call = readFileSync(`/proc/${pid}/syscall`, 'utf8');
  } catch {
    return false;
  }
  const nr = Number(call.split(' ', 1)[0]);
  // "running": it woke meanwhile; a number: the call it sleeps in
  return !Number.isInteger(nr) || !(INPUT_WAITS[process.arch]?.has(nr) ?? true);
}

function isShell(pid: number): boolean {
  try {
    return SHELLS.has(basename(readlinkSync(`/proc/${pid}/exe`)));
  } catch {
    return false;
  }
}

/** Is no end of the pipe id open for reading in a traced process (its reader has gone)? False when
 * that cannot be told. Only for a pipe made inside the command: outside, a reader is not seen. */
export function readerGone(id: string, traced: ReadonlySet<number>): boolean {
  const holders = pipeHolders(id, traced);
  return holders !== null && !holders.some((h) => !h.writes);
}

/** What the pipes on q's fds 1 and 2 are to q: who else holds them, and whether a holder that reads may wait for q's exec. */
export class ReplayPipes {
  private ancestors: Set<number> | undefined;

  constructor(private readonly q: ExecQuery, private readonly traced: ReadonlySet<number>, private readonly vforked: boolean) {}

  private ancestor(pid: number): boolean {
    this.ancestors ??= ancestorsOf(this.q.pid, this.traced);
    return this.ancestors.has(pid);
  }

  /** An ancestor that may wait for the exec before it reads: anything but a shell. */
  private waitsForExec(pid: number): boolean {
    return this.ancestor(pid) && !isShell(pid);
  }

  /**
   * May a replay write into q's pipes more than they hold and wait for a reader? Not when q was
   * made by vfork (its parent is suspended until the exec), nor when an ancestor that is not a
   * shell reads one of them (Python's subprocess reads its exec-error pipe first, then stdout).
   */
  mayBlock(): boolean {
    if (this.vforked) return false;
    for (const fd of [1, 2] as const) {
      if (this.q.stdio[fd] !== 'pipe') continue;
      const holders = pipeHolders(this.q.streams[fd - 1]!, this.traced);
      if (holders === null || holders.some((h) => !h.writes && h.pid !== this.q.pid && this.waitsForExec(h.pid))) return false;
    }
    return true;
  }

  /**
   * The pipe on fd 1 when q's replay may wait there for its reader's exec: a pipe made inside the
   * command (madeInside), one reader, which has not exec'd yet (a shell's fork on its way to the
   * next stage: hasExeced says no), and besides only shells among q's ancestors, which close
   * their copies. Or no reader yet, and one shell ancestor holding the read end: the stage after
   * q is not forked yet (q exec'd first), or the shell reads the pipe itself (a command
   * substitution). That shell is watched (watch): its read or its wait for a child lets the
   * output go, its fork stops the watch (the reader may be on its way). Null otherwise: a reader
   * that runs a program already reads now.
   */
  deferrablePipe(madeInside: (id: string) => boolean, hasExeced: (pid: number) => boolean): { pipe: string; watch?: number } | null {
    if (this.vforked || this.q.stdio[1] !== 'pipe') return null;
    const id = this.q.streams[0]!;
    if (!id || !madeInside(id)) return null;
    const holders = pipeHolders(id, this.traced);
    if (holders === null) return null;
    const readers: number[] = [];
    const shellReaders = new Set<number>();
    let readEnd = false;
    for (const h of holders) {
      if (h.pid === this.q.pid) continue;
      readEnd ||= !h.writes;
      if (this.ancestor(h.pid)) {
        if (!isShell(h.pid)) return null;
        if (!h.writes) shellReaders.add(h.pid);
        continue;
      }
      if (h.writes) return null; // a sibling writing there too: its bytes are not known
      if (!readers.includes(h.pid)) readers.push(h.pid);
    }
    // no read end left: the reader has gone, and the program would meet SIGPIPE now, not later
    if (!readEnd) return null;
    if (!readers.length) return shellReaders.size === 1 ? { pipe: id, watch: [...shellReaders][0]! } : null;
    if (readers.length !== 1) return null;
    // a shell's fork: one that runs no program may look at the pipe where no look is seen (a
    // Python fork's FIONREAD, poll or read on fd 3 found it empty: hunt 37); a shell's builtins
    // read or select on fds the tracer sees
    const reader = readers[0]!;
    return !hasExeced(reader) && isShell(reader) && notWaitingForInput(reader) ? { pipe: id } : null;
  }
}
