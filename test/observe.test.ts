// The per-path state machine on access sequences real programs make (the shapes seen in traces of
// make, gcc, ld, sed -i and mv), without running them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summarize, type InputSpec, type Step } from '../src/observe/index.js';
import type { Access } from '../src/trace/index.js';

const a = (op: Access['op'], path: string, result = 'ok', extra: Partial<Access> = {}): Step =>
  ({ kind: 'access', access: { op, path, result, ...extra } as Access });

/** What a new name depends on in its directory: there, its setgid bit and group, its default ACL. */
const madeIn = (path: string): InputSpec[] => [
  { path, kind: 'exists', type: 'dir' }, { path, kind: 'stat', type: 'dir', mode: -1, uid: -1, gid: -1 }, { path, kind: 'xattrs' },
];

test('a stat and then a read of one file are two inputs (make stats, cc1 reads)', () => {
  const s = summarize([a('probe', '/w/x.c', 'ok', { type: 'file' }), a('read', '/w/x.c')]);
  assert.equal(s.inputs, [{ path: '/w/x.c', kind: 'exists', type: 'file' }, { path: '/w/x.c', kind: 'content' }]);
});

test('what the subtree made before reading it is not an input', () => {
  const s = summarize([a('create', '/w/x.o', 'ok', { truncates: true }), a('read', '/w/x.o'), a('probe', '/w/x.o', 'ok', { type: 'file' })]);
  assert.equal(s.inputs, [...madeIn('/w'), { path: '/w/x.o', kind: 'replaceable' }], 'only what stood there, and the directory it was made in');
  assert.equal(s.outputs, ['/w/x.o']);
  assert.equal(s.created, ['/w/x.o']);
});

test('a create needs the path absent, a truncating one too (an existing file keeps its mode)', () => {
  assert.equal(summarize([a('create', '/t/ccA.s')]).inputs, [...madeIn('/t'), { path: '/t/ccA.s', kind: 'vacant' }]);
  assert.equal(summarize([a('create', '/w/o', 'ok', { truncates: true })]).inputs, [...madeIn('/w'), { path: '/w/o', kind: 'replaceable' }], 'an existing file would have kept its mode');
  assert.equal(summarize([a('create', '/w/o', 'ok', { exclusive: true })]).inputs, [...madeIn('/w'), { path: '/w/o', kind: 'vacant' }], 'O_EXCL fails on a dangling symlink too');
});

test('reading a file and then replacing it (sed -i) is not cacheable unless what it read was hashed', () => {
  const steps = (pinned?: Step): Step[] => [pinned ?? a('read', '/w/f'), a('create', '/w/sedX'), a('rename', '/w/sedX', 'ok', { to: '/w/f', destBefore: 'file' })];
  const s = summarize(steps());
  assert.is(s.cacheable, false);
  assert.is(s.reason, 'it reads /w/f and then changes it, before what it read could be hashed');
  // pinned (memo/pins.ts): the hash of what it read is the input, the new file the output
  const read: Step = { kind: 'access', access: { op: 'read', path: '/w/f', result: 'ok' }, pinned: { path: '/w/f', value: 'sha256:ab', at: 1, ns: null } };
  const p = summarize(steps(read));
  assert.is(p.cacheable, true, p.reason);
  assert.equal(p.inputs.find((i) => i.path === '/w/f' && i.kind === 'content')?.known, 'sha256:ab');
  assert.ok(p.outputs.includes('/w/f'));
});

test('rm -rf of a directory it opened and listed is cacheable: the names and types came with the event', () => {
  const seenDir = '41ed:1000:1:0:1:0:2:803:2:0:0';
  const s = summarize([a('read', '/w/d', 'ok', { seen: seenDir }), a('list', '/w/d', 'ok', { names: ['a'], types: 'f' }), a('delete', '/w/d/a'), a('rmdir', '/w/d')]);
  assert.is(s.cacheable, true, s.reason);
  assert.ok(s.inputs.some((i) => i.kind === 'listing' && i.path === '/w/d' && i.names.join() === 'a'));
  assert.ok(s.inputs.some((i) => i.kind === 'exists' && i.path === '/w/d' && i.type === 'dir'), 'a directory opened: there, and a directory');
  assert.equal(s.removed.sort(), ['/w/d', '/w/d/a']);
});

test("mv's failed RENAME_NOREPLACE is the destination's, and its stat of the destination is an input it may replace", () => {
  const seen = '81a4:4:1:0:1:0:3:803:1:0:0';
  const s = summarize([a('rename', '/w/x.Tpo', 'EEXIST', { to: '/w/x.Po' }), a('probe', '/w/x.Po', 'ok', { type: 'file', nofollow: true, seen }),
    a('rename', '/w/x.Tpo', 'ok', { to: '/w/x.Po', destBefore: 'file' })]);
  assert.is(s.cacheable, true, s.reason);
  assert.ok(s.inputs.some((i) => i.kind === 'exists' && i.path === '/w/x.Po' && i.nofollow), 'something stood at the destination');
  assert.ok(!s.inputs.some((i) => i.kind === 'exists' && i.path === '/w/x.Tpo'), 'not at the source');
});

test('a listing records what the directory held before the subtree changed it', () => {
  const s = summarize([
    a('create', '/w/d/new', 'ok', { truncates: true }), a('delete', '/w/d/old'),
    a('list', '/w/d', 'ok', { names: ['keep', 'new'] }),
  ]);
  const listing = s.inputs.find((i) => i.kind === 'listing');
  assert.equal(listing, { path: '/w/d', kind: 'listing', names: ['keep', 'old'] });
  assert.ok(s.inputs.some((i) => i.kind === 'exists' && i.path === '/w/d/old'), 'the delete needed it to exist');
});

test('failed changes are probes; device and self paths are not inputs', () => {
  const s = summarize([a('mkdir', '/w/d', 'EEXIST'), a('delete', '/w/gone', 'ENOENT'), a('read', '/dev/null'), a('read', '/proc/self/maps')]);
  assert.equal(s.inputs, [{ path: '/w/d', kind: 'exists', nofollow: true }, { path: '/w/gone', kind: 'absent' }], 'what stands there is typed at the recording');
  assert.equal(s.outputs, []);
});

test('a child served from cache brings its inputs and outputs, and what its restore created', () => {
  const s = summarize([
    { kind: 'replayed', inputs: [{ path: '/w/in', kind: 'content' }], outputs: ['/w/out'], created: ['/w/out'], removed: [], renewed: ['/w/out'], entryChanges: [['/w/out', 'added']] },
    a('read', '/w/out'), a('list', '/w', 'ok', { names: ['in', 'out'] }),
  ]);
  assert.equal(s.inputs, [{ path: '/w/in', kind: 'content' }, { path: '/w', kind: 'listing', names: ['in'] }]);
  assert.equal(s.created, ['/w/out']);
});

test('the outputs whose last change removed them are known, across children served from cache', () => {
  const s = summarize([
    a('create', '/w/tmp.s'), a('write', '/w/obj.o'), a('delete', '/w/tmp.s'),
    a('create', '/w/old'), a('rename', '/w/old', 'ok', { to: '/w/new', destBefore: 'absent' }),
    { kind: 'replayed', inputs: [], outputs: ['/w/obj.o', '/w/stale'], created: [], removed: ['/w/obj.o', '/w/stale'], renewed: [], entryChanges: [] },
    a('create', '/w/stale'),
  ]);
  assert.equal(s.removed.sort(), ['/w/obj.o', '/w/old', '/w/tmp.s']);
  assert.ok(s.outputs.includes('/w/stale') && s.outputs.includes('/w/new'));
});

test('a file made, removed or replaced at some time is a new file at the end; one changed in place is not', () => {
  const s = summarize([
    a('write', '/w/kept'), a('chmod', '/w/mode'), a('truncate', '/w/cut'),
    a('delete', '/w/again'), a('create', '/w/again'),
    a('create', '/w/t'), a('rename', '/w/t', 'ok', { to: '/w/over', destBefore: 'file' }),
    { kind: 'replayed', inputs: [], outputs: ['/w/child'], created: [], removed: [], renewed: ['/w/child'], entryChanges: [] },
  ]);
  assert.equal(s.renewed.filter((p) => p !== '/w/t').sort(), ['/w/again', '/w/child', '/w/over']);
});

test('a plain rename depends on what stood at its destination, as the tracer saw it at the call', () => {
  const onto = (destBefore: Access['destBefore'], result = 'ok'): ReturnType<typeof summarize> => summarize([a('rename', '/w/a', result, { to: '/w/b', ...(destBefore ? { destBefore } : {}) })]);
  assert.ok(onto('absent').inputs.some((i) => i.path === '/w/b' && i.kind === 'vacant'));
  assert.ok(onto('file').inputs.some((i) => i.path === '/w/b' && i.kind === 'exists' && i.type === 'file' && i.nofollow));
  assert.ok(onto('empty-dir').inputs.some((i) => i.path === '/w/b' && i.kind === 'listing' && i.names.length === 0), 'an empty directory is replaced');
  assert.ok(onto('file', 'EISDIR').inputs.some((i) => i.path === '/w/b' && i.kind === 'exists'), 'a failure depends on it too');
  assert.match(String(onto('full-dir', 'ENOTEMPTY').unmodelled), /holds files/);
  assert.match(String(onto(undefined).unmodelled), /not seen/);
});

test.run();
