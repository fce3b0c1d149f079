// An open fd's flags as /proc says them (O_ACCMODE, O_CLOEXEC, O_DIRECT ...): of this process,
// or of a traced one the tracer holds (ptrace access lets us read its /proc entries).
import { readFileSync } from 'node:fs';

/** The flags of pid's fd, from /proc/PID/fdinfo/FD; null when they cannot be read. */
export function fdFlags(pid: number | 'self', fd: number | string): number | null {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1];
    return flags === undefined ? null : parseInt(flags, 8);
  } catch {
    return null;
  }
}

