// Content hashes of files, each file hashed once while it stays unchanged: a stat cache (path ->
// device, inode, size, mtime, ctime and the hash), kept across runs, lets a lookup cost one stat
// and a rerun on the same machine rehash nothing unchanged. Keyed by path, a file's new version
// replaces its old one: keyed by what stat says alone, every edit added an entry that stayed.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, statfsSync, statSync, type BigIntStats } from 'node:fs';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A file changed within this long before it was hashed may change again within the same
 * timestamp tick, leaving its stat identity as it was: such a hash is not kept. Timestamps with a
 * sub-second part come from a clock that ticks at least every 10 ms (the kernel's coarse clock at
 * HZ=100); whole seconds mean a file system that keeps seconds (or two, on FAT).
 */
const RACY_FINE_NS = 20_000_000n;
const RACY_COARSE_NS = 2_000_000_000n;

function racyWindow(st: BigIntStats): bigint {
  return st.mtimeNs % 1_000_000_000n === 0n && st.ctimeNs % 1_000_000_000n === 0n ? RACY_COARSE_NS : RACY_FINE_NS;
}

/**
 * Files up to this size are hashed at once (a few ms); larger ones a chunk at a time, so the event
 * loop answers exec queries meanwhile. Hashing on libuv's threads (webcrypto) was measured: its
 * per-file cost on the main thread was higher than hashing a small file outright.
 */
const AT_ONCE_MAX = 4n << 20n;

/** One buffer for every synchronous read: a fresh 1 MiB buffer per file is a fresh mapping whose
 * pages fault in on every read (75 ms against 15 ms to hash 48 files of 300 KB here). Safe to
 * share: no await or callback runs while it is in use. */
let scratch: Buffer | undefined;

/** The shared 1 MiB buffer for a synchronous read whose bytes are used before the next await. */
export function scratchBuffer(): Buffer {
  return (scratch ??= Buffer.allocUnsafe(1 << 20));
}

/** The sha256 of the rest of an open file from its offset (or of its next `limit` bytes at `from`);
 * null when `limit` bytes were asked for and the file ended first. */
export function digestFd(fd: number, limit?: { from: number; bytes: number }): string | null {
  if (!limit) return digestRest(fd).digest;
  const buf = scratchBuffer();
  const h = createHash('sha256');
  let left = limit.bytes;
  for (let got; left > 0 && (got = readSync(fd, buf, 0, Math.min(buf.length, left), limit.from + limit.bytes - left)) > 0;) {
    h.update(buf.subarray(0, got));
    left -= got;
  }
  return left === 0 ? h.digest('hex') : null;
}

/** The sha256 of the rest of an open file from its offset, and how many bytes that was. */
function digestRest(fd: number): { digest: string; bytes: number } {
  const buf = scratchBuffer();
  const h = createHash('sha256');
  let bytes = 0;
  for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; bytes += n) h.update(buf.subarray(0, n));
  return { digest: h.digest('hex'), bytes };
}

/** Bounded memory; the event loop gets a turn between chunks. */
async function digestChunked(file: FileHandle): Promise<string> {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  for (let n; (n = (await file.read(buf, 0, buf.length, null)).bytesRead) > 0;) h.update(buf.subarray(0, n));
  return h.digest('hex');
}

/**
 * File systems whose files' stat says nothing of their content, which the kernel makes up at each
 * read (procfs: size 0 and fixed times; sysfs: 4096): proc, sysfs, cgroup and cgroup2, debugfs,
 * tracefs, securityfs, configfs, efivarfs, bpf. A digest kept by stat identity there was the
 * first run's forever (hunt 29 replayed `grep Shmem /proc/meminfo`).
 */
const MADE_UP_FS: ReadonlySet<number> = new Set([0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x64626720, 0x74726163, 0x73636673, 0x62656570, 0xde5e81e4, 0xcafe4a11]);

/** The most stat cache entries (paths) kept on disk: those used by the last run come first. */
const KEEP = 200_000;

/** One path in the stat cache: what stat said of the file when it was hashed, and its digest. */
export type StatCacheEntry = [path: string, identity: string, digest: string];

/** A stat cache file's rows ([path, identity, digest]); none when it is missing or unreadable.
 * Anything else (the earlier [identity, digest] form) is dropped. */
export function readStatCache(file: string): StatCacheEntry[] {
  try {
    const rows = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (Array.isArray(rows)) return rows.filter((e): e is StatCacheEntry => Array.isArray(e) && e.length === 3 && e.every((x) => typeof x === 'string'));
  } catch { /* none yet, or unreadable */ }
  return [];
}

export class FileHasher {
  private readonly known = new Map<string, { identity: string; digest: string }>();
  /** per device: whether its files' stat tells when their content changed (not MADE_UP_FS) */
  private readonly statTells = new Map<bigint, boolean>();
  /** paths looked up or added by this run, in the order they were */
  private readonly used = new Set<string>();
  dirty = false;
  /** a file's extended attributes as an input value: the native library reads them (the CLI
   * sets trace/xattrs.ts's reader); without one, a value no recording holds, so a miss */
  xattrs: (path: string, nofollow: boolean) => string = () => 'xattrs:unknown';

  constructor(entries: StatCacheEntry[] = []) {
    for (const [path, identity, digest] of entries) this.known.set(path, { identity, digest });
  }

  /** What stat says of a file that a change to it would alter. */
  static identity(st: BigIntStats): string {
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  }

  /** The file's sha256, or null when it is not a readable regular file. */
  hash(path: string): string | null {
    const looked = this.lookUp(path);
    if (looked === 'not-a-file') return null;
    return typeof looked === 'string' ? looked : this.hashContent(path);
  }

  /** One stat: the known digest, the stat when the content must be read, or not a regular file. */
  private lookUp(path: string): string | BigIntStats | 'not-a-file' {
    let st: BigIntStats | undefined;
    try {
      st = statSync(path, { bigint: true, throwIfNoEntry: false });
    } catch {
      return 'not-a-file';
    }
    if (!st?.isFile()) return 'not-a-file';
    return this.cached(path, st) ?? st;
  }

  private hashContent(path: string): string | null {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return null;
    }
    try {
      const before = fstatSync(fd, { bigint: true });
      if (!before.isFile()) return null;
      const digest = digestFd(fd)!;
      this.remember(path, before, digest);
      return digest;
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The sha256 of the file at path, read through the shared buffer (no fresh pages to fault in),
   * if it is still the file `seen` stat'ed (same device and inode), and the bytes it hashed.
   */
  digestOf(path: string, seen: BigIntStats): { digest: string; size: number } | null {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      return null;
    }
    try {
      const opened = fstatSync(fd, { bigint: true });
      if (!opened.isFile() || opened.dev !== seen.dev || opened.ino !== seen.ino) return null;
      const { digest, bytes } = digestRest(fd);
      // grown or cut while read: what stat said is not what was hashed, and nothing is remembered
      if (bytes === Number(opened.size)) this.remember(path, opened, digest);
      return { digest, size: bytes };
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }

  /** The digest known for the file at path, as lstat or stat saw it, if any: no read needed. */
  cached(path: string, st: BigIntStats): string | undefined {
    const known = this.known.get(path);
    if (!known || known.identity !== FileHasher.identity(st) || !this.statTellsChanges(path, st)) return undefined;
    this.used.add(path);
    return known.digest;
  }

  /**
   * hash(), giving the event loop turns while a large file is hashed: recording a build's first
   * run hashes its compilers and libraries (a libLLVM is over 100 MB), and the tracer's exec
   * queries must be answered meanwhile.
   */
  hashSoon(path: string): string | null | Promise<string | null> {
    const looked = this.lookUp(path);
    if (looked === 'not-a-file') return null;
    if (typeof looked === 'string') return looked;
    // a promise only when there is a wait: a thousand known inputs make a thousand microtasks otherwise
    return looked.size <= AT_ONCE_MAX ? this.hashContent(path) : this.hashInChunks(path);
  }

  private async hashInChunks(path: string): Promise<string | null> {
    const { open } = await import('node:fs/promises'); // loaded only when a large file needs it
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch {
      return null;
    }
    try {
      const opened = await file.stat({ bigint: true });
      if (!opened.isFile()) return null;
      const digest = await digestChunked(file);
      this.remember(path, opened, digest);
      return digest;
    } catch {
      return null;
    } finally {
      await file.close();
    }
  }

  /** The sha256 of a file's first n bytes (what it held before an append), or null when it is shorter. */
  hashPrefix(path: string, n: number): string | null {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return null;
    }
    try {
      return digestFd(fd, { from: 0, bytes: n });
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }

  /** A file's bytes and their sha256, remembered for the file as it was when opened. */
  read(path: string): { data: Buffer; digest: string } {
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd, { bigint: true });
      const data = readFileSync(fd);
      const digest = sha256(data);
      this.remember(path, st, digest);
      return { data, digest };
    } finally {
      closeSync(fd);
    }
  }

  /** Keeps digest for the file as stat saw it, unless it changed too recently to tell a later change. */
  /** Does the stat of a file on this one's device change with its content? Not on proc and the
   * like; unknown counts as not. */
  private statTellsChanges(path: string, st: BigIntStats): boolean {
    let tells = this.statTells.get(st.dev);
    if (tells === undefined) {
      try {
        tells = !MADE_UP_FS.has(Number(statfsSync(path).type) >>> 0);
      } catch {
        tells = false;
      }
      this.statTells.set(st.dev, tells);
    }
    return tells;
  }

  private remember(path: string, st: BigIntStats, digest: string): void {
    const now = BigInt(Date.now()) * 1_000_000n;
    const window = racyWindow(st);
    if (now - st.mtimeNs <= window || now - st.ctimeNs <= window || !this.statTellsChanges(path, st)) return;
    this.known.set(path, { identity: FileHasher.identity(st), digest });
    this.used.add(path);
    this.dirty = true;
  }

  /** What to keep on disk: this run's paths first, then the older ones, up to a bound. */
  entries(): StatCacheEntry[] {
    const out: StatCacheEntry[] = [];
    const add = (path: string): void => {
      const { identity, digest } = this.known.get(path)!;
      out.push([path, identity, digest]);
    };
    for (const path of this.used) add(path);
    for (const path of this.known.keys()) {
      if (out.length >= KEEP) break;
      if (!this.used.has(path)) add(path);
    }
    return out;
  }
}
