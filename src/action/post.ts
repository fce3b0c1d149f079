import { runEntry } from './entry.js';
import { postImpl } from './post-impl.js';
import { runnerState } from './state.js';

runEntry(() => postImpl(runnerState));
