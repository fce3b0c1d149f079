export { atomicWrite } from './atomic.js';
export { LocalStore, blobsOf, defaultStoreDir, parseEntry, listLocal } from './local.js';
export type { Entry, OutputState, Store, StoredEntry, StoreIndex } from './types.js';
export { collectGarbage, parseSize, type GcResult } from './gc.js';
export { describeOtherRun, pruneRuns, RunRegistry } from './runs.js';
export { sweepTemps } from './temps.js';
