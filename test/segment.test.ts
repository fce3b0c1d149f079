// Index segments come from the network: parsing refuses what is malformed or too big, merging
// keeps every entry once at its latest use, and compaction keeps a segment within its bounds.
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compact, DEFAULT_LIMITS, mergeSegments, parseSegment, SEGMENT_FORMAT, SEGMENT_VERSION, serializeSegment, type Segment } from '../src/store/remote/segment.js';
import type { Entry } from '../src/store/index.js';

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');
const PACK = 'ab'.repeat(16);

function entry(name: string, weak = hex(`w${name}`)): Entry {
  return {
    version: 1, weak, strong: hex(`s${name}`), exe: '/bin/cc', argv: ['cc', name], inputs: [{ path: `${name}.c`, kind: 'content', value: hex(name) }] as Entry['inputs'],
    outputs: [{ path: `${name}.o`, type: 'file', blob: hex(`o${name}`), mode: 0o644, size: 3 }], stream: null, exitCode: 0,
    durationMs: 5, createdAt: '', children: [],
  };
}

function segment(entries: { name: string; usedAt: number; weak?: string }[]): Segment {
  const es = entries.map((e) => ({ usedAt: e.usedAt, entry: entry(e.name, e.weak) }));
  return {
    format: SEGMENT_FORMAT, version: SEGMENT_VERSION, createdAt: 1, packs: { [PACK]: 100 },
    blobs: Object.fromEntries(es.map((e) => [hex(`o${e.entry.argv[1]}`), PACK])), entries: es,
  };
}

test('a well-formed segment parses back to itself', () => {
  const s = segment([{ name: 'a', usedAt: 5 }, { name: 'b', usedAt: 6 }]);
  const parsed = parseSegment(serializeSegment(s));
  assert.ok(typeof parsed !== 'string');
  assert.equal(parsed.segment, s);
  assert.is(parsed.dropped, 0);
});

test('a malformed frame refuses the whole segment, with what is wrong', () => {
  const s = segment([{ name: 'a', usedAt: 5 }]);
  assert.match(String(parseSegment('{')), /not JSON/);
  const wire = JSON.parse(serializeSegment(s)) as Record<string, unknown>;
  assert.match(String(parseSegment(JSON.stringify({ ...wire, format: 'other' }))), /not a processcache index/);
  assert.match(String(parseSegment(JSON.stringify({ ...wire, version: 1 }))), /of version 1, not 2/);
  assert.match(String(parseSegment(JSON.stringify({ ...wire, inputs: [{ path: 'a.c', kind: 'content' }] }))), /input table holds a malformed input/);
  assert.match(String(parseSegment(serializeSegment({ ...s, packs: { '../x': 1 } }))), /pack \.\.\/x is malformed/);
  assert.match(String(parseSegment(serializeSegment({ ...s, blobs: { [hex('z')]: 'f'.repeat(32) } }))), /names no listed pack/);
  assert.match(String(parseSegment('x'.repeat(200), { ...DEFAULT_LIMITS, maxBytes: 100 })), /over the 100 bound/);
  assert.match(String(parseSegment(serializeSegment(segment([{ name: 'a', usedAt: 1 }, { name: 'b', usedAt: 1 }])), { ...DEFAULT_LIMITS, maxEntries: 1 })), /2 entries, over the 1 bound/);
});

test('a bad entry, or one whose blob no pack holds, is dropped alone', () => {
  const s = segment([{ name: 'a', usedAt: 5 }, { name: 'b', usedAt: 6 }]);
  const hostile = JSON.parse(serializeSegment(s)) as { entries: { entry: { outputs: { path: string; blob: string }[] } }[]; blobs: Record<string, string> };
  hostile.entries[0]!.entry.outputs[0]!.blob = 'not-a-hash';
  delete hostile.blobs[hex('ob')];
  const parsed = parseSegment(JSON.stringify(hostile));
  assert.ok(typeof parsed !== 'string');
  assert.is(parsed.segment.entries.length, 0);
  assert.is(parsed.dropped, 2);
  const outOfTable = JSON.parse(serializeSegment(s)) as { entries: { entry: { inputs: unknown[] } }[] };
  outOfTable.entries[0]!.entry.inputs = [7];
  outOfTable.entries[1]!.entry.inputs = [-1, 'x'];
  const refs = parseSegment(JSON.stringify(outOfTable));
  assert.ok(typeof refs !== 'string');
  assert.is(refs.dropped, 2, 'an input index outside the table drops its entry');
});

test('entries that share inputs name each once on the wire', () => {
  const shared = Array.from({ length: 200 }, (_, i) => ({ path: `/usr/include/h${i}.h`, kind: 'content', value: `sha256:${hex(`h${i}`)}` })) as Entry['inputs'];
  const s = segment(Array.from({ length: 50 }, (_, i) => ({ name: `c${i}`, usedAt: i })));
  for (const ie of s.entries) ie.entry.inputs = [...ie.entry.inputs, ...shared];
  const text = serializeSegment(s);
  assert.ok(text.length * 10 < JSON.stringify(s).length, `${text.length} bytes against ${JSON.stringify(s).length}`);
  const parsed = parseSegment(text);
  assert.ok(typeof parsed !== 'string');
  assert.equal(parsed.segment, s);
});

test('merging keeps each entry once, at its latest use', () => {
  const merged = mergeSegments([segment([{ name: 'a', usedAt: 5 }, { name: 'b', usedAt: 9 }]), segment([{ name: 'a', usedAt: 7 }, { name: 'c', usedAt: 1 }])]);
  const uses = Object.fromEntries(merged.entries.map((ie) => [ie.entry.argv[1], ie.usedAt]));
  assert.equal(uses, { a: 7, b: 9, c: 1 });
});

test('compaction drops entries unused for too long, keeps a few candidates per command and stays under its bounds', () => {
  const now = 10 * 24 * 3600 * 1000;
  const old = segment([{ name: 'old', usedAt: now - 8 * 24 * 3600 * 1000 }, { name: 'new', usedAt: now - 1000 }]);
  assert.equal(compact(old, now).segment.entries.map((ie) => ie.entry.argv[1]), ['new']);
  assert.equal(Object.keys(compact(old, now).segment.blobs), [hex('onew')]);
  const sameCommand = segment(Array.from({ length: 12 }, (_, i) => ({ name: `v${i}`, usedAt: now - i, weak: hex('one command') })));
  const kept = compact(sameCommand, now, { ...DEFAULT_LIMITS, maxPerWeak: 3 }).segment.entries.map((ie) => ie.entry.argv[1]);
  assert.equal(kept, ['v0', 'v1', 'v2']);
  const many = segment(Array.from({ length: 2000 }, (_, i) => ({ name: `e${i}`, usedAt: now - i })));
  const bounded = compact(many, now, { ...DEFAULT_LIMITS, maxBytes: 200_000 });
  assert.ok(bounded.text.length <= 200_000, `${bounded.text.length} bytes`);
  assert.ok(bounded.segment.entries.length > 100);
  assert.is(bounded.segment.entries[0]!.entry.argv[1], 'e0', 'the most recently used stay');
  assert.ok(typeof parseSegment(bounded.text) !== 'string');
});

test.run();
