// Wrong replays a reviewer's hunt found on issue 10's shapes (3264698). Each case must agree with
// an untraced twin; each failed before its fix.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { twins, type TwinStep } from './twins.js';

const obs = (observe: string): TwinStep => ({ observe });
const chg = (change: string): TwinStep => ({ change });

test('a child appending by path to the file that is its stdout is not cached: its writes would be restored and replayed', () => {
  // cached, the inner sh's restore renamed a new log into place, and `cat t` then wrote into the
  // old, unlinked inode; and its `>> log` was recorded both as output and as the file's content
  const o = 'rm -f log; { sh -c "echo b >> log"; cat t; } >> log; cat log';
  const r = twins('echo 1 > t', [obs(o), chg('echo 2 > t'), obs(o)]);
  assert.is(r.mismatch, null, r.mismatch ?? '');
});

test('stdin from a pipe read through fd 3 copied from a saved fd >= 10 is read unseen', () => {
  // dup2(0, 11) is seen (to >= 10), and so is dup2(11, 3) now: a copy of stdin below 10, whose reads are not seen
  const o = 'cat t | bash -c "exec 11<&0; exec 3<&11 11<&-; read -u 3 x; echo got \\$x"';
  const r = twins('echo 1 > t', [obs(o), chg('echo 2 > t'), obs(o)]);
  assert.is(r.mismatch, null, r.mismatch ?? '');
});

test('a seek on a stdout that is a regular file: the replay appends what the program wrote in place (predates 7f7cb53)', () => {
  const o = 'cat t >/dev/null; /usr/bin/python3 -c "import os; os.write(1,b\'hello\\n\'); os.lseek(1,0,0); os.write(1,b\'J\')" > log; cat log';
  const r = twins('echo 1 > t', [obs(o), chg('echo 2 > t'), obs(o)]);
  assert.is(r.mismatch, null, r.mismatch ?? '');
});

test('a pwrite on stdout that is a regular file (predates 7f7cb53)', () => {
  const o = 'cat t >/dev/null; /usr/bin/python3 -c "import os; os.write(1,b\'hello\\n\'); os.pwrite(1,b\'J\',0)" > log; cat log';
  const r = twins('echo 1 > t', [obs(o), chg('echo 2 > t'), obs(o)]);
  assert.is(r.mismatch, null, r.mismatch ?? '');
});

test.run();
