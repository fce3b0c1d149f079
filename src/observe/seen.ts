// What the tracer's stat said at the instant of an access (native/paths.h stat_text), parsed only
// for the accesses that become inputs: a build makes tens of thousands of probes.

export interface Seen {
  /** st_mode: type and permission bits */
  mode: number;
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  dev: bigint;
  nlink: number;
  uid: number;
  gid: number;
}

const S_IFMT = 0o170000;
const TYPES: Record<number, string> = {
  0o010000: 'fifo', 0o020000: 'char', 0o040000: 'dir', 0o060000: 'block', 0o100000: 'file', 0o120000: 'symlink', 0o140000: 'socket',
};

export function typeOfMode(mode: number): string {
  return TYPES[mode & S_IFMT] ?? 'other';
}

export function parseSeen(text: string): Seen | null {
  const f = text.split(':');
  if (f.length !== 11 || f.some((x) => !/^[0-9a-f]{1,16}$/.test(x))) return null;
  const big = f.map((x) => BigInt(`0x${x}`));
  const ns = (s: bigint, n: bigint): bigint => s * 1_000_000_000n + n;
  return {
    mode: Number(big[0]), size: Number(big[1]), mtimeNs: ns(big[2]!, big[3]!), ctimeNs: ns(big[4]!, big[5]!), ino: big[6]!, dev: big[7]!,
    nlink: Number(big[8]), uid: Number(big[9]), gid: Number(big[10]),
  };
}

/** What tells one version of a file from another without reading it: inode, size, mtime, ctime. */
export function identityOf(s: Pick<Seen, 'ino' | 'size' | 'mtimeNs' | 'ctimeNs'>): string {
  return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/** Which open file a stat names, as the tracer mixes device and inode for fds (native/paths.c). */
export function openFileOf(s: Pick<Seen, 'ino' | 'dev'>): string {
  return (((s.dev << 40n) ^ s.ino ^ 1n) & 0xffffffffffffffffn).toString(16);
}
