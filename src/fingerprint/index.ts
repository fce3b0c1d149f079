export { digestFd, FileHasher, readStatCache, scratchBuffer, sha256, type StatCacheEntry } from './hash.js';
export { currentValue, permsValue, toInput, UNREADABLE, namesFingerprint, replaceable, statBase, statFields, statNow } from './inputs.js';
export { LinkWalker } from './links.js';
export { weakKey, PER_RUN_ENV, type WeakParts } from './weak.js';
export { CONTEXT_ENV, contextValues, holds, holdsInChunks, validContext, type ContextValue, type Needle } from './context-env.js';
export { CHANGE_OPS, FsView } from './view.js';
export type { Change } from './changes.js';
