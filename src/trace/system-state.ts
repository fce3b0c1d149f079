// Files whose content is the system's state of the moment (free memory, load, uptime, counters,
// the pressure of a cgroup): read, they vary a result as the clock does, and are nondeterminism,
// not inputs. Keyed by content they would match no later run: node reads /proc/meminfo at every
// start, and no node process was ever reused. Other files of /proc and /sys (cpuinfo, the
// sysctls, a cgroup's limits) are inputs, hashed at every lookup (fingerprint/hash.ts).

const VOLATILE_PROC: ReadonlySet<string> = new Set([
  'meminfo', 'loadavg', 'uptime', 'stat', 'vmstat', 'interrupts', 'softirqs', 'diskstats', 'schedstat',
  'zoneinfo', 'buddyinfo', 'slabinfo', 'pagetypeinfo', 'sys/kernel/random/uuid', 'sys/kernel/random/entropy_avail',
].map((name) => `/proc/${name}`));

/** /proc/pressure/*, /proc/net/* (the network's counters and connections) and a process's view of
 * them and of the mounts (/proc/self/net, mounts, mountinfo: df and findmnt, /etc/mtab), a
 * cgroup's counters. */
const VOLATILE_UNDER = /^\/proc\/(?:pressure|net)\/|^\/proc\/(?:self|thread-self|\d+)\/(?:task\/\d+\/)?(?:net\/|mounts$|mountinfo$|mountstats$)|^\/sys\/fs\/cgroup\/.*\.(?:current|stat|pressure|events|events\.local|peak)$/;

export function isSystemState(path: string): boolean {
  return VOLATILE_PROC.has(path) || VOLATILE_UNDER.test(path);
}
