// The per-path state machine: the first thing an execution's subtree does to a path decides
// whether the path is an input (what it read, probed, stat'ed or listed) or only an output.
import { basename, dirname, join } from 'node:path';
import type { Access } from '../trace/index.js';
import { ownEntryOf } from '../trace/own-proc.js';
import { isSystemState } from '../trace/system-state.js';
import { parseSeen, typeOfMode, type Seen } from './seen.js';
import { stronger, type MtimeUse } from './mtime-use.js';
import { NO_XATTRS, readAtRecording, type InputSpec, type PermsSpec, type Pinned, type StatSpec, type Summary } from './types.js';

/** One step of a subtree, in the order it happened: an access, or a whole child served from cache. */
export type Step =
  /** pinned: a read's content as hashed while the file provably held what was read (memo/pins.ts) */
  /** unprivileged: its process lacked CAP_DAC_OVERRIDE, so permissions decided what it was let do;
   * ownUser: it ran as processcache's own user (what it could not look at, processcache cannot) */
  | { kind: 'access'; access: Access; mtimes?: MtimeUse; pinned?: Pinned; unprivileged?: true; ownUser?: true }
  /** permsChanged: the outputs whose permissions it changed; a hit's entry does not say (every output it left may have) */
  | { kind: 'replayed'; inputs: InputSpec[]; outputs: string[]; created: string[]; removed: string[]; renewed: string[]; entryChanges: [string, 'added' | 'removed'][]; permsChanged?: string[]; moved?: [string, string][]; hardLinked?: [string, string][] };

/** Resolves the symlinks on a path's way (fingerprint/links.ts); a summary without one takes paths as spelled. */
export interface PathWalker {
  walk(path: string, followLast: boolean): { links: readonly string[]; real: string };
}
const AS_SPELLED: PathWalker = { walk: (path) => ({ links: [], real: path }) };

/** Paths whose content is not a file's: they are not inputs. */
const PSEUDO_INPUTS = new Set(['/dev/null', '/dev/zero', '/dev/full', '/dev/urandom', '/dev/random']);

function describesSelf(path: string): boolean {
  return /^\/proc\/(self|thread-self|\d+)(\/|$)/.test(path);
}

const ABSENT = new Set(['ENOENT', 'ENOTDIR']);

class PathStates {
  readonly inputs: InputSpec[] = [];
  readonly outputs = new Set<string>();
  /** paths whose first change by the subtree brought them into existence */
  readonly created = new Set<string>();
  /** paths the subtree has changed: what it reads there afterwards is its own doing */
  private readonly changed = new Set<string>();
  /** outputs whose last change by the subtree removed them */
  readonly gone = new Set<string>();
  /** outputs the subtree made, removed or replaced at some time: what ends there is a new file,
   * not one that kept other names (hunt 39: `rm g; printf x > g` with g linked to o/f) */
  readonly renewed = new Set<string>();
  /** input facts already recorded, by kind and path: a probe and a read of one file are two */
  private readonly known = new Map<InputSpec['kind'] | 'lstat' | 'no-xattrs', Set<string>>();
  /** stat inputs by (l)stat and path: a later stat by a program that copies mtimes makes the mtime itself the input */
  private readonly stats = new Map<string, StatSpec>();
  /** per directory, the first change the subtree made to each name: added or removed */
  private readonly changes = new Map<string, Map<string, 'added' | 'removed'>>();
  /** why the subtree's inputs cannot be told from what it left: the first such change */
  lostInput: string | null = null;
  /** files whose first access read their content, and no hash was taken of what it read: a
   * change by the subtree afterwards leaves nothing to read it from */
  private readonly readFirst = new Set<string>();
  /** symlinks the subtree went through: changing one afterwards hides where it went */
  private readonly walked = new Set<string>();
  /** files whose input is the part before the subtree's appends: any other change loses it */
  private readonly appendedTo = new Set<string>();
  /** where the subtree moved files it had not read (what they held is read there at the
   * recording), and from where */
  private readonly movedFrom = new Map<string, string>();
  /** the stat input of each of those, by where it went, or of a file it linked to one */
  private readonly movedInputs = new Map<string, StatSpec>();
  /** hard links the subtree made to files it had not changed, by the new name */
  private readonly linkedFrom = new Map<string, string>();
  /** a look the model cannot key, which no ancestor can either */
  unmodelled: string | null = null;
  /** permission inputs to be read at the recording (no access saw them): a change by the subtree
   * before then would be read instead */
  private readonly pendingPerms = new Map<string, PermsSpec>();
  /** paths whose permission bits or ACL an input reads at the recording: a perms input (its ACL
   * at least), an exec's mode */
  private readonly readLater = new Set<string>();
  /** paths whose permissions the subtree changed */
  readonly modes = new Set<string>();

  /** since, until: when the subtree began and ended (ns since the epoch), when known: a directory
   * dated after its end was not made so by it (hunt 34: one dated tomorrow) */
  constructor(private readonly since?: bigint, private readonly until?: bigint) {}

  /** A rename of path to `to`: what path held is what `to` holds at the end, if nothing changes it after. */
  moved(path: string, to: string): void {
    const read = !this.changed.has(path); // else the subtree made what it moves: no input
    // a hard link it made to an unchanged file, renamed into place (`ln -f f g`: linkat to a
    // temporary name, then rename; hunt 77): the new name is that file still
    if (!read) this.carryLink(path, to);
    // what it moved keeps its inode: its type, mode and other names are the destination's now
    if (read) this.input({ path, kind: 'stat', type: 'file', mode: -1, uid: -1, gid: -1, nlink: 1, nofollow: true, readAt: to });
    if (read) this.mustHaveNoXattrs(path); // the moved file keeps them
    this.output(path, { path, kind: 'content', movedTo: to }, true);
    this.output(to, null);
    this.replaced(to);
    this.renewed.add(to);
    if (read) this.tookMove(to, path);
  }

  /** `to` holds, unchanged so far, the file the subtree (or a child, folded) moved from `from`,
   * which it had not changed: a later change there loses the summary, a look at its mtime is a
   * look at the moved input's. */
  tookMove(to: string, from: string): void {
    this.movedFrom.set(to, from);
    const input = this.stats.get(`lstat${from}`);
    if (input) this.movedInputs.set(to, input);
  }

  /** What tookMove() holds, for a parent's fold. */
  movedList(): [string, string][] {
    return [...this.movedFrom];
  }

  /** `to` was made a hard link to `from`, which the subtree had not changed: it is that file, with
   * its mtime, which no input keyed (hunt 76: `ln f g; [ g -nt ref ]` replayed stale): a later
   * look at its mtime is a look at `from`'s. */
  tookLink(to: string, from: string): void {
    this.linkedFrom.set(to, from);
  }

  /** A rename or a new link of `from`, a hard link the subtree made to an unchanged file, as `to`:
   * `to` is that file. */
  carryLink(from: string, to: string): void {
    const linked = this.linkedFrom.get(from);
    if (linked !== undefined) this.linkedFrom.set(to, linked);
    // a link to a file it moved in (`mv f f2; ln f2 g`, hunt 78): a look at g is one at f's mtime
    const moved = this.movedInputs.get(from);
    if (moved) this.movedInputs.set(to, moved);
  }

  /** What tookLink() holds, for a parent's fold. */
  linkedList(): [string, string][] {
    return [...this.linkedFrom];
  }

  isChanged(path: string): boolean {
    return this.changed.has(path);
  }

  /** the step being applied is an access of an unprivileged process running as processcache's user */
  asUser = false;

  input(spec: InputSpec): void {
    if (this.changed.has(spec.path)) {
      if (spec.kind === 'stat') this.lookAtMoved(spec);
      return;
    }
    if (spec.kind === 'absent' && this.asUser) spec = { ...spec, asUser: true };
    if (spec.kind === 'stat' && this.ownMtime(spec)) spec = ownMtimeOf(spec);
    // a set per kind: a composed key would be a new string to hash on every one of a build's accesses
    // a stat and an lstat of one path are two facts (a symlink's and its target's)
    // and a program's own read of a file's xattrs is not what a restore over it needs (none)
    const kind = spec.kind === 'stat' && spec.nofollow ? 'lstat' : spec.kind === 'xattrs' && spec.known === NO_XATTRS ? 'no-xattrs' : spec.kind;
    let known = this.known.get(kind);
    if (!known) this.known.set(kind, (known = new Set()));
    if (known.has(spec.path)) {
      if (spec.kind === 'stat') this.restat(spec);
      return;
    }
    known.add(spec.path);
    if (PSEUDO_INPUTS.has(spec.path) || describesSelf(spec.path) || isSystemState(spec.path)) return;
    // a listing's names and types came with the event, and a pinned read's hash was taken as it
    // read: the subtree may change either afterwards (rm -rf of what it listed, sed -i)
    if (spec.kind === 'content' && spec.known === undefined) this.readFirst.add(spec.path);
    if (spec.kind === 'stat') this.stats.set(kind + spec.path, spec);
    // (a chmod's owner-only input: no chmod changes an owner)
    if (readAtRecording(spec) && !(spec.kind === 'perms' && spec.owner)) this.readLater.add(spec.path);
    this.inputs.push(spec);
  }

  /**
   * A directory's mtime seen after the subtree made or removed names in it, and newer than the
   * subtree's start: the subtree's own doing, as a file's content after it wrote it (configure
   * writes config.log in `.`, then its shells stat `.`). Its order among the stat'ed files would
   * otherwise key the subtree on the instant of its own change: it is ordered as the subtree's
   * start instead, and at a lookup as the lookup's now (a file dated in the future is newer than
   * both: hunt 13).
   */
  private ownMtime(spec: StatSpec): boolean {
    return spec.type === 'dir' && spec.mtime !== undefined && spec.mtimeNs !== undefined && this.since !== undefined &&
      spec.mtimeNs >= this.since && (this.until === undefined || spec.mtimeNs <= this.until) && this.changes.has(spec.path);
  }

  /**
   * A stat of where the subtree moved a file it had not changed: the file there is still the one
   * moved (any change to it there loses the summary), and rename keeps its mtime, so a look at
   * that mtime is a look at the moved input's (hunt 75: `mv f f2; [ f2 -nt ref ]` was keyed on
   * nothing, and replayed its first answer once f turned newer). A look that follows a symlink
   * moved there sees its target's mtime: not told apart.
   */
  private lookAtMoved(spec: StatSpec): void {
    if (spec.mtime === undefined) return;
    const linked = this.linkedFrom.get(spec.path);
    if (linked !== undefined) {
      // the file under its first name, as the look saw it (its link count then counted the new name)
      if (!this.changed.has(linked)) this.input({ ...spec, path: linked, nlink: undefined });
      // gone or changed there since: nothing keys it, for any ancestor either
      else this.unmodelled ??= `it looks at the mtime of ${spec.path}, a hard link it made to ${linked}, which it changed since`;
    }
    const moved = this.movedInputs.get(spec.path);
    if (!moved) return;
    moved.mtime = stronger(moved.mtime, spec.mtime) as 'order' | 'absolute';
    if (moved.mtimeNs === undefined) {
      moved.mtimeNs = spec.mtimeNs;
      moved.seenAtMs = spec.seenAtMs;
      moved.seenAtNs = spec.seenAtNs;
    }
  }

  /** Another stat of a file: one program in the subtree orders or prints its mtime, and the subtree depends on it that way. */
  private restat(spec: StatSpec): void {
    const known = this.stats.get((spec.nofollow ? 'lstat' : 'stat') + spec.path);
    if (!known) return; // a pseudo path, not an input
    // a look after the subtree's own change (ownMtime) sees the run's instant: it adds nothing to
    // what the first look keyed (sh ordered `.`, then python printed it after a mkdir there)
    if (spec.mtimeOwn && known.mtime !== undefined) return;
    const use = stronger(known.mtime, spec.mtime);
    // the first stat did not look at the mtime; this one looks at the subtree's own (ownMtime)
    if (use && use !== 'none' && known.mtime === undefined && spec.mtimeOwn) known.mtimeOwn = true;
    if (use && use !== 'none') known.mtime = use;
    if (known.mtimeNs === undefined) {
      known.mtimeNs = spec.mtimeNs;
      known.seenAtMs = spec.seenAtMs;
      known.seenAtNs = spec.seenAtNs;
    }
  }

  /** A file that was there and that the subtree changed in place: it keeps its extended
   * attributes (an ACL), and a restore, which writes a new file, would not, so it must have none. */
  private mustHaveNoXattrs(path: string): void {
    this.input({ path, kind: 'xattrs', nofollow: true, known: NO_XATTRS });
  }

  /**
   * Who may reach path, for a process without CAP_DAC_OVERRIDE (seen: what the tracer's stat at
   * the access said). The first look at it is the input, as for any other fact.
   */
  perms(path: string, seen?: Seen | null, ownerOnly = false): void {
    const spec: PermsSpec = seen ? { path, kind: 'perms', mode: seen.mode & 0o7777, uid: seen.uid, gid: seen.gid } : { path, kind: 'perms' };
    if (ownerOnly) spec.owner = true;
    const before = this.inputs.length;
    this.input(spec);
    if (!seen && this.inputs.length > before) this.pendingPerms.set(path, spec);
  }

  /** Every directory a lookup of path searched (the kernel needs search permission on each). */
  searched(path: string): void {
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      this.perms(dir);
      if (dir === '/' || dir === '.') return;
    }
  }

  /** chmod, or an ACL set: a permission input or an exec's mode, whose bits or ACL are read at the
   * recording, would read the subtree's own doing (hunt 58: `./s; chmod -x s`, `cat f; setfacl -b f`). */
  permsChanged(path: string): void {
    this.modes.add(path);
    if (this.readLater.has(path) && !this.changed.has(path)) {
      this.lose(`it is let through ${path} and then changes its permissions: what they were is lost`);
    }
  }

  /**
   * A path the subtree removed or replaced with another file: a permission input still to be read
   * would read the new file, or nothing, and never match again. It goes; the subtree's own
   * removal or rename needed its parent's permissions, which stay (a change of its own bits
   * between runs that would have stopped the subtree is not seen: README, "Not modelled").
   */
  private replaced(path: string): void {
    const spec = this.pendingPerms.get(path);
    if (!spec) return;
    this.pendingPerms.delete(path);
    this.readLater.delete(path);
    const at = this.inputs.indexOf(spec);
    if (at >= 0) this.inputs.splice(at, 1);
  }

  /** A symlink on the way to an access: where it leads is an input. */
  through(link: string): void {
    this.input({ path: link, kind: 'link' });
    this.walked.add(link);
  }

  /** path did not exist before this change: only its first change can say so */
  markCreated(path: string): void {
    if (!this.changed.has(path)) {
      this.created.add(path);
      this.replaced(path); // searched while absent (mkdir -p's stat): what it makes is no input
    }
    this.renewed.add(path);
  }

  /**
   * A change to path; `prior` is what its first access learns, when it is the first. ownPrior: a
   * replayed child's own change to what it read first (its entry holds what it read).
   */
  output(path: string, prior: InputSpec | null, removes = false, ownPrior = false): void {
    if (this.movedFrom.has(path)) this.lose(`it moves a file to ${path} and then changes it: what it moved is lost`);
    if (!this.changed.has(path)) {
      if (this.readFirst.has(path) && !ownPrior) this.lose(`it reads ${path} and then changes it, before what it read could be hashed`);
      if (this.walked.has(path)) this.lose(`it goes through the symlink ${path} and then changes it`);
      if (prior) this.input(prior); // what the change itself depended on is no earlier read
      // a file that was there keeps them through a write, a chmod or an append
      if (prior && (prior.kind === 'stat' || prior.kind === 'content') && !removes) this.mustHaveNoXattrs(path);
      if (prior?.kind === 'content' && prior.prefix !== undefined) this.appendedTo.add(path);
    } else if (this.appendedTo.has(path)) {
      this.lose(`it appends to ${path} and then changes it otherwise: what it held before is lost`);
    }
    // a name made where the subtree looked before (a link, a symlink, a create): its first state
    // was nothing, as the absence input says; what stands there at the recording is its own
    if (prior?.kind === 'vacant') this.replaced(path);
    this.changed.add(path);
    this.outputs.add(path);
    if (removes) {
      this.replaced(path);
      this.gone.add(path);
      this.renewed.add(path);
    } else {
      this.gone.delete(path);
    }
  }

  /** An append to path, which keeps what it held before; one after other changes is one more change. */
  appended(path: string, sizeBefore: number): void {
    if (this.changed.has(path) && this.appendedTo.has(path)) {
      this.changed.add(path); // appends on appends: the prefix stays the input
      return;
    }
    this.output(path, { path, kind: 'content', prefix: sizeBefore });
  }

  lose(reason: string): void {
    this.lostInput ??= reason;
  }

  entryChanged(path: string, added: boolean): void {
    const dir = dirname(path);
    const names = this.changes.get(dir) ?? new Map<string, 'added' | 'removed'>();
    if (!names.has(basename(path))) names.set(basename(path), added ? 'added' : 'removed');
    this.changes.set(dir, names);
  }

  entryChangeList(): [string, 'added' | 'removed'][] {
    const out: [string, 'added' | 'removed'][] = [];
    for (const [dir, names] of this.changes) for (const [name, change] of names) out.push([join(dir, name), change]);
    return out;
  }

  /** What a directory held before the subtree changed it, from what a listing saw (types: '?' for names it removed). */
  before(dir: string, seen: string[], types?: string): { names: string[]; types?: string } {
    const changed = this.changes.get(dir);
    if (!changed) return types === undefined ? { names: seen } : { names: seen, types };
    const entries = new Map<string, string>();
    seen.forEach((n, i) => { if (changed.get(n) !== 'added') entries.set(n, types?.[i] ?? '?'); });
    for (const [n, first] of changed) if (first === 'removed') entries.set(n, '?');
    const names = [...entries.keys()].sort();
    return types === undefined ? { names } : { names, types: names.map((n) => entries.get(n)!).join('') };
  }
}

function ownMtimeOf(spec: StatSpec): StatSpec {
  const out: StatSpec = { ...spec, mtimeOwn: true };
  delete out.mtimeNs;
  return out;
}

/** Devices whose writes leave nothing behind: opening one for writing changes no file. */
export const WRITE_SINKS: ReadonlySet<string> = new Set(['/dev/null']);

function probeSpec(path: string, result: string, type?: string): InputSpec {
  if (ABSENT.has(result)) return { path, kind: 'absent' };
  return type ? { path, kind: 'exists', type } : { path, kind: 'exists' };
}

/**
 * A change that failed for what stood there (EISDIR, EEXIST, EACCES...): what stands there, by its
 * type as lstat says it at the recording (the path is real: no link on the way), is the input.
 */
function failedChange(path: string, result: string): InputSpec {
  return ABSENT.has(result) ? { path, kind: 'absent' } : { path, kind: 'exists', nofollow: true };
}

/** A successful stat as the program saw it; without what stat said, its type alone. */
function statSpec(path: string, a: Access, mtimes: MtimeUse): InputSpec {
  const seen = a.seen ? parseSeen(a.seen) : null;
  if (!seen) return probeSpec(path, a.result, a.type);
  const type = typeOfMode(seen.mode);
  const spec: StatSpec = { path, kind: 'stat', type, mode: seen.mode & 0o7777, uid: seen.uid, gid: seen.gid };
  // a directory's size and link count change with its subdirectories: only a file's are compared.
  // Its mtime is compared as a file's is (make with a directory prerequisite, ls -l, find -newer
  // DIR), though it changes with every entry made in it: such a stat misses more often
  if (type === 'file') {
    spec.size = seen.size;
    spec.nlink = seen.nlink;
  }
  spec.mtimeNs = seen.mtimeNs;
  if (a.atMs !== undefined) spec.seenAtMs = a.atMs;
  if (mtimes !== 'none') spec.mtime = mtimes;
  if (a.nofollow) spec.nofollow = true;
  return spec;
}

/**
 * What a write into a file that was there depended on beyond its bytes: its type, mode, owner and
 * link count (as lstat at its real path says), which the file keeps; a restore that replaced it
 * would lose them.
 */
function keptFile(path: string, a: Access): StatSpec | null {
  const seen = a.seen ? parseSeen(a.seen) : null;
  if (!seen) return null;
  return { path, kind: 'stat', type: typeOfMode(seen.mode), mode: seen.mode & 0o7777, uid: seen.uid, gid: seen.gid, nlink: seen.nlink, nofollow: true };
}

const XATTR_ANSWERS: ReadonlySet<string> = new Set(['ENODATA', 'ERANGE', 'ENOTSUP', 'EOPNOTSUPP']);

/** Ops that follow a final symlink (the others act on the name itself). */
function followsLast(a: Access): boolean {
  switch (a.op) {
    case 'read': case 'exec': case 'write': case 'truncate': case 'chmod': case 'chdir': case 'list':
      return true;
    case 'utime': return !a.nofollow;
    case 'create': return !a.exclusive;
    case 'probe': case 'xattr': return !a.nofollow;
    default: return false;
  }
}

/** The parent directory a new name or a write needs: present, a directory, unless the subtree made it. */
function parentOf(s: PathStates, path: string, names = false): void {
  const dir = dirname(path);
  if (dir === path) return;
  s.input({ path: dir, kind: 'exists', type: 'dir' });
  if (!names) return;
  // a new name takes its group (and a directory the setgid bit) from a setgid parent, and its
  // mode and ACL from the parent's default ACL: the restore's new file does the same
  s.input({ path: dir, kind: 'stat', type: 'dir', mode: -1, uid: -1, gid: -1 });
  s.input({ path: dir, kind: 'xattrs' });
}

/** A read's input: its content, with the identity it had and, when pinned, the hash of what was read. */
function contentSpec(path: string, a: Access, pinned: Pinned | undefined): InputSpec {
  // a directory opened (rm -rf, find, opendir): there, and a directory, as the event says; its
  // names are a listing's business
  const seen = a.seen ? parseSeen(a.seen) : null;
  if (seen && typeOfMode(seen.mode) === 'dir') return { path, kind: 'exists', type: 'dir' };
  const spec: InputSpec = a.seen ? { path, kind: 'content', seen: a.seen } : { path, kind: 'content' };
  // pinned under the path as spelled: a symlink on the way is an input of its own
  if (pinned && pinned.path === a.path) {
    spec.known = pinned.value;
    spec.pinned = pinned;
  }
  return spec;
}

/**
 * Why a path that leads through a symlink into /proc (`me -> /proc/self`, then `me/oom_score_adj`
 * or `me/cwd/f`) cannot be modelled, or null. The links are followed here, in processcache's own
 * process, where /proc/self is processcache (hunt 32 keyed its own entry). The tracer takes the
 * process's own spellings through its links (native/paths.c), not a link of the user's. Its own
 * mount table through /etc/mtab is the moment's state, as read directly.
 */
function throughProcLink(spelled: string, links: readonly string[], real: string): string | null {
  if (links.length === 0 || /^\/(?:proc|dev)(?:\/|$)/.test(spelled)) return null;
  const link = links.find((l) => /^\/proc(?:\/|$)/.test(l));
  if (!link) return null;
  if (ownEntryOf(real, (pid) => pid === process.pid)?.use === 'moment') return null;
  return `${spelled} leads through a symlink into /proc (${link}), whose entries are the reading process's own: not modelled`;
}

/** Ops whose target's own permissions let them through: read, list, search, run, read its
 * xattrs, and an owner's changes (chmod, a utime). */
const TARGET_PERMS: ReadonlySet<string> = new Set(['read', 'list', 'chdir', 'exec', 'xattr', 'chmod', 'utime']);
/** Ops whose access event carries the tracer's stat of the target, taken at the call. */
const SEEN_AT_CALL: ReadonlySet<string> = new Set(['read', 'chmod', 'utime', 'probe']);
/** Ops that change a name in a directory, which needs the directory's write permission. */
const NAME_CHANGES: ReadonlySet<string> = new Set(['delete', 'rmdir', 'rename', 'link']);
/** What a permission check answers (EPERM: an owner's check, chmod or a sticky directory's). */
const REFUSED: ReadonlySet<string> = new Set(['EACCES', 'EPERM']);

/**
 * What let a process without CAP_DAC_OVERRIDE through, or stopped it (GitHub's runners run steps
 * as a user): search permission on every directory on the way, to the path and to each symlink
 * passed; the target's own permissions where the op reads it or was refused; and a directory's
 * where a name in it changes. Root's processes skip them: their bits never refused it.
 */
function permissionsOf(s: PathStates, a: Access, walker: PathWalker, path: string, links: readonly string[]): void {
  for (const p of [path, ...links]) s.searched(p);
  const ok = a.result === 'ok';
  // the target's own: where it was refused, or where it was there and the op depends on them:
  // access(2) answers by them (hunt 58: `[ -w f ]` after an ACL was set), a name changes in a
  // sticky directory or is hard-linked under protected_hardlinks by its owner. Where nothing was
  // there, the directories on the way are what it met (hunt 60: git's utime of a loose object
  // before it links it into place)
  const target = REFUSED.has(a.result) || (ok && (TARGET_PERMS.has(a.op) || NAME_CHANGES.has(a.op) || (a.op === 'probe' && a.checks === true)));
  const seen = ok && SEEN_AT_CALL.has(a.op) && a.seen ? parseSeen(a.seen) : null;
  // a chmod's own bits are what it set: its owner let it through
  if (a.op === 'chmod' && ok) s.perms(path, seen, true);
  else if (target) s.perms(path, seen);
  if (!NAME_CHANGES.has(a.op)) return;
  s.perms(dirname(path));
  if (typeof a.to !== 'string') return;
  const to = walker.walk(a.to, false);
  for (const p of [to.real, ...to.links]) s.searched(p);
  s.perms(dirname(to.real));
  // refused there: by what stood at the destination too (a sticky directory's other owner)
  if (!ok) s.perms(to.real);
}

function applyAccess(s: PathStates, a: Access, walker: PathWalker, mtimes: MtimeUse, pinned?: Pinned, unprivileged = false): string | null {
  if (a.op === 'stdin' || a.op === 'dup') return null;
  if (!a.path) return null;
  const ok = a.result === 'ok';
  const { links, real: path } = walker.walk(a.path, followsLast(a));
  const intoProc = throughProcLink(a.path, links, path);
  if (intoProc) return intoProc;
  for (const link of links) s.through(link);
  if (unprivileged) {
    permissionsOf(s, a, walker, path, links);
    // refused by a directory's search bit or the target's own bits: those are its inputs now.
    // What lies beyond is no fact it learnt (recorded as "exists", root's lookup found nothing
    // there: `/root/.cargo/bin/as` on PATH missed every lookup of a build run as a user)
    if (a.result === 'EACCES') return null;
  }
  switch (a.op) {
    case 'exec':
      if (!ok) {
        s.input(probeSpec(path, a.result));
        // refused for its mode (EACCES): chmod +x must make a recorded parent miss
        if (a.result === 'EACCES') s.input({ path: a.path, kind: 'stat', type: 'file', mode: -1, uid: -1, gid: -1 });
        return null;
      }
      // under the name it was run by: an entry vouches for its program by that name
      s.input({ path: a.path, kind: 'content' });
      // an exec needs the execute bit: chmod -x must make a recorded parent miss
      s.input({ path: a.path, kind: 'stat', type: 'file', mode: -1, uid: -1, gid: -1 });
      // and its file capabilities (security.capability) are what it may do (hunt 50: setcap
      // cap_dac_override on a reader was replayed as its "Permission denied")
      s.input({ path: a.path, kind: 'xattrs' });
      return null;
    case 'read':
      s.input(ok ? contentSpec(path, a, pinned) : probeSpec(path, a.result));
      return null;
    // bash's walk up its $PWD as it starts compares no mtime, and an ancestor's changes with
    // anything done there (trace/pwd-walk.ts)
    case 'probe': s.input(ok ? statSpec(path, a, a.pwdWalk ? 'none' : mtimes) : probeSpec(path, a.result, a.type)); return null;
    // a directory, as lstat says: getcwd would tell a symlink standing there now
    case 'chdir': s.input(ok ? { path, kind: 'exists', type: 'dir', nofollow: true } : probeSpec(path, a.result)); return null;
    case 'readlink': s.input(ok ? { path, kind: 'link' } : probeSpec(path, a.result)); return null;
    // no such attribute (ENODATA), a buffer too small, or none possible here: the attributes
    // still answered; only a path that leads nowhere is a probe's failure
    case 'xattr':
      s.input(ok || XATTR_ANSWERS.has(a.result) ? { path, kind: 'xattrs', ...(a.nofollow ? { nofollow: true } : {}) } : probeSpec(path, a.result));
      return null;
    case 'list': s.input({ path, kind: 'listing', ...s.before(path, a.names ?? [], a.types) }); return null;
    case 'write': case 'chmod': case 'utime': {
      if (!ok) { s.input(failedChange(path, a.result)); return null; }
      if (a.op === 'chmod') s.permsChanged(path);
      // a utime keeps the mode and owner, which the restore's chmod in place would set (hunt 58:
      // `touch -c f` put back f's recorded mode over a chmod since)
      if (a.op === 'utime') {
        const kept = keptFile(path, a);
        if (kept) s.input(kept);
      }
      // `cmd >/dev/null` opens it for writing: it must exist, and nothing written there stays
      if (a.op === 'write' && WRITE_SINKS.has(path)) { s.input(probeSpec(path, a.result)); return null; }
      parentOf(s, path);
      if (a.op === 'write') return inPlace(s, path, a);
      // a symlink's own times (touch -h): what it depended on is where it leads
      s.output(path, a.op === 'utime' && a.nofollow ? { path, kind: 'link' } : { path, kind: 'content' });
      return null;
    }
    case 'truncate':
      if (ok && WRITE_SINKS.has(path)) { s.input(probeSpec(path, a.result)); return null; } // `>/dev/null`
      if (!ok) { s.input(failedChange(path, a.result)); return null; }
      parentOf(s, path);
      if (a.keepsPrefix) {
        s.output(path, { path, kind: 'content' });
        s.lose(`it truncates ${path} in place: what it held before is lost`);
        return null;
      }
      // the file keeps its mode, owner and other names: they are what the write depended on
      s.output(path, keptFile(path, a));
      return null;
    case 'create': case 'mkdir': case 'symlink': case 'mknod':
      if (!ok) { s.input(failedChange(path, a.result)); return null; }
      parentOf(s, path, true);
      // these fail on any name there, a dangling symlink too. A create follows one (and makes its
      // target), but the path is real (the walk resolved every link on the way): no name was
      // there, and a dangling symlink standing there now would lead the create elsewhere. One that
      // truncates would have kept an existing file's mode, owner and other names: absent, too
      s.markCreated(path);
      s.output(path, { path, kind: a.op === 'create' && a.truncates ? 'replaceable' : 'vacant' });
      s.entryChanged(path, true);
      return null;
    case 'delete': case 'rmdir':
      if (!ok) { s.input(failedChange(path, a.result)); return null; }
      // rmdir succeeds only on an empty directory: that emptiness is what it depended on
      if (a.op === 'rmdir') s.input({ path, kind: 'exists', type: 'dir', nofollow: true }); // not a symlink to one
      s.output(path, a.op === 'rmdir' ? { path, kind: 'listing', names: s.before(path, []).names } : { path, kind: 'exists' }, true);
      s.entryChanged(path, false);
      return null;
    case 'link': case 'rename': {
      const spelledTo = typeof a.to === 'string' ? a.to : undefined;
      if (!spelledTo) return null;
      const { links: toLinks, real: to } = walker.walk(spelledTo, false);
      // EEXIST is the destination's (mv tries RENAME_NOREPLACE first): something stood there
      if (!ok && a.result === 'EEXIST') {
        for (const link of toLinks) s.through(link);
        s.input({ path: to, kind: 'exists', nofollow: true });
        return null;
      }
      if (!ok) {
        s.input(failedChange(path, a.result));
        return a.op === 'rename' ? renameDestination(s, to, a) : null;
      }
      for (const link of toLinks) s.through(link);
      parentOf(s, to);
      if (a.op === 'rename' && path === to) {
        // the kernel does nothing: no name changes, and the directory's mtime stays (hunt 34)
        s.input({ path, kind: 'exists', nofollow: true });
        return null;
      }
      if (a.op === 'rename') {
        // mv's first try: where a name stands now, it moves into or over it instead
        const unknown = a.noReplace ? (s.input({ path: to, kind: 'vacant' }), null) : renameDestination(s, to, a);
        if (unknown) return unknown;
        s.moved(path, to);
        s.entryChanged(path, false);
      } else {
        const read = !s.isChanged(path);
        s.input({ path, kind: 'content' });
        s.output(to, { path: to, kind: 'vacant' }); // link fails on a name that is there
        if (read) s.tookLink(to, path);
        else s.carryLink(path, to); // a link to a link it made to an unchanged file
      }
      s.entryChanged(to, true);
      return null;
    }
    default: return `an access the model does not know: ${String(a.op)}`;
  }
}

/**
 * What a plain rename depended on at its destination: it replaces a file, a link or an empty
 * directory, and fails on a directory that holds anything (or on the wrong kind), so what stood
 * there, as the tracer saw it at the call's entry, is an input.
 */
function renameDestination(s: PathStates, to: string, a: Access): string | null {
  switch (a.destBefore) {
    case 'absent': s.input({ path: to, kind: 'vacant' }); return null;
    case 'file': case 'symlink': case 'other': s.input({ path: to, kind: 'exists', type: a.destBefore, nofollow: true }); return null;
    case 'empty-dir': s.input({ path: to, kind: 'listing', names: [], types: '' }); return null;
    // an ancestor cannot know it either: unmodelled, for the whole tree
    case 'full-dir': return `a rename onto ${to}, a directory that holds files (what they were is not known)`;
    default: return `a rename onto ${to}, where what stood was not seen`;
  }
}

/**
 * An open for writing without truncation of a file that was there. An append keeps what the file
 * held, and those bytes (as many as it had at the open) are the input; any other write lands
 * amid the earlier content, which is then lost to the recording.
 */
function inPlace(s: PathStates, path: string, a: Access): null {
  const kept = keptFile(path, a);
  if (kept) s.input(kept);
  const seen = a.seen ? parseSeen(a.seen) : null;
  if (seen && typeOfMode(seen.mode) === 'file' && a.appends) {
    s.appended(path, seen.size);
    return null;
  }
  s.output(path, { path, kind: 'content' });
  if (!seen || typeOfMode(seen.mode) === 'file') s.lose(`it writes into ${path} in place: what it held before is lost`);
  return null;
}

/** Folds a subtree's steps into its inputs and outputs. */
export function summarize(steps: Step[], walker: PathWalker = AS_SPELLED, since?: bigint, until?: bigint): Summary {
  const s = new PathStates(since, until);
  let reason: string | null = null;
  for (const step of steps) {
    // a replayed child's inputs carry their own
    s.asUser = step.kind === 'access' && step.unprivileged === true && step.ownUser === true;
    if (step.kind === 'replayed') {
      // a child's listing saw the directory as the subtree had left it by then
      for (const input of step.inputs) {
        if (input.kind === 'link') s.through(input.path);
        else s.input(input.kind === 'listing' ? { ...input, ...s.before(input.path, input.names, input.types) } : input);
      }
      for (const path of step.created) s.markCreated(path);
      const removed = new Set(step.removed);
      // before its outputs count as changes: a chmod of what this subtree read the bits of later
      for (const path of step.permsChanged ?? step.outputs.filter((o) => !removed.has(o))) s.permsChanged(path);
      const read = new Set(step.inputs.map((i) => i.path));
      // its moves and links of files it had not changed, of files this subtree had not changed
      // either (before its outputs, which hold what it moved away): a file made here and then
      // moved or linked by a child keeps this subtree's own mtime (hunt 77)
      const moves = (step.moved ?? []).filter(([, from]) => !s.isChanged(from));
      const links = (step.hardLinked ?? []).filter(([, from]) => !s.isChanged(from));
      // and a move of what this subtree linked (`ln f t`, then a child's `mv t g`): g is f still
      const relinks = [...(step.moved ?? []), ...(step.hardLinked ?? [])].filter(([, from]) => s.isChanged(from));
      for (const out of step.outputs) s.output(out, null, removed.has(out), read.has(out));
      for (const path of step.renewed) s.renewed.add(path);
      for (const [path, change] of step.entryChanges) s.entryChanged(path, change === 'added');
      // after its outputs: its own move is no change to what it moved
      for (const [to, from] of moves) s.tookMove(to, from);
      for (const [to, from] of links) s.tookLink(to, from);
      for (const [to, from] of relinks) s.carryLink(from, to);
      continue;
    }
    reason ??= applyAccess(s, step.access, walker, step.mtimes ?? 'absolute', step.pinned, step.unprivileged === true);
  }
  reason ??= s.unmodelled;
  const unmodelled = reason;
  reason ??= s.lostInput;
  return {
    cacheable: !reason,
    ...(reason ? { reason } : {}),
    ...(unmodelled ? { unmodelled } : {}),
    inputs: s.inputs,
    outputs: [...s.outputs],
    created: [...s.created],
    removed: [...s.gone],
    renewed: [...s.renewed],
    entryChanges: s.entryChangeList(),
    permsChanged: [...s.modes],
    moved: s.movedList(),
    hardLinked: s.linkedList(),
  };
}
