// Puts an entry's outputs back: every blob fetched and verified first, then each path written to
// a temporary name and renamed into place, only inside the allowed directories. Entries may come
// from a remote cache, so an entry is hostile input: every write goes through a directory fd
// reached from an allowed directory without following a symlink (safe-fs.ts), so that neither a
// symlink in the tree nor one swapped in during the restore can lead a write out of it.
import { dirname } from 'node:path';
import { accessSync, constants, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { blobsOf, type Entry, type OutputState, type Store } from '../store/index.js';
import { isNormalStored, type Roots } from './paths.js';
import { safeFs, SafeFsError, type Kind, type SafeFs } from './safe-fs.js';

export class RestoreError extends Error {}

const SET_ID = 0o6000;

/**
 * Whether restored files and directories may keep setuid and setgid bits. Only when the entries
 * are this machine's own (a remote cache's are anybody's) and processcache does not run as root:
 * as root, a setuid file restored into a workspace that other users can reach hands them root,
 * and an entry is a weaker warrant than the program's own chmod, since nothing records who ran
 * it. A build that installs setuid programs as root runs them then (a miss), rather than trust
 * the cache. The sticky bit stays: it only narrows who may delete.
 */
export function keepsSetId(trustedSource: boolean, euid: number = process.geteuid?.() ?? 0): boolean {
  return trustedSource && euid !== 0;
}

function tmpName(name: string): string {
  return `.${name}.pc-${process.pid}-${Math.random().toString(36).slice(2)}`;
}

const parentOf = (path: string): string => path.slice(0, Math.max(1, path.lastIndexOf('/')));

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
export async function fetchBlobs(entry: Entry, store: Pick<Store, 'getBlob'>): Promise<Map<string, Buffer>> {
  const wanted = new Set(blobsOf(entry));
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

/** Where an output lands: the fd of its directory and its name there ('.': an allowed directory itself). */
interface Place {
  dirFd: number;
  name: string;
}

/**
 * The directory fds of one restore, each reached once from its allowed directory. Kept for the
 * restore only: between restores the traced command (or another run) may move a directory, and
 * an fd would follow it. A directory the restore itself removes makes it forget them all.
 */
class Dirs {
  private readonly fds = new Map<string, number>();

  constructor(private readonly fs: SafeFs, private readonly roots: Roots) {}

  /** The directory of the normal absolute path, reached without following a symlink. */
  place(path: string, create: boolean): Place {
    const base = this.roots.within(path);
    if (!base) throw new RestoreError(`${path} is outside the allowed directories`);
    const rootFd = this.open(base.dir, () => this.openAllowed(base.dir, create));
    if (base.rel === '') return { dirFd: rootFd, name: '.' };
    const name = path.slice(path.lastIndexOf('/') + 1);
    const dir = parentOf(path);
    return { dirFd: dir.length <= base.dir.length ? rootFd : this.reach(dir, base.dir, rootFd, create), name };
  }

  /** An allowed directory, by its configured path; an --allow directory not there yet is made,
   * as the recorded program made it. */
  private openAllowed(dir: string, create: boolean): number {
    try {
      return this.fs.openDir(dir);
    } catch (e) {
      if (!(e instanceof SafeFsError) || e.code !== 'ENOENT') throw e;
      if (!create) throw new WalkError('ENOENT', dir);
    }
    mkdirSync(dir, { recursive: true });
    return this.fs.openDir(dir);
  }

  /** dir's fd, walked from the nearest directory on the way already open */
  private reach(dir: string, rootDir: string, rootFd: number, create: boolean): number {
    const known = this.fds.get(dir);
    if (known !== undefined) return known;
    let from = parentOf(dir);
    while (from.length > rootDir.length && !this.fds.has(from)) from = parentOf(from);
    const fromFd = from.length > rootDir.length ? this.fds.get(from)! : rootFd;
    const start = from.length > rootDir.length ? from : rootDir;
    const rel = dir.slice(start === '/' ? 1 : start.length + 1);
    try {
      return this.open(dir, () => this.fs.walk(fromFd, rel, create));
    } catch (e) {
      if (!(e instanceof SafeFsError) || e.at === undefined) throw e;
      throw new WalkError(e.code, `${start === '/' ? '' : start}/${e.at}`);
    }
  }

  private open(dir: string, how: () => number): number {
    let fd = this.fds.get(dir);
    if (fd === undefined) this.fds.set(dir, (fd = how()));
    return fd;
  }

  /** A directory was removed: an fd on it or below names a deleted one (the roots' stay). */
  forget(): void {
    for (const [dir, fd] of this.fds) {
      if (this.roots.allowed.includes(dir)) continue;
      this.fs.close(fd);
      this.fds.delete(dir);
    }
  }

  close(): void {
    for (const fd of this.fds.values()) this.fs.close(fd);
    this.fds.clear();
  }
}

/** A directory on the way could not be reached: code (ELOOP for a symlink), at the absolute path that failed. */
class WalkError extends RestoreError {
  constructor(readonly code: string, readonly at: string) {
    super(code === 'ELOOP' ? `${at} is a symlink, and a restore never writes through one`
      : code === 'ENOTDIR' ? `${at} is not a directory` : `${at} cannot be reached (${code})`);
  }
}

/** Refuses what no recording writes: an output or a link source that is no normal path inside
 * the roots, a malformed state, or anything beneath a symlink the same entry makes (restored, it
 * would be written through). */
function vet(entry: Entry, roots: Roots, blobs: Map<string, Buffer>): void {
  const symlinks = new Set(entry.outputs.filter((o) => o.type === 'symlink').map((o) => roots.load(o.path)));
  const inside = (stored: unknown, what: string): void => {
    if (typeof stored !== 'string' || !isNormalStored(stored)) throw new RestoreError(`the entry ${what} ${JSON.stringify(stored)}, which is no normal path`);
    const path = roots.load(stored);
    if (!roots.allows(path)) throw new RestoreError(`the entry ${what} ${stored}, outside the allowed directories`);
    for (let up = parentOf(path); up.length > 1; up = parentOf(up)) {
      if (symlinks.has(up)) throw new RestoreError(`the entry ${what} ${stored}, beneath ${up}, which it makes a symlink`);
    }
  };
  for (const o of entry.outputs) {
    inside(o.path, 'writes');
    const atRoot = roots.within(roots.load(o.path))?.rel === '';
    if (atRoot && o.type !== 'dir') throw new RestoreError(`the entry replaces ${o.path}, an allowed directory itself`);
    if ((o.type === 'file' || o.type === 'dir') && !(Number.isInteger(o.mode) && o.mode >= 0)) throw new RestoreError(`the entry gives ${o.path} the mode ${String(o.mode)}`);
    if (o.type === 'file' && !blobs.has(o.blob)) throw new RestoreError(`the blob of ${o.path} was not fetched`);
    if (o.type === 'file' && o.linkOf !== undefined) inside(o.linkOf, `links ${o.path} to`);
    if (o.type === 'symlink' && (typeof o.target !== 'string' || o.target === '' || o.target.includes('\0'))) throw new RestoreError(`the entry makes ${o.path} a symlink to ${JSON.stringify(o.target)}`);
    if (!['file', 'dir', 'symlink', 'absent'].includes(o.type)) throw new RestoreError(`the entry leaves ${o.path} as a ${String(o.type)}`);
  }
}

/**
 * Applies entries' outputs for one run. Each restore reaches the directories it writes into
 * afresh (a few syscalls each) and keeps their fds until it ends.
 */
export class Restorer {
  private readonly setIdMask: number;

  /** keepSetId: keepsSetId() for the store the entries come from */
  constructor(private readonly roots: Roots, options: { keepSetId: boolean }) {
    this.setIdMask = options.keepSetId ? 0o7777 : 0o7777 & ~SET_ID;
  }

  /** Applies the outputs of entry; every blob they need must be in blobs, checked. */
  restore(entry: Entry, blobs: Map<string, Buffer>): Restored {
    vet(entry, this.roots, blobs);
    const fs = safeFs();
    const dirs = new Dirs(fs, this.roots);
    try {
      const existed = this.lookAround(entry, dirs, fs);
      const done: Restored = { bytes: 0, created: [], removed: [] };
      for (const o of order(entry.outputs)) {
        const path = this.roots.load(o.path);
        try {
          done.bytes += this.apply(o, path, dirs, fs, blobs);
        } catch (e) {
          // a directory goes only if empty: the recorded run could only have removed it empty,
          // and anything in it now is somebody's data
          if (e instanceof SafeFsError && e.code === 'ENOTEMPTY') throw new RestoreError(`${path} is a directory that is not empty: restoring would delete what is in it`);
          throw e;
        }
        if (o.type === 'absent' && existed.get(o.path)) done.removed.push(path);
        if (o.type !== 'absent' && !existed.get(o.path)) done.created.push(path);
      }
      this.keepOrder(entry.outputs, entry.dirOrder ?? [], dirs, fs);
      return done;
    } catch (e) {
      if (e instanceof SafeFsError) throw new RestoreError(e.message);
      throw e;
    } finally {
      dirs.close();
    }
  }

  /**
   * Which outputs exist now. Refuses the entry before it writes anything when a directory on the
   * way to an output is a symlink or a file that the entry does not replace itself: the restore
   * would stop there half-way.
   */
  private lookAround(entry: Entry, dirs: Dirs, fs: SafeFs): Map<string, boolean> {
    const own = new Set(entry.outputs.map((o) => this.roots.load(o.path)));
    const existed = new Map<string, boolean>();
    for (const o of entry.outputs) {
      let kind: Kind = 'absent';
      try {
        const { dirFd, name } = dirs.place(this.roots.load(o.path), false);
        kind = fs.kindAt(dirFd, name);
      } catch (e) {
        if (!(e instanceof WalkError)) throw e;
        if (e.code !== 'ENOENT' && !own.has(e.at)) throw e;
      }
      existed.set(o.path, kind !== 'absent');
    }
    return existed;
  }

  /**
   * Why restoring the entry would stop half-way or leave what the run did not, or null: a
   * directory it removes that holds a name it does not remove too (the recording could only
   * remove it empty: `mv d/b d/c` recorded with d/b empty, looked up with d/b full); a file whose
   * setuid or setgid bit this restore may not set (as root, or from a store a remote filled: the
   * run would leave the bit, and a program run next, or `stat`, would see it missing: hunt 42).
   * A miss, decided before anything is written.
   */
  obstacle(entry: Entry): string | null {
    const setId = entry.outputs.find((o) => o.type === 'file' && (o.mode & SET_ID & ~this.setIdMask) !== 0);
    if (setId) return `${this.roots.load(setId.path)} has a setuid or setgid bit, which a restore does not set as root or from a store a remote filled`;
    const removes = new Set(entry.outputs.filter((o) => o.type === 'absent').map((o) => this.roots.load(String(o.path))));
    for (const dir of removes) {
      let names: string[];
      try {
        if (!lstatSync(dir).isDirectory()) continue;
        names = readdirSync(dir);
      } catch {
        continue; // gone, or out of reach: the restore itself decides
      }
      const kept = names.find((n) => !removes.has(`${dir}/${n}`));
      if (kept !== undefined) return `${dir} holds ${kept}, which a restore would have to remove with the directory`;
    }
    return this.unwritable(entry);
  }

  /**
   * A directory where a restore would make, replace or remove a name, and that processcache's
   * user may not write: found before anything is written, since a restore that fails half-way
   * leaves the other outputs restored and the program then runs on top of them (hunt 62: a
   * `sudo sh -c 'echo x >> log; rm d/f'` replayed as a user appended twice).
   */
  private unwritable(entry: Entry): string | null {
    if (process.geteuid?.() === 0) return null;
    const checked = new Set<string>();
    for (const o of entry.outputs) {
      const dir = dirname(this.roots.load(String(o.path)));
      if (checked.has(dir)) continue;
      checked.add(dir);
      try {
        accessSync(dir, constants.W_OK | constants.X_OK);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `${dir} cannot be written by processcache's user (${code}): a restore there would stop half-way`;
      }
    }
    return null;
  }

  /**
   * The files' mtimes in the order the recording saw them, a millisecond apart and the newest now:
   * written in one instant, a linked program could look older than its objects to the next make.
   * The directories they are in go in the same order, last (the restore's own changes moved them):
   * a directory the subtree changed after writing a file must stay newer than the file.
   */
  private keepOrder(outputs: OutputState[], dirOrder: readonly { path: string; order: number }[], dirs: Dirs, fs: SafeFs): void {
    const ordered = outputs.filter((o): o is Extract<OutputState, { type: 'file' }> => o.type === 'file' && o.order !== undefined && !o.linkOf);
    if (!ordered.length && !dirOrder.length) return;
    const newest = Math.max(...ordered.map((o) => o.order!), ...dirOrder.map((d) => d.order));
    const now = Date.now();
    for (const o of ordered) {
      const { dirFd, name } = dirs.place(this.roots.load(o.path), false);
      fs.setTime(dirFd, name, now - (newest - o.order!));
    }
    for (const d of dirOrder) {
      try {
        const { dirFd, name } = dirs.place(this.roots.load(d.path), false);
        if (fs.kindAt(dirFd, name) === 'dir') fs.setTime(dirFd, name, now - (newest - d.order));
      } catch {
        // the root itself, or a directory no longer there: its time is not the restore's to set
      }
    }
  }

  private apply(o: OutputState, path: string, dirs: Dirs, fs: SafeFs, blobs: Map<string, Buffer>): number {
    // a removal needs no directory made for it: nothing is there to remove
    let place: Place;
    try {
      place = dirs.place(path, o.type !== 'absent');
    } catch (e) {
      if (o.type === 'absent' && e instanceof WalkError && e.code === 'ENOENT') return 0;
      throw e;
    }
    const { dirFd, name } = place;
    switch (o.type) {
      case 'file': {
        if (o.linkOf !== undefined) return this.link(o.linkOf, path, place, dirs, fs);
        const data = blobs.get(o.blob)!;
        const mode = o.mode & this.setIdMask;
        // the same bytes already there (a chmod's output): its mode set in place keeps its other
        // names, as the program's chmod did; its mtime is now, as after a rewrite (the fuzzer's
        // `-nt` saw an old one), since a chmod alone cannot be told apart. A new file is never
        // one with other names (hunt 39: `rm g; printf x > g` left g linked to o/f)
        if (fs.chmodIfSame(dirFd, name, data, mode, o.newFile === true)) return 0;
        if (fs.putFile(dirFd, name, tmpName(name), data, mode)) dirs.forget();
        return data.length;
      }
      case 'symlink':
        if (fs.putSymlink(dirFd, name, tmpName(name), o.target)) dirs.forget();
        return 0;
      case 'dir':
        // setgid on a directory gives nothing away: its new entries take its group
        fs.putDir(dirFd, name, o.mode & (this.setIdMask | 0o2000));
        return 0;
      case 'absent':
        if (fs.remove(dirFd, name)) dirs.forget();
        return 0;
    }
  }

  /** A hard link to the name linkOf (stored form), which the lookup or this restore vouched for. */
  private link(linkOf: string, path: string, at: Place, dirs: Dirs, fs: SafeFs): number {
    const source = this.roots.load(linkOf);
    const from = dirs.place(source, false);
    try {
      if (fs.putLink(from.dirFd, from.name, at.dirFd, at.name, tmpName(at.name))) dirs.forget();
    } catch (e) {
      if (!(e instanceof SafeFsError) || !['EINVAL', 'ENOENT'].includes(e.code)) throw e;
      throw new RestoreError(`${source}, which ${path} is a hard link to, is not a file`);
    }
    return 0;
  }
}
