export { FileHasher, sha256, type StatCacheEntry } from './hash.js';
export { currentValue, toInput, namesFingerprint } from './inputs.js';
export { weakKey, PER_RUN_ENV, type WeakParts } from './weak.js';
export { CHANGE_OPS, FsView } from './view.js';
export type { Change } from './changes.js';
