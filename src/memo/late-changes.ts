// A recording trusts the change log as it stood when it looked at the files. The tracer's events
// trail the file system, so a change made before that look can be reported after it: the reader of
// a pipe appending to the file the writer just left, its event still in the tracer's buffer. Each
// recorded entry watches its inputs and outputs until the run ends, and such a change withdraws it.
import type { Change } from '../fingerprint/index.js';

export interface Watch {
  /** whether a change reported now could have come before the recording looked at path */
  spoils(path: string, change: Change): boolean;
  /** called once, for the first change that spoils it */
  withdraw(path: string, change: Change): void;
}

export class LateChanges {
  private readonly byPath = new Map<string, Watch[]>();
  private readonly withdrawn = new Set<Watch>();

  watch(paths: Iterable<string>, watch: Watch): void {
    for (const path of paths) {
      const list = this.byPath.get(path);
      if (list) list.push(watch);
      else this.byPath.set(path, [watch]);
    }
  }

  /** A change the tracer reported, to be held against every recording that looked at path. */
  reported(path: string, change: Change): void {
    const list = this.byPath.get(path);
    if (!list) return;
    for (const watch of list) {
      if (this.withdrawn.has(watch) || !watch.spoils(path, change)) continue;
      this.withdrawn.add(watch);
      watch.withdraw(path, change);
    }
  }
}
