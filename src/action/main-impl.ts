// The Action's main step: fetch the cache into a local store, then either run the `run` input
// traced or, with no `run`, put processcache-bash on PATH for the steps that follow. A cache
// problem is a warning: the commands run whatever happens to the cache.
import * as core from '@actions/core';
import { readFileSync, writeFileSync } from 'node:fs';
import type { MemoStats } from '../memo/index.js';
import { pull } from '../store/remote/sync.js';
import { serializeSegment } from '../store/remote/segment.js';
import { openBackends } from './backend.js';
import { InputError, readInputs, type ActionConfig } from './inputs.js';
import type { MainState, StateProvider } from './state.js';
import { totals, type Totals } from './summary.js';
import { installShims, layoutOf, runStep, tracedEnv, unsupportedWhy } from './traced-step.js';

export const log = {
  warn: (m: string): void => core.warning(m),
  info: (m: string): void => core.info(m),
};

/** Reads the inputs; a bad one fails the step with its message (nothing has run yet). */
export function configOrFail(env: NodeJS.ProcessEnv): ActionConfig | null {
  try {
    return readInputs((name) => core.getInput(name), env);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    core.setFailed(e.message);
    return null;
  }
}

/** The cache fetched into the local store; false when the tracer cannot run here. */
async function prepare(cfg: ActionConfig, state: MainState): Promise<void> {
  const layout = layoutOf(cfg);
  const { local, remote } = await openBackends(cfg, layout, log);
  if (!remote) return;
  if (!cfg.remoteReadable) {
    core.info('ACTIONS_CACHE_MODE does not allow reading the cache: starting from an empty store');
    return;
  }
  const result = await pull(local, remote.transport, remote.sync);
  writeFileSync(layout.known, serializeSegment(result.known));
  const { known: _known, ...shown } = result;
  state.pull = shown;
  core.info(`processcache: fetched ${result.entries} entries and ${result.packs} packs (${result.bytes} bytes) in ${result.ms} ms`);
}

export function setOutputs(stats: Totals): void {
  core.setOutput('reused', stats.reused);
  core.setOutput('ran', stats.ran);
  core.setOutput('saved-ms', Math.round(stats.savedMs));
  core.setOutput('restored-bytes', stats.restoredBytes);
}

function readStats(file: string | null): MemoStats | null {
  if (!file) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as MemoStats;
  } catch {
    return null;
  }
}

export async function mainImpl(provider: StateProvider): Promise<void> {
  // the environment the commands get, as a run: step's: without the Action's INPUT_* variables
  // (taken before the transport points GITHUB_WORKSPACE at its own directory)
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_')));
  const cfg = configOrFail(env);
  if (!cfg) return;
  const unsupported = unsupportedWhy();
  const state: MainState = { traced: unsupported === null, setup: cfg.run === null, pull: null };
  if (unsupported) core.warning(`${unsupported}: the commands run without processcache`);
  else {
    if (cfg.readOnlyWhy) core.info(`processcache: the cache is read-only in this run: ${cfg.readOnlyWhy}`);
    try {
      await prepare(cfg, state);
    } catch (e) {
      core.warning(`the cache could not be fetched (${(e as Error).message}): the commands run and record as on a first run`);
    }
  }
  provider.save(state);
  const layout = layoutOf(cfg);
  if (state.setup) {
    installShims(cfg, layout, state.traced);
    core.addPath(layout.bin);
    core.exportVariable('PROCESSCACHE_STORE', cfg.storeDir);
    core.exportVariable('PROCESSCACHE_NODE', process.execPath);
    if (cfg.envInputs.length) core.exportVariable('PROCESSCACHE_ENV_INPUTS', cfg.envInputs.join(','));
    core.info('processcache: steps with `shell: processcache-bash {0}` now run traced');
    return;
  }
  const { status, statsFile } = await runStep(cfg, layout, tracedEnv(cfg, env), state.traced);
  const stats = readStats(statsFile);
  if (stats) setOutputs(totals([{ label: 'run', stats }]));
  if (status !== 0) core.setFailed(`the commands exited with status ${status}`);
}
