import { runEntry } from './entry.js';
import { mainImpl } from './main-impl.js';
import { runnerState } from './state.js';

runEntry(() => mainImpl(runnerState));
