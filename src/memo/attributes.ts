// What a process inherits besides its program, arguments, cwd, environment and standard streams,
// and how each enters the memo: in every process's weak fingerprint (what any program may act on
// without a syscall the tracer sees), in an entry only when its subtree read it (affinity and
// uname: most programs never look, and keying every process on them would end reuse across
// runners of other sizes or names), as an input (a file inherited open for reading), or as a
// reason not to cache (an fd whose traffic is not captured).
import { closeSync, constants, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { scratchBuffer } from '../fingerprint/index.js';
import type { Entry } from '../store/index.js';
import { procStatFields, STREAM_START_KEYS, type InheritedFd, type ProcessAttrs } from '../trace/index.js';
import { SELF_STATE_FILES } from '../trace/own-proc.js';

/** In every weak fingerprint, with what to call each when it cannot be read. */
const KEYED = {
  uid: 'user ids', gid: 'group ids', groups: 'supplementary groups', sigign: 'ignored signals',
  sigblk: 'blocked signals', ctty: 'controlling terminal', rlimits: 'resource limits', ns: 'namespaces',
} as const satisfies Partial<Record<keyof ProcessAttrs, string>>;

/** Of the selfstate settings, those a syscall reads too: in every weak fingerprint. */
const SELF_KEPT: readonly RegExp[] = ['personality', 'timerslack_ns'].map((name) => new RegExp(`(?:^| )${name}=(\\S*)`));

/** In every weak fingerprint too, as sent: a kernel too old to show one never shows it. */
const KEYED_IF_SHOWN = ['capinh', 'capprm', 'capeff', 'capbnd', 'capamb', 'nnp', 'thp', 'sched', 'sigpnd', 'shdpnd'] as const satisfies readonly (keyof ProcessAttrs)[];

/** Read through a trapped syscall (sched_getaffinity, uname): the two-phase attributes. */
const OBSERVED: ReadonlySet<string> = new Set(['affinity', 'uname', 'winsize', 'selfstate', 'stdinKind', ...STREAM_START_KEYS]);

/** How a miss names an observed attribute that differs. */
const OBSERVED_TITLES: Readonly<Record<string, string>> = {
  stdoutStart: 'where its output starts in its stdout file (a program there looked: fstat or lseek)',
  stderrStart: 'where its output starts in its stderr file (a program there looked: fstat or lseek)',
  winsize: "its terminal's size (a program there asked: TIOCGWINSZ)",
  selfstate: 'its settings read in its own /proc entry (oom_score_adj, coredump_filter, personality...)',
  stdinKind: 'what its stdin was (a program there read it)',
};

/** A process's inherited state, as the memo uses it. */
export interface ProcessView {
  /** why it can be neither looked up nor recorded */
  refused: string | null;
  /** its part of the weak fingerprint */
  key: unknown;
  /** files it inherits open for reading: inputs of its execution, as if read at its exec (pos: the offset then) */
  reads: { fd: number; path: string; pos: number }[];
  /** files it inherits open for writing only, as they were at its exec: it must leave them so */
  writes: { fd: number; path: string; pos: number; size: number }[];
  /** its values of the observed attributes (absent: unknown) */
  observed: Partial<Record<string, string>>;
  /** fds 1 and 2 that were regular files, with their offsets at the exec and their paths */
  streamStarts: { fd: number; pos: number; size?: number; path: string; append?: boolean }[];
  /** it kept CAP_DAC_OVERRIDE and CAP_FOWNER, as root: permission bits, owners and ACLs never refused it */
  privileged: boolean;
  /** its file-system uid is processcache's own: what this process may not look at, it could not either */
  ownUser: boolean;
}

/** The capabilities that make permission bits and owners moot (linux/capability.h): reads,
 * writes and searches (CAP_DAC_OVERRIDE), and an owner's checks, chmod, utime and a sticky
 * directory's (CAP_FOWNER). */
const OVERRIDES = [1n, 3n];
/** The setuid bit of st_mode (sys/stat.h); Node names it only on some platforms. */
const S_ISUID = 0o4000;

/** Whether a capability mask holds every override; a mask not shown or not read: no. */
function holdsOverride(mask: string | undefined): boolean {
  if (mask === undefined || !/^[0-9a-f]{1,16}$/i.test(mask)) return false;
  const bits = BigInt(`0x${mask}`);
  return OVERRIDES.every((bit) => ((bits >> bit) & 1n) === 1n);
}

/** Whether a process looks at files as processcache does: its file-system uid and gid, and its
 * supplementary groups (hunt 62: `sg grp` adds one processcache lacks). */
function sameCredentials(p: ProcessAttrs): boolean {
  const fsuid = (p.uid ?? '').split(' ')[3], fsgid = (p.gid ?? '').split(' ')[3];
  if (fsuid !== String(process.geteuid?.() ?? -1) || fsgid !== String(process.getegid?.() ?? -1)) return false;
  const mine = new Set((process.getgroups?.() ?? []).map(String));
  const theirs = (p.groups ?? '').split(' ').filter(Boolean);
  return theirs.every((g) => mine.has(g));
}

/**
 * Whether the program an exec runs keeps CAP_DAC_OVERRIDE and CAP_FOWNER. The attributes are
 * read at the execve's entry, before the kernel recomputes the capabilities: `setpriv --reuid`
 * keeps them until then, and a program run with a uid other than 0 gets only its ambient set.
 * So: every uid 0 (access(2) checks by the real one, without capabilities: hunt 58), both bits
 * in the effective and bounding sets, the tracer's user namespace, and a program without a
 * setuid bit that would make it another user. Anything unsure: no.
 */
export function keepsPermissionOverride(p: ProcessAttrs, exe: string): boolean {
  const uids = (p.uid ?? '').split(' ');
  if (uids.length !== 4 || uids.some((u) => u !== '0') || !holdsOverride(p.capeff) || !holdsOverride(p.capbnd)) return false;
  // root in a user namespace of its own overrides only for the owners mapped there (hunt 60:
  // `unshare -r cat f` of a file nobody owns is checked by its bits)
  if (p.ns === undefined || p.ns === '?' || /(?:^| )user:/.test(p.ns)) return false;
  try {
    const st = statSync(exe);
    return (st.mode & S_ISUID) === 0 || st.uid === 0;
  } catch {
    return false;
  }
}

/** Where a jobserver is announced: make's variables, and cargo's for rustc and build scripts. */
const JOBSERVER_VARS = ['MAKEFLAGS=', 'MFLAGS=', 'CARGO_MAKEFLAGS='];

/** make's jobserver: the fds (or fifo) named in MAKEFLAGS carry tokens, not data. */
function jobserverOf(env: string[]): { fds: Set<number>; fifo: string | null } {
  const flags = env.filter((e) => JOBSERVER_VARS.some((v) => e.startsWith(v))).join(' ');
  const fds = new Set<number>();
  for (const m of flags.matchAll(/--jobserver-(?:auth|fds)=(\d+),(\d+)/g)) {
    fds.add(Number(m[1]));
    fds.add(Number(m[2]));
  }
  return { fds, fifo: /--jobserver-auth=fifo:(\S+)/.exec(flags)?.[1] ?? null };
}

/** A file's size now, or null. */
function sizeAt(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

/** The open file a path names now, in the tracer's mix of device and inode (native/paths.c). */
export function identityAt(path: string): string | null {
  try {
    const st = statSync(path, { bigint: true });
    return (((st.dev << 40n) ^ st.ino ^ 1n) & 0xffffffffffffffffn).toString(16);
  } catch {
    return null;
  }
}

/** Which open files this process's fds 1 and 2 name, as an exec query says it: for `explain`. */
export function ownStreams(): Streams {
  return [identityAt('/proc/self/fd/1') ?? '', identityAt('/proc/self/fd/2') ?? ''];
}

/** What passes through an fd of each kind the tracer does not see. */
const UNSEEN: Record<string, string> = {
  pipe: 'a pipe: what passes through it is not captured',
  socket: 'a socket: what passes through it is not captured',
  dir: 'a directory: what it does there through the fd is not modelled',
  tty: 'a terminal: what passes through it is not captured',
  char: 'a device: what passes through it is not captured',
};

type FdUse = { key: string | null; read?: string; write?: { path: string; pos: number; size: number } } | { refused: string };

/** Which open files fds 1 and 2 named at the exec (hex identities, '' when closed). */
export type Streams = readonly [string, string];

function useOf(f: InheritedFd, jobserver: { fds: Set<number>; fifo: string | null }, streams: Streams): FdUse {
  if (f.kind === 'pipe' && (jobserver.fds.has(f.fd) || f.path === jobserver.fifo)) return { key: null };
  // `exec 3>&1; cmd >&3`: the tracer sees every write and gives what lands in a stream to that
  // stream, whichever fd carried it
  const stream = f.identity && f.fd !== 0 ? streams.indexOf(f.identity) : -1; // '' is in no stream
  if (stream >= 0) return { key: `${f.fd} stream ${stream + 1} ${f.mode}` };
  if (f.kind === 'null') return { key: `${f.fd} null ${f.mode}` };
  const inherits = `it inherits fd ${f.fd}`;
  if (f.kind !== 'file') return { refused: `${inherits} (${f.path}), ${UNSEEN[f.kind] ?? 'an open file the tracer cannot follow'}` };
  if (f.path.endsWith(' (deleted)')) return { refused: `${inherits}, open on a deleted file (${f.path}): what it reads there cannot be looked at again` };
  if (f.mode === 'rw') return { refused: `${inherits}, open for reading and writing on ${f.path}: what it does there is not captured` };
  // the content is looked up by path: the fd must still name the file there
  if (!f.path.startsWith('/') || identityAt(f.path) !== f.identity) return { refused: `${inherits}, open on a file no longer at ${f.path}` };
  if (f.mode === 'w') {
    // configure's `exec 5>>config.log`: cacheable if it leaves the file as it found it (recording
    // checks the offset and the size at its end); where a write would go is no input then
    const size = sizeAt(f.path);
    if (size === null) return { refused: `${inherits}, open for writing on ${f.path}, which cannot be looked at` };
    return { key: `${f.fd} file w ${f.path}`, write: { path: f.path, pos: f.pos, size } };
  }
  return { key: `${f.fd} file r ${f.pos} ${f.path}`, read: f.path };
}

/**
 * stdinKind: what fd 0 was at the exec (a terminal, /dev/null, a pipe...). The weak key holds only
 * terminal, closed or neither (make -j hands its stdin to one job at a time, another kind to the
 * rest), and a file there is keyed with the inherited fds; so what it was is keyed only where the
 * subtree read it: /dev/null's end is the kind's doing (hunt 50: `wc -c` recorded on /dev/null
 * was replayed for a pipe still being written).
 */
export function viewOf(p: ProcessAttrs, env: string[], execStreams: Streams, stdinKind: string, exe: string): ProcessView {
  // identity 0: the fd was closed at the exec
  const streams: Streams = [execStreams[0] === '0' ? '' : execStreams[0], execStreams[1] === '0' ? '' : execStreams[1]];
  const view: ProcessView = { refused: null, key: null, reads: [], writes: [], observed: { stdinKind }, streamStarts: p.streamStarts ?? [],
    privileged: keepsPermissionOverride(p, exe), ownUser: sameCredentials(p) };
  for (const name of OBSERVED) {
    const value = p[name as keyof ProcessAttrs];
    if (typeof value === 'string') view.observed[name] = value;
  }
  // where its output lands in a file stream: 0 for `> out`, the log's size so far for `>> log`.
  // A program can see it (fstat(1)'s size, lseek(1, 0, SEEK_CUR); Python prints it, hunt 7), and
  // one that looks is keyed on it. Keying every process on it would end reuse into a growing log
  // (`2>>build.log`, and `make -j2 > log`, whose children start wherever the others left it).
  STREAM_START_KEYS.forEach((name, i) => {
    view.observed[name] = String(view.streamStarts.find((s) => s.fd === i + 1)?.pos ?? 'not a file');
  });
  const key: Record<string, unknown> = {};
  for (const [name, what] of Object.entries(KEYED)) {
    const value = p[name as keyof typeof KEYED];
    if (value === undefined) {
      view.refused ??= `its ${what} could not be read at its exec`;
      continue;
    }
    key[name] = value;
  }
  for (const name of KEYED_IF_SHOWN) key[name] = p[name] ?? '-';
  // of the settings read in its own /proc entry, those a program also gets by a syscall (setarch's
  // personality(2), prctl's timer slack: hunt 34) are in every key; the rest only where read
  key.selfKept = SELF_KEPT.map((field) => field.exec(p.selfstate ?? '')?.[1] ?? '-');
  if (p.fdsUnknown) view.refused ??= 'the fds it inherits could not be listed at its exec';
  const jobserver = jobserverOf(env);
  const fds: string[] = [];
  for (const f of p.fds) {
    const use = useOf(f, jobserver, streams);
    if ('refused' in use) {
      view.refused ??= use.refused;
      continue;
    }
    if (use.key) fds.push(use.key);
    if (use.read) view.reads.push({ fd: f.fd, path: use.read, pos: f.pos });
    if (use.write) view.writes.push({ fd: f.fd, ...use.write });
  }
  key.fds = fds;
  // the tracer files a write by the stream it lands in, and when fds 1 and 2 name one file, by the
  // fd written: a replay into two files must not take stderr's bytes for stdout's
  key.oneStream = streams[0] !== '' && streams[0] === streams[1];
  view.key = key;
  return view;
}

/** The observed attributes of a subtree, with the values its execution ran with, or why they cannot be had. */
export function recordedAttributes(names: Iterable<string>, view: ProcessView | undefined): Entry['attributes'] | string {
  const out: { name: string; value: string }[] = [];
  for (const name of [...new Set(names)].sort()) {
    const value = view?.observed[name];
    if (value === undefined) return `it reads its ${name}, which could not be read at its exec`;
    out.push({ name, value });
  }
  return out.length ? out : undefined;
}

/**
 * Where the execution left the offset of each file it inherited open for reading, or why that
 * is unknown: a replay must leave it there, for the parent that shares the open file reads on.
 */
export function endOffsets(view: ProcessView | undefined, ends: { fd: number; pos: number; size: number; others: boolean }[] | undefined): Entry['offsets'] | string {
  const out: { fd: number; pos: number }[] = [];
  for (const { fd, pos } of view?.reads ?? []) {
    const end = ends?.find((e) => e.fd === fd);
    if (!end) return `where it left the offset of fd ${fd}, which it inherited, is unknown`;
    // a replay moves the offset at its exec: by the other's reads too, which then come again (hunt 44)
    if (end.others && end.pos !== pos) return `the offset of fd ${fd}, which it inherited, moved while another process that shares the open file read too: which of them moved it is not known`;
    out.push({ fd, pos: end.pos });
  }
  // a file it inherited open for writing: a replay writes nothing there, so it must have written nothing
  for (const w of view?.writes ?? []) {
    const end = ends?.find((e) => e.fd === w.fd);
    if (!end || end.pos !== w.pos || end.size !== w.size) {
      return `it inherits fd ${w.fd}, open for writing on ${w.path}, and ${end ? 'wrote there (or something did while it ran)' : 'whether it wrote there is unknown'}: a replay would not`;
    }
  }
  return out.length ? out : undefined;
}

/** Most offsets a reply carries (native/attrs.c's SEEKS_CAP). */
const MAX_SEEKS = 64;

/** An entry's offsets as a replay's seeks (untrusted: it may come from a remote), or why not. */
export function seeksOf(entry: Entry): { fd: number; pos: number }[] | string {
  const offsets: unknown = entry.offsets;
  if (offsets === undefined) return [];
  const valid = (o: unknown): o is { fd: number; pos: number } => {
    const { fd, pos } = (o ?? {}) as { fd?: unknown; pos?: unknown };
    // stdin or an fd >= 3: a replay's own writes move the offsets of fds 1 and 2
    const seekable = fd === 0 || (Number.isInteger(fd) && (fd as number) >= 3);
    return seekable && Number.isSafeInteger(pos) && (pos as number) >= 0;
  };
  if (!Array.isArray(offsets) || offsets.length > MAX_SEEKS || !offsets.every(valid)) return 'its recorded offsets are malformed';
  return offsets;
}

/** The observed attributes an entry names (untrusted: it may come from a remote). */
export function observedNames(entry: Entry): string[] {
  return Array.isArray(entry.attributes)
    ? entry.attributes.flatMap((a) => (typeof a?.name === 'string' && OBSERVED.has(a.name) ? [a.name] : []))
    : [];
}

/** How the entry's recorded attributes differ from the querying process's, or null. */
export function attributeDifference(entry: Entry, view: ProcessView): string | null {
  const attrs: unknown = entry.attributes;
  if (attrs === undefined) return null;
  if (!Array.isArray(attrs)) return 'its recorded attributes are malformed';
  for (const a of attrs as unknown[]) {
    const { name, value } = (a ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || typeof value !== 'string') return 'its recorded attributes are malformed';
    const now = view.observed[name];
    if (now !== value) return `${OBSERVED_TITLES[name] ?? name}: ${value} -> ${now ?? 'unknown'}`;
  }
  return null;
}

/** For `explain`, which has no process to compare with: each recorded attribute is a difference. */
export function unjudgedAttributes(entry: Entry): string[] {
  if (!Array.isArray(entry.attributes)) return entry.attributes === undefined ? [] : ['its recorded attributes are malformed'];
  return entry.attributes.map((a) => `${String(a?.name)}: it ran with ${String(a?.value)}; explain runs nothing and cannot tell what the process would have`);
}

function statusField(status: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(status);
  return m ? m[1]!.trim().split(/\s+/).filter(Boolean).join(' ') : undefined;
}

/** This process's terminal sizes, as the tracer reads a process's: "ROWSxCOLS" or "-" for each of
 * fds 0, 1 and 2. Node gives a size for an output stream only: a terminal on stdin is taken to be
 * the one on stdout or stderr (explain only: it runs nothing). */
function ownWinsize(): string {
  const size = (stream: NodeJS.WriteStream): string | null => {
    if (!stream.isTTY) return null;
    const [cols, rows] = stream.getWindowSize();
    return `${rows}x${cols}`;
  };
  const out = size(process.stdout), err = size(process.stderr);
  const input = process.stdin.isTTY ? out ?? err ?? '?' : '-';
  return [input, out ?? '-', err ?? '-'].join(' ');
}

/**
 * The attributes the command itself starts with, as the tracer would send them, for `explain`:
 * this process's credentials and limits (the tracer is forked from it), signals reset (the tracer
 * resets them for the command), the tracer's namespaces, and no fd >= 3 (the tracer closes them).
 */
export function commandAttrs(): ProcessAttrs {
  const attrs: ProcessAttrs = { fds: [], fdsUnknown: false, ns: '', sigign: '0'.repeat(16), sigblk: '0'.repeat(16), sigpnd: '0'.repeat(16), shdpnd: '0'.repeat(16) };
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    attrs.uid = statusField(status, 'Uid');
    attrs.gid = statusField(status, 'Gid');
    attrs.groups = statusField(status, 'Groups');
    attrs.affinity = statusField(status, 'Cpus_allowed_list');
    for (const [key, field] of [['capinh', 'CapInh'], ['capprm', 'CapPrm'], ['capeff', 'CapEff'], ['capbnd', 'CapBnd'], ['capamb', 'CapAmb'], ['thp', 'THP_enabled']] as const) {
      attrs[key] = statusField(status, field);
    }
    // not root: the tracer sets no_new_privs for the command (trace/session.ts SPEC_NO_NEW_PRIVS)
    attrs.nnp = process.getuid?.() === 0 ? statusField(status, 'NoNewPrivs') : '1';
    // "state ppid pgrp session tty_nr ...": the tracer keeps its caller's session
    const stat = procStatFields(process.pid);
    if (stat) {
      attrs.ctty = stat[4] === '0' ? 'no' : 'yes';
      attrs.sched = ownSched(stat);
    }
    attrs.winsize = ownWinsize();
    attrs.selfstate = ownSelfState();
    const limits = readFileSync('/proc/self/limits', 'utf8').split('\n').slice(1).filter((l) => l.trim());
    // "Max open files            1024                 1048576              files": soft, hard from column 26
    attrs.rlimits = limits.map((l) => l.slice(26).trim().split(/\s+/).slice(0, 2).map((v) => (v === 'unlimited' ? 'inf' : v)).join(':')).join(',');
  } catch { /* not Linux's /proc: unknown, and explain says every lookup misses */ }
  return attrs;
}

/** ioprio_get's answer for a process that never set one (IOPRIO_CLASS_NONE). */
const IOPRIO_UNSET = 0;

/** "NICE POLICY RTPRIO IOPRIO" from this process's stat, as native/attrs.c put_sched sends a
 * process's; Node has no ioprio_get: the default (best effort, from the nice value) is taken. */
function ownSched(fields: readonly string[]): string {
  // fields[0] is field 3 (state): nice is field 19, rt_priority 40, policy 41
  const nice = fields[16] ?? '?', rtprio = fields[37] ?? '?', policy = fields[38] ?? '?';
  // not a group or session leader (the command is in processcache's), no scheduling flags
  return `${nice} ${policy} ${rtprio} ${IOPRIO_UNSET} 0 0 0 0 0`;
}


/** This process's settings as native/attrs.c put_self_state sends a process's. */
function ownSelfState(): string {
  return SELF_STATE_FILES.map((name) => {
    let value = '';
    try {
      value = readFileSync(`/proc/self/${name}`, 'utf8').replace(/[\n\0]+$/, '').replace(/[ \n]/g, '_');
    } catch { /* no LSM, no audit */ }
    return `${name}=${value === '' ? '-' : value}`;
  }).join(' ');
}

/** Bytes another process wrote into a file, with where its write was to go (absent: a replay's). */
export interface Written { pos?: number; data: Buffer }

/** An execution's output into its streams, as the engine folded it (fd 1 or 2, in order), with
 * where each write was to put it when the tracer took it at the entry. */
type StreamBytes = readonly { fd: number; data: Buffer; pos?: number }[];

/** Reads a stream's file back through its path, which must still name the open file the stream
 * was; false when it cannot be read. */
function readBack(path: string, identity: string, check: (fd: number) => boolean): boolean {
  if (identityAt(path) !== identity) return false;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    return check(fd);
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Does the file hold each piece's bytes at its position? */
function holds(path: string, identity: string, pieces: readonly { pos: number; data: Buffer }[]): boolean {
  return readBack(path, identity, (fd) => {
    for (const { pos, data: chunk } of pieces) {
      let at = pos;
      for (let off = 0; off < chunk.length;) {
        // a fresh buffer per piece faulted its pages in: 5 ms for an 800 KB replay read back
        const piece = scratchBuffer().subarray(0, Math.min(chunk.length - off, 1 << 20));
        const n = readSync(fd, piece, 0, piece.length, at);
        if (n <= 0 || !piece.subarray(0, n).equals(chunk.subarray(off, off + n))) return false;
        off += n;
        at += n;
      }
    }
    return true;
  });
}

/** A write to find: where it was taken to go; it must end by until, and lie outside older, a
 * range that may hold bytes from before the execution's exec. */
interface Piece { pos: number; data: Buffer; until?: number; older?: readonly [number, number] }

/** Most a file stream's written range is read back in whole to find each write in. */
const SEARCH_CAP = 64 << 20;

/**
 * Where the file holds each piece, whole, between start and end, each at or after the position
 * the tracer took at its write's entry and no two in one place; null if one is not there. A
 * position taken at the entry can be early, never late: another process's write can land between
 * the look and the write (a make -j2 job's line), and its bytes then come first.
 */
function holdsInOrder(path: string, identity: string, start: number, end: number, pieces: readonly Piece[]): number[] | null {
  if (end - start > SEARCH_CAP || end <= start) return null;
  const found: number[] = new Array<number>(pieces.length);
  const ok = readBack(path, identity, (fd) => {
    const range = Buffer.alloc(end - start);
    let got = 0;
    for (let n; got < range.length && (n = readSync(fd, range, got, range.length - got, start + got)) > 0;) got += n;
    const held = range.subarray(0, got);
    const claimed: [number, number][] = []; // sorted, apart: one place holds one write
    for (const i of byPosition(pieces)) {
      const { data, pos, until = end, older } = pieces[i]!;
      let at = held.indexOf(data, Math.max(0, pos - start));
      for (let k = -1; at >= 0;) {
        if ((k = overlapping(claimed, at, at + data.length)) >= 0) at = held.indexOf(data, claimed[k]![1]);
        else if (older && start + at < older[1] && start + at + data.length > older[0]) at = held.indexOf(data, older[1] - start);
        else break;
      }
      if (at < 0 || start + at + data.length > until) return false;
      found[i] = start + at;
      claimed.splice(insertionPoint(claimed, at), 0, [at, at + data.length]);
    }
    return true;
  });
  return ok ? found : null;
}

/** The index of a range in claimed (sorted, apart) that overlaps [from, to), or -1. */
function overlapping(claimed: readonly [number, number][], from: number, to: number): number {
  const k = insertionPoint(claimed, from);
  if (k > 0 && claimed[k - 1]![1] > from) return k - 1;
  if (k < claimed.length && claimed[k]![0] < to) return k;
  return -1;
}

/** Where a range starting at from goes in claimed, kept sorted by start. */
function insertionPoint(claimed: readonly [number, number][], from: number): number {
  let lo = 0, hi = claimed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (claimed[mid]![0] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function byPosition(pieces: readonly { pos: number }[]): number[] {
  return pieces.map((_, i) => i).sort((a, b) => pieces[a]!.pos - pieces[b]!.pos || a - b);
}

/** Where each piece is, when the file holds each at its own position and no two overlap (a short
 * write and its retry overlap: the file holds one, not both, hunt 10); else null. */
function holdsApart(path: string, identity: string, pieces: readonly { pos: number; data: Buffer }[]): number[] | null {
  let end = -1;
  for (const i of byPosition(pieces)) {
    if (pieces[i]!.pos < end) return null;
    end = pieces[i]!.pos + pieces[i]!.data.length;
  }
  return holds(path, identity, pieces) ? pieces.map((p) => p.pos) : null;
}

/**
 * Why exec's output into its streams that were regular files cannot be trusted, or null. The
 * tracer took each write there at its entry, all the bytes it asked for; whether the kernel wrote
 * them is seen afterwards: the file's offset, held from the exec to the end, must have moved by
 * exactly the bytes the stream holds, and the file must hold those bytes there (a write that
 * failed while another writer moved the offset as much would pass the first). fds 1 and 2 on one
 * open file move one offset: both streams count. streams: the open files fds 1 and 2 named at
 * its exec; later: those of the executions the same process ran after it (exec), which share
 * the tracer's held offset when they kept the same open file.
 */
export function streamShortfall(view: ProcessView | undefined, ends: { fd: number; pos: number }[] | undefined,
  stream: StreamBytes, streams: readonly [string, string], later: readonly (readonly [string, string])[],
  placedAt?: Map<object, number>, meanwhile: (identity: string) => readonly Written[] = () => []): string | null {
  const oneFile = streams[0] !== '' && streams[0] === streams[1];
  for (const start of view?.streamStarts ?? []) {
    const chunks = stream.filter((c) => c.fd === start.fd || oneFile);
    const mine = chunks.map((c) => c.data);
    const written = mine.reduce((n, b) => n + b.length, 0);
    const what = `its output into fd ${start.fd} (a file)`;
    if (written === 0) {
      // nothing of its own to replay there; but a replay does not move the offset back either
      const end = ends?.find((e) => e.fd === start.fd);
      if (end && !start.append && end.pos < start.pos) return `${what}: it moved the offset back (lseek through a copy of it), which a replay would not`;
      continue;
    }
    const identity = streams[start.fd - 1]!;
    if (later.some((s) => s[start.fd - 1] !== identity)) return `${what}: a program it exec'd had another file there, and where its own output ended is not known`;
    const end = ends?.find((e) => e.fd === start.fd);
    if (!end) return `where ${what} ended is unknown`;
    const moved = end.pos - start.pos;
    const others = meanwhile(identity);
    if (others.length) {
      // another process wrote into this file while it ran: a write of its own that failed (a full
      // disk, a quota) could pass for one of theirs with the same bytes, in the offset it moved
      // and in the file (hunts 22 and 23). Every write, its own and theirs, must be found, each in
      // a place of its own.
      // its own went through its own open file, whose offset ended at end.pos: none lies past it
      // (there the file may hold bytes older than its exec, hunt 24); theirs may land past it (a
      // write taken before its end, run after), but not in what the file held before its exec
      // (hunt 25: a sibling's bytes found in older ones freed its own copy for a failed write)
      // nor, where its file was opened without truncating it, in what it held before: a sibling
      // that moved the shared offset unseen (through a copy on fd 3) would let older bytes stand
      // for a failed write of its own (hunt 27)
      const before: [number, number] | undefined = start.size !== undefined && start.size > start.pos ? [start.pos, start.size] : undefined;
      const own: Piece[] = chunks.map((c) => ({ pos: c.pos ?? start.pos, data: c.data, until: end.pos, ...(before ? { older: before } : {}) }));
      const older: [number, number] = [end.pos, Math.max(end.pos, start.size ?? Number.MAX_SAFE_INTEGER)];
      const theirs: Piece[] = others.map((o) => ({ pos: o.pos ?? start.pos, data: o.data, older }));
      const all = [...own, ...theirs];
      // theirs may land past where they were taken, by as much as was written meanwhile
      const from = all.reduce((n, p) => Math.min(n, p.pos), start.pos);
      const to = all.reduce((n, p) => Math.max(n, p.pos + p.data.length), end.pos) + theirs.reduce((n, t) => n + t.data.length, 0);
      const found = holdsInOrder(start.path, identity, from, to, all);
      if (!found) return `${what}: another process wrote into that file while it ran, and the file does not hold each write of both in a place of its own (a write failed, or was overwritten)`;
      chunks.forEach((c, i) => placedAt?.set(c, found[i]!));
      continue;
    }
    let at = start.pos;
    const inOrder = mine.map((data) => ({ pos: (at += data.length) - data.length, data }));
    if (moved === written && holds(start.path, identity, inOrder)) continue;
    // the offset moved otherwise than by what its subtree wrote, and no other traced process
    // wrote there meanwhile (writes taken just before its exec by processes that still ran count
    // as meanwhile): something unseen moved it (a writer outside the command, a sibling's lseek
    // over older bytes, hunt 25), and a write of its own that failed could be found there
    if (moved !== written) return `${what} does not add up: the offset moved ${moved} bytes, ${written} were seen written, and no other traced process wrote there meanwhile`;
    // its processes' writes interleaved (the engine folds a child's output where it ended): each
    // write must be where the tracer saw it go, whole
    // a replayed child's output went where the offset stood when it was replayed, which the
    // tracer did not take: such a piece is looked for from the start, where no other piece is
    const placed = chunks.map((c) => ({ pos: c.pos ?? start.pos, data: c.data }));
    const positioned = chunks.every((c) => c.pos !== undefined);
    const found = (positioned ? holdsApart(start.path, identity, placed) : null) ?? holdsInOrder(start.path, identity, start.pos, end.pos, placed);
    if (found) {
      // a replay writes them in the order they are in the file, not as the subtree was folded
      chunks.forEach((c, i) => placedAt?.set(c, found[i]!));
      continue;
    }
    if (moved === written) return `${what}: the file does not hold what it wrote there (a write failed while another process wrote there, or it was changed since)`;
    return `${what} does not add up: the offset moved ${moved} bytes, ${written} were seen written, and the file does not hold each write where it went (a write failed or was short, or another process wrote over it)`;
  }
  return null;
}
