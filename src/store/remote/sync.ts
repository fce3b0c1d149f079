// The remote store as a sync of the local one (sccache's two levels): a job pulls the index and
// every pack it names into a fresh local store before the command runs, so that no decision at an
// exec waits on the network, and pushes what it recorded as a few packs and one index segment at
// the end. Entries are immutable and keys found only by prefix (the Actions cache), so the index is
// a handful of slots; each job reads the newest segment of every slot and writes the union of what
// it read and recorded to one slot picked at random, so concurrent jobs rarely shadow each other
// and a shadowed segment loses only that job's new entries, never an older one's.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStatCache } from '../../fingerprint/index.js';
import { atomicWrite } from '../atomic.js';
import { blobsOf, listLocal, type LocalStore } from '../local.js';
import { compact, DEFAULT_LIMITS, emptySegment, mergeSegments, parseSegment, SEGMENT_VERSION, type IndexedEntry, type Segment, type SegmentLimits } from './segment.js';
import { eachLimited, within, type CacheTransport } from './transport.js';

export interface SyncConfig {
  /** every key starts with it: the user's key-prefix, the format version, the platform */
  keyPrefix: string;
  slots: number;
  limits: SegmentLimits;
  /** the new blobs one push uploads at most; entries needing more are left for a later job */
  maxUploadBytes: number;
  /** a pack's size when the upload is large: a push makes at most maxPacks of them */
  maxPacks: number;
  /** the blobs a segment carries itself: those of the entries its job used, so that the next run
   * of that job needs one round of downloads, not two (index, then packs) */
  inlineBytes: number;
  /** the time a phase may lose to a slow or failing service before it goes on without it */
  budgetMs: number;
  /** transfer rate assumed when a phase's budget grows with its bytes */
  bytesPerSecond: number;
  /** whether a hashed file's stat cache entry is shared (outside the workspace: it moves with no checkout) */
  shareStat(path: string): boolean;
  /** the slot a push writes: random, so that concurrent jobs rarely shadow each other */
  pickSlot(): number;
  warn(message: string): void;
  progress(message: string): void;
  /** a line per transfer (the Action's verbose input) */
  detail(message: string): void;
}

export function defaultSyncConfig(keyPrefix: string, warn: (m: string) => void, progress: (m: string) => void): SyncConfig {
  return {
    keyPrefix, slots: 4, limits: DEFAULT_LIMITS, maxUploadBytes: 2048 * 1024 * 1024, maxPacks: 6, inlineBytes: 32 * 1024 * 1024,
    budgetMs: 10_000, bytesPerSecond: 20 * 1024 * 1024, warn, progress, detail: () => {},
    pickSlot: () => randomBytes(1)[0]! % 4,
    shareStat: () => false,
  };
}

export interface PullResult {
  /** what the remote knew: the base of the push */
  known: Segment;
  segments: number;
  entries: number;
  packs: number;
  bytes: number;
  ms: number;
}

export interface PushResult {
  entries: number;
  packs: number;
  bytes: number;
  uploads: number;
  ms: number;
  /** entries left out: over the upload bound, or their pack failed */
  skipped: number;
}

// the segment's version in the key: a job never fetches a segment it could not read
const slotPrefix = (cfg: SyncConfig, slot: number): string => `${cfg.keyPrefix}-s${SEGMENT_VERSION}-index${slot}-`;
const packKey = (cfg: SyncConfig, id: string): string => `${cfg.keyPrefix}-pack-${id}`;
const SEGMENT_FILE = 'segment.json';
/** beside the segment: copies of the blobs its job used */
const INLINE_DIR = 'blobs';

async function readSlot(t: CacheTransport, cfg: SyncConfig, slot: number, deadline: number): Promise<Segment | null> {
  const name = `index${slot}`;
  rmSync(join(t.dir, name), { recursive: true, force: true });
  const found = await within(Math.max(0, deadline - Date.now()), t.restore(name, slotPrefix(cfg, slot), slotPrefix(cfg, slot)));
  if (found === 'timeout') {
    cfg.warn(`the cache index (slot ${slot}) did not arrive within ${cfg.budgetMs / 1000} s: going on without it`);
    return null;
  }
  cfg.detail(found === null ? `index slot ${slot}: none` : `index slot ${slot}: ${found}`);
  if (found === null) return null;
  let text: string;
  try {
    text = readFileSync(join(t.dir, name, SEGMENT_FILE), 'utf8');
  } catch {
    cfg.warn(`the cache index ${found} holds no ${SEGMENT_FILE}: ignored`);
    return null;
  }
  const parsed = parseSegment(text, cfg.limits);
  if (typeof parsed === 'string') {
    cfg.warn(`the cache index ${found} is refused: ${parsed}`);
    return null;
  }
  if (parsed.dropped) cfg.warn(`the cache index ${found}: ${parsed.dropped} malformed entries dropped`);
  return parsed.segment;
}

/** Moves the verified blobs of an unpacked pack into the store; the number of bytes adopted. */
function adoptPack(local: LocalStore, dir: string, expected: Set<string>): { bytes: number; bad: number } {
  let bytes = 0;
  let bad = 0;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (!expected.has(name)) continue; // not a blob the index places here: not trusted, not used
    try {
      const size = statSync(file).size;
      if (local.adoptBlob(name, file)) bytes += size;
      else bad++;
    } catch {
      bad++;
    }
  }
  return { bytes, bad };
}

/**
 * Fills the local store from the remote: the index slots, then every pack the merged index names.
 * An entry is written locally only when all of its blobs arrived and checked out; any fault is a
 * warning and the entries it touches are misses.
 */
export async function pull(local: LocalStore, t: CacheTransport, cfg: SyncConfig): Promise<PullResult> {
  const started = Date.now();
  const indexDeadline = started + cfg.budgetMs;
  const slots = await Promise.all(Array.from({ length: cfg.slots }, (_, s) => readSlot(t, cfg, s, indexDeadline).catch((e: unknown) => {
    cfg.warn(`the cache index (slot ${s}) could not be read: ${(e as Error).message}`);
    return null;
  })));
  const segments = slots.filter((s): s is Segment => s !== null);
  if (segments.length) local.markRemoteFilled();
  const known = segments.length ? mergeSegments(segments) : emptySegment();
  const arrived = new Set<string>();
  let bytes = 0;
  const listed = new Set(Object.keys(known.blobs));
  for (let s = 0; s < cfg.slots; s++) {
    const dir = join(t.dir, `index${s}`, INLINE_DIR);
    if (slots[s] === null || !existsSync(dir)) continue;
    const got = adoptPack(local, dir, listed);
    if (got.bad) cfg.warn(`the cache index (slot ${s}): ${got.bad} blobs do not match their hashes and were dropped`);
    bytes += got.bytes;
  }
  for (const b of listed) if (local.blobFile(b) !== null) arrived.add(b);
  const byPack = new Map<string, Set<string>>();
  for (const [blob, pack] of Object.entries(known.blobs)) {
    if (arrived.has(blob)) continue;
    if (!byPack.has(pack)) byPack.set(pack, new Set());
    byPack.get(pack)!.add(blob);
  }
  const packIds = [...byPack.keys()];
  const total = packIds.reduce((n, id) => n + (known.packs[id] ?? 0), 0);
  if (total > 5 * 1024 * 1024) cfg.progress(`fetching ${packIds.length} packs, ${(total / 1024 / 1024).toFixed(1)} MiB`);
  const deadline = Date.now() + cfg.budgetMs + (total / cfg.bytesPerSecond) * 1000;
  let fetched = 0;
  const fetching = eachLimited(packIds, 4, async (id) => {
    if (Date.now() > deadline) return;
    const name = `pack-${id}`;
    rmSync(join(t.dir, name), { recursive: true, force: true });
    const began = Date.now();
    const found = await within(Math.max(0, deadline - Date.now()), t.restore(name, packKey(cfg, id)));
    cfg.detail(`pack ${id} (${known.packs[id] ?? 0} bytes): ${found === 'timeout' ? 'out of time' : found === null ? 'not fetched' : 'fetched'} in ${Date.now() - began} ms`);
    if (found === 'timeout' || found === null) return;
    const { bytes: got, bad } = adoptPack(local, join(t.dir, name), byPack.get(id)!);
    if (bad) cfg.warn(`pack ${id}: ${bad} blobs do not match their hashes and were dropped`);
    bytes += got;
    fetched++;
    for (const b of byPack.get(id)!) if (local.blobFile(b) !== null) arrived.add(b);
    if (total > 5 * 1024 * 1024) cfg.progress(`fetched ${fetched}/${packIds.length} packs, ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
  }).catch((e: unknown) => cfg.warn(`fetching packs failed: ${(e as Error).message}`));
  if ((await within(Math.max(0, deadline - Date.now()) + 1000, fetching)) === 'timeout' || fetched < packIds.length) {
    if (packIds.length) cfg.warn(`${packIds.length - fetched} of ${packIds.length} packs could not be fetched in time: the entries that need them are misses`);
  }
  if (known.stats?.length) mergeStatCache(local.dir, known.stats);
  let entries = 0;
  for (const ie of known.entries) {
    if (!blobsOf(ie.entry).every((b) => arrived.has(b))) continue;
    await local.putEntryUsedAt(ie.entry, ie.usedAt);
    entries++;
  }
  return { known, segments: segments.length, entries, packs: fetched, bytes, ms: Date.now() - started };
}

/** The new blobs cut into at most maxPacks packs, each named by the hashes it holds. */
function cutPacks(blobs: { hash: string; bytes: number }[], cfg: SyncConfig): { id: string; blobs: { hash: string; bytes: number }[]; bytes: number }[] {
  const total = blobs.reduce((n, b) => n + b.bytes, 0);
  const target = Math.max(64 * 1024 * 1024, Math.ceil(total / cfg.maxPacks));
  const packs: { hash: string; bytes: number }[][] = [[]];
  let size = 0;
  for (const b of [...blobs].sort((x, y) => (x.hash < y.hash ? -1 : 1))) {
    if (size + b.bytes > target && packs.at(-1)!.length) {
      packs.push([]);
      size = 0;
    }
    packs.at(-1)!.push(b);
    size += b.bytes;
  }
  return packs.filter((p) => p.length).map((p) => ({
    id: createHash('sha256').update(p.map((b) => b.hash).join('\n')).digest('hex').slice(0, 32),
    blobs: p,
    bytes: p.reduce((n, b) => n + b.bytes, 0),
  }));
}

/** Hard links (or copies, across file systems) the pack's blobs into dir/pack-ID. */
function stagePack(local: LocalStore, dir: string, blobs: { hash: string }[]): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const b of blobs) {
    linkOrCopy(local.blobFile(b.hash)!, join(dir, b.hash));
  }
}

/**
 * Sends what this job added: its new blobs as packs, then one segment holding everything it knows
 * (the pulled index, this job's entries and its hits' new use times), compacted. Nothing is sent
 * when the job recorded nothing and used nothing the index does not already date within a day.
 */
export async function push(local: LocalStore, t: CacheTransport, cfg: SyncConfig, known: Segment): Promise<PushResult> {
  const started = Date.now();
  const result: PushResult = { entries: 0, packs: 0, bytes: 0, uploads: 0, ms: 0, skipped: 0 };
  const knownUse = new Map(known.entries.map((ie) => [`${ie.entry.weak}.${ie.entry.strong}`, ie.usedAt]));
  const localEntries = listLocal(local.dir).entries;
  const fresh: IndexedEntry[] = [];
  let touched = false;
  for (const s of localEntries) {
    const was = knownUse.get(`${s.entry.weak}.${s.entry.strong}`);
    if (was === undefined) fresh.push({ usedAt: s.lastUsedMs, entry: s.entry });
    else if (s.lastUsedMs - was > 24 * 3600 * 1000) touched = true;
  }
  // the new entries, most recently used first, while their new blobs fit the upload bound
  const newBlobs = new Map<string, number>();
  const sent: IndexedEntry[] = [];
  let budget = cfg.maxUploadBytes;
  for (const ie of fresh.sort((a, b) => b.usedAt - a.usedAt)) {
    const missing = blobsOf(ie.entry).filter((b) => !(b in known.blobs) && !newBlobs.has(b));
    const sizes = missing.map((b) => ({ b, file: local.blobFile(b) }));
    if (sizes.some((s) => s.file === null)) { result.skipped++; continue; }
    const bytes = sizes.reduce((n, s) => n + readSize(s.file!), 0);
    if (bytes > budget) { result.skipped++; continue; }
    budget -= bytes;
    for (const s of sizes) newBlobs.set(s.b, readSize(s.file!));
    sent.push(ie);
  }
  if (result.skipped) cfg.warn(`${result.skipped} new entries were not uploaded: their outputs exceed max-upload-mb (${Math.round(cfg.maxUploadBytes / 1024 / 1024)}) or are missing`);
  if (!sent.length && !touched) return { ...result, ms: Date.now() - started };
  const packs = cutPacks([...newBlobs].map(([hash, bytes]) => ({ hash, bytes })), cfg);
  const total = packs.reduce((n, p) => n + p.bytes, 0);
  if (total > 5 * 1024 * 1024) cfg.progress(`uploading ${packs.length} packs, ${(total / 1024 / 1024).toFixed(1)} MiB`);
  const deadline = Date.now() + cfg.budgetMs + (total / cfg.bytesPerSecond) * 1000;
  const base: Segment = { ...known, packs: { ...known.packs }, blobs: { ...known.blobs } };
  await eachLimited(packs, 2, async (p) => {
    if (Date.now() > deadline) return;
    const name = `pack-${p.id}`;
    stagePack(local, join(t.dir, name), p.blobs);
    result.uploads++;
    const began = Date.now();
    const ok = await within(Math.max(0, deadline - Date.now()), t.save(name, packKey(cfg, p.id)));
    cfg.detail(`pack ${p.id} (${p.bytes} bytes, ${p.blobs.length} blobs): ${ok === true ? 'uploaded' : ok === 'timeout' ? 'out of time' : 'not uploaded'} in ${Date.now() - began} ms`);
    rmSync(join(t.dir, name), { recursive: true, force: true });
    // a pack already there (same blobs, same id, from an earlier or concurrent job) serves as
    // well; a lookup tells the two apart from a failure
    if (ok !== true && !(ok === false && (await within(cfg.budgetMs, t.has(name, packKey(cfg, p.id)))) === true)) return;
    base.packs[p.id] = p.bytes;
    for (const b of p.blobs) base.blobs[b.hash] = p.id;
    result.packs++;
    result.bytes += p.bytes;
  });
  const placed = sent.filter((ie) => blobsOf(ie.entry).every((b) => b in base.blobs));
  result.skipped += sent.length - placed.length;
  if (sent.length - placed.length) cfg.warn(`${sent.length - placed.length} new entries were not uploaded: a pack upload failed or ran out of time`);
  const used = localEntries.filter((s) => knownUse.has(`${s.entry.weak}.${s.entry.strong}`)).map((s) => ({ usedAt: s.lastUsedMs, entry: s.entry }));
  const stats = readStatCache(join(local.dir, STAT_CACHE)).filter((st) => cfg.shareStat(st[0]));
  const segment = compact(mergeSegments([base, { ...emptySegment(), entries: [...used, ...placed], ...(stats.length ? { stats } : {}) }]), Date.now(), cfg.limits);
  if (!placed.length && !touched) return { ...result, ms: Date.now() - started };
  const slot = cfg.pickSlot() % cfg.slots;
  const name = `index${slot}`;
  rmSync(join(t.dir, name), { recursive: true, force: true });
  mkdirSync(join(t.dir, name, INLINE_DIR), { recursive: true });
  writeFileSync(join(t.dir, name, SEGMENT_FILE), segment.text);
  inline(local, join(t.dir, name, INLINE_DIR), [...placed, ...used.filter((ie) => ie.usedAt > (knownUse.get(`${ie.entry.weak}.${ie.entry.strong}`) ?? 0))], cfg.inlineBytes);
  result.uploads++;
  const saved = await within(Math.max(cfg.budgetMs, deadline - Date.now()), t.save(name, `${slotPrefix(cfg, slot)}${Date.now()}-${randomBytes(4).toString('hex')}`));
  if (saved !== true) cfg.warn('the cache index could not be uploaded: this job\'s entries are not in the remote cache');
  else result.entries = placed.length;
  return { ...result, ms: Date.now() - started };
}

/** Links the blobs of the entries a job used (most recently used first) beside its segment, up to bytes. */
function inline(local: LocalStore, dir: string, entries: IndexedEntry[], bytes: number): void {
  let left = bytes;
  const done = new Set<string>();
  for (const ie of [...entries].sort((a, b) => b.usedAt - a.usedAt)) {
    for (const b of blobsOf(ie.entry)) {
      const file = done.has(b) ? null : local.blobFile(b);
      if (file === null) continue;
      const size = readSize(file);
      if (size > left) return;
      left -= size;
      done.add(b);
      linkOrCopy(file, join(dir, b));
    }
  }
}

const STAT_CACHE = 'statcache.json';

/** A hard link (a copy across file systems): a blob staged for a pack costs no bytes. */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** Adds rows to the local store's stat cache; what it knows of a path already wins. */
function mergeStatCache(dir: string, rows: [string, string, string][]): void {
  const byPath = new Map(readStatCache(join(dir, STAT_CACHE)).map((r) => [r[0], r]));
  for (const r of rows) if (!byPath.has(r[0])) byPath.set(r[0], r);
  atomicWrite(join(dir, STAT_CACHE), JSON.stringify([...byPath.values()]));
}

function readSize(file: string): number {
  return statSync(file).size;
}
