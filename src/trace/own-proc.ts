// A process's own /proc entries (/proc/self/X, /proc/thread-self/X, /proc/PID/X with its own
// pid). They are never inputs (observe/summary.ts drops them): a lookup would read processcache's
// own. So a read of one is safe only where its content follows from what the key holds already,
// or is the moment's state (nondeterminism, as the clock is); the settings nothing else keys are
// an observed attribute; anything else is a reason not to cache (hunt 31).

/** What a read of an own entry is. */
export type OwnEntryUse =
  /** its content follows from the key: the program, argv, env, cwd, credentials, limits, fds */
  | 'keyed'
  /** the moment's state (memory map, counters, timing, the runner's cgroup): nondeterminism */
  | 'moment'
  /** a setting inherited across exec and read nowhere else: the observed attribute `selfstate` */
  | 'selfstate'
  /** none of those: not cached */
  | 'unkeyed';

/** The settings sent as `selfstate` (native/attrs.c self_state_files, the same list). */
export const SELF_STATE_FILES: readonly string[] = [
  'oom_score_adj', 'oom_adj', 'coredump_filter', 'personality', 'loginuid', 'sessionid', 'timerslack_ns', 'attr/current',
];

// status holds the credentials and signal masks (keyed) and the affinity (observed on its own);
// fd and task are listings of its own fds and threads; ns and the id maps are the namespaces (keyed)
// (fdinfo, its files' offsets, is flagged on its own: trace/builder.ts FDINFO)
const KEYED: readonly string[] = ['exe', 'cwd', 'root', 'cmdline', 'environ', 'comm', 'fd', 'task', 'limits', 'status', 'ns', 'uid_map', 'gid_map', 'setgroups', 'mem', 'fdinfo'];

// (autogroup is neither: its nice is a setting, its name the session's; a read of it is refused)
// cgroup: node, java and cargo read it at every start to find their memory limit, which they then
// read as files (inputs); keyed by value, nothing would be reused across runners, whose cgroup
// paths differ. mounts, mountinfo and net are the system's state (trace/system-state.ts).
const MOMENT: readonly string[] = [
  'stat', 'statm', 'io', 'sched', 'schedstat', 'maps', 'smaps', 'smaps_rollup', 'numa_maps', 'pagemap', 'wchan', 'syscall',
  'stack', 'oom_score', 'auxv', 'cgroup', 'cpuset', 'mounts', 'mountinfo', 'mountstats', 'net', 'timers',
];

const USES = new Map<string, OwnEntryUse>([
  ...KEYED.map((e): [string, OwnEntryUse] => [e, 'keyed']),
  ...MOMENT.map((e): [string, OwnEntryUse] => [e, 'moment']),
  ...SELF_STATE_FILES.map((e): [string, OwnEntryUse] => [e, 'selfstate']),
]);

const OWN_ENTRY = /^\/proc\/(self|thread-self|\d+)\/(?:task\/\d+\/)?(.*)$/;

/**
 * The entry an own /proc path names ("oom_score_adj", "attr/current") and what reading it is;
 * null when the path is not one of the reader's own (another pid: trace/builder.ts procRead).
 */
export function ownEntryOf(path: string, isOwn: (pid: number) => boolean): { entry: string; use: OwnEntryUse } | null {
  const m = OWN_ENTRY.exec(path);
  if (!m) return null;
  if (/^\d+$/.test(m[1]!) && !isOwn(Number(m[1]))) return null;
  const entry = m[2]!;
  if (entry === '') return { entry: '.', use: 'keyed' };
  // a path below its own links that the tracer did not take through them (native/paths.c
  // through_own_links: another thread's, a cwd that was removed): which file it is is not known
  if (/^(?:cwd|root|fd\/\d+)\//.test(entry)) return { entry, use: 'unkeyed' };
  return { entry, use: USES.get(entry) ?? USES.get(entry.split('/')[0]!) ?? 'unkeyed' };
}
