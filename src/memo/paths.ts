// Where a stored path lands: paths under the root are stored relative to it, and a restore writes
// only inside the root and the declared directories.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export class Roots {
  readonly root: string;
  readonly allowed: string[];

  constructor(root: string, extra: string[] = []) {
    this.root = resolve(root);
    this.allowed = [this.root, ...extra.map((d) => resolve(d))];
  }

  /** How an absolute path is stored: relative under the root, absolute elsewhere. */
  store(path: string): string {
    const rel = relative(this.root, path);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path === this.root ? '.' : path;
  }

  /** The absolute path a stored path names now. */
  load(stored: string): string {
    return isAbsolute(stored) ? stored : join(this.root, stored);
  }

  /** Is the (already resolved, absolute) path inside one of the allowed directories? */
  allows(path: string): boolean {
    const p = resolve(path);
    return this.allowed.some((dir) => p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep));
  }
}
