// The Action unpacks remote archives itself (src/store/remote/direct-fetch.ts): only plain regular
// files under the entry's own directory are written, whatever the archive holds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { entryVersion, unpack } from '../src/store/remote/direct-fetch.js';
import { scratch } from './helpers.js';

test('a tar as GNU tar --posix writes it unpacks under its directory, long names included', () => {
  const src = scratch('pc-tar-');
  const long = 'b'.repeat(64);
  mkdirSync(join(src, 'pack-1', 'deep'), { recursive: true });
  writeFileSync(join(src, 'pack-1', long), 'blob');
  writeFileSync(join(src, 'pack-1', 'deep', `${'c'.repeat(120)}.txt`), 'deep');
  const tar = spawnSync('tar', ['--posix', '-cf', '-', '-C', src, 'pack-1'], { maxBuffer: 1 << 26 });
  assert.is(tar.status, 0);
  const out = scratch('pc-untar-');
  unpack(tar.stdout, out, 'pack-1');
  assert.is(readFileSync(join(out, 'pack-1', long), 'utf8'), 'blob');
  assert.is(readFileSync(join(out, 'pack-1', 'deep', `${'c'.repeat(120)}.txt`), 'utf8'), 'deep');
});

test('a hostile archive writes nothing outside its directory: .. paths, absolute paths, other directories, symlinks', () => {
  const src = scratch('pc-tar-');
  mkdirSync(join(src, 'index0'));
  writeFileSync(join(src, 'index0', 'segment.json'), '{}');
  writeFileSync(join(src, 'other'), 'not mine');
  symlinkSync('/etc/passwd', join(src, 'index0', 'link'));
  const escape = `escape-${Date.now()}`;
  // -P keeps the leading / and the ..: what a hostile writer could put in an entry
  const tar = spawnSync('sh', ['-c', `cd '${src}' && echo x > '/tmp/${escape}' && tar --posix -cPf - index0 other "index0/../../../../../tmp/${escape}" '/tmp/${escape}'`], { maxBuffer: 1 << 26 });
  assert.is(tar.status, 0, String(tar.stderr));
  spawnSync('rm', ['-f', `/tmp/${escape}`]);
  const out = scratch('pc-untar-');
  unpack(tar.stdout, out, 'index0');
  assert.equal(readdirSync(out), ['index0']);
  assert.equal(readdirSync(join(out, 'index0')), ['segment.json']);
  assert.not.ok(existsSync(`/tmp/${escape}`));
});

test('a truncated archive is an error, not a partial entry taken as whole', () => {
  const src = scratch('pc-tar-');
  mkdirSync(join(src, 'pack-2'));
  writeFileSync(join(src, 'pack-2', 'f'), 'x'.repeat(5000));
  const tar = spawnSync('tar', ['--posix', '-cf', '-', '-C', src, 'pack-2']).stdout;
  assert.throws(() => unpack(tar.subarray(0, 3000), scratch('pc-untar-'), 'pack-2'), /truncated/);
});

test('an entry version is @actions/cache\'s: the path, the compression and its salt', () => {
  // sha256("index0|zstd-without-long|1.0"), as getCacheVersion(['index0'], 'zstd-without-long') computes it
  const expected = spawnSync('sh', ['-c', 'printf %s "index0|zstd-without-long|1.0" | sha256sum'], { encoding: 'utf8' }).stdout.split(' ')[0];
  assert.is(entryVersion('index0', 'zstd-without-long'), expected);
});

test.run();
