// A hit's output into a pipe: when it may be written whole, however long (nobody who waits for the
// skipped exec reads that pipe), and when it may wait for the pipe's reader to exec, so that the
// reader is keyed on those bytes (a pipeline's stages reused one by one: docs/design-notes.md).
import { readlinkSync } from 'node:fs';
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

/**
 * Is pid running, or stopped by the tracer (then what it does next, a read or select of its pipe
 * included, comes to the tracer first)? Not when it sleeps in a call: a reader already blocked in
 * read or select on the pipe (a subshell's `read -t`) entered it before a deferral could be let
 * go by it, and would wait for the deadline.
 */
function runningOrStopped(pid: number): boolean {
  const state = procStatFields(pid)?.[0];
  return state === 'R' || state === 't';
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
   * their copies (a shell that reads it itself, a command substitution, is no reader here: with
   * no other reader, nothing is deferred). Null otherwise: a reader that runs a
   * program already reads now.
   */
  deferrablePipe(madeInside: (id: string) => boolean, hasExeced: (pid: number) => boolean): string | null {
    if (this.vforked || this.q.stdio[1] !== 'pipe') return null;
    const id = this.q.streams[0]!;
    if (!id || !madeInside(id)) return null;
    const holders = pipeHolders(id, this.traced);
    if (holders === null) return null;
    const readers: number[] = [];
    let readEnd = false;
    for (const h of holders) {
      if (h.pid === this.q.pid) continue;
      readEnd ||= !h.writes;
      if (this.ancestor(h.pid)) {
        if (!isShell(h.pid)) return null;
        continue;
      }
      if (h.writes) return null; // a sibling writing there too: its bytes are not known
      if (!readers.includes(h.pid)) readers.push(h.pid);
    }
    // no read end left: the reader has gone, and the program would meet SIGPIPE now, not later.
    // None but a shell ancestor's: it may read it itself (`x=$(expr 1 + 1)`), where no read is seen
    if (!readEnd || readers.length !== 1) return null;
    return !hasExeced(readers[0]!) && runningOrStopped(readers[0]!) ? id : null;
  }
}
