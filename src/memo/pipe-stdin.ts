// A pipe on stdin whose bytes are all known at the exec: no process holds its write end any more
// (`echo $x | cmd`, or `a | b` where a, run or replayed, has ended), so everything it will ever
// deliver is in its buffer. The bytes are taken out and put back while the reader waits at its
// exec, and their hash keys the reader like any input: a stage of a pipeline is then reused on its
// own, not only as part of the script that made the pipe.
import { closeSync, constants, openSync, readdirSync, readFileSync, readlinkSync, readSync, writeSync } from 'node:fs';
import { sha256 } from '../fingerprint/index.js';
import { fdFlags } from '../trace/index.js';
import { identityAt } from './attributes.js';

export interface PipeStdin {
  /** the pipe, as the tracer names open files (native/paths.c identity_text) */
  id: string;
  sha256: string;
  /** the bytes end with a deferred replay's output, not written yet (its writer is held) */
  pending?: boolean;
}

/** A replay's output held back (native: defer_ms) from the pipe it goes into, until the exec of
 * the pipe's reader: a reader keyed on it and replayed too drops it. sha256: the bytes' hash
 * (the stream blob's, checked when it was fetched). */
export interface PendingOutput { writer: number; bytes: Buffer; sha256: string }

/** A pipe whose bytes are not all there yet: a process other than its reader can still write. */
export interface PipeUnfinished {
  unfinished: string;
  /** a process that holds its write end (none: a writer showed up while it was read) */
  writers: number[];
}

/** A pipe another traced process holds a read end of: it could take bytes this reader's replay
 * leaves behind. Often for a moment only: a shell's fork holds the read end of the pipe made for
 * its own output until it closes it before its exec. */
export interface PipeShared {
  shared: string;
  reader: number;
}

/** Why the pipe's bytes are not all known yet: writers when only other processes that can still
 * write into it stand in the way (their ends, once closed, make the bytes known); reader when
 * another process could read it. */
interface Holder { why: string; writers?: number[]; reader?: number }

const LOW_40 = (1n << 40n) - 1n;

/** Each fd of a traced process that holds the pipe id open, with its flags (null: unreadable). */
function* openEnds(id: string, pids: Iterable<number>): Generator<{ pid: number; fd: string; flags: number | null }> {
  // an anonymous pipe's link reads "pipe:[INODE]", and the identity's low 40 bits are its inode's
  // (native/paths.c identity_of): a readlink rules out other pipes, cheaper than a stat each
  const low = /^[0-9a-f]{1,16}$/.test(id) ? (BigInt(`0x${id}`) ^ 1n) & LOW_40 : null;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // ended meanwhile
    }
    for (const fd of fds) {
      const path = `/proc/${pid}/fd/${fd}`;
      let target: string;
      try {
        target = readlinkSync(path);
      } catch {
        continue; // closed meanwhile
      }
      if (low !== null && target.startsWith('pipe:[') && (BigInt(target.slice(6, -1)) & LOW_40) !== low) continue;
      if (identityAt(path) === id) yield { pid, fd, flags: fdFlags(pid, fd) };
    }
  }
}

/** Why another traced process could still change what the pipe delivers to pid, or null. */
function otherHolder(id: string, pid: number, pids: Iterable<number>): Holder | null {
  let writer: { why: string; writers: number[] } | null = null;
  for (const { pid: other, fd, flags } of openEnds(id, pids)) {
    if (flags === null) return { why: `process ${other} holds it (fd ${fd}) in a way that cannot be read` };
    if ((flags & 3) !== constants.O_RDONLY) {
      // a packet-mode writer (pipe2(O_DIRECT) sets the write end only): a read takes one write
      if ((flags & constants.O_DIRECT) !== 0) return { why: `process ${other} writes into it in packet mode (O_DIRECT, fd ${fd})` };
      const why = `process ${other} can still write into it (fd ${fd})`;
      if (other === pid) return { why }; // its own end: that never closes before it runs
      writer ??= { why, writers: [] };
      if (!writer.writers.includes(other)) writer.writers.push(other);
      continue;
    }
    // another reader would take bytes this one's replay leaves behind
    if (other !== pid) return { why: `process ${other} reads it too (fd ${fd})`, reader: other };
  }
  return writer;
}

/** Every traced process that holds the pipe id open, with whether it holds a write end; null when
 * an fd's mode cannot be read. */
export function pipeHolders(id: string, pids: Iterable<number>): { pid: number; writes: boolean }[] | null {
  const out: { pid: number; writes: boolean }[] = [];
  for (const { pid, flags } of openEnds(id, pids)) {
    if (flags === null) return null;
    out.push({ pid, writes: (flags & 3) !== constants.O_RDONLY });
  }
  return out;
}

const READ_SIZE = 65536;

/** What a pipe held: its bytes as read, and whether they came in packets (a read that took less
 * than asked while more was there: each write of a packet-mode writer is read alone). */
interface Drained { parts: Buffer[]; packets: boolean }

let pipeMaxSize: number | undefined;

/** The most a pipe can hold (fs.pipe-max-size; root may raise it, 1 MiB by default). */
function pipeCapacity(): number {
  try {
    pipeMaxSize ??= Number(readFileSync('/proc/sys/fs/pipe-max-size', 'utf8')) || 1 << 20;
  } catch {
    pipeMaxSize = 1 << 20;
  }
  return pipeMaxSize;
}

/** Reads the pipe empty (no writer: it ends at the end of its buffer); null if a writer showed up.
 * All of it: bytes put back behind some left unread would reorder them. More than a pipe holds
 * means a writer nobody knew of: then the bytes go back, and nothing is keyed. */
function drain(path: string, writerHeld = false): Drained | null {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const taken: Drained = { parts: [], packets: false };
  try {
    for (let total = 0; ;) {
      if (total > pipeCapacity()) {
        putBack(path, taken);
        return null;
      }
      const buf = Buffer.alloc(READ_SIZE);
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        if (writerHeld) return taken; // its only writer is held at its exec: nothing more comes now
        putBack(path, taken);
        return null;
      }
      if (n === 0) return taken;
      if (taken.parts.length && taken.parts[taken.parts.length - 1]!.length < READ_SIZE) taken.packets = true;
      taken.parts.push(buf.subarray(0, n));
      total += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Puts the bytes taken out back into the pipe, which the reader has not read from yet: it was
 * emptied, and nothing else writes into it, so they fit. Packets, were there any, go back merged:
 * which of the bytes were packets a read cannot tell (a packet and plain bytes after it come out
 * in one read), so none is put back as one; the engine reads no pipe ahead once a traced process
 * made one in packet mode, and this only keeps the bytes. */
function putBack(path: string, taken: Drained): void {
  if (!taken.parts.length) return;
  const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    const all = Buffer.concat(taken.parts);
    for (let off = 0; off < all.length;) off += writeSync(fd, all, off);
  } finally {
    closeSync(fd);
  }
}

/**
 * What the pipe on pid's fd 0 will deliver, with the bytes left in place; or why it is not known.
 * pid waits at its exec (stopped by the tracer), and pids are the traced processes. The pipe must
 * have been made inside the traced command (the caller checks): only then is every process that
 * could hold it among pids (one outside may write on, or read after a skipped reader).
 */
export function capturePipeStdin(pid: number, stdinId: string, pids: Iterable<number>, pending?: PendingOutput): PipeStdin | PipeUnfinished | PipeShared | string {
  const path = `/proc/${pid}/fd/0`;
  try {
    // a FIFO can get a writer by its name at any time: only an anonymous pipe is ever finished
    if (!readlinkSync(path).startsWith('pipe:[')) return 'its stdin is a named pipe, which any process may open and write';
    if (identityAt(path) !== stdinId) return 'its stdin changed after its exec began';
    // packet mode: a read takes one write's bytes, and one write back would merge them
    const flags = fdFlags(pid, 0);
    if (flags === null || (flags & constants.O_DIRECT) !== 0) return 'its stdin is a pipe in packet mode (O_DIRECT)';
    const holder = otherHolder(stdinId, pid, pids);
    if (pending && holder?.writers?.length === 1 && holder.writers[0] === pending.writer) {
      // what is there now, then what the held replay will write
      const taken = drain(path, true);
      if (taken === null) return 'its stdin is a pipe that something still writes into';
      putBack(path, taken);
      if (taken.packets) return 'its stdin is a pipe written in packet mode (O_DIRECT): its packets are not known';
      const hash = taken.parts.length ? sha256(Buffer.concat([...taken.parts, pending.bytes])) : pending.sha256;
      return { id: stdinId, sha256: hash, pending: true };
    }
    if (holder?.reader !== undefined) return { shared: `its stdin is a pipe that ${holder.why}`, reader: holder.reader };
    if (holder?.writers) return { unfinished: `its stdin is a pipe that ${holder.why}`, writers: holder.writers };
    if (holder) return `its stdin is a pipe that ${holder.why}`;
    const taken = drain(path);
    if (taken === null) return { unfinished: 'its stdin is a pipe that something still writes into', writers: [] };
    putBack(path, taken);
    if (taken.packets) return 'its stdin is a pipe written in packet mode (O_DIRECT): its packets are not known';
    return { id: stdinId, sha256: sha256(Buffer.concat(taken.parts)) };
  } catch (e) {
    return `its stdin (a pipe) could not be read ahead (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}
