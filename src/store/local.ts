// The embedded default store: a directory of content-addressed blobs and one JSON file per entry,
// every file written to a temporary name and renamed into place, so that concurrent runs and a
// crash at any point leave only whole files (an entry is written after all of its blobs).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { validContext } from '../fingerprint/index.js';
import { atomicWriteAsync } from './atomic.js';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Entry, Store, StoredEntry, StoreIndex } from './types.js';
import type { Input } from '../observe/index.js';

export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PROCESSCACHE_STORE) return env.PROCESSCACHE_STORE;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'processcache');
}

const HEX64 = /^[0-9a-f]{64}$/;
/** the marker file of a store a remote filled */
const REMOTE_FILLED = 'remote-filled';

/** Checks an entry read from disk (or, later, from a remote) before anything trusts it. */
export function parseEntry(text: string): Entry | null {
  let e: unknown;
  try {
    e = JSON.parse(text);
  } catch {
    return null;
  }
  return entryFrom(e);
}

/** The blobs an entry cannot be restored without: its files' contents and its output stream. */
export function blobsOf(entry: Entry): string[] {
  const blobs = entry.outputs.flatMap((o) => (o.type === 'file' ? [o.blob] : []));
  return entry.stream ? [...blobs, entry.stream.blob] : blobs;
}

/** An input as entries keep it: its path, kind and value at least (a manifest is untrusted). */
export function isInput(v: unknown): v is Input {
  if (typeof v !== 'object' || v === null) return false;
  const i = v as Partial<Input>;
  return typeof i.path === 'string' && typeof i.kind === 'string' && typeof i.value === 'string';
}

/** parseEntry() on a value already parsed (an entry inside a remote index segment). */
export function entryFrom(e: unknown): Entry | null {
  if (typeof e !== 'object' || e === null) return null;
  const entry = e as Partial<Entry>;
  if (entry.version !== 1 || typeof entry.weak !== 'string' || !HEX64.test(entry.weak)) return null;
  if (typeof entry.strong !== 'string' || !HEX64.test(entry.strong)) return null;
  if (!Array.isArray(entry.inputs) || !Array.isArray(entry.outputs) || typeof entry.exitCode !== 'number') return null;
  if (!Number.isInteger(entry.exitCode) || entry.exitCode < 0 || entry.exitCode > 255) return null;
  // one state per path: a manifest naming a path twice would leave the order of the two to chance
  const outputPaths = new Set<string>();
  for (const o of entry.outputs) {
    if (typeof o !== 'object' || o === null || typeof o.path !== 'string' || outputPaths.has(o.path)) return null;
    outputPaths.add(o.path);
    if (o.type === 'file' && !(typeof o.blob === 'string' && HEX64.test(o.blob) && Number.isInteger(o.mode))) return null;
    if (o.type === 'file' && o.linkOf !== undefined && typeof o.linkOf !== 'string') return null;
    if (o.type === 'file' && o.order !== undefined && !(Number.isInteger(o.order) && o.order >= 0)) return null;
    if (o.type === 'file' && o.newFile !== undefined && o.newFile !== true) return null;
    if (o.type === 'file' && o.movedFrom !== undefined && typeof o.movedFrom !== 'string') return null;
    if (!['file', 'symlink', 'dir', 'absent'].includes(o.type)) return null;
  }
  if (!entry.inputs.every(isInput)) return null;
  if (entry.stream) {
    const { blob, chunks } = entry.stream;
    if (!(typeof blob === 'string' && HEX64.test(blob) && Array.isArray(chunks))) return null;
    if (!chunks.every((c) => (c.fd === 1 || c.fd === 2) && Number.isInteger(c.bytes) && c.bytes >= 0)) return null;
  }
  // a malformed one could not be compared: a hit would ignore what the outputs depend on
  if (!validContext(entry.context)) return null;
  if (entry.dirOrder !== undefined && !(Array.isArray(entry.dirOrder) &&
    entry.dirOrder.every((d) => typeof d?.path === 'string' && Number.isInteger(d.order) && d.order >= 0))) return null;
  if (!Array.isArray(entry.children)) entry.children = [];
  return entry as Entry;
}

export class LocalStore implements Store {
  /** blobs this run wrote or found, by size */
  private readonly present = new Map<string, number>();

  private writeFailureSaid = false;

  /** its entries are what runs on this machine recorded (--store names a directory its user
   * chose), unless a remote filled it (markRemoteFilled): those are anybody's */
  readonly trusted: boolean;

  /** warn: told once when a write fails (a full or read-only store), since every write would fail alike */
  constructor(readonly dir: string, readonly writable = true, private readonly warn?: (message: string) => void) {
    mkdirSync(join(dir, 'blobs'), { recursive: true });
    mkdirSync(join(dir, 'entries'), { recursive: true });
    this.trusted = !existsSync(join(dir, REMOTE_FILLED));
  }

  /** Says, for every later run on this store, that a remote's entries are in it: no restore from
   * it keeps a setuid or setgid bit (src/memo/restore.ts keepsSetId). Written before the first
   * entry arrives. */
  markRemoteFilled(): void {
    writeFileSync(join(this.dir, REMOTE_FILLED), 'entries from a remote cache were written here: restores keep no setuid or setgid bit\n');
  }

  /** Says once, on stderr, that the store cannot be written and what to do; the run goes on without recording. */
  writeFailed(e: unknown): void {
    if (this.writeFailureSaid || !this.warn) return;
    this.writeFailureSaid = true;
    // "ENOSPC: no space left on device", without the temporary file's name
    const why = e instanceof Error ? e.message.split(',')[0]! : String(e);
    this.warn(`the store at ${this.dir} cannot be written (${why}): this run's results are not cached; ` +
      'free space or make it writable, or pass --store DIR for another one (--read-only uses it without writing)');
  }

  private blobPath(hash: string): string {
    return join(this.dir, 'blobs', hash.slice(0, 2), hash.slice(2));
  }

  /** 256 buckets of "<weak>.<strong>.json" files: creating a directory per command costs more
   * than listing a bucket (a quarter millisecond each on the CI machines' disks). */
  private entryDir(weak: string): string {
    return join(this.dir, 'entries', weak.slice(0, 2));
  }

  private entryPath(entry: Entry): string {
    return join(this.entryDir(entry.weak), `${entry.weak}.${entry.strong}.json`);
  }

  /** Locally the index is the entry buckets themselves, each read when a command first needs it. */
  async openIndex(): Promise<StoreIndex> {
    return { candidates: (weak) => this.candidates(weak) };
  }

  candidates(weak: string): Entry[] {
    const dir = this.entryDir(weak);
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.startsWith(`${weak}.`) && n.endsWith('.json'));
    } catch {
      return [];
    }
    const found: { entry: Entry; used: number }[] = [];
    for (const name of names) {
      const path = join(dir, name);
      try {
        const entry = parseEntry(readFileSync(path, 'utf8'));
        // the most recently used first; one candidate needs no order
        if (entry && entry.weak === weak) found.push({ entry, used: names.length > 1 ? statSync(path).mtimeMs : 0 });
      } catch { /* removed meanwhile */ }
    }
    return found.sort((a, b) => b.used - a.used).map((f) => f.entry);
  }

  async putEntry(entry: Entry): Promise<void> {
    if (!this.writable) return;
    try {
      // on a libuv thread: a make's entry lists a thousand inputs, and its ancestors' as many
      await atomicWriteAsync(this.entryPath(entry), JSON.stringify(entry));
    } catch (e) {
      this.writeFailed(e); // the entry is simply not there: a later run records it again
    }
  }

  /** Writes an entry fetched from a remote (already parsed) with its last use as the file's mtime. */
  async putEntryUsedAt(entry: Entry, usedAtMs: number): Promise<void> {
    await atomicWriteAsync(this.entryPath(entry), JSON.stringify(entry));
    const t = new Date(usedAtMs);
    utimesSync(this.entryPath(entry), t, t);
  }

  /** Where a blob the store holds is, for packing it; null when it holds none of that size. */
  blobFile(hash: string, bytes?: number): string | null {
    if (!HEX64.test(hash)) return null;
    const st = statSync(this.blobPath(hash), { throwIfNoEntry: false });
    return st?.isFile() && (bytes === undefined || st.size === bytes) ? this.blobPath(hash) : null;
  }

  /** Moves a file that should hold the blob hash into the store, after checking it does; false when it does not. */
  adoptBlob(hash: string, file: string): boolean {
    if (!HEX64.test(hash)) return false;
    const data = readFileSync(file);
    if (createHash('sha256').update(data).digest('hex') !== hash) return false;
    mkdirSync(dirname(this.blobPath(hash)), { recursive: true });
    renameSync(file, this.blobPath(hash));
    this.present.set(hash, data.length);
    return true;
  }

  async removeEntry(entry: Entry): Promise<void> {
    if (!this.writable) return;
    rmSync(this.entryPath(entry), { force: true });
  }

  async touchEntry(entry: Entry): Promise<void> {
    if (!this.writable) return;
    const now = new Date();
    try { utimesSync(this.entryPath(entry), now, now); } catch { /* gone */ }
  }

  async getBlob(hash: string): Promise<Buffer | null> {
    if (!HEX64.test(hash)) return null;
    let data: Buffer;
    try {
      data = readFileSync(this.blobPath(hash));
    } catch {
      return null;
    }
    if (createHash('sha256').update(data).digest('hex') !== hash) {
      // corrupt: remove it, so that the run that misses records it again
      if (this.writable) {
        try { rmSync(this.blobPath(hash), { force: true }); } catch (e) { this.writeFailed(e); }
      }
      return null;
    }
    this.present.set(hash, data.length);
    return data;
  }

  async hasBlob(hash: string, bytes: number): Promise<boolean> {
    // every ancestor of a build step records the step's outputs again: one stat per blob and run
    if (this.present.get(hash) === bytes) return true;
    // an existing blob of the wrong size is a damaged one: written again
    const there = statSync(this.blobPath(hash), { throwIfNoEntry: false })?.size === bytes;
    if (there) this.present.set(hash, bytes);
    return there;
  }

  async putBlob(hash: string, data: Buffer): Promise<void> {
    if (!this.writable || (await this.hasBlob(hash, data.length))) return;
    try {
      // on a libuv thread: a first run stores every output, and exec queries wait meanwhile otherwise
      await atomicWriteAsync(this.blobPath(hash), data);
    } catch (e) {
      this.writeFailed(e);
      throw e; // the recording that needs it is refused
    }
    this.present.set(hash, data.length);
  }
}

/** Every entry of a local store, and its blobs, for `processcache gc`. */
export function listLocal(dir: string): { entries: StoredEntry[]; blobs: { hash: string; bytes: number; mtimeMs: number; path: string }[] } {
  const entries: StoredEntry[] = [];
  const root = join(dir, 'entries');
  for (const rel of readdirSync(root, { recursive: true }).map(String)) {
    if (!rel.endsWith('.json')) continue;
    const path = join(root, rel);
    try {
      const st = statSync(path);
      const entry = parseEntry(readFileSync(path, 'utf8'));
      if (entry) entries.push({ entry, lastUsedMs: st.mtimeMs, bytes: st.size, remove: () => rmSync(path, { force: true }) });
      else rmSync(path, { force: true }); // unreadable: of no use to any run
    } catch { /* removed meanwhile */ }
  }
  const blobs: { hash: string; bytes: number; mtimeMs: number; path: string }[] = [];
  const blobRoot = join(dir, 'blobs');
  for (const rel of readdirSync(blobRoot, { recursive: true }).map(String)) {
    const hash = rel.replace('/', '');
    if (!HEX64.test(hash)) continue;
    const path = join(blobRoot, rel);
    try {
      const st = statSync(path);
      blobs.push({ hash, bytes: st.size, mtimeMs: st.mtimeMs, path });
    } catch { /* removed meanwhile */ }
  }
  return { entries, blobs };
}
