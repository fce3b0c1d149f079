export { MemoEngine, type MemoOptions, type MemoStats, type ExecutionRow } from './engine.js';
export { Roots } from './paths.js';
export { RestoreError } from './restore.js';
export { commandAttrs, ownStreams, viewOf } from './attributes.js';
