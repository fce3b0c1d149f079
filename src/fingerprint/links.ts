// Every symlink on the way to a path is an input: with `d -> d1`, `ls d/`, `cd d && cat f` and a
// write to `out -> real` depend on where the links lead. A walk resolves a path the way the
// kernel does, component by component, and names the links it went through; lstat results are
// remembered for the run until a structural change at or above them (reshaped()).
import { lstatSync, readlinkSync } from 'node:fs';

export interface Walk {
  /** the symlinks passed through, by their real paths, in the order the kernel follows them */
  links: string[];
  /** the path with every symlink resolved (the final one only when followed) */
  real: string;
}

const MAX_HOPS = 40; // the kernel's own limit (ELOOP)
const NO_LINKS: string[] = [];


export class LinkWalker {
  /** path -> its symlink's target, or null when it is no symlink (or absent) */
  private readonly targets = new Map<string, string | null>();
  /** whole walks, keyed by follow flag and path */
  private readonly walks = new Map<string, Walk>();
  /** paths walked through as a directory or a link: a change there reshapes what lies below */
  private readonly passed = new Set<string>();

  walk(path: string, followLast: boolean): Walk {
    const key = (followLast ? '1' : '0') + path;
    let w = this.walks.get(key);
    if (!w) this.walks.set(key, (w = this.resolve(path, followLast)));
    return w;
  }

  private targetOf(path: string): string | null {
    let t = this.targets.get(path);
    if (t === undefined) {
      try {
        const st = lstatSync(path, { throwIfNoEntry: false });
        t = st?.isSymbolicLink() ? readlinkSync(path) : null;
      } catch {
        t = null; // unreachable (ENOTDIR, EACCES): no link to follow
      }
      this.targets.set(path, t);
    }
    return t;
  }

  private resolve(path: string, followLast: boolean): Walk {
    let links = NO_LINKS;
    const queue = path.split('/').reverse();
    let real = '';
    for (let hops = 0; queue.length;) {
      const name = queue.pop()!;
      if (name === '' || name === '.') continue;
      if (name === '..') {
        real = real.slice(0, Math.max(0, real.lastIndexOf('/')));
        continue;
      }
      const next = `${real}/${name}`;
      const last = !queue.some((n) => n !== '' && n !== '.');
      const target = last && !followLast ? null : this.targetOf(next);
      if (target === null) {
        if (!last) this.passed.add(next);
        real = next;
        continue;
      }
      if (links === NO_LINKS) links = [];
      links.push(next);
      this.passed.add(next);
      if (++hops > MAX_HOPS) return { links, real: path }; // ELOOP: the call failed anyway
      for (const part of target.split('/').reverse()) queue.push(part);
      if (target.startsWith('/')) real = '';
    }
    return { links, real: real || '/' };
  }

  /** A rename, removal or new link at path: what leads where at or below it is looked at again. */
  reshaped(path: string): void {
    this.targets.delete(path);
    this.walks.delete(`1${path}`);
    this.walks.delete(`0${path}`);
    if (!this.passed.has(path)) return;
    // a directory or link on the way of earlier walks: rare enough to start over
    this.targets.clear();
    this.walks.clear();
    this.passed.clear();
  }
}

