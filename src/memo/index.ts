export { MemoEngine, DEFAULT_EXEC_WAIT_MS, type MemoOptions, type MemoStats, type ExecutionRow } from './engine.js';
export { Roots } from './paths.js';
export { RestoreError } from './restore.js';
export { commandAttrs, ownStreams, viewOf } from './attributes.js';
