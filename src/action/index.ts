// The Action's two entry points in one bundle (dist/action/index.js): dist/action/main.js and
// post.js, which action.yml names, are one line each over these (scripts/build.mjs writes them).
import { runEntry } from './entry.js';
import { mainImpl } from './main-impl.js';
import { postImpl } from './post-impl.js';
import { runnerState } from './state.js';

export const main = (): void => runEntry(() => mainImpl(runnerState));
export const post = (): void => runEntry(() => postImpl(runnerState));
