import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exitCodeOf, traceCommand } from '../trace/index.js';
import { parseArgs, UsageError } from './args.js';

export const TRACE_USAGE = 'usage: processcache trace [--out FILE] -- CMD [ARGS...]';

/** `processcache trace`: runs CMD as it would run without us and writes what it did as JSON. */
export async function traceMain(args: string[]): Promise<number> {
  const { options, command } = parseArgs(args, { out: { value: true } }, TRACE_USAGE);
  if (command.length === 0) throw new UsageError(`no command to trace\n${TRACE_USAGE}`);
  const out = resolve(String(options.get('out') ?? 'processcache-trace.json'));
  const { trace, status, warnings, builder } = await traceCommand({ command });
  for (const w of [...builder.errors, ...warnings]) process.stderr.write(`processcache: warning: ${w}\n`);
  try {
    writeFileSync(out, `${JSON.stringify(trace, null, 1)}\n`);
  } catch (e) {
    process.stderr.write(`processcache: warning: could not write the trace to ${out}: ${(e as Error).message}\n`);
  }
  return exitCodeOf(status);
}
