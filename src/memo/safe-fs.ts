// The koffi binding to native/restore.c: file operations relative to directory fds, which Node's
// fs lacks (it has no openat, mkdirat, renameat, linkat or utimensat). A restore reaches each
// directory once through walk(), which never follows a symlink, and then writes only through
// that fd: a rename or a symlink swapped in later cannot send the writes elsewhere.
import { constants } from 'node:os';
import type { IKoffiLib } from 'koffi';
import { NativeError, nativeLibrary } from '../trace/index.js';

export type Kind = 'absent' | 'dir' | 'file' | 'symlink' | 'other';
/** native/restore.c's KIND_* numbers */
const KINDS: readonly Kind[] = ['absent', 'dir', 'file', 'symlink', 'other'];

const ERRNO_NAMES = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));

export class SafeFsError extends Error {
  /** code: the errno's name (ELOOP, ENOTEMPTY ...); at: for a walk, the part of the relative
   * path up to the component that failed */
  constructor(message: string, readonly code: string, readonly at?: string) {
    super(message);
  }
}

export interface SafeFs {
  /** an allowed directory, by its configured path (symlinks in it are the configuration's) */
  openDir(path: string): number;
  /** the directory rel ("a/b") beneath dirFd, never through a symlink or "..", made when missing if create */
  walk(dirFd: number, rel: string, create: boolean): number;
  kindAt(dirFd: number, name: string): Kind;
  /** removes name (a directory only if empty); true when it removed a directory */
  remove(dirFd: number, name: string): boolean;
  /** writes a new file tmp and renames it over name; true when an empty directory there went first */
  putFile(dirFd: number, name: string, tmp: string, data: Buffer, mode: number): boolean;
  /** when name is a regular file holding data: sets its mode, and its times to now; true then */
  /** loneOnly: not a file with other names */
  chmodIfSame(dirFd: number, name: string, data: Buffer, mode: number, loneOnly: boolean): boolean;
  putSymlink(dirFd: number, name: string, tmp: string, target: string): boolean;
  /** a hard link at name to the regular file fromName in fromDir; EINVAL when that is no regular file */
  putLink(fromDir: number, fromName: string, dirFd: number, name: string, tmp: string): boolean;
  /** name becomes a directory with mode, keeping one that is there */
  putDir(dirFd: number, name: string, mode: number): void;
  /** sets name's times (not through a symlink) to ms since the epoch */
  setTime(dirFd: number, name: string, ms: number): void;
  close(fd: number): void;
}

/** the native calls' result: -errno, or what the call returns */
function check(r: number, what: string, at?: string): number {
  if (r >= 0) return r;
  const code = ERRNO_NAMES.get(-r) ?? `errno ${-r}`;
  throw new SafeFsError(`${what}: ${code}`, code, at);
}

let bound: SafeFs | undefined;

/** Binds on first use: `explain` builds an engine but restores nothing. */
export function safeFs(): SafeFs {
  if (bound) return bound;
  const { lib, path } = nativeLibrary();
  try {
    bound = bind(lib);
  } catch (e) {
    // a library built before restore.c: its functions are missing
    throw new NativeError(`${path} lacks the restore's functions (${(e as Error).message}); run \`npm run build\``);
  }
  return bound;
}

function bind(lib: IKoffiLib): SafeFs {
  const dirOpen = lib.func('int pct_dir_open(const char *path)');
  const dirWalk = lib.func('int pct_dir_walk(int dirfd, const char *rel, int create, _Out_ int *failed_end)');
  const kindAt = lib.func('int pct_kind_at(int dirfd, const char *name)');
  const remove = lib.func('int pct_remove(int dirfd, const char *name)');
  const putFile = lib.func('int pct_put_file(int dirfd, const char *name, const char *tmp, const uint8_t *data, size_t len, int mode)');
  const chmodIfSame = lib.func('int pct_chmod_if_same(int dirfd, const char *name, const uint8_t *data, size_t len, int mode, int lone_only)');
  const putSymlink = lib.func('int pct_put_symlink(int dirfd, const char *name, const char *tmp, const char *target)');
  const putLink = lib.func('int pct_put_link(int from_dir, const char *from_name, int dirfd, const char *name, const char *tmp)');
  const putDir = lib.func('int pct_put_dir(int dirfd, const char *name, int mode)');
  const setTime = lib.func('int pct_set_time(int dirfd, const char *name, double ms)');
  const close = lib.func('int pct_close(int fd)');
  return {
    openDir: (path) => check(dirOpen(path) as number, `opening ${path}`),
    walk(dirFd, rel, create) {
      const end = [0];
      const r = dirWalk(dirFd, rel, create ? 1 : 0, end) as number;
      // end counts UTF-8 bytes
      return check(r, `reaching ${rel}`, r < 0 ? Buffer.from(rel).subarray(0, end[0]).toString() : undefined);
    },
    kindAt: (dirFd, name) => KINDS[check(kindAt(dirFd, name) as number, `looking at ${name}`)] ?? 'other',
    remove: (dirFd, name) => check(remove(dirFd, name) as number, `removing ${name}`) === 1,
    putFile: (dirFd, name, tmp, data, mode) => check(putFile(dirFd, name, tmp, data, data.length, mode) as number, `writing ${name}`) === 1,
    chmodIfSame: (dirFd, name, data, mode, loneOnly) => check(chmodIfSame(dirFd, name, data, data.length, mode, loneOnly ? 1 : 0) as number, `setting the mode of ${name}`) === 1,
    putSymlink: (dirFd, name, tmp, target) => check(putSymlink(dirFd, name, tmp, target) as number, `making the symlink ${name}`) === 1,
    putLink: (fromDir, fromName, dirFd, name, tmp) => check(putLink(fromDir, fromName, dirFd, name, tmp) as number, `linking ${name} to ${fromName}`) === 1,
    putDir(dirFd, name, mode) {
      check(putDir(dirFd, name, mode) as number, `making the directory ${name}`);
    },
    setTime(dirFd, name, ms) {
      check(setTime(dirFd, name, ms) as number, `setting the times of ${name}`);
    },
    close(fd) {
      close(fd);
    },
  };
}
