/** What an execution's result depended on, one path at a time; `known`: the value a replayed
 * child's entry recorded (its lookup found it so), taken as is rather than read again. */
export type InputSpec = (SpecOf & { known?: string });

type SpecOf =
  /** a regular file read: its bytes. seen: its identity when it was opened (a change by a process
   * outside the trace before the recording shows as another); prefix: for a file the subtree
   * appended to, how many bytes it held before (the input is those bytes) */
  | { path: string; kind: 'content'; seen?: string; prefix?: number; movedTo?: string; pinned?: Pinned }
  /** probed (or created) and found missing, symlinks followed. asUser: by a process without
   * privileges, whose directories' permissions on the way are inputs too: where processcache's
   * own user may not look (the tracer, root under sudo, looked), they decide what it met */
  | { path: string; kind: 'absent'; asUser?: true }
  | { path: string; kind: 'vacant' } // no name at all there, not even a dangling symlink (lstat)
  /** what a truncating create needs: nothing there, or a file it ends the same with (the mode,
   * owner and group it leaves, one link), as O_TRUNC keeps them */
  | { path: string; kind: 'replaceable' }
  | { path: string; kind: 'exists'; type?: string; nofollow?: boolean } // present (with its type when known; nofollow: as lstat says)
  | StatSpec
  | { path: string; kind: 'listing'; names: string[]; types?: string } // the names (and entry types) a directory held before
  | { path: string; kind: 'link' } // a symlink's target text
  /** its extended attributes (ACLs, capabilities): names and values; nofollow: a symlink's own */
  | { path: string; kind: 'xattrs'; nofollow?: boolean }
  /** who may read, search or change it, for a process without CAP_DAC_OVERRIDE: its permission
   * bits, owner, group and extended attributes (an ACL), symlinks followed. mode, uid and gid as
   * the tracer saw them at the access, when it looked; else read at the recording */
  | PermsSpec;

export interface PermsSpec {
  path: string;
  kind: 'perms';
  mode?: number;
  uid?: number;
  gid?: number;
  /** its owner and group alone: what let a chmod through (the bits are what it set) */
  owner?: true;
}

/**
 * A read's content hashed while the file provably held what the program read (its identity as the
 * tracer saw it at the open, checked before and after hashing): what a later change, by the
 * subtree or by its parent once the subtree ended, cannot spoil. at: the log's length then; ns:
 * when, on the tracer's clock (null: not known).
 */
export interface Pinned {
  path: string;
  value: string;
  at: number;
  ns: number | null;
}

/**
 * A stat's answer as a program can act on it: type and mode always, a regular file's size, and
 * its mtime as the programs of the subtree use it (observe/mtime-use.ts): not at all, as its
 * order among the files the execution stat'ed (make, `test -nt`: a fresh checkout with new
 * mtimes in the same order still reuses), or itself.
 */
export interface StatSpec {
  path: string;
  kind: 'stat';
  type: string;
  /** permission bits (with setuid, setgid, sticky), owner and group; -1: read at the recording (an exec's) */
  mode: number;
  uid: number;
  gid: number;
  /** a regular file's size and link count, when they are part of the input */
  size?: number;
  nlink?: number;
  /** how a regular file's mtime is part of the input, when it is */
  mtime?: 'order' | 'absolute';
  /** the mtime the program saw (a replayed child's: what its lookup saw) */
  mtimeNs?: bigint;
  /** when it saw it, on the tracer's clock (ms) (a replayed child's: its lookup's instant, epoch ns
   * in seenAtNs): an mtime after it was in the future then (make warns of clock skew) */
  seenAtMs?: number;
  seenAtNs?: bigint;
  /** a directory's mtime the subtree made itself (it made or removed a name there first): ordered
   * as the subtree's start at the recording, and as the lookup's now at a lookup */
  mtimeOwn?: true;
  nofollow?: boolean;
  /** where to read it at the recording, when not at path (what a rename moved is at its destination) */
  readAt?: string;
}

/** An input with the fingerprint it had: "sha256:..", "absent", "type:dir", "names:..", "link:..", "stat:..". */
export interface Input {
  path: string;
  kind: InputSpec['kind'];
  type?: string;
  /** listing: the names (the value is their hash) */
  names?: string[];
  /** listing: their entry types, one letter a name */
  types?: string;
  /** exists: the type as lstat says it */
  nofollow?: boolean;
  /** absent: found so for a process without privileges (see InputSpec) */
  asUser?: boolean;
  value: string;
}

export interface Summary {
  cacheable: boolean;
  /** why not, when not */
  reason?: string;
  /** an access the model does not know: whatever contains this subtree is not cacheable either
   * (unlike a read-then-change, which a parent that made the file first sees as its own doing) */
  unmodelled?: string;
  inputs: InputSpec[];
  /** paths whose final state is the execution's effect */
  outputs: string[];
  /** outputs that did not exist before the subtree created them (made and removed: no effect) */
  created: string[];
  /** outputs the subtree's last change to removed: their final state is absence */
  removed: string[];
  /** outputs the subtree made, removed or replaced at some time: what ends there is a new file */
  renewed: string[];
  /** the first change the subtree made to each directory entry: what a parent's listing discounts */
  entryChanges: [string, 'added' | 'removed'][];
  /** paths whose permissions (bits, ACL) the subtree changed: what a parent that read them later loses */
  permsChanged: string[];
  /** files the subtree moved from a path it had not changed, as [where it went, where it was]:
   * they keep that file's mtime, which a parent's later look there orders (hunt 75) */
  moved?: [string, string][];
  /** hard links the subtree made to files it had not changed, as [new name, old name]: their
   * mtime is the old file's, which a parent's later look would depend on unkeyed (hunt 76) */
  hardLinked?: [string, string][];
}

/** Whether an input's value is read at the recording, not taken from the access: a permission
 * input (its ACL at least) and an exec's mode, which a later change (by any name) would spoil. */
export function readAtRecording(spec: InputSpec): boolean {
  return spec.kind === 'perms' || (spec.kind === 'stat' && spec.mode < 0);
}

/** The value of an xattrs input for a file with none (the sha256 of no bytes): all a restore,
 * which writes a new file, can leave on a file that was there before. */
export const NO_XATTRS = 'xattrs:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
