// A stat'ed file's mtime enters an entry as its order among the files the execution stat'ed (a
// fresh checkout has new mtimes and the same order: make and `test -nt` decide the same), or,
// for a program that copies mtimes into its output (ls -l, tar), as itself. The stored value of a
// stat input is its base (type, mode, size) and this part: "@r<rank>" ("@r<rank>f" when dated
// after now) or "@t<ns>"; "@r<rank>n" for
// a directory whose mtime the run made itself, ranked as the run's start, and at a lookup as now;
// OWN_ABSOLUTE for such a directory stat'ed by a program that keys mtimes themselves.

/**
 * Dense ranks: equal mtimes share one, so a tie is told from an order. A file dated after the
 * instant it was looked at (nowOf) is marked "f": make warns of a file in the future, which the
 * files' order alone does not tell (hunts 32 and 34). At a lookup that instant is the lookup's.
 */
export function rankMtimes(mtimes: Map<string, bigint>, nowOf?: (key: string) => bigint): Map<string, string> {
  const distinct = [...new Set(mtimes.values())].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rankOf = new Map(distinct.map((m, i) => [m, i]));
  const out = new Map<string, string>();
  for (const [key, m] of mtimes) out.set(key, `@r${rankOf.get(m)}${nowOf !== undefined && m > nowOf(key) ? 'f' : ''}`);
  return out;
}

/** A directory's mtime that the subtree made by changing its names, stat'ed afterwards by a program
 * that keeps or prints mtimes: the run's own instant, as the clock's, and no input. */
export const OWN_ABSOLUTE = '@t0n';

export interface StoredStat {
  nofollow: boolean;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  size?: number;
  /** the link count, when it is part of it */
  links?: number;
  mtime?: 'order' | 'absolute';
  /** ordered as the run's own change ("@r<rank>n"): as now, at a lookup */
  own?: boolean;
}

const STORED = /^(l?stat):([a-z]+):([0-7]{1,5}):(\d+):(\d+)(?::s(\d+))?(:n\d+)?(?:@([rt])\d+([nf])?)?$/;

/** A stored stat input's value back to what to look at; null when malformed (a manifest is untrusted). */
export function parseStoredStat(value: string): StoredStat | null {
  const m = STORED.exec(value);
  if (!m) return null;
  const out: StoredStat = { nofollow: m[1] === 'lstat', type: m[2]!, mode: parseInt(m[3]!, 8), uid: Number(m[4]), gid: Number(m[5]) };
  if (m[6] !== undefined) out.size = Number(m[6]);
  if (m[7] !== undefined) out.links = Number(m[7].slice(2));
  if (m[8]) out.mtime = m[8] === 'r' ? 'order' : 'absolute';
  if (m[9] === 'f' && m[8] !== 'r') return null;
  if (m[9] === 'n') {
    if (m[8] !== 'r' && !value.endsWith(OWN_ABSOLUTE)) return null;
    out.own = true;
  }
  return out;
}
