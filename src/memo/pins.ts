// Pins: a read's content hashed while the file provably still held what the program read. The
// recording reads inputs after the execution ended, too late when the subtree itself changed the
// file after reading it (sed -i, a script rewriting the header it read), or when the parent did,
// right after the child ended (configure rewriting conftest.c). A pin is taken earlier: when the
// read's event arrives, or when the parent's wait returns the child (the tracer holds the parent
// there until the pins are taken). It is proof of what was read only when the file's identity
// then (device, inode, size, mtime, ctime) is the one the tracer's stat saw at the open, and no
// change since can have kept that identity: a write within the same timestamp tick as the file's
// last one, of the same size, leaves it as it was.
import { closeSync, constants, fstatSync, openSync, type BigIntStats } from 'node:fs';
import type { Access } from '../trace/index.js';
import { parseSeen, typeOfMode, type Pinned, type Seen } from '../observe/index.js';
import { digestFd, type FileHasher } from '../fingerprint/index.js';

/** As in fingerprint/hash.ts: a change within this long of the last one may keep its timestamps. */
const RACY_FINE_NS = 20_000_000n;
const RACY_COARSE_NS = 2_000_000_000n;
/** Date.now() has ms resolution, and the two clocks are read a moment apart */
const CLOCK_SLACK_NS = 2_000_000n;
/** A pin is taken while the process or its parent may be waiting: small files only. */
const PIN_MAX = 4 << 20;

function racyWindow(s: Pick<Seen, 'mtimeNs' | 'ctimeNs'>): bigint {
  return s.mtimeNs % 1_000_000_000n === 0n && s.ctimeNs % 1_000_000_000n === 0n ? RACY_COARSE_NS : RACY_FINE_NS;
}

function sameFile(seen: Seen, st: BigIntStats): boolean {
  return st.isFile() && st.ino === seen.ino && st.dev === seen.dev && Number(st.size) === seen.size &&
    st.mtimeNs === seen.mtimeNs && st.ctimeNs === seen.ctimeNs;
}

/** A time on the tracer's clock (ns since it started at tracerStartNs, CLOCK_MONOTONIC) in ns since the epoch. */
export function epochNsOf(tracerStartNs: bigint, tracerNs: number): bigint {
  return BigInt(Date.now()) * 1_000_000n - (process.hrtime.bigint() - (tracerStartNs + BigInt(Math.round(tracerNs))));
}

export interface PinClock {
  /** now, on the tracer's clock (ns since it started), or null */
  nowNs(): number | null;
  /** CLOCK_MONOTONIC when the tracer started, or null */
  tracerStartNs: bigint | null;
}

export class Pins {
  private readonly pinned = new WeakMap<Access, Pinned>();
  /** when each read under watch happened, on the tracer's clock */
  private readonly readAt = new WeakMap<Access, number>();
  /** reads a hold already looked at (pinned or not): an ancestor's hold skips them */
  private readonly considered = new WeakSet<Access>();
  /** one hash per file version within one pass */
  private pass = new Map<string, string | null>();
  /** versions whose timestamps were older than the racy window when hashed: a later change shows */
  private readonly settled = new Map<string, string>();
  taken = 0;
  refused = 0;

  constructor(private readonly hasher: FileHasher, private readonly clock: PinClock) {}

  of(access: Access): Pinned | undefined {
    return this.pinned.get(access);
  }

  noteRead(access: Access, timeNs: number | undefined): void {
    if (timeNs !== undefined) this.readAt.set(access, timeNs);
  }

  /**
   * Pins a read as its event arrives: the subtree may change the file next, so the hash is what
   * it read only if any change after the read must show in the file's timestamps, that is when
   * they were older than the racy window at the read.
   */
  atRead(access: Access, at: number): void {
    const seen = access.seen && access.path ? parseSeen(access.seen) : null;
    if (!seen || !this.settledAtRead(access, seen)) return;
    // a settled version's hash holds for every read that saw the same identity
    if (this.pass.size > 4096) this.endPass();
    this.pin(access, seen, at);
  }

  /**
   * Pins a read at a hold (the parent stopped at its wait, the reader's subtree ended): only a
   * process outside the subtree and its parent can have changed the file since the read, the
   * race a recording's own read has too. When a traced process changed it after the read (the
   * subtree itself), the hash is what was read only as atRead() says.
   */
  atHold(access: Access, at: number, changedSince: boolean): void {
    if (this.considered.has(access) || this.pinned.has(access)) return;
    this.considered.add(access);
    const seen = access.seen && access.path ? parseSeen(access.seen) : null;
    if (!seen) return;
    if (changedSince && !this.settledAtRead(access, seen)) return;
    this.pin(access, seen, at);
  }

  /** Whether atHold() may still pin this read (none has pinned it or looked at it yet). */
  mayPinAtHold(access: Access): boolean {
    return !this.considered.has(access) && !this.pinned.has(access);
  }

  /** Hashes within one hold are shared: the same version of a file read by several processes. */
  endPass(): void {
    this.pass = new Map();
  }

  private settledAtRead(access: Access, seen: Seen): boolean {
    const t = this.readAt.get(access);
    if (t === undefined || this.clock.tracerStartNs === null) return false;
    const readReal = epochNsOf(this.clock.tracerStartNs, t);
    const latest = seen.mtimeNs > seen.ctimeNs ? seen.mtimeNs : seen.ctimeNs;
    return latest < readReal - racyWindow(seen) - CLOCK_SLACK_NS;
  }

  private pin(access: Access, seen: Seen, at: number): void {
    // a FIFO's open would wait for a writer, and the parent waits for this: regular files only
    if (typeOfMode(seen.mode) !== 'file' || seen.size > PIN_MAX) return;
    const path = access.path!;
    const key = `${path}\0${access.seen}`;
    // a settled version's content is fixed: any change to it would show in its identity
    let value: string | null | undefined = this.settled.get(key) ?? this.pass.get(key);
    if (value === undefined) {
      value = this.hash(path, seen, key);
      this.pass.set(key, value);
    }
    if (value === null) {
      this.refused++;
      return;
    }
    this.taken++;
    this.pinned.set(access, { path, value, at, ns: this.clock.nowNs() });
  }

  /** The file's sha256 if it is the version seen, unchanged while it was read; else null. */
  private hash(path: string, seen: Seen, key: string): string | null {
    let fd: number;
    try {
      // non-blocking all the same: the path may name a FIFO by now
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      return null;
    }
    try {
      const before = fstatSync(fd, { bigint: true });
      if (!sameFile(seen, before)) return null;
      let digest = this.hasher.cached(path, before);
      if (digest === undefined) {
        digest = digestFd(fd)!;
        if (!sameFile(seen, fstatSync(fd, { bigint: true }))) return null;
      }
      const now = BigInt(Date.now()) * 1_000_000n;
      const window = racyWindow(seen);
      if (now - seen.mtimeNs > window && now - seen.ctimeNs > window) {
        if (this.settled.size > 65536) this.settled.clear();
        this.settled.set(key, `sha256:${digest}`);
      }
      return `sha256:${digest}`;
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }
}
