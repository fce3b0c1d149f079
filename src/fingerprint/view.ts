// What the file system holds, remembered for one run: a path's fingerprint is computed once and
// reused until the traced command changes the path. Every change the command makes reaches us
// as an access before any later exec asks, and a file opened for writing may still be growing,
// so a changed path (or a directory whose entries changed) is looked at afresh every time.
// A change reaches us by the name the program spelled, and the same file has others: a symlink
// to it, a hard link, a directory on the way renamed or replaced by a symlink (hunt 50: `cp in
// dst` through dst -> other left other's fingerprint remembered, and `cat other` was replayed).
// So what is remembered holds only while the path's lstat (and its target's stat) says the same,
// checked again after any change that may reach a file by another name: a change by any name
// alters the inode's size, times or link count, or what the name leads to, and a path seen
// changed so is looked at afresh for the rest of the run.
import { lstatSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { InputSpec } from '../observe/index.js';
import { PathAliases } from './aliases.js';
import { ChangeLog, type Change } from './changes.js';
import { FileHasher } from './hash.js';
import { currentValue, statNow } from './inputs.js';

function identityOf(path: string): string | undefined {
  try {
    const st = lstatSync(path, { bigint: true, throwIfNoEntry: false });
    return st?.isFile() ? FileHasher.identity(st) : undefined;
  } catch {
    return undefined; // unreachable now: whatever it holds, not what was written
  }
}

/** the access kinds that change the file system */
export const CHANGE_OPS: ReadonlySet<string> = new Set(['write', 'create', 'truncate', 'rename', 'delete', 'mkdir', 'rmdir', 'symlink', 'link', 'chmod', 'utime', 'mknod']);

/** lstat, or undefined where nothing can be reached: ENOTDIR and EACCES as well as ENOENT (a path
 * a traced process spelled may hold a file where a directory was: hunt 31 crashed here). */
function lstatQuiet(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Where the symlink at path leads: its real path, or for a dangling one where its first hop
 * points (a file made there later is what it then names). */
function leadsTo(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    try {
      return resolve(dirname(path), readlinkSync(path));
    } catch {
      return path;
    }
  }
}

/** A process's own fd by path: the file it names is the process's, unknown here. */
const OWN_FD = /^\/(?:dev\/(?:fd\/|std(?:in|out|err)$)|proc\/[^/]+\/(?:task\/[^/]+\/)?fd\/)/;

/** Does a stamp show a file (not a directory) with more than one name? */
function manyLinks(stamp: string): boolean {
  const own = stamp.split('>')[0]!.split(':');
  return own.length === 7 && (Number(own[2]) & 0o170000) !== 0o040000 && Number(own[6]) > 1;
}

/** A fingerprint, with what the path's stat said when it was taken (stampOf), and the aliasing
 * epoch when that was last checked: with no change since that could reach a file by another
 * name, nothing the run did can have moved it (a process outside the trace could, as before). */
interface Remembered { value: string; stamp: string; checked: number }

/** What stat says of path now, its target's too when it is a symlink: its inode, type, size,
 * times and link count; '-' where nothing is reached. */
function stampOf(path: string): string {
  const l = statNow(path, true);
  if (!l) return '-';
  const own = `${l.dev}:${l.ino}:${l.mode}:${l.size}:${l.mtimeNs}:${l.ctimeNs}:${l.nlink}`;
  if (!l.isSymbolicLink()) return own;
  const t = statNow(path, false);
  return t ? `${own}>${t.dev}:${t.ino}:${t.mode}:${t.size}:${t.mtimeNs}:${t.ctimeNs}:${t.nlink}` : `${own}>-`;
}

export class FsView {
  private readonly memo = new Map<string, Map<string, Remembered>>();
  private readonly existsMemo = new Map<string, Map<string, Remembered>>();
  /** paths seen changed by a name the run did not report (a stamp that moved): never remembered again */
  private readonly moved = new Set<string>();
  /** counts the run's changes that may have reached a remembered file by another name: through a
   * symlink, a hard link, a symlinked directory, or a rename, removal or link at or above a
   * remembered path (remembered values are checked again after one; a build's own writes into
   * its plain files, and its compilers' removals of their temporary files, are none) */
  private epoch = 0;
  /** a file was opened for writing through /dev/fd/N or /proc/.../fd/N, which names no path: no
   * remembered value holds for the rest of the run */
  private blind = false;
  /** the real paths remembered symlinks lead to: a change there, or in there, reaches them */
  private readonly linkedTo = new Set<string>();
  /** remembered paths and every directory above them: a rename, removal or link there moves them */
  private readonly above = new Set<string>();
  private readonly settled = new Map<string, { changes: number; identity: string; digest: string }>();
  /** every change the run made, by whom and when */
  readonly changes = new ChangeLog();
  private readonly aliases = new PathAliases();

  constructor(readonly hasher: FileHasher) {}

  value(spec: InputSpec): string {
    if (spec.kind === 'content' || spec.kind === 'absent' || spec.kind === 'link') return this.valueAt(spec.kind, spec.path);
    // xattrs are never kept: a traced setfacl (unmodelled, so no change event) may alter them;
    // a perms value holds them too
    if (this.volatile(spec.path) || spec.kind === 'xattrs' || spec.kind === 'perms') return currentValue(spec, this.hasher);
    return this.recall(this.memoFor(spec), spec.path, () => currentValue(spec, this.hasher));
  }

  /** value() for the kinds a path alone describes, with no spec to build: a hit's lookups are mostly these. */
  valueAt(kind: 'content' | 'absent' | 'link', path: string): string {
    if (this.volatile(path)) return (kind === 'content' && this.settledContent(path)) || currentValue({ path, kind }, this.hasher);
    let memo = this.memo.get(kind);
    if (!memo) this.memo.set(kind, (memo = new Map()));
    return this.recall(memo, path, () => currentValue({ path, kind }, this.hasher));
  }

  /** Is path to be looked at afresh: changed by the run under this name, or seen changed under another? */
  private volatile(path: string): boolean {
    return this.blind || this.changes.touched(path) || this.moved.has(path);
  }

  /** A directory renamed: what was looked at afresh below its old name is so below the new one
   * too (hunt 54: a file open for writing at d/f writes on, unseen, after `mv d e`). */
  renamed(from: string, to: string): void {
    for (const path of [...this.changes.paths(), ...this.moved]) {
      if (path.startsWith(`${from}/`)) this.moved.add(to + path.slice(from.length));
    }
  }

  /** What memo remembers of path while its stamp holds, or undefined; a stamp that moved (a
   * change by a name the run did not report) has the path looked at afresh from now on. */
  private recalled(memo: Map<string, Remembered>, path: string): string | undefined {
    const known = memo.get(path);
    if (!known) return undefined;
    const now = this.epoch;
    if (known.checked === now) return known.value;
    if (known.stamp === stampOf(path)) {
      known.checked = now;
      return known.value;
    }
    this.moved.add(path);
    memo.delete(path);
    return undefined;
  }

  private remember(memo: Map<string, Remembered>, path: string, value: string, stamp: string, checked: number): void {
    // a file with other names: a removal of one changes its link count, unseen here
    if (this.volatile(path) || manyLinks(stamp)) return;
    memo.set(path, { value, stamp, checked });
    this.aliases.looked(path);
    const names = [path, this.aliases.real(path)];
    if (stamp.includes('>')) {
      const target = leadsTo(path);
      this.linkedTo.add(target);
      names.push(target);
    }
    // a rename or removal at or above any name it is reached by, its real one too (hunt 54:
    // `mv e/a/b ...` under d -> e replaced the program remembered as d/a/b/p)
    for (const name of names) for (let p = name; p.length > 1 && !this.above.has(p); p = dirname(p)) this.above.add(p);
  }

  /** Does path reach a process's own fd by path: spelled so, through a symlinked directory, or
   * through symlinks (hunt 56: `ln -s /dev/fd/4 l; exec 5>>l`)? Read lexically: resolved here,
   * /dev/fd would name this process's fds. */
  private ownFd(path: string, st: Stats | undefined): boolean {
    if (OWN_FD.test(path) || OWN_FD.test(this.aliases.real(path))) return true;
    if (!st?.isSymbolicLink()) return false;
    let at = path;
    for (let hop = 0; hop < 40; hop++) { // the kernel's own limit
      try {
        at = resolve(dirname(at), readlinkSync(at));
      } catch {
        return false; // no symlink (any more): a file's name
      }
      if (OWN_FD.test(at) || OWN_FD.test(this.aliases.real(at))) return true;
    }
    return true;
  }

  /** May a change at path (st: what lstat says of it now) reach a remembered file under another name? */
  private mayAlias(path: string, st: Stats | undefined): boolean {
    if (st && (st.isSymbolicLink() || (!st.isDirectory() && st.nlink > 1))) return true;
    return this.aliases.real(path) !== path || this.linkedTo.has(path) || this.linkedTo.has(dirname(path));
  }

  /** What memo remembers of path while its stamp holds; else what compute says now, remembered. */
  private recall(memo: Map<string, Remembered>, path: string, compute: () => string): string {
    const known = this.recalled(memo, path);
    if (known !== undefined) return known;
    const checked = this.epoch;
    const stamp = stampOf(path);
    const value = compute();
    this.remember(memo, path, value, stamp, checked);
    return value;
  }

  /**
   * A file the run itself wrote whole (a restore: temporary file, then rename) holds what was
   * written until its next change: no need to read it back when a later lookup or recording asks.
   */
  settle(path: string, digest: string): void {
    const identity = identityOf(path);
    if (identity) this.settled.set(path, { changes: this.changes.count(path), identity, digest });
  }

  /**
   * The digest settle() gave path, while no change has come since: none under this path, and
   * the file still the one written (a change through another name for it, a symlinked
   * directory on the way, alters what stat says).
   */
  settledDigest(path: string): string | undefined {
    const s = this.settled.get(path);
    return s && s.changes === this.changes.count(path) && identityOf(path) === s.identity ? s.digest : undefined;
  }

  /** settledDigest() as a content value. */
  private settledContent(path: string): string | undefined {
    const digest = this.settledDigest(path);
    return digest === undefined ? undefined : `sha256:${digest}`;
  }

  /** A path's mtime now (stat, or lstat for nofollow), null when nothing is there: one stat,
   * which any remembered value would cost to check. */
  mtimeOf(path: string, nofollow: boolean): bigint | null {
    return statNow(path, nofollow)?.mtimeNs ?? null;
  }

  /** A map per kind of fact, keyed by path alone: a hit costs no new string. */
  private memoFor(spec: InputSpec): Map<string, Remembered> {
    // an existence check reads as the type it recorded, a stat as its shape: one map for each
    const [table, key] = spec.kind === 'exists' ? [this.existsMemo, spec.type ?? '']
      : spec.kind === 'stat' ? [this.existsMemo, `stat${spec.nofollow ? 'l' : ''}${spec.size === undefined ? '' : 's'}`]
        : [this.memo, spec.kind];
    let memo = table.get(key);
    if (!memo) table.set(key, (memo = new Map()));
    return memo;
  }

  /** value(), as a promise only when a large file must be hashed first, a chunk per turn. */
  valueSoon(spec: InputSpec): string | Promise<string> {
    if (spec.kind !== 'content') return this.value(spec);
    const settled = this.settledContent(spec.path);
    if (settled !== undefined) return settled;
    const memo = this.memoFor(spec);
    const volatile = this.volatile(spec.path);
    const known = volatile ? undefined : this.recalled(memo, spec.path);
    if (known !== undefined) return known;
    const checked = this.epoch;
    const stamp = volatile ? '' : stampOf(spec.path);
    const keep = (digest: string | null): string => {
      // not a readable regular file: whatever it is, as value() would say
      const v = digest ? `sha256:${digest}` : currentValue(spec, this.hasher);
      if (!volatile) this.remember(memo, spec.path, v, stamp, checked);
      return v;
    };
    const digest = this.hasher.hashSoon(spec.path);
    return digest instanceof Promise ? digest.then(keep) : keep(digest);
  }

  /** A path the command (or a restore) changed, under every name the run looked at it by; those
   * names are returned (path first). */
  changed(path: string, change: Change): string[] {
    // a name gone by now (a compiler's temporary file, written then removed) is taken for a plain
    // one: its removal, at or above a remembered path, counts there (left: a write through a
    // symlink removed before its event is handled)
    // an open for writing under another name goes on writing unseen (hunt 54: `exec 4>>l`, then
    // `echo >&4` into f): the file it reaches is looked at afresh from now on; through a
    // process's own fd by path, which file that is is not known here
    const st = lstatQuiet(path);
    const names = [path];
    if (this.ownFd(path, st)) {
      this.epoch++;
      this.blind = true;
    } else if (this.mayAlias(path, st)) {
      this.epoch++;
      const real = leadsTo(path);
      this.moved.add(real);
      // and a change there, by its own name: a chmod through a symlink reaches what a recording
      // reads the permissions of now (hunt 60: `cat d/f; chmod 700 L`, L -> d)
      if (real !== path) names.push(real);
    }
    names.push(...this.aliases.othersOf(path), ...this.hardLinksOf(path));
    for (const name of names) this.changes.note(name, change);
    return names;
  }

  /**
   * The remembered paths that are hard links to path's file. Rare enough to look for the hard
   * way: only a file with more than one link is matched, by device and inode, against them.
   */
  private hardLinksOf(path: string): string[] {
    const st = lstatQuiet(path);
    if (!st?.isFile() || st.nlink < 2) return [];
    const found: string[] = [];
    for (const known of this.memo.get('content')?.keys() ?? []) {
      if (known === path) continue;
      const other = lstatQuiet(known);
      if (other && other.ino === st.ino && other.dev === st.dev) found.push(known);
    }
    return found;
  }

  /** A rename, removal or link at path: what leads where through symlinks is looked at again. */
  reshaped(path: string): void {
    // a removed name was a plain one unless a remembered path is at or below it (its other names,
    // when it had any, are never remembered: manyLinks)
    if (this.above.has(path) || this.mayAlias(path, lstatQuiet(path))) this.epoch++;
    this.aliases.reshaped(path);
  }
}
