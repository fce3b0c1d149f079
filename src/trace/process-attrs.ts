// What a process takes into its exec besides its arguments and environment, as the exec query
// sends it: "key=value" strings after envp (native/protocol.h lists the keys).

/** An fd >= 3 that survives the exec (not close-on-exec), or fd 0 when it is a regular file. */
export interface InheritedFd {
  fd: number;
  /** as for fds 0-2: file, pipe, socket, dir, tty, null, char, other */
  kind: string;
  mode: 'r' | 'w' | 'rw';
  /** its offset */
  pos: number;
  /** which open file it names (device and inode, as the tracer mixes them) */
  identity: string;
  /** what /proc/PID/fd/N reads: a path, "pipe:[123]", "/x (deleted)" */
  path: string;
}

/** A value that is undefined was not sent, or could not be read ("?"). */
export interface ProcessAttrs {
  /** "real effective saved fs" */
  uid?: string;
  gid?: string;
  /** supplementary groups, space-separated */
  groups?: string;
  /** the ignored and blocked signals (hex masks): both survive an exec */
  sigign?: string;
  sigblk?: string;
  /** every resource limit, soft:hard */
  rlimits?: string;
  /** the namespaces that are not the tracer's; empty normally */
  ns?: string;
  /** whether it has a controlling terminal ("yes", "no"): opening /dev/tty fails without one */
  ctty?: string;
  /** Cpus_allowed_list */
  affinity?: string;
  /** sysname|nodename|release|version|machine|domainname */
  uname?: string;
  /** "ROWSxCOLS" of the first terminal among fds 1, 2, 0; "none" */
  winsize?: string;
  /** capabilities (hex masks, as /proc/PID/status shows them), no_new_privs, THP: absent on
   * kernels that do not show them */
  capinh?: string;
  capprm?: string;
  capeff?: string;
  capbnd?: string;
  capamb?: string;
  nnp?: string;
  thp?: string;
  /** the signals pending at the exec, the thread's and the process's (hex masks) */
  sigpnd?: string;
  shdpnd?: string;
  /** "NICE POLICY RTPRIO IOPRIO": how it is scheduled ("?" when /proc/TID/stat could not be read) */
  sched?: string;
  /** "name=value ..." of the settings read only in its own /proc entry (oom_score_adj,
   * coredump_filter, personality...: trace/own-proc.ts SELF_STATE_FILES) */
  selfstate?: string;
  fds: InheritedFd[];
  /** the tracer could not list them */
  fdsUnknown: boolean;
  /** fds 1 and 2 when regular files, with their offsets at the exec: the tracer takes what is
   * written there at each write's entry, and the recording checks the offsets moved as much */
  /** fds 1 and 2 that were regular files at the exec: the offset, the file's size, the path */
  streamStarts?: { fd: number; pos: number; size: number; path: string }[];
}

const SCALAR_KEYS = ['uid', 'gid', 'groups', 'sigign', 'sigblk', 'ctty', 'rlimits', 'ns', 'affinity', 'uname', 'winsize', 'selfstate',
  'capinh', 'capprm', 'capeff', 'capbnd', 'capamb', 'nnp', 'thp', 'sched', 'sigpnd', 'shdpnd'] as const;
export type AttrKey = (typeof SCALAR_KEYS)[number];

/** Where the output into a file stream starts (streamStarts), observed by an fstat or lseek of it. */
export type StreamStartKey = 'stdoutStart' | 'stderrStart';
export const STREAM_START_KEYS: readonly StreamStartKey[] = ['stdoutStart', 'stderrStart'];

/** The syscalls that report an observed attribute (PCT_EV_OBSERVED), to the attribute they read. */
export const OBSERVED_BY: Readonly<Record<string, AttrKey | StreamStartKey>> = {
  sched_getaffinity: 'affinity', uname: 'uname', TIOCGWINSZ: 'winsize', 'stdout-offset': 'stdoutStart', 'stderr-offset': 'stderrStart',
};

function decodeFd(text: string): InheritedFd | null {
  const m = /^(\d+) (\S+) (r|w|rw) (-?\d+) ([0-9a-f]+) (.*)$/s.exec(text);
  if (!m) return null;
  return { fd: Number(m[1]), kind: m[2]!, mode: m[3] as InheritedFd['mode'], pos: Number(m[4]), identity: m[5]!, path: m[6]! };
}

export function decodeProcessAttrs(strings: string[]): ProcessAttrs {
  const attrs: ProcessAttrs = { fds: [], fdsUnknown: strings.length === 0 };
  const known = new Set<string>(SCALAR_KEYS);
  for (const s of strings) {
    const eq = s.indexOf('=');
    const key = s.slice(0, eq), value = s.slice(eq + 1);
    if (key === 'stream') {
      const m = /^([12]) (\d+) (\d+) (.*)$/s.exec(value);
      if (m) (attrs.streamStarts ??= []).push({ fd: Number(m[1]), pos: Number(m[2]), size: Number(m[3]), path: m[4]! });
    } else if (key === 'fd') {
      const fd = value === '?' ? null : decodeFd(value);
      if (fd) attrs.fds.push(fd);
      else attrs.fdsUnknown = true;
    } else if (known.has(key) && value !== '?') {
      attrs[key as AttrKey] = value;
    }
  }
  return attrs;
}
