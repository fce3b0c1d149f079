// What both entry points share: an unexpected error is a warning (the cache never fails a job),
// and the process exits when the work is done, because retrying HTTP clients keep Node alive.
import * as core from '@actions/core';

export function runEntry(impl: () => Promise<void>): void {
  impl().catch((e: unknown) => {
    core.warning(`processcache: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }).finally(() => process.exit());
}
