import type { Input } from '../observe/index.js';

/** The final state of one output path. Paths under the root are stored relative to it. A file's
 * order is its mtime's rank among the entry's files: a restore keeps that order (make compares). */
export type OutputState =
  /** linkOf: another name of the same file (an input or an earlier output): restored as a hard link to it.
   * newFile: not the file that stood there before (made, or put there after that one was removed
   * or replaced): a restore never keeps one standing there with other names, as the run did not.
   * movedFrom: the input it was moved from, unchanged (a rename keeps the mtime): a parent's later
   * look at its mtime orders that input's (hunt 76) */
  | { path: string; type: 'file'; blob: string; mode: number; size: number; linkOf?: string; order?: number; newFile?: true; movedFrom?: string }
  | { path: string; type: 'symlink'; target: string }
  | { path: string; type: 'dir'; mode: number }
  | { path: string; type: 'absent' };

/** One recorded execution: what it needed, what it left, what it printed. */
export interface Entry {
  version: 1;
  weak: string;
  strong: string;
  exe: string;
  argv: string[];
  inputs: Input[];
  outputs: OutputState[];
  /** stdout and stderr as one ordered stream: the bytes are one blob, cut by these chunks */
  stream: { blob: string; chunks: { fd: number; bytes: number }[] } | null;
  exitCode: number;
  durationMs: number;
  createdAt: string;
  /** process attributes its subtree read that only some programs read (CPU affinity, uname),
   * with the values it ran with: a lookup compares them with the querying process's */
  attributes?: { name: string; value: string }[];
  /** where it left the offset of each file it inherited open for reading (shared with its
   * parent, which may read on): a replay moves the offset there */
  offsets?: { fd: number; pos: number }[];
  /** the CI context variables (src/fingerprint/context-env.ts: left out of the weak fingerprint)
   * whose values its outputs hold, with those values, sorted by name: a lookup hits only where
   * each is the same */
  context?: { name: string; value: string }[];
  /** the programs it ran directly, for explaining a miss below it */
  children: { weak: string; exe: string; argv: string[] }[];
  /** the directories holding its outputs, each with its mtime's rank among its files' (order): a
   * restore changes their names and must leave them where the recording did against the files */
  dirOrder?: { path: string; order: number }[];
}

/** The entries a command can hit, read once when the command starts: a decision at an exec must
 * not wait for a network round trip (the S3 and HTTP backends load one index object here). */
export interface StoreIndex {
  /** the candidates recorded under a weak fingerprint, most recently used first */
  candidates(weak: string): Entry[];
}

/** Where entries and blobs live: the local store now; S3, the Actions cache and HTTP next. */
export interface Store {
  openIndex(): Promise<StoreIndex>;
  putEntry(entry: Entry): Promise<void>;
  /** takes back an entry this run put, found wrong after it was written */
  removeEntry(entry: Entry): Promise<void>;
  touchEntry(entry: Entry): Promise<void>;
  /** a blob's bytes after checking them against their hash; null when missing or corrupt */
  getBlob(hash: string): Promise<Buffer | null>;
  putBlob(hash: string, data: Buffer): Promise<void>;
  /** whether the store holds the blob already, so that recording need not read the file again */
  hasBlob(hash: string, bytes: number): Promise<boolean>;
  readonly writable: boolean;
  /** whether only this machine's own runs wrote its entries (the local store): a remote cache's
   * entries are anybody's, and a restore from one keeps no setuid or setgid bit */
  readonly trusted: boolean;
}

/** What a store holds, for eviction. */
export interface StoredEntry {
  entry: Entry;
  lastUsedMs: number;
  bytes: number;
  remove(): void;
}
