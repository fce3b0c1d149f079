// The Action's post step: upload what the job's traced steps recorded, then write the job summary.
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { push, type PushResult } from '../store/remote/sync.js';
import { emptySegment, parseSegment, type Segment } from '../store/remote/segment.js';
import { openBackends } from './backend.js';
import { configOrFail, log, setOutputs } from './main-impl.js';
import type { StateProvider } from './state.js';
import { readSteps, summaryMarkdown, totals } from './summary.js';
import { layoutOf } from './traced-step.js';

function knownSegment(path: string): Segment {
  try {
    const parsed = parseSegment(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'string') return parsed.segment;
  } catch { /* nothing was fetched */ }
  return emptySegment();
}

export async function postImpl(provider: StateProvider): Promise<void> {
  const cfg = configOrFail({ ...process.env });
  if (!cfg) return;
  const state = provider.load();
  if (!state) {
    core.info('processcache: the main step did not run, so there is nothing to upload');
    return;
  }
  const layout = layoutOf(cfg);
  let pushed: PushResult | null = null;
  let noPushWhy: string | null = null;
  if (!state.traced) noPushWhy = 'the commands ran without processcache on this runner';
  else if (cfg.backend === 'local') noPushWhy = `backend local: the store at ${cfg.storeDir} was written in place`;
  else if (cfg.readOnly) noPushWhy = `the cache is read-only in this run (${cfg.readOnlyWhy})`;
  else {
    try {
      const { local, remote } = await openBackends(cfg, layout, log);
      if (remote) pushed = await push(local, remote.transport, remote.sync, knownSegment(layout.known));
      if (pushed && pushed.uploads === 0) noPushWhy = 'nothing new was recorded';
    } catch (e) {
      core.warning(`the cache could not be uploaded (${(e as Error).message}): the next run records again`);
      noPushWhy = `the upload failed: ${(e as Error).message}`;
    }
  }
  const steps = readSteps(layout.stats);
  if (state.setup) setOutputs(totals(steps));
  if (pushed) core.info(`processcache: uploaded ${pushed.entries} entries in ${pushed.packs} packs (${pushed.bytes} bytes), ${pushed.uploads} cache entries, in ${pushed.ms} ms`);
  if (cfg.summary && process.env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(summaryMarkdown(steps, { pull: state.pull, push: pushed && pushed.uploads ? pushed : null, noPushWhy })).write();
    } catch (e) {
      core.warning(`the job summary could not be written: ${(e as Error).message}`);
    }
  }
}
