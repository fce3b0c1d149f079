export { summarize, WRITE_SINKS, type Step } from './summary.js';
export type { Input, InputSpec, Summary } from './types.js';
