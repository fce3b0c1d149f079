// Where a stored path lands: paths under the root are stored relative to it, and a restore writes
// only inside the root and the declared directories.
import { isAbsolute, join, resolve, sep } from 'node:path';

/** Absolute with no ".", ".." or empty component: resolve() would return it unchanged. */
function isNormalAbsolute(p: string): boolean {
  return p.startsWith('/') && !p.includes('//') && !/\/\.\.?(\/|$)/.test(p) && (p.length === 1 || !p.endsWith('/'));
}

/** Relative with no ".", ".." or empty component: join() would only glue it on. */
function isNormalRelative(p: string): boolean {
  return p !== '' && !p.includes('//') && !p.endsWith('/') && !/(^|\/)\.\.?(\/|$)/.test(p);
}

/** A stored path as a recording writes it: the root itself ('.'), or relative or absolute with no
 * ".", ".." or empty component. An entry from elsewhere may hold anything; a NUL would end the
 * name early in C. */
export function isNormalStored(stored: string): boolean {
  if (stored.includes('\0')) return false;
  return stored === '.' || (stored.startsWith('/') ? isNormalAbsolute(stored) : isNormalRelative(stored));
}

const under = (dir: string): string => (dir.endsWith(sep) ? dir : dir + sep);

export class Roots {
  readonly root: string;
  readonly allowed: string[];
  private readonly rootPrefix: string;
  private readonly allowedPrefixes: string[];

  constructor(root: string, extra: string[] = []) {
    this.root = resolve(root);
    this.allowed = [this.root, ...extra.map((d) => resolve(d))];
    this.rootPrefix = under(this.root);
    this.allowedPrefixes = this.allowed.map(under);
  }

  /** How an absolute (normalized, as the tracer reports) path is stored: relative under the root, absolute elsewhere. */
  store(path: string): string {
    if (path === this.root) return '.';
    return path.startsWith(this.rootPrefix) ? path.slice(this.rootPrefix.length) : path;
  }

  /** The absolute path a stored path names now. */
  load(stored: string): string {
    if (isAbsolute(stored)) return stored;
    // what store() wrote needs no normalizing (join() is a measurable share of a lookup's time)
    return isNormalRelative(stored) ? this.rootPrefix + stored : join(this.root, stored);
  }

  /** The deepest allowed directory holding the normal absolute path, and the path relative to it
   * ('' for the directory itself); null outside them. The deepest, because a declared directory
   * is trusted by its path, symlinks on the way included, and a restore walks below it. */
  within(path: string): { dir: string; rel: string } | null {
    let best = -1;
    for (let i = 0; i < this.allowed.length; i++) {
      const dir = this.allowed[i]!;
      const inside = path === dir || path.startsWith(this.allowedPrefixes[i]!);
      if (inside && (best < 0 || dir.length > this.allowed[best]!.length)) best = i;
    }
    if (best < 0) return null;
    const dir = this.allowed[best]!;
    return { dir, rel: path === dir ? '' : path.slice(this.allowedPrefixes[best]!.length) };
  }

  /** Is the (absolute) path inside one of the allowed directories, once "." and ".." are resolved? */
  allows(path: string): boolean {
    const p = isNormalAbsolute(path) ? path : resolve(path);
    return this.allowed.some((dir, i) => p === dir || p.startsWith(this.allowedPrefixes[i]!));
  }
}
