// The committed dist/native files must be what a fresh clone builds: the same sources built in
// two checkouts at different paths give the same bytes (`-g` once embedded the checkout's path,
// and `npm ci` in a fresh clone rewrote all four files).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, scratch } from './helpers.js';

/** native/'s sources copied to dir/native, without what was built there */
function checkout(dir: string): string {
  const to = join(dir, 'native');
  cpSync(join(ROOT, 'native'), to, { recursive: true, filter: (from) => !from.startsWith(join(ROOT, 'native', 'build')) });
  return to;
}

function build(native: string, target: string): void {
  const r = spawnSync('make', ['-s', '-C', native, target], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
}

function assertSameBuilds(arch: string, target: string): void {
  const one = checkout(scratch('pc-repro-'));
  const deeper = join(scratch('pc-repro-'), 'a', 'longer', 'path');
  mkdirSync(deeper, { recursive: true });
  const two = checkout(deeper);
  build(one, target);
  build(two, target);
  for (const file of ['libpctrace.so', 'pctrace']) {
    const a = readFileSync(join(one, 'build', arch, file));
    const b = readFileSync(join(two, 'build', arch, file));
    assert.ok(a.equals(b), `${arch}/${file} differs between ${one} and ${two}`);
  }
}

const hostArch = process.arch === 'arm64' ? 'arm64' : 'x64';

test('native/ built in two directories gives byte-identical libraries and tracer programs', () => {
  assertSameBuilds(hostArch, 'all');
});

const hasCross = spawnSync('aarch64-linux-gnu-gcc', ['--version']).status === 0;
if (!hasCross) console.log('skipped: the aarch64 cross build (aarch64-linux-gnu-gcc is not installed; CI installs it)');
(hasCross ? test : test.skip)('the aarch64 cross build is byte-identical from two directories too', () => {
  assertSameBuilds('arm64', 'cross');
});

test.run();
