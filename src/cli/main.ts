#!/usr/bin/env node
import './v8-tiers.js'; // first: it decides how the rest of the CLI is compiled
import { callerLaunch, NativeError, TraceError } from '../trace/index.js';
import { UsageError } from './args.js';
import { CWD_GONE, isCwdGone, VERSION } from './common.js';
import { gcMain } from './gc-command.js';
import { RUN_USAGE, runMain } from './run-command.js';
import { TRACE_USAGE, traceMain } from './trace-command.js';


const HELP = `processcache ${VERSION}: memoizes unmodified Linux programs

commands:
  run [--store DIR] [--root DIR] [--allow DIR] [--read-only] [--stats-json FILE] [--quiet]
      [--ignore-env VAR] [--env-input VAR] [--min-duration-ms N] -- CMD [ARGS...]
                                        run CMD, skipping every process whose inputs are
                                        unchanged since a recorded run (store: $PROCESSCACHE_STORE,
                                        else $XDG_CACHE_HOME/processcache, else ~/.cache/processcache)
  explain [--store DIR] -- CMD [ARGS...] which executions of CMD would be reused, and for each
                                        miss the inputs that differ; runs nothing
  gc [--store DIR] --max-size SIZE      evict least recently used entries down to SIZE (5G)
  trace [--out FILE] -- CMD [ARGS...]   run CMD under the tracer and write every process's
                                        file accesses as JSON (default processcache-trace.json)
  help, --help                          this text
  version, --version                    the version
`;

async function main(argv: string[]): Promise<number> {
  callerLaunch(); // before anything opens an fd, and before anything reads the environment
  const [command, ...rest] = argv;
  switch (command) {
    case 'trace': return traceMain(rest);
    case 'run': return runMain(rest);
    // loaded on demand: `run`, which matters for speed, has no use for it (nor for node:tty)
    case 'explain': return (await import('./explain-command.js')).explainMain(rest);
    case 'gc': return gcMain(rest);
    case undefined: case 'help': case '--help': case '-h':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    case 'version': case '--version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"\n${TRACE_USAGE}\nrun \`processcache --help\` for the list`);
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof TraceError || e instanceof NativeError) {
      process.stderr.write(`processcache: ${e.message}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 127;
    } else if (isCwdGone(e)) {
      process.stderr.write(`processcache: ${CWD_GONE}; cd to an existing directory and run it again\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`processcache: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 70;
    }
  },
);
