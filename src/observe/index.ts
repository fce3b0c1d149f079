export { summarize, WRITE_SINKS, type PathWalker, type Step } from './summary.js';
export type { Input, InputSpec, PermsSpec, Pinned, StatSpec, Summary } from './types.js';
export { NO_XATTRS, readAtRecording } from './types.js';
export { identityOf, openFileOf, parseSeen, typeOfMode, type Seen } from './seen.js';
export { mtimeUse, type MtimeUse } from './mtime-use.js';
