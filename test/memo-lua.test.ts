// The differential test on a real project: lua5.4 (Debian's source) built under processcache run,
// then edited (a comment, a code change, a new include) and rebuilt from a clean tree, as a fresh
// CI checkout would be. Only the edited file's compile (and what its changed output feeds) may
// run, and every built file must be byte-identical to a clean untraced build of the same source.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, runMemo, scratch, type MemoRun } from './helpers.js';

const BUILT = ['lua', 'luac', 'liblua.a', 'lapi.o', 'lcorolib.o', 'lstrlib.o', 'lvm.o', 'lua.o'];

function sh(cmd: string, cwd: string): void {
  const r = spawnSync('sh', ['-c', cmd], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
}

function fetchLua(): string {
  const dest = join(scratch('pc-lua-'), 'lua');
  const script = resolve(ROOT, '..', 'shared', 'workloads', 'debian-source.sh');
  const r = spawnSync('bash', [script, 'lua5.4', dest], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fetching lua5.4 failed: ${r.stderr}`);
  return dest;
}

/** The compiles (gcc -c) that ran in a memo run, by source file. */
function compilesThatRan(run: MemoRun): string[] {
  return run.stats.executions
    .filter((e) => e.exe.endsWith('/gcc') && e.argv.includes('-c') && e.status !== 'hit')
    .map((e) => e.argv.at(-1)!).sort();
}

function linksThatRan(run: MemoRun): number {
  return run.stats.executions.filter((e) => e.exe.endsWith('/gcc') && e.argv.includes('-o') && !e.argv.includes('-c') && e.status !== 'hit').length;
}

function edit(file: string, change: (text: string) => string): void {
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`the edit did not change ${file}`);
  writeFileSync(file, after);
}

const EDITS: { name: string; file: string; change: (t: string) => string; cutoff: boolean }[] = [
  { name: 'a comment', file: 'lcorolib.c', change: (t) => t.replace('#include "lprefix.h"', '#include "lprefix.h"\n/* a comment edit */'), cutoff: true },
  { name: 'a code change', file: 'lcorolib.c', change: (t) => t.replace('"cannot close a %s coroutine"', '"cannot close the %s coroutine"'), cutoff: false },
  { name: 'a new header include', file: 'lstrlib.c', change: (t) => t.replace('#include <stdlib.h>', '#include <stdlib.h>\n#include <stdint.h>'), cutoff: true },
];

test('lua5.4: edits rebuild only what they change, byte-identical to clean builds', () => {
  const src = fetchLua();
  const store = scratch('pc-store-');
  const cold = runMemo(['make', '-s', '-j2', 'linux'], { cwd: src, store });
  assert.is(cold.status, 0, cold.stderr);
  assert.is(cold.stats.reused, 0);
  for (const e of EDITS) {
    sh('make -s clean', src);
    edit(join(src, 'src', e.file), e.change);
    const run = runMemo(['make', '-s', '-j2', 'linux'], { cwd: src, store });
    assert.is(run.status, 0, run.stderr);
    assert.equal(compilesThatRan(run), [e.file], `${e.name}: only ${e.file} compiles`);
    if (e.cutoff) assert.is(linksThatRan(run), 0, `${e.name}: an identical object file leaves the links alone`);
    else assert.is(linksThatRan(run), 2, `${e.name}: both programs link again`);
    const ref = join(scratch('pc-lua-ref-'), 'lua');
    cpSync(src, ref, { recursive: true });
    sh('make -s clean && make -s -j2 linux >/dev/null 2>&1', ref);
    for (const f of BUILT) {
      assert.ok(readFileSync(join(src, 'src', f)).equals(readFileSync(join(ref, 'src', f))), `${e.name}: src/${f} identical to a clean build`);
    }
  }
  // and the tree, rebuilt clean, reruns nothing it compiled: make itself runs again (the edits
  // left the sources' mtimes in another order, and make's entries depend on that order), and
  // every compile hits
  sh('make -s clean', src);
  const again = runMemo(['make', '-s', '-j2', 'linux'], { cwd: src, store });
  assert.equal(compilesThatRan(again), [], 'no compile reruns');
  assert.ok(again.stats.reused >= 33, `${again.stats.reused} reused`);
  assert.is(spawnSync(join(src, 'src', 'lua'), ['-e', 'print(1 + 1)'], { encoding: 'utf8' }).stdout, '2\n');
});

test.run();
