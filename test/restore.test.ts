// Restores on real directories. An entry may come from a remote cache, so these feed it what a
// hostile one could hold and check that nothing lands outside the root: symlinks made by the entry
// or found in the tree, a directory swapped for a symlink while the restore runs, paths that climb
// out, and setuid bits.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keepsSetId, Restorer, RestoreError } from '../src/memo/restore.js';
import { Roots } from '../src/memo/paths.js';
import type { Entry, OutputState } from '../src/store/index.js';

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');

function entry(outputs: OutputState[]): Entry {
  return {
    version: 1, weak: hex('w'), strong: hex('s'), exe: '/bin/true', argv: ['true'], inputs: [], outputs,
    stream: null, exitCode: 0, durationMs: 10, createdAt: '', children: [],
  };
}

const blobs = new Map([[hex('x'), Buffer.from('x')]]);
type FileOutput = Extract<OutputState, { type: 'file' }>;
const file = (path: string, mode = 0o644): FileOutput => ({ path, type: 'file', blob: hex('x'), mode, size: 1 });

/** base/root, the allowed directory, and base/outside, which must stay empty */
function scene(): { base: string; root: string; outside: string; restorer: Restorer } {
  const base = mkdtempSync(join(tmpdir(), 'pc-restore-'));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  return { base, root, outside, restorer: new Restorer(new Roots(root), { keepSetId: false }) };
}

const refused = (pattern: RegExp) => (e: unknown): boolean => e instanceof RestoreError && pattern.test((e as Error).message);

test('a directory turned into a symlink out of the root between restores is refused', () => {
  const { root, outside, restorer } = scene();
  restorer.restore(entry([file('sub/a')]), blobs);
  assert.is(readFileSync(join(root, 'sub/a'), 'utf8'), 'x');
  restorer.restore(entry([{ path: 'sub/a', type: 'absent' }, { path: 'sub', type: 'absent' }]), blobs);
  restorer.restore(entry([{ path: 'sub', type: 'symlink', target: outside }]), blobs);
  assert.ok(lstatSync(join(root, 'sub')).isSymbolicLink());
  assert.throws(() => restorer.restore(entry([file('sub/b')]), blobs), refused(/sub is a symlink/));
  assert.not.ok(existsSync(join(outside, 'b')));
});

test('an entry that makes a symlink and writes beneath it is refused whole: nothing is written, inside or out', () => {
  const { root, outside, restorer } = scene();
  const outputs: OutputState[] = [file('first'), { path: 'a', type: 'symlink', target: outside }, file('a/deeper/b')];
  assert.throws(() => restorer.restore(entry(outputs), blobs), refused(/beneath .*\/a, which it makes a symlink/));
  assert.equal(readdirSync(outside), []);
  assert.equal(readdirSync(root), []);
  // a hard link beneath it is refused alike
  const linked: OutputState[] = [{ path: 'a', type: 'symlink', target: outside }, { ...file('c'), linkOf: 'a/b' }];
  assert.throws(() => restorer.restore(entry(linked), blobs), refused(/which it makes a symlink/));
  assert.equal(readdirSync(root), []);
});

test('a symlink in the tree that leads out is never written through, and no directory is made outside', () => {
  const { root, outside, restorer } = scene();
  symlinkSync(outside, join(root, 'link'));
  assert.throws(() => restorer.restore(entry([file('ok'), file('link/deep/x')]), blobs), refused(/link is a symlink, and a restore never writes through one/));
  assert.equal(readdirSync(outside), []);
  assert.not.ok(existsSync(join(root, 'ok')), 'refused before anything was written');
  // nor a link that stays inside: a recording names paths with their symlinks resolved
  mkdirSync(join(root, 'real'));
  symlinkSync('real', join(root, 'inner'));
  assert.throws(() => restorer.restore(entry([file('inner/x')]), blobs), refused(/inner is a symlink/));
  assert.equal(readdirSync(join(root, 'real')), []);
});

test('paths that climb out, absolute paths elsewhere and NULs are refused before anything is written', () => {
  const { base, root, outside, restorer } = scene();
  for (const path of ['../escape', 'a/../../escape', 'a/../b', './b', 'a//b', `${outside}/escape`, 'ok\0/../../escape']) {
    assert.throws(() => restorer.restore(entry([file('first'), file(path)]), blobs), refused(/no normal path|outside the allowed/), path);
  }
  assert.throws(() => restorer.restore(entry([{ ...file('c'), linkOf: '../escape' }]), blobs), refused(/no normal path/));
  assert.throws(() => restorer.restore(entry([{ path: '.', type: 'absent' }]), blobs), refused(/an allowed directory itself/));
  assert.not.ok(existsSync(join(base, 'escape')));
  assert.equal(readdirSync(outside), []);
  assert.equal(readdirSync(root), []);
});

test('an --allow directory is written into by absolute paths, made when not there yet; a symlink with a non-ASCII name is named', () => {
  const { base, root, outside } = scene();
  const extra = join(base, 'extra', 'deeper');
  const restorer = new Restorer(new Roots(root, [extra]), { keepSetId: false });
  restorer.restore(entry([file(`${extra}/sub/x`), file('in-root')]), blobs);
  assert.is(readFileSync(join(extra, 'sub/x'), 'utf8'), 'x');
  symlinkSync(outside, join(root, 'ünï'));
  assert.throws(() => restorer.restore(entry([file('ünï/x')]), blobs), refused(/\/ünï is a symlink/));
});

test('a file is written with its recorded mode, umask-stripped bits included', () => {
  const { root, restorer } = scene();
  restorer.restore(entry([file('group-writable', 0o664), file('plain', 0o755)]), blobs);
  assert.is(lstatSync(join(root, 'group-writable')).mode & 0o7777, 0o664);
  assert.is(lstatSync(join(root, 'plain')).mode & 0o7777, 0o755);
});

test("setuid and setgid bits are stripped unless the store is trusted and processcache is not root; the sticky bit and a directory's setgid stay", () => {
  assert.not.ok(keepsSetId(true, 0), 'not as root');
  assert.not.ok(keepsSetId(false, 1000), 'not from a remote cache');
  assert.ok(keepsSetId(true, 1000));
  const { root, restorer } = scene();
  writeFileSync(join(root, 'same'), 'x'); // the same bytes: its mode is set in place
  restorer.restore(entry([file('suid', 0o4755), file('all', 0o7777), file('same', 0o6755), { path: 'd', type: 'dir', mode: 0o3777 }]), blobs);
  assert.is(lstatSync(join(root, 'suid')).mode & 0o7777, 0o755);
  assert.is(lstatSync(join(root, 'all')).mode & 0o7777, 0o1777);
  assert.is(lstatSync(join(root, 'same')).mode & 0o7777, 0o755);
  // a setgid directory gives its group to what is made in it, nothing more (a setgid parent's
  // mkdir makes one, and a restore of it must too)
  assert.is(lstatSync(join(root, 'd')).mode & 0o7777, 0o3777);
  // told to keep them (a trusted store, not root), the recorded bits come back
  const keeping = new Restorer(new Roots(root), { keepSetId: true });
  keeping.restore(entry([file('kept', 0o4755)]), blobs);
  assert.is(lstatSync(join(root, 'kept')).mode & 0o7777, 0o4755);
  // a lookup takes no entry whose bits would be lost: it is a miss, and the program runs
  assert.match(restorer.obstacle(entry([file('suid', 0o4755)])) ?? '', /setuid or setgid bit/);
  assert.is(restorer.obstacle(entry([file('plain', 0o1755), { path: 'd', type: 'dir', mode: 0o2755 }])), null);
  assert.is(keeping.obstacle(entry([file('kept', 0o4755)])), null);
});

test('a restore replaces an empty directory, links a second name, removes what the entry removed and keeps non-empty directories', () => {
  const { root, restorer } = scene();
  mkdirSync(join(root, 'was-dir'));
  mkdirSync(join(root, 'full'));
  writeFileSync(join(root, 'full/data'), 'keep');
  writeFileSync(join(root, 'gone'), 'old');
  const done = restorer.restore(entry([
    file('was-dir'), { ...file('other'), linkOf: 'was-dir' }, { path: 'gone', type: 'absent' }, { path: 'never', type: 'absent' },
    { path: 'no/such/dir', type: 'absent' }, { path: 'to', type: 'symlink', target: '../anywhere' },
  ]), blobs);
  assert.is(readFileSync(join(root, 'was-dir'), 'utf8'), 'x');
  assert.is(statSync(join(root, 'other')).ino, statSync(join(root, 'was-dir')).ino);
  assert.not.ok(existsSync(join(root, 'gone')));
  assert.not.ok(existsSync(join(root, 'no')), 'nothing is made to remove nothing');
  assert.is(lstatSync(join(root, 'to')).isSymbolicLink(), true);
  assert.equal(done.removed, [join(root, 'gone')]);
  assert.equal(done.created.sort(), [join(root, 'other'), join(root, 'to')]);
  assert.throws(() => restorer.restore(entry([{ path: 'full', type: 'absent' }]), blobs), refused(/not empty/));
  assert.throws(() => restorer.restore(entry([file('full')]), blobs), refused(/full is a directory that is not empty/));
  assert.is(readFileSync(join(root, 'full/data'), 'utf8'), 'keep');
  // the same bytes already there keep the file's other names (a chmod's output)
  linkSync(join(root, 'was-dir'), join(root, 'third'));
  restorer.restore(entry([file('third', 0o600)]), blobs);
  assert.is(statSync(join(root, 'third')).ino, statSync(join(root, 'was-dir')).ino);
  assert.is(statSync(join(root, 'was-dir')).mode & 0o777, 0o600);
  // a new file the run made ends with one name, its bytes the same or not
  restorer.restore(entry([{ ...file('third', 0o640), newFile: true }]), blobs);
  assert.not.equal(statSync(join(root, 'third')).ino, statSync(join(root, 'was-dir')).ino);
  assert.is(statSync(join(root, 'was-dir')).mode & 0o777, 0o600);
  assert.is(statSync(join(root, 'third')).nlink, 1);
  assert.equal(readdirSync(root).filter((n) => n.includes('.pc-')), [], 'no temporary file is left');
});

// Swaps dir for a symlink to outside. Patient: once the restore has written f300, once, and
// keeps the symlink (a restore that resolves paths again writes the rest outside). Eager: over and
// over from the start, back to a fresh directory each time (the restore meets it half-made).
const RACER = `
const fs = require('fs');
const [dir, outside, how] = process.argv.slice(1);
process.stdout.write('go\\n');
if (how === 'patient') {
  while (!fs.existsSync(dir + '/f300'));
  fs.renameSync(dir, dir + '.away');
  fs.symlinkSync(outside, dir);
} else {
  for (let n = 0; ; n++) {
    try { fs.renameSync(dir, dir + '.' + n); } catch {}
    try { fs.symlinkSync(outside, dir); } catch {}
    try { fs.unlinkSync(dir); fs.mkdirSync(dir); } catch {}
  }
}`;

test('a directory swapped for a symlink to outside during a 3000-file restore never puts a file or a temporary file outside', async () => {
  const outputs = Array.from({ length: 3000 }, (_, i) => file(`d/f${i}`));
  for (let attempt = 0; attempt < 8; attempt++) {
    const { root, outside, restorer } = scene();
    mkdirSync(join(root, 'd'));
    const how = attempt % 2 ? 'patient' : 'eager';
    const racer = spawn(process.execPath, ['-e', RACER, join(root, 'd'), outside, how], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(racer, 'exit');
    let failure: unknown = null;
    try {
      await once(racer.stdout, 'data');
      restorer.restore(entry(outputs), blobs);
    } catch (e) {
      failure = e;
    } finally {
      if (racer.exitCode === null) racer.kill('SIGKILL');
      await exited;
    }
    // refused (it met the symlink on its way) or done (into the directory it reached): both fine
    if (failure !== null) assert.instance(failure, RestoreError, String(failure));
    assert.equal(readdirSync(outside), [], `attempt ${attempt} (${how})`);
  }
});

test.run();
