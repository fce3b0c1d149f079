// GitHub runs actions on Node 24: the shipped bundle (koffi's addon included) must load and work
// there too (test/helpers.ts installs it).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, node24, scratch } from './helpers.js';


test('processcache trace and run work under Node 24', () => {
  const node = node24();
  assert.match(spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout, /^v24\./);
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(`${dir}/in.txt`, 'twenty-four\n');
  const traced = spawnSync(node, [CLI, 'trace', '--out', `${dir}/t.json`, '--', 'cat', 'in.txt'], { cwd: dir, encoding: 'utf8' });
  assert.is(traced.status, 0, traced.stderr);
  assert.is(traced.stdout, 'twenty-four\n');
  const run = (): ReturnType<typeof spawnSync> => spawnSync(node, [CLI, 'run', '--store', store, '--', '/usr/bin/python3', '-c', "print(open('in.txt').read().upper(), end='')"], { cwd: dir, encoding: 'utf8' });
  const cold = run();
  const warm = run();
  assert.is(cold.stdout, 'TWENTY-FOUR\n');
  assert.is(warm.stdout, 'TWENTY-FOUR\n');
  assert.match(String(warm.stderr), /0 ran, 1 reused/);
});

test.run();
