// How directories travel to and from a remote cache whose entries are immutable archives found by
// key or key prefix: the Actions cache is one. The sync (sync.ts) sees only this interface.
import { mkdirSync } from 'node:fs';
import { directFetch, directFetchAvailable } from './direct-fetch.js';

export interface CacheTransport {
  /** the directory under which each named directory is packed and unpacked */
  readonly dir: string;
  /**
   * Unpacks into dir/name the entry saved under key, or else the newest one whose key starts with
   * prefix; the key found, or null when there is none or the fetch failed (the backend warns).
   */
  restore(name: string, key: string, prefix?: string): Promise<string | null>;
  /** Whether dir/name was saved under exactly key (nothing is fetched). */
  has(name: string, key: string): Promise<boolean>;
  /** Saves dir/name under key; false when it could not (a key taken already, a refusal, a fault). */
  save(name: string, key: string): Promise<boolean>;
}

/** A promise's value, or 'timeout' once ms have passed; the work itself goes on unobserved. */
export async function within<T>(ms: number, work: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs work over items, at most limit at once, in order of start. */
export async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

/** The Actions cache through @actions/cache, which reads its endpoint and token from the environment. */
export async function actionsCacheTransport(dir: string, options: { timeoutMs: number; maxBytes: number; warn(message: string): void }): Promise<CacheTransport> {
  const direct = directFetchAvailable();
  // @actions/cache is a large module: a job that only fetches directly never loads it
  let loaded: typeof import('@actions/cache') | null = null;
  const load = async (): Promise<typeof import('@actions/cache')> => (loaded ??= await import('@actions/cache'));
  const available = direct || (await load()).isFeatureAvailable();
  if (!available) {
    throw new Error('the Actions cache is not available to this step (no ACTIONS_RESULTS_URL or ACTIONS_CACHE_URL: not a GitHub-hosted or configured runner?); use backend: local to keep a store on disk');
  }
  mkdirSync(dir, { recursive: true });
  // @actions/cache versions an entry by the path patterns it was saved with and archives paths
  // relative to GITHUB_WORKSPACE: with the transfer directory as both, an entry's version is its
  // name alone, and a job whose workspace or RUNNER_TEMP lies elsewhere still finds it
  process.env.GITHUB_WORKSPACE = dir;
  process.chdir(dir);
  return {
    dir,
    async restore(name, key, prefix) {
      if (direct) {
        try {
          return await directFetch(dir, name, key, prefix, options.timeoutMs, options.maxBytes);
        } catch (e) {
          options.warn(`the cache entry ${prefix ?? key} could not be fetched: ${(e as Error).message}`);
          return null;
        }
      }
      const found = await (await load()).restoreCache([name], key, prefix ? [prefix] : [], {
        timeoutInMs: options.timeoutMs, segmentTimeoutInMs: options.timeoutMs,
      });
      return found ?? null;
    },
    async has(name, key) {
      return (await (await load()).restoreCache([name], key, [], { lookupOnly: true })) === key;
    },
    async save(name, key) {
      try {
        return (await (await load()).saveCache([name], key)) !== -1;
      } catch {
        return false; // a key taken already (entries are immutable) or a refused write
      }
    },
  };
}
