// The byte protocol between the tracer and TypeScript, without a tracer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeSpec, EventDecoder, EventType, payloadStrings, SPEC_MAGIC } from '../src/trace/protocol.js';
import { decodeProcessAttrs } from '../src/trace/process-attrs.js';

function record(type: number, pid: number, payload: string): Buffer {
  const body = Buffer.from(payload);
  const h = Buffer.alloc(32);
  h.writeUInt32LE(32 + body.length, 0);
  h.writeUInt16LE(type, 4);
  h.writeInt32LE(pid, 8);
  h.writeBigUInt64LE(1234n, 16);
  return Buffer.concat([h, body]);
}

test('records cut at any byte boundary decode the same', () => {
  const stream = Buffer.concat([record(EventType.flag, 7, 'tty\0'), record(EventType.access, 8, '/a\0/b\0'), record(EventType.done, 7, '')]);
  for (let cut = 0; cut <= stream.length; cut++) {
    const d = new EventDecoder();
    const events = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
    assert.equal(events.map((e) => [e.type, e.pid, payloadStrings(e.payload)]), [
      [EventType.flag, 7, ['tty']], [EventType.access, 8, ['/a', '/b']], [EventType.done, 7, []],
    ]);
    assert.is(d.leftover, 0);
  }
});

test('records cut into many reads anywhere, a large one among them, decode the same, each once', () => {
  const big = 'x'.repeat(5000);
  const records = Array.from({ length: 40 }, (_, i) => record(EventType.access, i, i === 17 ? `${big}\0` : `/p${i}\0`));
  const stream = Buffer.concat(records);
  let seed = 7;
  const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let round = 0; round < 200; round++) {
    const d = new EventDecoder();
    const events = [];
    for (let at = 0; at < stream.length;) {
      const n = Math.min(stream.length - at, 1 + next(round % 2 ? 40 : 3000));
      events.push(...d.push(stream.subarray(at, at + n)));
      at += n;
    }
    assert.equal(events.map((e) => [e.pid, payloadStrings(e.payload)[0]!.length]), records.map((_, i) => [i, i === 17 ? 5000 : `/p${i}`.length]), `round ${round}`);
    assert.is(d.leftover, 0);
  }
});

test('a corrupt length is an error, not a hang', () => {
  const bad = Buffer.alloc(32);
  bad.writeUInt32LE(4, 0);
  assert.throws(() => new EventDecoder().push(bad), /corrupt tracer stream/);
});

test('the spec carries the header, groups, fds and NUL-separated strings', () => {
  const b = encodeSpec({
    exe: '/bin/x', cwd: '/w', argv: ['x', 'ä'], env: ['A=1'], uid: 1000, gid: 100, groups: [100, 27], umask: 0o22, flags: 2,
    fds: [3, 9], sigIgnored: 1n << 63n, sigBlocked: 0x200n, pipeWaitMs: 50,
  });
  assert.is(b.readUInt32LE(0), SPEC_MAGIC);
  assert.equal([1, 2, 3, 4, 5, 6, 7, 9].map((i) => b.readUInt32LE(i * 4)), [2, 1000, 100, 0o22, 2, 2, 1, 2]);
  assert.equal([b.readBigUInt64LE(40), b.readBigUInt64LE(48)], [1n << 63n, 0x200n]);
  assert.is(b.readUInt32LE(56), 50);
  assert.equal([64, 68, 72, 76].map((at) => b.readUInt32LE(at)), [100, 27, 3, 9]);
  assert.equal(payloadStrings(b.subarray(80)), ['/bin/x', '/w', 'x', 'ä', 'A=1']);
  assert.is(b.readUInt32LE(32), b.length - 80);
});

test('an exec query\'s attributes: "?" is unknown, an fd line keeps a path with spaces, nothing sent is unknown', () => {
  const a = decodeProcessAttrs(['uid=0 0 0 0', 'groups=', 'rlimits=?', 'ns=', 'fd=3 file r 12 1f /a dir/in file.txt', 'fd=9 pipe w 0 2 pipe:[7]']);
  assert.is(a.uid, '0 0 0 0');
  assert.is(a.groups, '');
  assert.is(a.rlimits, undefined);
  assert.is(a.ns, '');
  assert.equal(a.fds, [
    { fd: 3, kind: 'file', mode: 'r', pos: 12, identity: '1f', path: '/a dir/in file.txt' },
    { fd: 9, kind: 'pipe', mode: 'w', pos: 0, identity: '2', path: 'pipe:[7]' },
  ]);
  assert.is(a.fdsUnknown, false);
  assert.is(decodeProcessAttrs(['fd=?']).fdsUnknown, true);
  assert.is(decodeProcessAttrs([]).fdsUnknown, true);
});

test.run();
