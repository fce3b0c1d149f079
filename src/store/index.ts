export { LocalStore, defaultStoreDir, parseEntry } from './local.js';
export type { Entry, OutputState, Store } from './types.js';
