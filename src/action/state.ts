// What main learned and post needs, passed through the runner's state (actions/cache's
// StateProvider): post runs as a separate process, maybe hours later.
import * as core from '@actions/core';
import type { PullResult } from '../store/remote/sync.js';

export interface MainState {
  /** whether main traced (a supported runner, a usable tracer) */
  traced: boolean;
  setup: boolean;
  pull: Omit<PullResult, 'known'> | null;
}

export interface StateProvider {
  save(state: MainState): void;
  load(): MainState | null;
}

const NAME = 'processcache';

export const runnerState: StateProvider = {
  save: (state) => core.saveState(NAME, JSON.stringify(state)),
  load: () => {
    const text = core.getState(NAME);
    if (!text) return null;
    try {
      return JSON.parse(text) as MainState;
    } catch {
      return null;
    }
  },
};
