// A cache entry fetched without @actions/cache's restore: one lookup, one GET of the signed URL,
// decompressed and unpacked in this process. @actions/cache spawns zstd (for its version) and tar
// at every restore, and downloads through the Azure SDK (a HEAD, then ranged GETs): on a small
// entry that is most of a warm job's wait (bench:action). Unpacking here also means no tar ever
// runs on an archive from the network: only regular files under the entry's own directory, with
// plain names, are written.
import { HttpClient } from '@actions/http-client';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';

/** What @actions/cache 6 archives with: zstd when the saving runner has it, else gzip. */
const METHODS = ['zstd-without-long', 'gzip'] as const;
type Method = (typeof METHODS)[number];

/** @actions/cache's entry version: its path patterns, its compression, its salt ("1.0"). */
export function entryVersion(name: string, method: Method): string {
  return createHash('sha256').update([name, method, '1.0'].join('|')).digest('hex');
}

interface Lookup {
  ok?: boolean;
  signed_download_url?: string;
  matched_key?: string;
}

const zstdDecompress = (zlib as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;

/** Whether this process can fetch directly: the v2 service, and a Node with zstd (22.15+; the runners' 24). */
export function directFetchAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return !!env.ACTIONS_CACHE_SERVICE_V2 && !!env.ACTIONS_RESULTS_URL && !!env.ACTIONS_RUNTIME_TOKEN && typeof zstdDecompress === 'function';
}

/**
 * Fetches the entry saved from directory `name` under key (or the newest with prefix) into
 * dir/name; the key found, or null when there is none. Throws on faults (an error status, a
 * truncated or malformed archive).
 */
export async function directFetch(dir: string, name: string, key: string, prefix: string | undefined, timeoutMs: number, maxBytes: number): Promise<string | null> {
  const base = process.env.ACTIONS_RESULTS_URL!.replace(/\/?$/, '/');
  const http = new HttpClient('processcache', [], { socketTimeout: timeoutMs, allowRetries: false });
  const headers = { Authorization: `Bearer ${process.env.ACTIONS_RUNTIME_TOKEN}`, 'Content-Type': 'application/json', Accept: 'application/json' };
  // both compressions at once: a miss (most index slots) costs one round trip, not two
  const lookups = await Promise.all(METHODS.map(async (method) => {
    const body = JSON.stringify({ key, restore_keys: prefix ? [prefix] : [], version: entryVersion(name, method) });
    const res = await http.post(`${base}twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL`, body, headers);
    const text = await res.readBody();
    if (res.message.statusCode !== 200) throw new Error(`the cache service answered ${res.message.statusCode} to a lookup`);
    return { method, found: JSON.parse(text) as Lookup };
  }));
  const hit = lookups.find((l) => l.found.ok && l.found.signed_download_url && l.found.matched_key);
  if (!hit) return null;
  const archive = await download(http, hit.found.signed_download_url!, maxBytes);
  unpack(hit.method === 'gzip' ? zlib.gunzipSync(archive) : zstdDecompress!(archive), dir, name);
  return hit.found.matched_key!;
}

async function download(http: HttpClient, url: string, maxBytes: number): Promise<Buffer> {
  const res = await http.get(url);
  const status = res.message.statusCode ?? 0;
  const declared = Number(res.message.headers['content-length'] ?? -1);
  if (status !== 200) {
    await res.readBody();
    throw new Error(`the archive's download answered ${status}`);
  }
  if (declared > maxBytes) throw new Error(`the archive is ${declared} bytes, over the ${maxBytes} bound`);
  const data = await res.readBodyBuffer!();
  if (declared >= 0 && data.length !== declared) throw new Error(`the archive arrived truncated (${data.length} of ${declared} bytes)`);
  return data;
}

const field = (block: Buffer, at: number, len: number): string => block.subarray(at, at + len).toString('utf8').replace(/\0.*$/s, '');

/**
 * Writes the regular files of a tar (ustar or pax, as GNU tar --posix makes it) that lie under
 * name/, with no `.`/`..` component; anything else in it is skipped.
 */
export function unpack(tar: Buffer, dir: string, name: string): void {
  rmSync(join(dir, name), { recursive: true, force: true });
  mkdirSync(join(dir, name), { recursive: true });
  let paxPath: string | null = null;
  let ended = false;
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) {
      ended = true; // the end-of-archive block: without it, the archive was cut short
      break;
    }
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0x30);
    const body = tar.subarray(at + 512, at + 512 + size);
    if (body.length !== size || !Number.isSafeInteger(size)) throw new Error('the archive is truncated');
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1] ?? null;
      continue;
    }
    const prefix = field(header, 345, 155);
    const path = (paxPath ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100))).replace(/^\.\//, '');
    paxPath = null;
    if (type !== '0' && type !== '\0') continue;
    const parts = path.split('/');
    if (parts[0] !== name || parts.length < 2 || parts.some((p) => p === '' || p === '.' || p === '..')) continue;
    mkdirSync(join(dir, ...parts.slice(0, -1)), { recursive: true });
    writeFileSync(join(dir, ...parts), body);
  }
  if (!ended) throw new Error('the archive is truncated');
}
