// A file's extended attributes as an input value: what getfacl prints, what `ls -l` shows as "+",
// what cp -a copies. Node's fs cannot read them; the native library does (native/xattrs.c).
import { nativeLibrary } from './native.js';
import { sha256 } from '../fingerprint/hash.js';

type XattrsFn = (path: string, nofollow: number, buf: Buffer, cap: number) => number;
let read: XattrsFn | null = null;

const ENOENT = 2, ENOTDIR = 20, ERANGE = 34;

/** "xattrs:<sha256 of the names and values>", "absent", or "xattrs:unreadable:<errno>". */
export function xattrsValue(path: string, nofollow: boolean): string {
  read ??= nativeLibrary().lib.func('long pct_xattrs(const char *path, int nofollow, uint8_t *buf, long cap)') as XattrsFn;
  // ACLs and capabilities are small; the kernel bounds each value at 64 KiB
  for (let cap = 4096; cap <= 64 << 20; cap *= 16) {
    const buf = Buffer.alloc(cap);
    const n = read(path, nofollow ? 1 : 0, buf, cap);
    if (n >= 0) return `xattrs:${sha256(buf.subarray(0, n))}`;
    if (n === -ENOENT || n === -ENOTDIR) return 'absent';
    if (n !== -ERANGE) return `xattrs:unreadable:${-n}`;
  }
  return 'xattrs:unreadable:too-large';
}
