// The stat cache behind every content fingerprint, on real files: a hash is reused only while the
// file's identity says nothing changed, and never for a file changed too recently to tell.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileHasher } from '../src/fingerprint/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pc-hash-'));
const digest = (s: string): string => createHash('sha256').update(s).digest('hex');

test('a file on procfs is never remembered: its stat (size 0, fixed times) says nothing of its content', () => {
  const hasher = new FileHasher();
  // a file changed long ago (its ctime too: node's own binary) is kept by its stat identity
  const old = process.execPath;
  assert.ok(hasher.hash('/proc/sys/kernel/ostype'));
  assert.ok(hasher.hash(old));
  assert.equal(hasher.entries().map(([path]) => path), [old]);
});

test('a file written just now is hashed but not remembered; a same-size rewrite is seen', () => {
  const path = join(dir, 'fresh');
  const hasher = new FileHasher();
  writeFileSync(path, 'aaaa');
  assert.is(hasher.hash(path), digest('aaaa'));
  assert.equal(hasher.entries(), []);
  writeFileSync(path, 'bbbb'); // same size, likely the same timestamp tick
  assert.is(hasher.hash(path), digest('bbbb'));
});

test('a file older than the racy window is remembered, and a rewrite of it is seen', async () => {
  const path = join(dir, 'settled');
  writeFileSync(path, 'cccc');
  await sleep(50);
  const hasher = new FileHasher();
  assert.is(hasher.hash(path), digest('cccc'));
  assert.is(hasher.entries().length, 1);
  assert.ok(hasher.dirty);
  // the persisted cache serves the next run without reading the file
  const next = new FileHasher(hasher.entries());
  assert.is(next.hash(path), digest('cccc'));
  assert.not.ok(next.dirty);
  writeFileSync(path, 'dddd');
  assert.is(next.hash(path), digest('dddd'));
});

test('a new version of a file replaces the old one in the cache: edits do not pile up', async () => {
  const path = join(dir, 'edited');
  let hasher = new FileHasher();
  for (const content of ['one', 'two', 'three']) {
    writeFileSync(path, content);
    await sleep(50);
    hasher = new FileHasher(hasher.entries()); // a run per edit
    assert.is(hasher.hash(path), digest(content));
    assert.equal(hasher.entries().map(([p, , d]) => [p, d]), [[path, digest(content)]]);
  }
});

test('read() returns the bytes and remembers their hash for an ancestor to reuse', async () => {
  const path = join(dir, 'output');
  writeFileSync(path, 'eeee');
  await sleep(50);
  const hasher = new FileHasher();
  const { data, digest: d } = hasher.read(path);
  assert.is(data.toString(), 'eeee');
  assert.is(d, digest('eeee'));
  assert.is(hasher.hash(path), d);
  assert.is(hasher.entries().length, 1);
});

test('no hash for what is not a readable regular file', () => {
  const hasher = new FileHasher();
  assert.is(hasher.hash(dir), null);
  assert.is(hasher.hash(join(dir, 'absent')), null);
});

test('hashSoon agrees with hash, at once or in chunks, and remembers like it', async () => {
  const small = join(dir, 'small');
  const big = join(dir, 'big');
  writeFileSync(small, 'ffff');
  writeFileSync(big, Buffer.alloc(9 << 20, 7)); // above the at-once bound: read in chunks
  await sleep(50);
  const hasher = new FileHasher();
  assert.is(await hasher.hashSoon(small), digest('ffff'));
  assert.is(await hasher.hashSoon(big), new FileHasher().hash(big));
  assert.is(hasher.entries().length, 2);
  assert.ok(new FileHasher().hashSoon(big) instanceof Promise, 'a large file is hashed a chunk per turn');
  assert.is(typeof new FileHasher().hashSoon(small), 'string', 'a small one at once');
  assert.is(await hasher.hashSoon(dir), null);
  assert.is(await hasher.hashSoon(join(dir, 'absent')), null);
});

test.run();
