// The sync between a local store and an immutable, prefix-searched remote, over a transport that
// keeps entries as directories (the Actions cache's semantics without its service: immutable
// keys, the newest match for a prefix). test/action-cache.test.ts runs the real thing.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalStore, type Entry } from '../src/store/index.js';
import { defaultSyncConfig, pull, push, type SyncConfig } from '../src/store/remote/sync.js';
import type { CacheTransport } from '../src/store/remote/transport.js';
import { scratch } from './helpers.js';

const hex = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

/** Entries as directories named by key; created in order, so the newest is the last made. */
function dirTransport(remote: string, dir: string, saves: string[] = []): CacheTransport {
  mkdirSync(dir, { recursive: true });
  let clock = 0;
  return {
    dir,
    async restore(name, key, prefix) {
      const keys = existsSync(remote) ? readdirSync(remote) : [];
      const found = keys.includes(key) ? key
        : prefix ? keys.filter((k) => k.startsWith(prefix)).sort((a, b) => statSync(join(remote, b)).mtimeMs - statSync(join(remote, a)).mtimeMs)[0] : undefined;
      if (!found) return null;
      rmSync(join(dir, name), { recursive: true, force: true });
      cpSync(join(remote, found), join(dir, name), { recursive: true });
      return found;
    },
    async has(_name, key) {
      return existsSync(join(remote, key));
    },
    async save(name, key) {
      if (existsSync(join(remote, key))) return false;
      cpSync(join(dir, name), join(remote, key), { recursive: true });
      const t = new Date(Date.now() + clock++ * 1000);
      utimesSync(join(remote, key), t, t);
      saves.push(key);
      return true;
    },
  };
}

function quietConfig(): SyncConfig & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...defaultSyncConfig('t-v1-linux-x64', (m) => warnings.push(m), () => {}), warnings };
}

/** Records an entry whose one output is a file holding text, as the engine would. */
async function record(store: LocalStore, name: string, text: string): Promise<Entry> {
  const data = Buffer.from(text);
  await store.putBlob(hex(data), data);
  const entry: Entry = {
    version: 1, weak: hex(`weak ${name}`), strong: hex(`strong ${name}`), exe: '/bin/true', argv: ['true', name], inputs: [],
    outputs: [{ path: name, type: 'file', blob: hex(data), mode: 0o644, size: data.length }], stream: null, exitCode: 0,
    durationMs: 10, createdAt: new Date().toISOString(), children: [],
  };
  await store.putEntry(entry);
  return entry;
}

test('a second job pulls what the first pushed: the entries and their verified blobs', async () => {
  const remote = scratch('pc-remote-');
  const saves: string[] = [];
  const first = new LocalStore(scratch('pc-l1-'));
  const cfg = quietConfig();
  const p1 = await pull(first, dirTransport(remote, scratch('pc-x-'), saves), cfg);
  assert.is(p1.entries, 0);
  await record(first, 'a.o', 'object a');
  await record(first, 'b.o', 'object b');
  const pushed = await push(first, dirTransport(remote, scratch('pc-x-'), saves), cfg, p1.known);
  assert.is(pushed.entries, 2);
  assert.is(pushed.packs, 1);
  assert.is(saves.length, 2, 'one pack and one segment');
  const second = new LocalStore(scratch('pc-l2-'));
  const p2 = await pull(second, dirTransport(remote, scratch('pc-x-')), cfg);
  assert.is(p2.entries, 2);
  assert.is(p2.packs, 0, 'the blobs the first job used came with its index: one round of downloads');
  const [entry] = second.candidates(hex('weak a.o'));
  assert.ok(entry);
  assert.is((await second.getBlob((entry.outputs[0] as { blob: string }).blob))?.toString(), 'object a');
  assert.equal(cfg.warnings, []);
  // a remote's entries are anybody's: a later run on the filled store keeps no setuid bit
  assert.ok(new LocalStore(first.dir).trusted, 'a store no remote filled stays trusted');
  assert.not.ok(new LocalStore(second.dir).trusted, 'a store a remote filled is not');
});

test('a job that recorded nothing new uploads nothing', async () => {
  const remote = scratch('pc-remote-');
  const cfg = quietConfig();
  const one = new LocalStore(scratch('pc-l1-'));
  await record(one, 'a.o', 'a');
  await push(one, dirTransport(remote, scratch('pc-x-')), cfg, (await pull(one, dirTransport(remote, scratch('pc-x-')), cfg)).known);
  const saves: string[] = [];
  const two = new LocalStore(scratch('pc-l2-'));
  const p = await pull(two, dirTransport(remote, scratch('pc-x-')), cfg);
  const pushed = await push(two, dirTransport(remote, scratch('pc-x-'), saves), cfg, p.known);
  assert.is(pushed.uploads, 0);
  assert.equal(saves, []);
});

test('a blob tampered with in its pack is dropped, and only the entries that need it are lost', async () => {
  const remote = scratch('pc-remote-');
  const cfg = quietConfig();
  const one = new LocalStore(scratch('pc-l1-'));
  await record(one, 'good.o', 'good');
  await record(one, 'bad.o', 'bad');
  await push(one, dirTransport(remote, scratch('pc-x-')), cfg, (await pull(one, dirTransport(remote, scratch('pc-x-')), cfg)).known);
  // every copy: the pack's, and the one the segment carries beside it
  const copies = readdirSync(remote, { recursive: true }).map(String).filter((p) => p.endsWith(hex('bad')));
  assert.is(copies.length, 2);
  for (const c of copies) writeFileSync(join(remote, c), 'evil');
  const two = new LocalStore(scratch('pc-l2-'));
  const p = await pull(two, dirTransport(remote, scratch('pc-x-')), cfg);
  assert.is(p.entries, 1);
  assert.is(two.candidates(hex('weak bad.o')).length, 0);
  assert.is(two.candidates(hex('weak good.o')).length, 1);
  assert.match(cfg.warnings.join('\n'), /index \(slot \d\): 1 blobs do not match their hashes/);
  assert.match(cfg.warnings.join('\n'), /pack [0-9a-f]+: 1 blobs do not match their hashes/);
});

test('segments of concurrent jobs in different slots merge; each new segment holds what its job read', async () => {
  const remote = scratch('pc-remote-');
  const cfg = quietConfig();
  const base = new LocalStore(scratch('pc-l0-'));
  const known = (await pull(base, dirTransport(remote, scratch('pc-x-')), cfg)).known;
  // two jobs started from the same (empty) index, each recording its own entry, writing slots 0 and 1
  for (const [slot, name] of [[0, 'x.o'], [1, 'y.o']] as const) {
    const job = new LocalStore(scratch('pc-lj-'));
    await record(job, name, name);
    await push(job, dirTransport(remote, scratch('pc-x-')), { ...cfg, pickSlot: () => slot }, known);
  }
  const reader = new LocalStore(scratch('pc-lr-'));
  const p = await pull(reader, dirTransport(remote, scratch('pc-x-')), cfg);
  assert.is(p.entries, 2);
  assert.is(p.segments, 2);
});

test('new blobs over max-upload-mb stay out, with their entries, and the job says so', async () => {
  const remote = scratch('pc-remote-');
  const cfg = { ...quietConfig(), maxUploadBytes: 1500 };
  const warnings: string[] = [];
  cfg.warn = (m) => warnings.push(m);
  const one = new LocalStore(scratch('pc-l1-'));
  await record(one, 'small.o', 's'.repeat(1000));
  await record(one, 'big.o', 'b'.repeat(1000));
  const pushed = await push(one, dirTransport(remote, scratch('pc-x-')), cfg, (await pull(one, dirTransport(remote, scratch('pc-x-')), cfg)).known);
  assert.is(pushed.entries, 1);
  assert.is(pushed.skipped, 1);
  assert.match(warnings.join('\n'), /1 new entries were not uploaded: their outputs exceed max-upload-mb/);
  const text = readFileSync(join(remote, readdirSync(remote).find((k) => k.includes('-index'))!, 'segment.json'), 'utf8');
  assert.is(JSON.parse(text).entries.length, 1);
});

test('the stat cache of files outside the workspace travels with the index; the workspace\'s does not', async () => {
  const remote = scratch('pc-remote-');
  const cfg = { ...quietConfig(), shareStat: (path: string) => !path.startsWith('/work/') };
  const one = new LocalStore(scratch('pc-l1-'));
  await record(one, 'a.o', 'a');
  const row = (path: string): [string, string, string] => [path, '1:2:3:4:5', hex(path)];
  writeFileSync(join(one.dir, 'statcache.json'), JSON.stringify([row('/usr/bin/cc'), row('/work/repo/a.c')]));
  await push(one, dirTransport(remote, scratch('pc-x-')), cfg, (await pull(one, dirTransport(remote, scratch('pc-x-')), cfg)).known);
  const two = new LocalStore(scratch('pc-l2-'));
  await pull(two, dirTransport(remote, scratch('pc-x-')), cfg);
  assert.equal(JSON.parse(readFileSync(join(two.dir, 'statcache.json'), 'utf8')), [row('/usr/bin/cc')]);
});

test.run();
