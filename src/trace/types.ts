import type { AccessOp } from './protocol.js';

export type StdioKind = 'tty' | 'pipe' | 'file' | 'null' | 'socket' | 'closed' | 'dir' | 'char' | 'other';
export type FileType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket';

/** One observed file-system access; result is "ok" or an errno name such as "ENOENT". */
export interface Access {
  op: AccessOp;
  path?: string;
  result: string;
  /** probe: what exists there */
  type?: FileType;
  /** list: the names in the directory, sorted */
  names?: string[];
  /** list: each name's entry type as getdents said it (f d l p s c b, ? unknown), one letter a name */
  types?: string;
  /** probe, read, write: what stat said at that instant (native/paths.h stat_text) */
  seen?: string;
  /** probe with seen: when, on the tracer's clock (ms): a file dated after it was in the future */
  atMs?: number;
  /** probe: an lstat, which does not follow a final symlink; xattr: lgetxattr or llistxattr;
   * utime: a symlink's own times (touch -h) */
  nofollow?: true;
  /** probe: access(2) or faccessat(2), a permission check by the caller's real ids (its result
   * as the tracer reports it is what stands there, not what the check said) */
  checks?: true;
  /** probe: a step of bash's check of $PWD as it starts (trace/pwd-walk.ts): an ancestor of its
   * working directory tested for being a directory, its mtime compared with nothing */
  pwdWalk?: true;
  /** create: with O_EXCL, which fails on any name there, a dangling symlink too */
  exclusive?: true;
  /** write, create: with O_APPEND, so every write lands after what the file held */
  appends?: true;
  /** truncate: by truncate(2), which keeps the file's bytes up to the new length */
  keepsPrefix?: true;
  /** rename: with RENAME_NOREPLACE, which succeeds only where no name stood */
  noReplace?: true;
  /** rename: what stood at the destination at the call's entry (a plain rename replaces a file
   * or an empty directory, and fails on others); undefined when the tracer could not look */
  destBefore?: 'absent' | 'file' | 'symlink' | 'other' | 'empty-dir' | 'full-dir';
  /** rename, link: the destination; dup: the new fd */
  to?: string | number;
  /** symlink: the target text; readlink: what the link says */
  target?: string;
  /** dup: the standard fd duplicated */
  fd?: number;
  /** create: with O_TRUNC, so an existing file would have ended the same */
  truncates?: true;
}

export interface OutputChunk {
  fd: number;
  bytes: number;
}

/** One successful execve and everything its process (and its forks that did not exec) did. */
export interface Execution {
  id: number;
  parent: number | null;
  pid: number;
  exe: string;
  argv: string[];
  cwd: string;
  exitCode: number | null;
  signal: number | null;
  startMs: number;
  endMs: number | null;
  accesses: Access[];
  flags: string[];
  nondeterminism: string[];
  /** process attributes it read that not every program reads (affinity, uname): the values it ran
   * with join its entry, instead of every process's fingerprint */
  observed: string[];
  /** signals other processes or a terminal sent it: `from` is the sender's execution when it was
   * traced (a process of the command), null when not (processcache passing on a cancelled job's
   * SIGTERM, a terminal's ^C, any program outside) */
  signals: { signal: number; from: number | null }[];
  /** the executions of the command it sent a signal to (or asked with signal 0 whether they live):
   * a replay of it would not send them. A signal to a process outside the command is a flag */
  signalled: { signal: number; to: number }[];
  /** other processes whose /proc entries it looked at (their state, their cmdline): `from` is
   * that process's execution when it was traced, null when not */
  procReads: { pid: number; from: number | null }[];
  /** where it left the offset of each file it inherited open for reading, when it ran; others:
   * another process sharing that open file may have moved the offset meanwhile */
  inheritedEnds?: { fd: number; pos: number; size: number; others: boolean }[];
  stdio: { '0': StdioKind; '1': StdioKind; '2': StdioKind };
  /** which open files fds 1 and 2 named at the exec: a child's output reaches its parent's
   * stream only when they are the same (not a file or pipe the parent opened for it) */
  streams: [string, string];
  /** which open file fd 0 named at the exec: a pipe made inside an ancestor's subtree is that
   * ancestor's business, not a reason its own replay would be unfaithful */
  stdinId: string;
  output: OutputChunk[];
  /** its writes were not trapped (native/lazy.h), and what its subtree left in its stream files
   * cannot be told to be its own: why */
  unseen?: string;
  /** the program did not run: a decision replayed its output and exit status */
  skipped?: true;
}

export interface Trace {
  version: 1;
  command: string[];
  cwd: string;
  exitCode: number;
  durationMs: number;
  executions: Execution[];
}

/** How the root command ended: a code, or the signal that killed it. */
export interface CommandStatus {
  exitCode: number | null;
  signal: number | null;
}
