// The Actions cache emulator, driven by @actions/cache 6.x itself: what saveCache and restoreCache
// do against GitHub's semantics (immutable entries, scopes, prefix keys) and against faults
// (500, 429, hangs, truncated and tampered downloads, latency).
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { restoreCache, saveCache, type DownloadOptions } from '@actions/cache';
import { BlockBlobClient } from '@azure/storage-blob';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, scratch } from './helpers.js';
import { findEntry, parseRequest, runtimeToken, start, type CacheService, type RequestKind } from './support/cache-service.js';

const MAIN = runtimeToken({ write: 'refs/heads/main', read: ['refs/heads/main'] });
const PR = runtimeToken({ write: 'refs/pull/7/merge', read: ['refs/pull/7/merge', 'refs/heads/main'] });

/**
 * One job's view: a workspace whose data/ directory is saved and restored. The path is the same
 * for every save and restore of a test, as a runner's workspace is, because @actions/cache puts
 * the paths in the entry's version.
 */
interface Job {
  dir: string;
  /** RUNNER_TEMP, where @actions/cache writes its archives */
  temp: string;
  put(files: Record<string, string>): void;
  files(): Record<string, string>;
  save(key: string, token?: string): Promise<{ id: number; out: string }>;
  restore(key: string, restoreKeys?: string[], options?: DownloadOptions & { token?: string }): Promise<{ key: string | undefined; out: string }>;
}

function job(svc: CacheService, defaultToken = MAIN): Job {
  const ws = scratch('pc-cache-ws-');
  const temp = scratch('pc-cache-tmp-');
  const dir = join(ws, 'data');
  // @actions/cache reads its configuration from process.env at each call, and the Azure SDK its
  // proxy when a call makes its client: the variables are set around each call only
  const withEnv = async <T>(token: string, fn: () => Promise<T>): Promise<{ value: T; out: string }> => {
    const vars: Record<string, string> = { ...svc.env(token), GITHUB_WORKSPACE: ws, RUNNER_TEMP: temp };
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      return await quietly(fn);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };
  return {
    dir,
    temp,
    put(files) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    },
    files() {
      try {
        return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
      } catch {
        return {};
      }
    },
    async save(key, token = defaultToken) {
      const { value, out } = await withEnv(token, () => saveCache([dir], key));
      return { id: value, out };
    },
    async restore(key, restoreKeys = [], options = {}) {
      const { token = defaultToken, ...download } = options;
      rmSync(dir, { recursive: true, force: true });
      const { value, out } = await withEnv(token, () => restoreCache([dir], key, restoreKeys, download));
      return { key: value, out };
    },
  };
}

/** Runs fn with stdout captured: @actions/core writes its log and workflow commands there. */
async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; out: string }> {
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
  try {
    return { value: await fn(), out };
  } finally {
    process.stdout.write = write;
  }
}

/** Rejects instead of hanging the suite when p takes longer than ms. */
function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const kinds = (svc: CacheService, from = 0): string[] => svc.requests().slice(from).map((r) => `${r.kind} ${r.status}`);

async function withService(options: Parameters<typeof start>[0], fn: (svc: CacheService) => Promise<void>): Promise<void> {
  const svc = await start(options);
  try {
    await fn(svc);
  } finally {
    await within(2000, svc.stop(), 'stop()');
  }
}

// ---------------------------------------------------------------------------------------------
// Pure pieces

test('requests are routed from method, URL and host: Twirp, proxied Azure blobs and IP-style blobs', () => {
  const twirp = parseRequest('POST', '/twirp/github.actions.results.api.v1.CacheService/CreateCacheEntry', '127.0.0.1:9');
  assert.equal(twirp, { type: 'twirp', method: 'CreateCacheEntry', httpMethod: 'POST' });
  const proxied = parseRequest('PUT', 'http://acct.blob.core.windows.net/actions-cache/entry-1?comp=block&blockid=QQ%3D%3D', 'acct.blob.core.windows.net');
  assert.is(proxied.type === 'blob' && `${proxied.op} ${proxied.container} ${proxied.blob} ${proxied.query.get('blockid')}`, 'block actions-cache entry-1 QQ==');
  const ipStyle = parseRequest('HEAD', '/acct/actions-cache/entry-1?sig=x', '127.0.0.1:9');
  assert.is(ipStyle.type === 'blob' && `${ipStyle.op} ${ipStyle.blob}`, 'head entry-1');
  assert.is(parseRequest('DELETE', '/acct/actions-cache/entry-1', '127.0.0.1:9').type, 'unknown');
  assert.is(parseRequest('GET', '/acct/actions-cache', '127.0.0.1:9').type, 'unknown');
  assert.is(parseRequest('GET', '/acct/actions-cache/%E0%A4%A', '127.0.0.1:9').type, 'unknown');
});

test('a lookup searches each readable scope in order: exact key, key as prefix, then restore keys; newest first', () => {
  const e = (seq: number, key: string, scope: string, version = 'v') => ({ id: seq, seq, key, scope, version, size: 1, createdAt: new Date(), finalized: true });
  const entries = [e(1, 'a-1', 'main'), e(2, 'a-2', 'main'), e(3, 'a-1', 'pr'), e(4, 'a-3', 'main', 'other'), { ...e(5, 'a-4', 'main'), finalized: false }];
  assert.is(findEntry(entries, ['main'], 'a-1', [], 'v')?.id, 1);
  assert.is(findEntry(entries, ['main'], 'a-', [], 'v')?.id, 2); // newest by prefix, never a pending or other-version one
  assert.is(findEntry(entries, ['main'], 'b', ['a-'], 'v')?.id, 2);
  assert.is(findEntry(entries, ['pr', 'main'], 'a-1', [], 'v')?.id, 3); // own scope first
  assert.is(findEntry(entries, ['pr', 'main'], 'a-2', [], 'v')?.id, 2); // then the base
  assert.is(findEntry(entries, ['pr'], 'a-2', [], 'v'), undefined);
});

// ---------------------------------------------------------------------------------------------
// Through @actions/cache

test('a saved directory comes back under its exact key, and a restore key brings the newest entry it prefixes', async () => {
  await withService({}, async (svc) => {
    const j = job(svc);
    j.put({ 'a.txt': 'one' });
    const first = await j.save('deps-1');
    assert.ok(first.id > 0, first.out);
    assert.equal(kinds(svc), ['create 200', 'blob-put 201', 'finalize 200']);
    j.put({ 'a.txt': 'two', 'b.txt': 'bee' });
    assert.ok((await j.save('deps-2')).id > first.id);
    j.put({ 'a.txt': 'other' });
    await j.save('tools-1');

    const exact = await j.restore('deps-1');
    assert.is(exact.key, 'deps-1', exact.out);
    assert.equal(j.files(), { 'a.txt': 'one' });
    // the download goes the way it does on GitHub: the Azure SDK, a HEAD then a ranged GET
    assert.equal(kinds(svc).slice(-3), ['lookup 200', 'blob-head 200', 'blob-get 206']);

    const prefix = await j.restore('deps-9', ['tools-0', 'deps-']);
    assert.is(prefix.key, 'deps-2');
    assert.equal(j.files(), { 'a.txt': 'two', 'b.txt': 'bee' });
    // GitHub matches the primary key as a prefix too: a restore of "deps" is no miss
    assert.is((await j.restore('deps')).key, 'deps-2');
    assert.is((await j.restore('nothing', ['dep-x'])).key, undefined);
    assert.is(svc.uploads(), 3);
    assert.equal(svc.entries().map((e) => [e.key, e.scope, e.finalized, e.size > 0]), [
      ['deps-1', 'refs/heads/main', true, true], ['deps-2', 'refs/heads/main', true, true], ['tools-1', 'refs/heads/main', true, true],
    ]);
  });
});

test('the version must match: the same key saved from other paths is not restored', async () => {
  await withService({}, async (svc) => {
    const a = job(svc);
    const b = job(svc); // another workspace path, so another version
    a.put({ 'x': '1' });
    await a.save('k');
    assert.is((await b.restore('k')).key, undefined);
    assert.is((await a.restore('k')).key, 'k');
  });
});

test('an entry is immutable: a second save of its key is answered 409, and saveCache returns -1 without throwing', async () => {
  await withService({}, async (svc) => {
    const j = job(svc);
    j.put({ 'a.txt': 'first' });
    assert.ok((await j.save('k')).id > 0);
    j.put({ 'a.txt': 'second' });
    const again = await j.save('k');
    assert.is(again.id, -1);
    assert.match(again.out, '(409) Conflict: cache entry with the same key, version, and scope already exists');
    // @actions/cache 6 reports it as information, not as a warning: "another job may be creating this cache"
    assert.match(again.out, 'Failed to save: Unable to reserve cache with key k, another job may be creating this cache.');
    assert.not.match(again.out, '::warning::');
    assert.equal(kinds(svc).slice(-1), ['create 409']);
    assert.is(svc.uploads(), 1);
    await j.restore('k');
    assert.equal(j.files(), { 'a.txt': 'first' });
  });
});

test('scopes: a PR job writes its own ref and reads it then main; main never sees the PR\'s entries', async () => {
  await withService({}, async (svc) => {
    const j = job(svc);
    j.put({ 'f': 'main' });
    await j.save('deps-1', MAIN);
    j.put({ 'f': 'pr' });
    await j.save('deps-2', PR);
    assert.equal(svc.entries().map((e) => `${e.key} ${e.scope}`), ['deps-1 refs/heads/main', 'deps-2 refs/pull/7/merge']);

    assert.is((await j.restore('deps-2', ['deps-'], { token: MAIN })).key, 'deps-1'); // not the newer PR entry
    assert.equal(j.files(), { 'f': 'main' });
    assert.is((await j.restore('deps-2', [], { token: PR })).key, 'deps-2');
    assert.is((await j.restore('deps-1', [], { token: PR })).key, 'deps-1'); // from main
    assert.equal(j.files(), { 'f': 'main' });

    // the same key in another scope is another entry, and a job's own scope is searched first
    j.put({ 'f': 'pr again' });
    assert.ok((await j.save('deps-1', PR)).id > 0);
    assert.is((await j.restore('deps-1', [], { token: PR })).key, 'deps-1');
    assert.equal(j.files(), { 'f': 'pr again' });
    await j.restore('deps-1', [], { token: MAIN });
    assert.equal(j.files(), { 'f': 'main' });
  });
});

test('a read-only token cannot save (ok:false, "cache write denied"), and a token with no readable scope restores nothing (403)', async () => {
  await withService({}, async (svc) => {
    const j = job(svc);
    j.put({ 'f': 'x' });
    await j.save('k', MAIN);
    const denied = await j.save('k2', runtimeToken({ read: ['refs/heads/main'] }));
    assert.is(denied.id, -1);
    assert.match(denied.out, '::warning::Failed to save: Unable to reserve cache with key k2. More details: cache write denied: token has no writable scopes');
    assert.equal(kinds(svc).slice(-1), ['create 200']);
    assert.is(svc.uploads(), 1);

    const blind = await j.restore('k', [], { token: runtimeToken({ write: 'refs/heads/main' }) });
    assert.is(blind.key, undefined);
    assert.match(blind.out, '::warning::Failed to restore: Failed to GetCacheEntryDownloadURL: Received non-retryable error: Failed request: (403) Forbidden: cache read denied: token has no readable scopes');
    assert.is((await j.restore('k', [], { token: runtimeToken({ read: ['refs/heads/main'] }) })).key, 'k');
  });
});

test('a 500 on the lookup is retried 3 s later, and the restore then succeeds', async () => {
  await withService({}, async (svc) => {
    const j = job(svc);
    j.put({ 'f': 'x' });
    await j.save('k');
    svc.addFault({ kind: 'lookup', effect: { type: 'status', status: 500 }, times: 1 });
    const t0 = Date.now();
    const r = await within(10_000, j.restore('k'), 'restore');
    assert.is(r.key, 'k', r.out);
    assert.ok(Date.now() - t0 >= 3000);
    assert.match(r.out, 'Attempt 1 of 5 failed with error: Failed request: (500) Internal Server Error: injected fault. Retrying request in 3000 ms...');
    assert.equal(kinds(svc).slice(-4), ['lookup 500', 'lookup 200', 'blob-head 200', 'blob-get 206']);
  });
});

/**
 * Runs fn with the waits between @actions/cache's Twirp retries (3 s, then x1.5 each) cut to 5 ms,
 * so five attempts take no half a minute. The client class is internal: its module is reached by
 * file, which is the same module instance cache.js imports, and only its sleep() is replaced.
 */
async function shortRetryWaits<T>(svc: CacheService, fn: () => Promise<T>): Promise<T> {
  const file = realpathSync(join(ROOT, 'node_modules/@actions/cache/lib/internal/shared/cacheTwirpClient.js'));
  const mod = (await import(pathToFileURL(file).href)) as { internalCacheTwirpClient(): unknown };
  const saved = process.env.ACTIONS_RUNTIME_TOKEN;
  process.env.ACTIONS_RUNTIME_TOKEN = 'x'; // the constructor insists on one
  const client = mod.internalCacheTwirpClient() as { rpc: object };
  if (saved === undefined) delete process.env.ACTIONS_RUNTIME_TOKEN;
  else process.env.ACTIONS_RUNTIME_TOKEN = saved;
  const proto = Object.getPrototypeOf(client.rpc) as { sleep(ms: number): Promise<void> };
  const real = proto.sleep;
  proto.sleep = () => new Promise((r) => setTimeout(r, 5));
  try {
    return await fn();
  } finally {
    proto.sleep = real;
  }
}

test('a lookup that keeps answering 500 is tried 5 times, then restoreCache warns and returns undefined (waits shortened)', async () => {
  await withService({}, async (svc) => {
    const j = job(svc);
    j.put({ 'f': 'x' });
    await j.save('k');
    svc.addFault({ kind: 'lookup', effect: { type: 'status', status: 500 } });
    const r = await within(10_000, shortRetryWaits(svc, () => j.restore('k')), 'restore');
    assert.is(r.key, undefined);
    assert.match(r.out, '::warning::Failed to restore: Failed to GetCacheEntryDownloadURL: Failed to make request after 5 attempts: Failed request: (500) Internal Server Error: injected fault');
    assert.equal(kinds(svc).filter((k) => k.startsWith('lookup')), Array(5).fill('lookup 500'));
  });
});

test('a 429 with Retry-After is not retried: restoreCache returns undefined and saveCache -1, both with a warning', async () => {
  await withService({}, async (svc) => {
    const j = job(svc);
    j.put({ 'f': 'x' });
    await j.save('k');
    svc.addFault({ kind: ['lookup', 'create'], effect: { type: 'status', status: 429, retryAfterSeconds: 60 } });
    const from = svc.requests().length;
    const r = await j.restore('k');
    assert.is(r.key, undefined);
    assert.match(r.out, "::warning::You've hit a rate limit, your rate limit will reset in 60 seconds");
    assert.match(r.out, '::warning::Failed to restore: Failed to GetCacheEntryDownloadURL: Rate limited: Failed request: (429) Too Many Requests');
    j.put({ 'f': 'y' });
    const s = await j.save('k2');
    assert.is(s.id, -1);
    // a refused reservation is information only: "another job may be creating this cache"
    assert.match(s.out, 'Failed to save: Unable to reserve cache with key k2, another job may be creating this cache.');
    assert.equal(kinds(svc, from), ['lookup 429', 'create 429']);
    assert.is(svc.uploads(), 1);
  });
});

test('a hung download is abandoned after segmentTimeoutInMs: a miss with a warning, no files, and stop() still closes', async () => {
  await withService({}, async (svc) => {
    const j = job(svc);
    j.put({ 'f': 'x' });
    await j.save('k');
    svc.addFault({ kind: 'blob-get', effect: { type: 'hang' } });
    const t0 = Date.now();
    const r = await within(5000, j.restore('k', [], { segmentTimeoutInMs: 500, timeoutInMs: 500 }), 'restore');
    assert.is(r.key, undefined);
    assert.ok(Date.now() - t0 < 3000);
    assert.match(r.out, '::warning::Failed to restore: Aborting cache download as the download time exceeded the timeout.');
    assert.equal(j.files(), {});
    assert.equal(svc.requests().slice(-1).map((q) => q.outcome), ['hung']);
  });
});

test('a hung size probe (HEAD) is bounded by no download option: restoreCache waits until the socket drops, then the SDK retries', async () => {
  await withService({}, async (svc) => {
    const j = job(svc);
    j.put({ 'f': 'x' });
    await j.save('k');
    svc.addFault({ kind: 'blob-head', effect: { type: 'hang' }, times: 1 });
    let settled = false;
    const pending = j.restore('k', [], { segmentTimeoutInMs: 300, timeoutInMs: 300 }).finally(() => { settled = true; });
    await new Promise((r) => setTimeout(r, 1500));
    assert.not.ok(settled, 'timeoutInMs only becomes the server-side ?timeout= of each try');
    assert.is(svc.dropHung(), 1);
    const r = await within(5000, pending, 'restore');
    assert.is(r.key, 'k', r.out);
    assert.equal(kinds(svc).slice(-3), ['blob-head 0', 'blob-head 200', 'blob-get 206']);
  });
});

test('a truncated download fails the restore: no resume, nothing extracted, and the archive is deleted', async () => {
  await withService({}, async (svc) => {
    const j = job(svc);
    j.put({ 'f': 'x'.repeat(5000) });
    await j.save('k');
    svc.addFault({ kind: 'blob-get', effect: { type: 'truncate', keepBytes: 40 }, times: 1 });
    // a download that fails leaves @actions/cache's segment timer running (it is cleared only on
    // success), and that timer holds the process open: 10 minutes by default, 1 s here
    const r = await j.restore('k', [], { segmentTimeoutInMs: 1000 });
    assert.is(r.key, undefined);
    // the SDK resumes a body that ends short, but a closed connection is an "aborted" response,
    // which it takes for a cancellation: one try, even with the fault gone after it
    assert.match(r.out, '::warning::Failed to restore: The operation was aborted.');
    assert.equal(kinds(svc).slice(-1), ['blob-get 206']);
    assert.equal(svc.requests().slice(-1).map((q) => q.outcome), ['truncated']);
    assert.equal(j.files(), {});
    assert.equal(readdirSync(j.temp, { recursive: true }).filter((f) => String(f).endsWith('.tzst') || String(f).endsWith('.tgz')), []);
    assert.is((await j.restore('k')).key, 'k');
  });
});

test('latency is added to every request, and can change while the service runs', async () => {
  await withService({}, async (svc) => {
    const j = job(svc);
    j.put({ 'f': 'x' });
    await j.save('k');
    svc.setLatency(20);
    const from = svc.requests().length;
    const t0 = Date.now();
    assert.is((await j.restore('k')).key, 'k');
    const elapsed = Date.now() - t0;
    const seen = svc.requests().slice(from);
    assert.equal(seen.map((q) => q.kind), ['lookup', 'blob-head', 'blob-get'] satisfies RequestKind[]);
    assert.ok(seen.every((q) => q.latencyMs === 20 && q.ms >= 20), JSON.stringify(seen));
    assert.ok(elapsed >= 60, `the three requests are sequential: ${elapsed} ms`);
    svc.setLatency(0);
    const after = svc.requests().length;
    await j.restore('k');
    assert.equal(svc.requests().slice(after).map((q) => q.latencyMs), [0, 0, 0]);
  });
});

test('a tampered entry: garbage fails the extraction; another valid archive is restored as if it were the entry', async () => {
  await withService({}, async (svc) => {
    const j = job(svc);
    j.put({ 'f': 'honest' });
    await j.save('k');
    j.put({ 'f': 'hostile', 'extra': 'planted' });
    await j.save('other');
    const good = svc.blob('k')!;

    svc.tamper('k', Buffer.from('not an archive at all'));
    const broken = await j.restore('k');
    assert.is(broken.key, undefined);
    assert.match(broken.out, /::warning::Failed to restore: .*failed with error/);
    assert.equal(j.files(), {});

    // @actions/cache checks nothing about what it downloads: the store must
    svc.tamper('k', svc.blob('other')!);
    assert.is((await j.restore('k')).key, 'k');
    assert.equal(j.files(), { 'extra': 'planted', 'f': 'hostile' });
    svc.tamper('k', good);
    await j.restore('k');
    assert.equal(j.files(), { 'f': 'honest' });
  });
});

test('with blobHost "loopback" the signed URLs point straight here and @actions/cache downloads with one plain GET', async () => {
  await withService({ blobHost: 'loopback' }, async (svc) => {
    const j = job(svc);
    j.put({ 'f': 'x' });
    await j.save('k');
    assert.not.ok('HTTP_PROXY' in svc.env());
    assert.is((await j.restore('k')).key, 'k');
    assert.equal(kinds(svc).slice(-2), ['lookup 200', 'blob-get 200']);
  });
});

test('the block upload of archives over 128 MiB works: staged blocks, a block list, then ranged reads', async () => {
  await withService({}, async (svc) => {
    // the Twirp call by hand, then the SDK as @actions/cache uses it, with blocks made small
    const create = await fetch(`${svc.url}/twirp/github.actions.results.api.v1.CacheService/CreateCacheEntry`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${MAIN}` },
      body: JSON.stringify({ key: 'big', version: 'v1' }),
    });
    const { signed_upload_url: upload } = await create.json() as { signed_upload_url: string };
    const local = new URL(upload);
    const direct = `${svc.url}/pcemulator${local.pathname}${local.search}`; // IP-style, no proxy needed
    const data = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
    const file = join(scratch(), 'blob');
    writeFileSync(file, data);
    await new BlockBlobClient(direct).uploadFile(file, { blockSize: 1024, maxSingleShotSize: 2048, concurrency: 3 });
    assert.equal([...new Set(kinds(svc).slice(1))], ['blob-block 201', 'blob-blocklist 201']);
    assert.is(kinds(svc).filter((k) => k.startsWith('blob-block ')).length, 10);
    const finalize = await fetch(`${svc.url}/twirp/github.actions.results.api.v1.CacheService/FinalizeCacheEntryUpload`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${MAIN}` },
      body: JSON.stringify({ key: 'big', version: 'v1', size_bytes: String(data.length) }),
    });
    assert.equal(await finalize.json(), { ok: true, entry_id: '1' });
    assert.ok(svc.blob('big')!.equals(data));

    const lookup = await fetch(`${svc.url}/twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${MAIN}` },
      body: JSON.stringify({ key: 'bi', restore_keys: [], version: 'v1' }),
    });
    const { signed_download_url: download, matched_key } = await lookup.json() as { signed_download_url: string; matched_key: string };
    assert.is(matched_key, 'big');
    const reader = new BlockBlobClient(`${svc.url}/pcemulator${new URL(download).pathname}${new URL(download).search}`);
    assert.ok((await reader.downloadToBuffer(0, undefined, { blockSize: 4000, concurrency: 2 })).equals(data));
    // the upload URL cannot read, the download URL cannot write, and a finalized entry takes no writes
    const refused = await fetch(direct, { method: 'GET' });
    assert.is(refused.status, 403);
    const late = await fetch(direct, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'overwrite' });
    assert.is(late.status, 409);
    assert.ok(svc.blob('big')!.equals(data));
  });
});

test.run();
