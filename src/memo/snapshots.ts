// What each output held when the execution that last changed it ended. A recording trails the
// exit, and by then a later step may have changed the file in place (ranlib rewriting the archive
// ar just wrote): the snapshot keeps what the execution left, its blob written at once.
import type { OutputState } from '../store/index.js';

export interface Snapshot {
  /** where the execution ended in the log (or where a restore happened) */
  at: number;
  /** its place among snapshots and exec answers: a process whose exec was answered after it
   * could not have changed the file before it */
  taken: number;
  /** when the look ended, on the tracer's clock (null: the tracer did not say when it started) */
  lookedNs: number | null;
  /** the execution whose subtree left this state (for a restore: the process that would have run it) */
  exec: number;
  /** the state, under its absolute path; null when it could not be told (gone meanwhile, or
   * neither a file, a directory nor a link): the recording then looks for itself */
  state: OutputState | null;
  /** whether the blob of a file is in the store */
  stored: Promise<boolean>;
  /** why a restore could not leave it as it was (owned by another user), when it could not */
  foreign?: string;
}

export class OutputSnapshots {
  private readonly byPath = new Map<string, Snapshot[]>();

  add(path: string, snapshot: Snapshot): void {
    const list = this.byPath.get(path);
    if (list) list.push(snapshot);
    else this.byPath.set(path, [snapshot]);
  }

  /** The last snapshot of path that an execution `within` took by endAt. */
  last(path: string, endAt: number, within: (exec: number) => boolean): Snapshot | undefined {
    const list = this.byPath.get(path);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i]!;
      if (s.at <= endAt && s.exec >= 0 && within(s.exec)) return s;
    }
    return undefined;
  }
}
