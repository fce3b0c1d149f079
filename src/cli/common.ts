// What the commands share: the version, and the environment variables left out of fingerprints.
import { readFileSync } from 'node:fs';
import { CONTEXT_ENV, PER_RUN_ENV } from '../fingerprint/index.js';

declare const PROCESSCACHE_VERSION: string | undefined;
export const VERSION = typeof PROCESSCACHE_VERSION === 'string' ? PROCESSCACHE_VERSION : 'dev';

/** Names from repeatable options (each a comma list) and an environment variable's comma list. */
function nameList(fromArgs: string[] | undefined, variable: string): string[] {
  return [...(fromArgs ?? []), process.env[variable] ?? ''].flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** --env-input (repeatable, comma lists) and PROCESSCACHE_ENV_INPUTS: variables kept in the weak fingerprint whatever the tables say. */
export function forcedEnv(fromArgs: string[] | undefined): Set<string> {
  return new Set(nameList(fromArgs, 'PROCESSCACHE_ENV_INPUTS'));
}

/**
 * What the weak fingerprint leaves out: the per-run table, the CI context variables (searched for
 * by value instead: the engine searches those of them that are left out), --ignore-env
 * (repeatable, comma lists) and PROCESSCACHE_IGNORE_ENV; less what `forced` keeps in.
 */
export function ignoredEnv(fromArgs: string[] | undefined, forced: ReadonlySet<string> = new Set()): Set<string> {
  const all = [...PER_RUN_ENV, ...Object.keys(CONTEXT_ENV), ...nameList(fromArgs, 'PROCESSCACHE_IGNORE_ENV')];
  return new Set(all.filter((name) => !forced.has(name)));
}

/** PROCESSCACHE_PIPE_WAIT_MS: how long an exec may wait for its pipe's writers (0: never); a bad
 * value is warned about and the default used. */
export function pipeWaitMs(warn: (message: string) => void): number | undefined {
  return msSetting('PROCESSCACHE_PIPE_WAIT_MS', warn);
}

/** PROCESSCACHE_EXEC_WAIT_MS: how long a pipeline stage waits for the shell's fork that feeds it
 * to exec (0: never). */
export function execWaitMs(warn: (message: string) => void): number | undefined {
  return msSetting('PROCESSCACHE_EXEC_WAIT_MS', warn);
}

function msSetting(name: string, warn: (message: string) => void): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const ms = Number(raw);
  if (Number.isInteger(ms) && ms >= 0 && ms <= 60000) return ms;
  warn(`${name}=${raw} is not a whole number of milliseconds from 0 to 60000; using the default`);
  return undefined;
}

/** The working directory, or null when it was deleted: a shell can sit in a removed directory. */
export function workingDir(): string | null {
  try {
    return process.cwd();
  } catch {
    return null;
  }
}

/** Node's error for a working directory that no longer exists. */
export function isCwdGone(e: unknown): boolean {
  return e instanceof Error && (e as NodeJS.ErrnoException).syscall === 'uv_cwd';
}

export const CWD_GONE = 'the working directory no longer exists (it was deleted)';

/**
 * An argument or environment variable of this process that is not valid UTF-8, named, or null.
 * Node decodes both as UTF-8 and cannot hand such bytes on unchanged: the command would get
 * U+FFFD in their place, and two different values would share one fingerprint.
 */
export function notUtf8(): string | null {
  const bad = (raw: Buffer): boolean => !Buffer.from(raw.toString('utf8'), 'utf8').equals(raw);
  const split = (file: string): Buffer[] => {
    try {
      const data = readFileSync(file);
      const parts: Buffer[] = [];
      for (let at = 0; at < data.length;) {
        const end = data.indexOf(0, at);
        parts.push(data.subarray(at, end < 0 ? data.length : end));
        at = end < 0 ? data.length : end + 1;
      }
      return parts;
    } catch {
      return [];
    }
  };
  const args = split('/proc/self/cmdline');
  const arg = args.findIndex(bad);
  if (arg >= 0) return `argument ${JSON.stringify(args[arg]!.toString('latin1'))}`;
  const variable = split('/proc/self/environ').find(bad);
  if (variable) return `the environment variable ${variable.subarray(0, Math.max(0, variable.indexOf(0x3d))).toString('latin1')}`;
  return null;
}

/** A byte count as people read it: the run's summary line and the Action's job summary. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
