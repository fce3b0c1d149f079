// What the caller gave processcache that the command must get as it would without us: the signals
// it ignored and blocked, and its fds >= 3. Node loses most of it before any JavaScript runs: it
// resets every signal disposition (then ignores SIGPIPE and SIGXFSZ), clears the signal mask, and
// marks fds 0-15 close-on-exec (libuv's uv_disable_stdio_inheritance). So the CLI's sh launcher
// (scripts/bundle/launcher.sh) looks first and says what it saw in LAUNCH_ENV.
import { fstatSync, readdirSync } from 'node:fs';
import { fdFlags } from './fdinfo.js';

/** Set by the launcher: "IGNORED BLOCKED FDS SHELL": hex masks as /proc/PID/status shows them,
 * fds comma-separated, "bash" when the launcher's sh was bash. */
export const LAUNCH_ENV = 'PROCESSCACHE_LAUNCH';

export interface Launch {
  /** bit N-1: signal N was ignored */
  sigIgnored: bigint;
  /** bit N-1: signal N was blocked */
  sigBlocked: bigint;
  /** the caller's fds >= 3 that survived its exec of us, ascending */
  fds: number[];
}

const O_CLOEXEC = 0o2000000;

function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

const SIGQUIT_BIT = 1n << 2n;

function mask(word: string | undefined): bigint {
  return word && /^[0-9a-f]{1,16}$/i.test(word) ? BigInt(`0x${word}`) : 0n;
}

function parseLaunch(value: string): Launch {
  const [ignored, blocked, fds, shell] = value.split(' ');
  const numbers = (fds ?? '').split(',').filter((f) => /^\d+$/.test(f)).map(Number);
  let sigIgnored = mask(ignored);
  // bash ignores SIGQUIT for itself and gives the programs it runs the disposition it inherited,
  // which it does not show: that one is taken to be the default
  if (shell === 'bash') sigIgnored &= ~SIGQUIT_BIT;
  return { sigIgnored, sigBlocked: mask(blocked), fds: ascending(numbers.filter((fd) => fd >= 3)) };
}

function ascending(fds: number[]): number[] {
  return [...new Set(fds)].sort((a, b) => a - b);
}

/** Without the launcher (`node cli.js`): the fds Node left inheritable, which are the caller's
 * from 16 up; those below were marked close-on-exec, indistinguishable from Node's own. */
function inheritableFds(): number[] {
  const fds: number[] = [];
  try {
    for (const name of readdirSync('/proc/self/fd')) {
      const fd = Number(name);
      if (fd < 3) continue;
      // null: the directory's own fd, closed by now
      const flags = fdFlags('self', fd);
      if (flags !== null && (flags & O_CLOEXEC) === 0) fds.push(fd);
    }
  } catch { /* no /proc: nothing passes */ }
  return ascending(fds);
}

let captured: Launch | undefined;

/** Reads (once) what the caller gave us, and takes LAUNCH_ENV out of the environment the command
 * gets. Call it before anything else opens fds. Without the launcher the signals fall back to
 * their defaults (all SIG_DFL, none blocked): Node left no trace of them. */
export function callerLaunch(): Launch {
  if (captured) return captured;
  const value = process.env[LAUNCH_ENV];
  delete process.env[LAUNCH_ENV];
  const launch = value === undefined ? { sigIgnored: 0n, sigBlocked: 0n, fds: inheritableFds() } : parseLaunch(value);
  // a number the launcher saw but Node does not hold is not the caller's to pass on
  captured = { ...launch, fds: launch.fds.filter(isOpen) };
  return captured;
}
