// An index segment: what one job knew of the remote store when it finished, as one JSON object.
// The Actions cache has no listing and no mutable keys, so a job reads a few segments at start and
// writes one at the end; every segment comes from the network and is parsed as hostile input.
import { blobsOf, entryFrom, isInput } from '../local.js';
import type { Input } from '../../observe/index.js';
import type { Entry } from '../types.js';

export const SEGMENT_FORMAT = 'processcache-index';
export const SEGMENT_VERSION = 2;

/** One entry as a segment keeps it: when it was last used (a hit or its recording), in ms since the epoch. */
export interface IndexedEntry {
  usedAt: number;
  entry: Entry;
}

/**
 * A segment in memory. On the wire (serializeSegment) its entries' inputs are indices into one
 * table of distinct inputs: an ancestor's entry holds every input of its subtree, and the compiles
 * of one project share their system headers, so lua's 81 entries name 22k inputs of which 1.5k
 * differ (2.3 MB as entries, 0.4 MB as a table).
 */
export interface Segment {
  format: typeof SEGMENT_FORMAT;
  version: typeof SEGMENT_VERSION;
  createdAt: number;
  /** pack id -> its size in bytes (what a download of it costs) */
  packs: Record<string, number>;
  /** blob hash -> the pack that holds it */
  blobs: Record<string, string>;
  entries: IndexedEntry[];
  /**
   * [path, stat identity, sha256] of files outside the workspace that the job hashed (compilers,
   * headers, libraries): a fresh runner from the same image has them with the same identity
   * (device, inode, size, mtime and ctime in ns), and need not hash them again at every lookup.
   * Trusted as far as the entries are (the same writers), checked in form.
   */
  stats?: [string, string, string][];
}

/** The bounds a segment is kept within, and refused beyond when read. */
export interface SegmentLimits {
  /** entries unused for longer are dropped: the Actions cache evicts what is unused for 7 days */
  maxAgeMs: number;
  maxEntries: number;
  /** candidates kept per weak fingerprint: older recordings of a command are rarely hit again */
  maxPerWeak: number;
  maxBytes: number;
  maxStats: number;
}

export const DEFAULT_LIMITS: SegmentLimits = {
  maxAgeMs: 7 * 24 * 3600 * 1000,
  maxEntries: 50_000,
  maxPerWeak: 8,
  maxBytes: 64 * 1024 * 1024,
  maxStats: 100_000,
};

const PACK_ID = /^[0-9a-f]{32}$/;
const IDENTITY = /^\d+:\d+:\d+:\d+:\d+$/;

function isStat(v: unknown): v is [string, string, string] {
  return Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && v[0].startsWith('/') && !v[0].includes('\0') &&
    typeof v[1] === 'string' && IDENTITY.test(v[1]) && typeof v[2] === 'string' && HEX64.test(v[2]);
}
const HEX64 = /^[0-9a-f]{64}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Entry inputs given as table indices, resolved; null when one is not an index of the table. */
function resolveInputs(refs: unknown, table: Input[]): Input[] | null {
  if (!Array.isArray(refs)) return null;
  const inputs: Input[] = [];
  for (const r of refs) {
    if (!Number.isInteger(r) || (r as number) < 0 || (r as number) >= table.length) return null;
    inputs.push(table[r as number]!);
  }
  return inputs;
}

/**
 * A segment read from the remote, or why it was refused. Entries are checked one by one (an entry
 * parseEntry refuses, or one whose blobs no listed pack holds, is dropped alone); anything wrong
 * with the frame refuses the whole segment.
 */
export function parseSegment(text: string, limits: SegmentLimits = DEFAULT_LIMITS): { segment: Segment; dropped: number } | string {
  if (text.length > limits.maxBytes) return `it is ${text.length} bytes, over the ${limits.maxBytes} bound`;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return `it is not JSON (${(e as Error).message})`;
  }
  if (!isRecord(raw) || raw.format !== SEGMENT_FORMAT) return 'it is not a processcache index';
  if (raw.version !== SEGMENT_VERSION) return `it is a processcache index of version ${String(raw.version).slice(0, 20)}, not ${SEGMENT_VERSION}`;
  if (typeof raw.createdAt !== 'number' || !isRecord(raw.packs) || !isRecord(raw.blobs) || !Array.isArray(raw.entries) || !Array.isArray(raw.inputs)) {
    return 'its createdAt, packs, blobs, inputs or entries are missing or malformed';
  }
  if (raw.entries.length > limits.maxEntries) return `it lists ${raw.entries.length} entries, over the ${limits.maxEntries} bound`;
  const rows = raw.inputs as unknown[];
  if (!rows.every(isInput)) return 'its input table holds a malformed input';
  const table = rows as Input[];
  const packs: Record<string, number> = {};
  for (const [id, bytes] of Object.entries(raw.packs)) {
    if (!PACK_ID.test(id) || !Number.isSafeInteger(bytes) || (bytes as number) < 0) return `pack ${id.slice(0, 40)} is malformed`;
    packs[id] = bytes as number;
  }
  const blobs: Record<string, string> = {};
  for (const [hash, pack] of Object.entries(raw.blobs)) {
    if (!HEX64.test(hash) || typeof pack !== 'string' || !(pack in packs)) return `blob ${hash.slice(0, 64)} names no listed pack`;
    blobs[hash] = pack;
  }
  const entries: IndexedEntry[] = [];
  let dropped = 0;
  for (const item of raw.entries) {
    const wire = isRecord(item) && typeof item.usedAt === 'number' && Number.isFinite(item.usedAt) && isRecord(item.entry) ? item.entry : null;
    const inputs = wire ? resolveInputs(wire.inputs, table) : null;
    const entry = wire && inputs ? entryFrom({ ...wire, inputs }) : null;
    if (entry && blobsOf(entry).every((b) => b in blobs)) entries.push({ usedAt: (item as { usedAt: number }).usedAt, entry });
    else dropped++;
  }
  let stats: [string, string, string][] | undefined;
  if (raw.stats !== undefined) {
    if (!Array.isArray(raw.stats) || raw.stats.length > limits.maxStats) return 'its stats are malformed or over their bound';
    stats = raw.stats.filter(isStat);
  }
  return { segment: { format: SEGMENT_FORMAT, version: SEGMENT_VERSION, createdAt: raw.createdAt, packs, blobs, entries, ...(stats ? { stats } : {}) }, dropped };
}

/** What makes two inputs the same one (JSON.stringify of each of 22k inputs took 60 ms). */
const inputKey = (i: Input): string =>
  `${i.path}\0${i.kind}\0${i.value}\0${i.type ?? ''}\0${i.nofollow === true ? 1 : 0}\0${i.types ?? ''}\0${i.names?.join('\0') ?? ''}`;

/** The segment as it travels: each distinct input once, in a table its entries index. */
export function serializeSegment(segment: Segment): string {
  // a parsed segment's entries share their input objects: those are told apart without a key
  const byObject = new Map<Input, number>();
  const byKey = new Map<string, number>();
  const table: Input[] = [];
  const refOf = (input: Input): number => {
    let i = byObject.get(input);
    if (i !== undefined) return i;
    const key = inputKey(input);
    i = byKey.get(key);
    if (i === undefined) {
      i = table.length;
      byKey.set(key, i);
      table.push(input);
    }
    byObject.set(input, i);
    return i;
  };
  const entries = segment.entries.map((ie) => ({ usedAt: ie.usedAt, entry: { ...ie.entry, inputs: ie.entry.inputs.map(refOf) } }));
  const { stats, ...frame } = segment;
  return JSON.stringify({ ...frame, inputs: table, entries, ...(stats ? { stats } : {}) });
}

const entryKey = (e: Entry): string => `${e.weak}.${e.strong}`;

/** A segment that knows nothing: what a job with no remote index starts from. */
export function emptySegment(): Segment {
  return { format: SEGMENT_FORMAT, version: SEGMENT_VERSION, createdAt: Date.now(), packs: {}, blobs: {}, entries: [] };
}

/** Several segments as one: each entry once, at its latest use. */
export function mergeSegments(segments: Segment[]): Segment {
  const merged = emptySegment();
  const byKey = new Map<string, IndexedEntry>();
  for (const s of segments) {
    Object.assign(merged.packs, s.packs);
    Object.assign(merged.blobs, s.blobs);
    for (const ie of s.entries) {
      const had = byKey.get(entryKey(ie.entry));
      if (!had || had.usedAt < ie.usedAt) byKey.set(entryKey(ie.entry), ie);
    }
  }
  merged.entries = [...byKey.values()];
  const stats = new Map<string, [string, string, string]>();
  for (const s of segments) for (const st of s.stats ?? []) stats.set(st[0], st);
  if (stats.size) merged.stats = [...stats.values()];
  return merged;
}

/**
 * The segment within its bounds: entries unused for maxAgeMs dropped, at most maxPerWeak per
 * command and maxEntries in all (the least recently used go first), then under maxBytes; packs and
 * blobs no kept entry needs are dropped with them, so the index never grows with history.
 */
export function compact(segment: Segment, now: number, limits: SegmentLimits = DEFAULT_LIMITS): { segment: Segment; text: string; dropped: number } {
  const recent = segment.entries.filter((ie) => now - ie.usedAt <= limits.maxAgeMs).sort((a, b) => b.usedAt - a.usedAt);
  const perWeak = new Map<string, number>();
  let kept = recent.filter((ie) => {
    const n = (perWeak.get(ie.entry.weak) ?? 0) + 1;
    perWeak.set(ie.entry.weak, n);
    return n <= limits.maxPerWeak;
  }).slice(0, limits.maxEntries);
  for (;;) {
    const out = withOnly(segment, kept, now);
    const text = serializeSegment(out);
    if (text.length <= limits.maxBytes || kept.length === 0) return { segment: out, text, dropped: segment.entries.length - kept.length };
    // over the byte bound: keep the most recently used share that fits, estimated from the mean size
    kept = kept.slice(0, Math.floor(kept.length * (limits.maxBytes / text.length) * 0.95));
  }
}

function withOnly(segment: Segment, entries: IndexedEntry[], now: number): Segment {
  const blobs: Record<string, string> = {};
  const packs: Record<string, number> = {};
  for (const ie of entries) {
    for (const b of blobsOf(ie.entry)) {
      const pack = segment.blobs[b];
      if (pack === undefined) continue;
      blobs[b] = pack;
      packs[pack] = segment.packs[pack] ?? 0;
    }
  }
  const stats = segment.stats?.slice(0, DEFAULT_LIMITS.maxStats);
  return { format: SEGMENT_FORMAT, version: SEGMENT_VERSION, createdAt: now, packs, blobs, entries, ...(stats?.length ? { stats } : {}) };
}
