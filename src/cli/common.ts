// What the commands share: the version, and the environment variables left out of fingerprints.
import { PER_RUN_ENV } from '../fingerprint/index.js';

declare const PROCESSCACHE_VERSION: string | undefined;
export const VERSION = typeof PROCESSCACHE_VERSION === 'string' ? PROCESSCACHE_VERSION : 'dev';

/** The per-run table, plus --ignore-env (repeatable, comma lists) and PROCESSCACHE_IGNORE_ENV. */
export function ignoredEnv(fromArgs: string[] | undefined): Set<string> {
  return new Set([...PER_RUN_ENV, ...(fromArgs ?? []).flatMap((v) => v.split(',')),
    ...(process.env.PROCESSCACHE_IGNORE_ENV ?? '').split(',')].map((v) => v.trim()).filter(Boolean));
}
