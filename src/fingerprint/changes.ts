// Who changed which path when, in log order: an execution whose input was changed by a process
// outside its subtree after it started cannot be recorded. What it read may not be what the
// file holds when its entry is written (recording trails the exit: events arrive in batches), and
// a build that writes a file while another process reads it has a race of its own.
import { dirname } from 'node:path';
import type { InputSpec } from '../observe/index.js';

export interface Change {
  /** log position, or where the log stood when a restore made it */
  at: number;
  /** the execution that made it; for a restore, the process that would have run the program */
  exec: number;
  /** the earliest it can have begun, on the tracer's clock (a restore, made here, has none) */
  beganNs?: number;
  /** a restore's place among snapshots and exec answers (memo/engine.ts) */
  tick?: number;
}

export class ChangeLog {
  private readonly byPath = new Map<string, Change[]>();
  /** changes to a directory's entries, for listings */
  private readonly byDir = new Map<string, Change[]>();

  note(path: string, change: Change): void {
    push(this.byPath, path, change);
    push(this.byDir, dirname(path), change);
  }

  /** Every path the run changed. */
  paths(): IterableIterator<string> {
    return this.byPath.keys();
  }

  /** Has the run changed path, or the entries of the directory path? */
  touched(path: string): boolean {
    return this.byPath.has(path) || this.byDir.has(path);
  }

  /** How many changes the run made to path: a fact learned at one count holds until the next. */
  count(path: string): number {
    return this.byPath.get(path)?.length ?? 0;
  }

  /** A change to what input looks at, made after `since` by an execution that `own` disowns. */
  foreign(input: InputSpec, since: number, own: (exec: number) => boolean, harmless?: (c: Change) => boolean): Change | null {
    const changes = (input.kind === 'listing' ? this.byDir : this.byPath).get(input.path);
    if (!changes) return null;
    return changes.find((c) => c.at > since && !own(c.exec) && !harmless?.(c)) ?? null;
  }
}

function push(map: Map<string, Change[]>, key: string, change: Change): void {
  const list = map.get(key);
  if (list) list.push(change);
  else map.set(key, [change]);
}
