import { fstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { isatty } from 'node:tty';
import { FileHasher } from '../fingerprint/index.js';
import { commandAttrs, MemoEngine, ownStreams, Roots, viewOf } from '../memo/index.js';
import { defaultStoreDir, LocalStore, type Entry, type StoreIndex } from '../store/index.js';
import { resolveProgram, TraceBuilder, xattrsValue } from '../trace/index.js';
import { parseArgs, UsageError } from './args.js';
import { forcedEnv, ignoredEnv, VERSION } from './common.js';


export const EXPLAIN_USAGE = 'usage: processcache explain [--store DIR] [--root DIR] [--ignore-env VAR]... [--env-input VAR]... -- CMD [ARGS...]';

/** The kind of this process's fd, as the tracer would report it for the command. */
function stdioKind(fd: number): string {
  try {
    if (isatty(fd)) return 'tty';
    const st = fstatSync(fd);
    if (st.isFIFO()) return 'pipe';
    if (st.isSocket()) return 'socket';
    if (st.isFile()) return 'file';
    if (st.isCharacterDevice()) return st.rdev === 259 ? 'null' : 'char'; // 1:3 is /dev/null
    return 'other';
  } catch {
    return 'closed';
  }
}

const MAX_LINES = 200;

class Explainer {
  lines: string[] = [];

  constructor(private readonly engine: MemoEngine, private readonly index: StoreIndex, private readonly env: string[]) {}

  private say(depth: number, text: string): void {
    if (this.lines.length < MAX_LINES) this.lines.push(`${'  '.repeat(depth)}${text}`);
  }

  /** Explains one program by its weak fingerprint; recurses into the closest candidate's children. */
  async explain(weak: string, label: string, depth: number): Promise<void> {
    const candidates = this.index.candidates(weak);
    if (!candidates.length) {
      this.say(depth, `miss  ${label}: never recorded`);
      return;
    }
    let closest: { entry: Entry; differs: string[] } | null = null;
    for (const entry of candidates) {
      const differs = this.engine.differences(entry, this.env);
      if (!differs.length) {
        this.say(depth, `hit   ${label}: replayed whole (${entry.inputs.length} inputs unchanged, saves ${(entry.durationMs / 1000).toFixed(1)} s)`);
        return;
      }
      if (!closest || differs.length < closest.differs.length) closest = { entry, differs };
    }
    const { entry, differs } = closest!;
    this.say(depth, `miss  ${label}: the closest of ${candidates.length} candidate(s) differs in ${differs.length} of ${entry.inputs.length} inputs`);
    for (const d of differs.slice(0, 5)) this.say(depth + 3, d);
    if (differs.length > 5) this.say(depth + 3, `... and ${differs.length - 5} more`);
    for (const child of entry.children) await this.explain(child.weak, child.argv.join(' ').slice(0, 100), depth + 1);
  }
}

/** `processcache explain`: which executions would hit, and why the others would not; runs nothing. */
export async function explainMain(args: string[]): Promise<number> {
  const { options, lists, command } = parseArgs(args, {
    store: { value: true }, root: { value: true }, 'ignore-env': { value: true, repeat: true }, 'env-input': { value: true, repeat: true },
  }, EXPLAIN_USAGE);
  if (!command.length) throw new UsageError(`no command to explain\n${EXPLAIN_USAGE}`);
  const cwd = process.cwd();
  const exe = resolveProgram(command[0]!, process.env, cwd);
  const store = new LocalStore(resolve(String(options.get('store') ?? defaultStoreDir())), false);
  const ignoreEnv = ignoredEnv(lists.get('ignore-env'), forcedEnv(lists.get('env-input')));
  const index = await store.openIndex();
  const hasher = new FileHasher();
  hasher.xattrs = xattrsValue;
  const engine = new MemoEngine({
    store, index, roots: new Roots(resolve(String(options.get('root') ?? cwd))), ignoreEnv, minDurationMs: 0,
    umask: process.umask(), toolVersion: VERSION, hasher, warn: () => {},
  }, new TraceBuilder());
  const env = Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined).map(([k, v]) => `${k}=${v}`);
  const weak = engine.weakOfQuery({ exe, argv: command, cwd, env, stdio: [stdioKind(0), stdioKind(1), stdioKind(2)] }, viewOf(commandAttrs(), env, ownStreams(), stdioKind(0), exe));
  const explainer = new Explainer(engine, index, env);
  await explainer.explain(weak, command.join(' '), 0);
  process.stdout.write(`${explainer.lines.join('\n')}\n`);
  if (explainer.lines.length >= MAX_LINES) process.stdout.write(`(cut at ${MAX_LINES} lines)\n`);
  process.stdout.write('(children are judged against the files as they are now, before anything runs)\n');
  return 0;
}
