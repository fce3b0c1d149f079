// Eviction: least recently used entries go first, then the blobs no entry needs. Blobs younger
// than the grace period stay, since a run may have written them for an entry it has yet to write.
import { rmSync } from 'node:fs';
import { listLocal } from './local.js';
import { pruneRuns } from './runs.js';
import { sweepTemps } from './temps.js';

const GRACE_MS = 60 * 60 * 1000;

export interface GcResult {
  entriesBefore: number;
  entriesRemoved: number;
  bytesBefore: number;
  bytesAfter: number;
  /** temporary files left by killed runs, removed */
  tempsRemoved: number;
}

export function parseSize(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!m) return null;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * unit);
}

function referenced(entry: { outputs: { type: string; blob?: string }[]; stream: { blob: string } | null }): string[] {
  const out = entry.outputs.flatMap((o) => (o.type === 'file' && o.blob ? [o.blob] : []));
  return entry.stream ? [...out, entry.stream.blob] : out;
}

export function collectGarbage(dir: string, maxBytes: number, now = Date.now()): GcResult {
  pruneRuns(dir);
  const tempsRemoved = sweepTemps(dir, now);
  const { entries, blobs } = listLocal(dir);
  const blobBytes = new Map(blobs.map((b) => [b.hash, b.bytes]));
  const bytesBefore = entries.reduce((n, e) => n + e.bytes, 0) + blobs.reduce((n, b) => n + b.bytes, 0);
  // what the kept entries need: their own files and each blob once, however many share it
  const refs = new Map<string, number>();
  let bytes = 0;
  for (const e of entries) {
    bytes += e.bytes;
    for (const h of referenced(e.entry)) {
      if (!refs.has(h)) bytes += blobBytes.get(h) ?? 0;
      refs.set(h, (refs.get(h) ?? 0) + 1);
    }
  }
  const byAge = [...entries].sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  let removed = 0;
  for (const e of byAge) {
    if (bytes <= maxBytes) break;
    e.remove();
    removed++;
    bytes -= e.bytes;
    for (const h of referenced(e.entry)) {
      const n = (refs.get(h) ?? 1) - 1;
      if (n === 0) {
        refs.delete(h);
        bytes -= blobBytes.get(h) ?? 0;
      } else {
        refs.set(h, n);
      }
    }
  }
  let bytesAfter = bytes;
  for (const b of blobs) {
    if (refs.has(b.hash)) continue;
    if (now - b.mtimeMs < GRACE_MS) bytesAfter += b.bytes;
    else rmSync(b.path, { force: true });
  }
  return { entriesBefore: entries.length, entriesRemoved: removed, bytesBefore, bytesAfter, tempsRemoved };
}
