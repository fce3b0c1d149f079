// The current fingerprint of an input: what a path holds now, in the terms it was recorded in.
import { accessSync, constants, lstatSync, readdirSync, readlinkSync, statSync, type BigIntStats, type Dirent, type Stats } from 'node:fs';
import { NO_XATTRS, typeOfMode, type Input, type InputSpec, type StatSpec } from '../observe/index.js';
import { sha256, type FileHasher } from './hash.js';

function typeOf(st: Stats | BigIntStats): string {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'fifo';
  return 'socket';
}

function existence(path: string, recordedType: string | undefined, nofollow = false): string {
  try {
    // throwing for every absent path costs more than the stat itself
    const st = nofollow || recordedType === 'symlink' ? lstatSync(path, { throwIfNoEntry: false }) : statSync(path, { throwIfNoEntry: false });
    if (!st) return 'absent';
    return recordedType ? `type:${typeOf(st)}` : 'exists';
  } catch (e) {
    // EACCES on the way: what the program's probe said too (it records "exists" for it)
    return (e as NodeJS.ErrnoException).code === 'EACCES' ? 'exists' : 'absent'; // ENOTDIR: cannot be reached
  }
}

/** No name there at all: what mkdir, symlink, link and O_EXCL need (a dangling symlink is a name). */
function vacancy(path: string): string {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) ? 'taken' : 'absent';
  } catch {
    return 'absent';
  }
}

/**
 * A truncating create's view of path: null when nothing is there; for a lone regular file, the
 * mode, owner and group O_TRUNC would keep; 'taken' for anything else (a directory, a symlink,
 * a file with other names, or with extended attributes such as an ACL, which O_TRUNC keeps and a
 * restore's new file would not), which the create would not end the same with.
 */
export function replaceable(path: string, hasher: Pick<FileHasher, 'xattrs'>): string | null {
  try {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st) return null;
    // only a lone file its owner may write ends the same: anything else never matches
    if (!(st.isFile() && st.nlink === 1 && (st.mode & 0o200) !== 0) || hasher.xattrs(path, true) !== NO_XATTRS) return 'taken';
    return `replaceable:${(st.mode & 0o7777).toString(8)}:${st.uid}:${st.gid}`;
  } catch {
    return 'taken';
  }
}

/** A listing's fingerprint: names alone, or each after its entry type letter. */
export function namesFingerprint(names: string[], types?: string): string {
  if (types === undefined) return `names:${sha256(names.join('\0'))}`;
  return `entries:${sha256(names.map((n, i) => `${types[i] ?? '?'}${n}`).join('\0'))}`;
}

const DIRENT_TYPES: [(d: Dirent) => boolean, string][] = [
  [(d) => d.isFile(), 'f'], [(d) => d.isDirectory(), 'd'], [(d) => d.isSymbolicLink(), 'l'], [(d) => d.isFIFO(), 'p'],
  [(d) => d.isSocket(), 's'], [(d) => d.isCharacterDevice(), 'c'], [(d) => d.isBlockDevice(), 'b'],
];

function direntType(d: Dirent): string {
  for (const [is, letter] of DIRENT_TYPES) if (is(d)) return letter;
  return '?';
}

function listingValue(spec: Extract<InputSpec, { kind: 'listing' }>): string {
  try {
    if (spec.types === undefined) return namesFingerprint(readdirSync(spec.path).sort());
    // a name whose type was not known when recorded (the file system did not say) is compared by name
    const unknown = new Set(spec.names.filter((_, i) => spec.types![i] === '?'));
    const entries = readdirSync(spec.path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return namesFingerprint(entries.map((d) => d.name), entries.map((d) => (unknown.has(d.name) ? '?' : direntType(d))).join(''));
  } catch {
    return 'absent';
  }
}

/** A stat's answer in the terms of the spec, its mtime aside (the memo engine orders those). */
export interface StatFields {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
}

export function statBase(spec: Pick<StatSpec, 'nofollow' | 'size' | 'nlink'>, st: StatFields | undefined): string {
  if (!st) return 'absent';
  const type = typeOfMode(st.mode);
  const head = `${spec.nofollow ? 'lstat' : 'stat'}:${type}:${(st.mode & 0o7777).toString(8)}:${st.uid}:${st.gid}`;
  // a directory's size and link count change with its entries: only a file's are compared
  if (type !== 'file') return head;
  return `${head}${spec.size === undefined ? '' : `:s${st.size}`}${spec.nlink === undefined ? '' : `:n${st.nlink}`}`;
}

export function statFields(st: BigIntStats): StatFields {
  return { mode: Number(st.mode), uid: Number(st.uid), gid: Number(st.gid), size: Number(st.size), nlink: Number(st.nlink) };
}

/** stat or lstat of path, as the spec asks; undefined when it cannot be reached. */
export function statNow(path: string, nofollow: boolean | undefined): BigIntStats | undefined {
  try {
    return (nofollow ? lstatSync : statSync)(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * Who may reach path, as a perms input records it: permission bits, owner and group, symlinks
 * followed, then its extended attributes when it has any (an ACL grants or refuses beyond the
 * bits). known: the bits as the tracer saw them at the access, the attributes read now.
 */
export function permsValue(path: string, hasher: Pick<FileHasher, 'xattrs'>, known?: StatFields, ownerOnly = false): string {
  const st = known ?? statNow(path, false);
  if (!st) return existence(path, undefined) === 'exists' ? 'perms:unreachable' : 'absent';
  if (ownerOnly) return `owner:${st.uid}:${st.gid}`;
  const xattrs = hasher.xattrs(path, false);
  const extra = xattrs === NO_XATTRS || xattrs === 'absent' ? '' : `:${xattrs}`;
  return `perms:${(Number(st.mode) & 0o7777).toString(8)}:${st.uid}:${st.gid}${extra}`;
}

/**
 * The value of what processcache's own user may not read (under sudo the command may: a root
 * 600 file `sudo cat` read, a group the step's `sg` added): never recorded (memo/engine.ts), so
 * never matched.
 */
export const UNREADABLE = 'unreadable';

function refused(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EACCES';
  }
}

/** What spec's path holds now (a stat's mtime aside). */
export function currentValue(spec: InputSpec, hasher: FileHasher): string {
  switch (spec.kind) {
    case 'content': {
      const h = hasher.hash(spec.path);
      return h ? `sha256:${h}` : refused(spec.path, constants.R_OK) ? UNREADABLE : existence(spec.path, undefined);
    }
    case 'absent': return existence(spec.path, undefined);
    case 'exists': return existence(spec.path, spec.type, spec.nofollow === true);
    case 'vacant':
      return vacancy(spec.path);
    case 'replaceable':
      return replaceable(spec.path, hasher) ?? 'replaceable:';
    case 'stat': {
      const st = statNow(spec.path, spec.nofollow);
      return statBase(spec, st ? statFields(st) : undefined);
    }
    case 'listing':
      return listingValue(spec);
    case 'xattrs': return hasher.xattrs(spec.path, spec.nofollow === true);
    case 'perms': return permsValue(spec.path, hasher, undefined, spec.owner === true);
    case 'link':
      try {
        return `link:${readlinkSync(spec.path)}`;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EACCES' ? UNREADABLE : existence(spec.path, undefined);
      }
  }
}

/** spec with the value it must keep, under the path it is stored as. */
export function toInput(spec: InputSpec, value: string, storedPath: string = spec.path): Input {
  const input: Input = { path: storedPath, kind: spec.kind, value };
  if (spec.kind === 'exists' && spec.type) input.type = spec.type;
  if ((spec.kind === 'exists' || spec.kind === 'xattrs') && spec.nofollow) input.nofollow = true;
  if (spec.kind === 'absent' && spec.asUser) input.asUser = true;
  if (spec.kind === 'listing') {
    input.names = spec.names;
    if (spec.types !== undefined) input.types = spec.types;
  }
  return input;
}
