// /proc/PID/stat's fields after "pid (comm) ": the name may hold spaces and parentheses, so the
// fields start after the last ')'.
import { readFileSync } from 'node:fs';

/** state, ppid, pgrp, session, tty_nr, tpgid, ... of pid; null when it is gone. */
export function procStatFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
