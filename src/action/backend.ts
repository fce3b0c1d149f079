// The one place that turns the Action's configuration into stores: the local store every traced
// step uses, and the remote it is synced with (none for backend: local).
import { LocalStore } from '../store/index.js';
import { defaultSyncConfig, type SyncConfig } from '../store/remote/sync.js';
import { actionsCacheTransport, type CacheTransport } from '../store/remote/transport.js';
import { VERSION } from '../cli/common.js';
import type { ActionConfig } from './inputs.js';
import type { Layout } from './traced-step.js';

export interface Backends {
  local: LocalStore;
  remote: { transport: CacheTransport; sync: SyncConfig } | null;
}

export async function openBackends(cfg: ActionConfig, layout: Layout, log: { warn(m: string): void; info(m: string): void }): Promise<Backends> {
  const local = new LocalStore(cfg.storeDir, true, log.warn);
  if (cfg.backend === 'local') return { local, remote: null };
  // entries of one tool version and platform only: another's can never hit here
  const keyPrefix = `${cfg.keyPrefix}-${VERSION}-${process.platform}-${process.arch}`;
  const sync = defaultSyncConfig(keyPrefix, log.warn, log.info);
  sync.maxUploadBytes = cfg.maxUploadBytes;
  sync.budgetMs = cfg.timeoutMs;
  if (cfg.verbose) sync.detail = log.info;
  // files outside the workspace (the toolchain, the system headers) are the runner image's
  const workspace = cfg.workspace.endsWith('/') ? cfg.workspace : `${cfg.workspace}/`;
  sync.shareStat = (path) => !path.startsWith(workspace) && !path.startsWith(`${cfg.runnerTemp}/`);
  // an archive is at most a pack: maxUploadBytes over maxPacks, or a segment with its blobs
  const maxBytes = Math.max(sync.maxUploadBytes, 4 * sync.limits.maxBytes);
  const transport = await actionsCacheTransport(layout.transfer, { timeoutMs: cfg.timeoutMs, maxBytes, warn: log.warn });
  return { local, remote: { transport, sync } };
}
