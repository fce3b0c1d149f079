// Restores on real directories: the real path of a directory written into is remembered within a
// run, and forgotten whenever a directory on the way may have become a symlink.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Restorer, RestoreError } from '../src/memo/restore.js';
import { Roots } from '../src/memo/paths.js';
import type { Entry, OutputState } from '../src/store/index.js';

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');

function entry(outputs: OutputState[]): Entry {
  return {
    version: 1, weak: hex('w'), strong: hex('s'), exe: '/bin/true', argv: ['true'], inputs: [], outputs,
    stream: null, exitCode: 0, durationMs: 10, createdAt: '', children: [],
  };
}

test('a directory turned into a symlink out of the root between restores is refused', () => {
  const base = mkdtempSync(join(tmpdir(), 'pc-restore-'));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  const restorer = new Restorer(new Roots(root), 0o022);
  const blobs = new Map([[hex('x'), Buffer.from('x')]]);
  const file = (path: string): OutputState => ({ path, type: 'file', blob: hex('x'), mode: 0o644, size: 1 });
  restorer.restore(entry([file('sub/a')]), blobs);
  assert.is(readFileSync(join(root, 'sub/a'), 'utf8'), 'x');
  restorer.restore(entry([{ path: 'sub/a', type: 'absent' }, { path: 'sub', type: 'absent' }]), blobs);
  restorer.restore(entry([{ path: 'sub', type: 'symlink', target: outside }]), blobs);
  assert.ok(lstatSync(join(root, 'sub')).isSymbolicLink());
  assert.throws(() => restorer.restore(entry([file('sub/b')]), blobs), (e: unknown) => e instanceof RestoreError && /leads outside/.test((e as Error).message));
  assert.not.ok(existsSync(join(outside, 'b')));
});

test('a file is written with its recorded mode, setuid bits and umask-stripped bits included', () => {
  const root = mkdtempSync(join(tmpdir(), 'pc-restore-'));
  const restorer = new Restorer(new Roots(root), 0o022);
  const blobs = new Map([[hex('y'), Buffer.from('y')]]);
  restorer.restore(entry([
    { path: 'group-writable', type: 'file', blob: hex('y'), mode: 0o664, size: 1 },
    { path: 'plain', type: 'file', blob: hex('y'), mode: 0o755, size: 1 },
  ]), blobs);
  assert.is(lstatSync(join(root, 'group-writable')).mode & 0o7777, 0o664);
  assert.is(lstatSync(join(root, 'plain')).mode & 0o7777, 0o755);
});

test.run();
