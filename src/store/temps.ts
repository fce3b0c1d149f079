// Temporary files a killed run left in the store (a blob, an entry or the stat cache it was
// writing when it died): no reader looks at them, so nothing else would ever remove them.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_NAME } from './atomic.js';

/** Older than this, a temporary file is abandoned even if its pid lives: a write takes seconds. */
const ABANDONED_MS = 60 * 60 * 1000;

/** Whether a process with this pid exists (in this pid namespace; it may be another program by now). */
export function pidAlive(pid: number): boolean {
  if (!(pid > 0)) return false; // 0 and -1 would name process groups
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(dir, d.name));
  } catch {
    return [];
  }
}

/**
 * Removes the store's temporary files whose writer is gone, or that are older than an hour;
 * returns how many. Reads every bucket (512 directory reads): for gc, and for a run that found
 * another one killed.
 */
export function sweepTemps(store: string, now = Date.now(), alive = pidAlive): number {
  const dirs = [store, join(store, 'runs'), ...subdirs(join(store, 'blobs')), ...subdirs(join(store, 'entries'))];
  const aliveOf = new Map<number, boolean>();
  let removed = 0;
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = TEMP_NAME.exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      if (!aliveOf.has(pid)) aliveOf.set(pid, alive(pid));
      const path = join(dir, name);
      try {
        if (aliveOf.get(pid) && now - statSync(path).mtimeMs < ABANDONED_MS) continue;
        rmSync(path);
        removed++;
      } catch { /* renamed into place or removed meanwhile */ }
    }
  }
  return removed;
}
