// Content hashes of files, each file hashed once while it stays unchanged: a persistent stat
// cache (device, inode, size, mtime, ctime -> hash) lets a rerun on the same machine rehash nothing.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A file changed within this many ns of being looked at may change again within the same mtime tick. */
const RACY_NS = 2_000_000_000n;

export class FileHasher {
  private readonly cache: Map<string, string>;
  dirty = false;

  constructor(entries: [string, string][] = []) {
    this.cache = new Map(entries);
  }

  private static key(st: BigIntStats): string {
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  }

  /** The file's sha256, or null when it is not a readable regular file. */
  hash(path: string): string | null {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return null;
    }
    try {
      const st = fstatSync(fd, { bigint: true });
      if (!st.isFile()) return null;
      const key = FileHasher.key(st);
      const known = this.cache.get(key);
      if (known) return known;
      const h = createHash('sha256');
      const buf = Buffer.allocUnsafe(1 << 20);
      for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n));
      const digest = h.digest('hex');
      const now = BigInt(Date.now()) * 1_000_000n;
      if (now - st.mtimeNs > RACY_NS && now - st.ctimeNs > RACY_NS) {
        this.cache.set(key, digest);
        this.dirty = true;
      }
      return digest;
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }

  entries(): [string, string][] {
    return [...this.cache];
  }
}
