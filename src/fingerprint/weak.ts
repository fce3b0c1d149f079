// The weak fingerprint: what identifies a command before its inputs are looked at.
import { arch, platform } from 'node:os';
import { sha256 } from './hash.js';

/**
 * Variables that differ on every CI run without changing what a program does, left out of the
 * weak fingerprint unsearched. The run's ids are CI context variables (context-env.ts): left out
 * too, but an execution whose outputs hold one's value records it.
 */
export const PER_RUN_ENV = [
  'RUNNER_TRACKING_ID',
  'RUNNER_NAME', // a hosted runner's is "GitHub Actions N", a new N from job to job
  'GITHUB_ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_URL', 'ACTIONS_RUNTIME_URL', 'INVOCATION_ID', 'JOURNAL_STREAM',
  'PROCESSCACHE_STORE', 'PROCESSCACHE_IGNORE_ENV', 'PROCESSCACHE_ENV_INPUTS', 'PROCESSCACHE_PIPE_WAIT_MS', 'PROCESSCACHE_EXEC_WAIT_MS',
  // the Node the Action runs on (a path with the runner's version in it)
  'PROCESSCACHE_NODE',
  // the files of GitHub's workflow commands, named anew for every step; a program that writes to
  // one writes outside the root, and is not cached for it
  'GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY',
  // the invoking shell's record of the program it ran: differs with how processcache was started
  '_',
  // what processcache's launcher saw of its caller (LAUNCH_ENV in src/trace/launch.ts); the command
  // never gets it, but a processcache run inside the command does
  'PROCESSCACHE_LAUNCH',
];

export interface WeakParts {
  toolVersion: string;
  exe: string;
  argv: string[];
  cwd: string;
  env: string[];
  stdio: string[];
  umask: number;
  /** what else the process inherits that any program may act on (credentials, signals, limits,
   * namespaces, fds >= 3), already reduced to what identifies it (src/memo/attributes.ts) */
  process: unknown;
}

export function filterEnv(env: string[], ignored: ReadonlySet<string>): string[] {
  return env.filter((kv) => !ignored.has(kv.slice(0, Math.max(0, kv.indexOf('='))))).sort();
}

/**
 * fd 0 enters the key only as terminal or not: make -j hands its stdin to one job at a time, so
 * the kind varies run to run, and a process that reads stdin from anything but /dev/null is
 * uncacheable anyway. fds 1 and 2 keep their kind: programs write differently to a terminal.
 */
function stdioForKey(stdio: string[]): string[] {
  // a closed fd 0 too: the first file a program opens then gets fd 0, and a write to fd 0 lands
  // there (hunt 54); make -j hands the jobs without its stdin a pipe, not a closed fd
  return [stdio[0] === 'tty' || stdio[0] === 'closed' ? stdio[0] : 'not-tty', stdio[1] ?? '', stdio[2] ?? ''];
}

export function weakKey(parts: WeakParts, ignored: ReadonlySet<string>): string {
  return sha256(JSON.stringify({
    v: parts.toolVersion,
    platform: `${platform()}-${arch()}`,
    exe: parts.exe,
    argv: parts.argv,
    cwd: parts.cwd,
    env: filterEnv(parts.env, ignored),
    stdio: stdioForKey(parts.stdio),
    umask: parts.umask,
    process: parts.process,
  }));
}
