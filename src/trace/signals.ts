// The signals processcache receives while the command runs are the command's: a cancelled CI job
// sends SIGTERM to processcache, not to the program it runs.
import { procStatFields } from './proc-stat.js';

const FORWARDED: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'];
/** What a terminal sends to its whole foreground process group by itself (^C, ^\). */
const FROM_TERMINAL: ReadonlySet<NodeJS.Signals> = new Set(['SIGINT', 'SIGQUIT']);

/**
 * Whether pid is in the foreground process group of its controlling terminal. The terminal's ^C
 * reaches it then without us, and one passed on as well would be a second SIGINT (a shell's trap
 * would run twice). processcache cannot tell ^C from `kill -INT` (Node gives no siginfo).
 */
export function inTerminalForeground(pid: number): boolean {
  const fields = procStatFields(pid);
  if (!fields) return false; // gone: nothing to send it anyway
  const pgrp = Number(fields[2]);
  const tpgid = Number(fields[5]);
  return tpgid > 0 && tpgid === pgrp;
}

export interface SignalForwarding {
  /** The command's first process exists: signals that came before it go to it now. */
  started(pid: number): void;
  /**
   * The command's first process has ended. After a signal was passed on, the processes it left
   * running get that signal too: a cancelled job must not leave work behind, which nothing would
   * reach once processcache has returned (a CI runner's final kill of its process tree misses
   * them, reparented away). Otherwise they keep running, as without processcache.
   */
  ended(leftovers: Iterable<number>): void;
  remove(): void;
}

/** Passes SIGTERM, SIGINT, SIGHUP and SIGQUIT on to the command's first process while it runs. */
export function forwardSignals(): SignalForwarding {
  let root: number | null = null;
  let last: NodeJS.Signals | null = null;
  const early: NodeJS.Signals[] = [];
  const send = (pid: number, sig: NodeJS.Signals): void => {
    if (FROM_TERMINAL.has(sig) && inTerminalForeground(pid)) return;
    try { process.kill(pid, sig); } catch { /* already gone */ }
  };
  const handler = (sig: NodeJS.Signals): void => {
    last = sig;
    if (root === null) early.push(sig);
    else send(root, sig);
  };
  for (const sig of FORWARDED) process.on(sig, handler);
  return {
    started(pid) {
      if (root !== null) return;
      root = pid;
      for (const sig of early.splice(0)) send(pid, sig);
    },
    ended(leftovers) {
      if (last === null) return;
      for (const pid of leftovers) {
        try { process.kill(pid, last); } catch { /* ended meanwhile */ }
      }
    },
    remove() {
      for (const sig of FORWARDED) process.off(sig, handler);
    },
  };
}
