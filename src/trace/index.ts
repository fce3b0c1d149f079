export { traceCommand, exitCodeOf, resolveProgram, TraceError } from './session.js';
export type { TraceOptions, TraceResult } from './session.js';
export type { Access, Execution, Trace, CommandStatus, StdioKind, FileType } from './types.js';
export { NativeError, loadNative, nativeLibrary } from './native.js';
export { xattrsValue } from './xattrs.js';
export { callerLaunch, LAUNCH_ENV, type Launch } from './launch.js';
export type { ExecQuery, ExecDecision } from './protocol.js';
export { TraceBuilder, type LogItem } from './builder.js';
export { decodeProcessAttrs, type InheritedFd, type ProcessAttrs } from './process-attrs.js';
