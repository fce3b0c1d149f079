// What the commands share: the version, and the environment variables left out of fingerprints.
import { PER_RUN_ENV } from '../fingerprint/index.js';

declare const PROCESSCACHE_VERSION: string | undefined;
export const VERSION = typeof PROCESSCACHE_VERSION === 'string' ? PROCESSCACHE_VERSION : 'dev';

/** The per-run table, plus --ignore-env (repeatable, comma lists) and PROCESSCACHE_IGNORE_ENV. */
export function ignoredEnv(fromArgs: string[] | undefined): Set<string> {
  return new Set([...PER_RUN_ENV, ...(fromArgs ?? []).flatMap((v) => v.split(',')),
    ...(process.env.PROCESSCACHE_IGNORE_ENV ?? '').split(',')].map((v) => v.trim()).filter(Boolean));
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
