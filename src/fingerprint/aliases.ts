// A path through a symlinked directory names the same file as its real path: `build/x` and
// `out/x` when build -> out. The tracer reports paths as the program spelled them, so a change
// under one name must also count as a change to every other name the run has looked at.
// Without this, a read of out/x, a write to build/x and a second read of out/x found the first
// fingerprint still remembered, and the second read hit the first one's entry.
import { realpathSync } from 'node:fs';

function under(path: string, top: string): boolean {
  return path === top || (path.startsWith(top) && path.charCodeAt(top.length) === 47 /* / */);
}

export class PathAliases {
  /** directory -> its real path (itself when no symlink leads there, or when it does not exist) */
  private readonly dirs = new Map<string, string>();
  /** real path -> the other names the run looked at it under */
  private readonly names = new Map<string, Set<string>>();

  /** The path with its directory's symlinks resolved. */
  real(path: string): string {
    const slash = path.lastIndexOf('/');
    if (slash <= 0) return path;
    const dir = path.slice(0, slash);
    let real = this.dirs.get(dir);
    if (real === undefined) {
      try {
        real = realpathSync.native(dir);
      } catch {
        real = dir; // not there (yet): a later symlink or mkdir on the way reshapes it
      }
      this.dirs.set(dir, real);
    }
    return real === dir ? path : `${real}${path.slice(slash)}`;
  }

  /** A path whose fingerprint the run remembers: noted under its real path when that differs. */
  looked(path: string): void {
    const real = this.real(path);
    if (real === path) return;
    const names = this.names.get(real);
    if (names) names.add(path);
    else this.names.set(real, new Set([path]));
  }

  /** Every other name of path's file that the run has looked at (its real path among them). */
  othersOf(path: string): string[] {
    const real = this.real(path);
    const others = [...(this.names.get(real) ?? [])].filter((p) => p !== path);
    if (real !== path) others.push(real);
    return others;
  }

  /** A rename, removal or new link at path: directories at or below it may lead elsewhere now. */
  reshaped(path: string): void {
    for (const [dir, real] of this.dirs) {
      if (under(dir, path) || under(real, path)) this.dirs.delete(dir);
    }
  }
}
