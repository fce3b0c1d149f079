export { FileHasher, sha256, isRegularFile } from './hash.js';
export { currentValue, toInput, namesFingerprint } from './inputs.js';
export { weakKey, filterEnv, PER_RUN_ENV, type WeakParts } from './weak.js';
export { FsView } from './view.js';
