// The store and the run stay healthy when the machine does not: killed runs, a store that cannot
// be written, a working directory that was deleted.
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, scratch } from './helpers.js';

test('a deleted working directory runs the command without the cache, with its own exit status', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const script = `mkdir d; cd d; rmdir ../d; exec "${process.execPath}" "${CLI}" run --store ${store} -- sh -c 'echo ran; exit 3'`;
  const r = spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
  assert.is(r.status, 3, r.stderr);
  assert.is(r.stdout, 'ran\n');
  assert.not.match(r.stderr, /internal error/);
  assert.match(r.stderr, /processcache: warning: the working directory no longer exists \(it was deleted\): running sh without the cache; cd to an existing directory/);
  const t = spawnSync('sh', ['-c', `mkdir e; cd e; rmdir ../e; exec "${process.execPath}" "${CLI}" trace --out ${dir}/t.json -- true`], { cwd: dir, encoding: 'utf8' });
  assert.is(t.status, 1);
  assert.is(t.stderr, 'processcache: the working directory no longer exists (it was deleted); cd to an existing directory and run it again\n');
});

test.run();
