// What the commands share: the version, and the environment variables left out of fingerprints.
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
