// Puts an entry's outputs back: every blob fetched and verified first, then each path written to
// a temporary name and renamed into place, only inside the allowed directories and never through
// a symlink that leads out of them.
import { chmodSync, linkSync, lstatSync, readFileSync, utimesSync, mkdirSync, realpathSync, renameSync, rmdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Entry, OutputState, Store } from '../store/index.js';
import type { Roots } from './paths.js';

export class RestoreError extends Error {}

function tmpName(dir: string, name: string): string {
  return join(dir, `.${name}.pc-${process.pid}-${Math.random().toString(36).slice(2)}`);
}

function kindAt(path: string): string | null {
  try {
    // no exception for an absent path: a restore after a clean finds most outputs absent
    const st = lstatSync(path, { throwIfNoEntry: false });
    return st ? (st.isDirectory() ? 'dir' : 'other') : null;
  } catch {
    return null;
  }
}

/**
 * Removes what stands at path. A directory goes only if empty: the recorded run could only have
 * removed it empty, and anything in it now is somebody's data. A restore that would have to
 * delete more fails, and the program runs instead.
 */
function removeAt(path: string): void {
  const kind = kindAt(path);
  if (kind === null) return;
  if (kind !== 'dir') {
    unlinkSync(path);
    return;
  }
  try {
    rmdirSync(path);
  } catch (e) {
    throw new RestoreError(`${path} is a directory that is not empty: restoring would delete what is in it (${(e as Error).message})`);
  }
}

/** Directories first (shallow to deep), then files and links, hard links after the names they
 * link to, then removals (deep to shallow). */
function order(outputs: OutputState[]): OutputState[] {
  const depth = (o: OutputState): number => o.path.split('/').length;
  const dirs = outputs.filter((o) => o.type === 'dir').sort((a, b) => depth(a) - depth(b));
  const files = outputs.filter((o) => (o.type === 'file' && !o.linkOf) || o.type === 'symlink');
  const links = outputs.filter((o) => o.type === 'file' && o.linkOf !== undefined);
  const gone = outputs.filter((o) => o.type === 'absent').sort((a, b) => depth(b) - depth(a));
  return [...dirs, ...files, ...links, ...gone];
}

/** Fetches and checks every blob the entry needs: outputs and its output stream. */
export async function fetchBlobs(entry: Entry, store: Store): Promise<Map<string, Buffer>> {
  const wanted = new Set<string>();
  for (const o of entry.outputs) if (o.type === 'file') wanted.add(o.blob);
  if (entry.stream) wanted.add(entry.stream.blob);
  const blobs = new Map<string, Buffer>();
  const bad: string[] = [];
  for (const hash of wanted) {
    // every one is checked, so that each corrupt blob is dropped and the rerun writes it again
    const data = await store.getBlob(hash);
    if (data) blobs.set(hash, data);
    else bad.push(hash.slice(0, 12));
  }
  if (bad.length) throw new RestoreError(`blob ${bad.join(', ')} is missing or corrupt`);
  return blobs;
}

export interface Restored {
  bytes: number;
  /** absolute paths the restore brought into existence, and those it removed */
  created: string[];
  removed: string[];
}

/**
 * Applies entries' outputs for one run. The real path of each directory written into is checked
 * once and remembered until something could have turned a directory on the way into something
 * else: a restore of anything but a file, or a structural change by the traced command (forget()).
 */
export class Restorer {
  private readonly realDirs = new Map<string, string>();

  constructor(private readonly roots: Roots, private readonly umask: number) {}

  forget(): void {
    this.realDirs.clear();
  }

  /** Creates dir's missing parents and returns its real path, refusing one that leaves the roots. */
  private safeDir(dir: string): string {
    let real = this.realDirs.get(dir);
    if (real !== undefined) return real;
    mkdirSync(dir, { recursive: true });
    real = realpathSync(dir);
    if (!this.roots.allows(real)) throw new RestoreError(`${dir} leads outside the allowed directories (to ${real})`);
    this.realDirs.set(dir, real);
    return real;
  }

  /** Applies the outputs of entry; every blob they need must be in blobs, checked. */
  restore(entry: Entry, blobs: Map<string, Buffer>): Restored {
    const { roots } = this;
    for (const o of entry.outputs) {
      if (!roots.allows(roots.load(o.path))) throw new RestoreError(`the entry writes ${o.path}, outside the allowed directories`);
    }
    const existed = new Map(entry.outputs.map((o) => [o.path, kindAt(roots.load(o.path)) !== null]));
    const done: Restored = { bytes: 0, created: [], removed: [] };
    for (const o of order(entry.outputs)) {
      done.bytes += this.apply(o, blobs);
      if (o.type === 'absent' && existed.get(o.path)) done.removed.push(roots.load(o.path));
      if (o.type !== 'absent' && !existed.get(o.path)) done.created.push(roots.load(o.path));
    }
    this.keepOrder(entry.outputs);
    return done;
  }

  /**
   * The files' mtimes in the order the recording saw them, a millisecond apart and the newest now:
   * written in one instant, a linked program could look older than its objects to the next make.
   */
  private keepOrder(outputs: OutputState[]): void {
    const ordered = outputs.filter((o): o is Extract<OutputState, { type: 'file' }> => o.type === 'file' && o.order !== undefined && !o.linkOf);
    if (!ordered.length) return;
    const newest = Math.max(...ordered.map((o) => o.order!));
    const now = Date.now();
    for (const o of ordered) {
      const t = (now - (newest - o.order!)) / 1000;
      utimesSync(this.roots.load(o.path), t, t);
    }
  }

  /** A hard link at path to the name linkOf (stored form), which the lookup or this restore vouched for. */
  private link(linkOf: string, dir: string, path: string): number {
    const source = this.roots.load(linkOf);
    if (!this.roots.allows(source)) throw new RestoreError(`the entry links ${path} to ${linkOf}, outside the allowed directories`);
    const real = join(this.safeDir(dirname(source)), basename(source));
    const st = lstatSync(real, { throwIfNoEntry: false });
    if (!st?.isFile()) throw new RestoreError(`${source}, which ${path} is a hard link to, is not a file`);
    const tmp = tmpName(dir, basename(path));
    linkSync(real, tmp);
    if (replaceWith(tmp, path)) this.forget();
    return 0;
  }

  private apply(o: OutputState, blobs: Map<string, Buffer>): number {
    const target = this.roots.load(o.path);
    // only a file never turns a directory on the way into something else (replaceWith says so)
    if (o.type !== 'file') this.forget();
    const dir = this.safeDir(dirname(target));
    const path = join(dir, basename(target));
    switch (o.type) {
      case 'file': {
        if (o.linkOf !== undefined) return this.link(o.linkOf, dir, path);
        const data = blobs.get(o.blob)!;
        // the same bytes already there (a chmod's output): its mode set in place keeps its other
        // names, as the program's chmod did
        if (holds(path, data)) {
          chmodSync(path, o.mode & 0o7777);
          // written again, as far as make can tell (the fuzzer's `-nt` saw an old mtime); a chmod
          // alone would have left it, which this cannot tell apart
          const now = Date.now() / 1000;
          utimesSync(path, now, now);
          return 0;
        }
        const mode = o.mode & 0o7777;
        const tmp = tmpName(dir, basename(target));
        writeFileSync(tmp, data, { mode });
        // open() applies the umask; the special bits need chmod
        if ((mode & this.umask) !== 0 || (mode & ~0o777) !== 0) chmodSync(tmp, mode);
        if (replaceWith(tmp, path)) this.forget();
        return data.length;
      }
      case 'symlink': {
        const tmp = tmpName(dir, basename(target));
        symlinkSync(o.target, tmp);
        replaceWith(tmp, path);
        return 0;
      }
      case 'dir': {
        if (kindAt(path) !== 'dir') {
          removeAt(path);
          mkdirSync(path);
        }
        chmodSync(path, o.mode & 0o7777);
        return 0;
      }
      case 'absent':
        removeAt(path);
        return 0;
    }
  }
}

/** Whether path is a regular file holding exactly data (not through a symlink). */
function holds(path: string, data: Buffer): boolean {
  try {
    const st = lstatSync(path, { throwIfNoEntry: false });
    return st !== undefined && st.isFile() && st.size === data.length && readFileSync(path).equals(data);
  } catch {
    return false;
  }
}

/** Renames tmp over path; a directory standing there goes first, if it is empty (then: true). */
function replaceWith(tmp: string, path: string): boolean {
  try {
    renameSync(tmp, path);
    return false;
  } catch (e) {
    if (kindAt(path) !== 'dir') {
      rmSync(tmp, { force: true });
      throw e;
    }
  }
  try {
    removeAt(path);
    renameSync(tmp, path);
    return true;
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
