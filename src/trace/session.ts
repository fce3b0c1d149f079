// Runs one command under the native tracer and collects its executions.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants as fsConstants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { TraceBuilder } from './builder.js';
import { callerLaunch, LAUNCH_ENV, type Launch } from './launch.js';
import { loadNative, PASS_FDS_MAX, type NativeTracer } from './native.js';
import {
  decodeExecQuery, encodeExecReply, encodeSpec, EventDecoder, EventType, SPEC_DECIDE_EXEC, SPEC_DROP_PRIVILEGES, SPEC_LAZY_WRITES,
  SPEC_NO_NEW_PRIVS, SPEC_NO_NOTIFY, type ExecDecision, type ExecQuery, type RawEvent,
} from './protocol.js';
import { forwardSignals } from './signals.js';
import type { CommandStatus, Trace } from './types.js';

export class TraceError extends Error {}

/** How long an exec waits for the writers of the pipe on its stdin: by default never. Held, a
 * reader starts later than it would have, and a race between it and its writer can end otherwise
 * (a writer SIGPIPE would have killed, a reader's timeout on stdin): opt in with
 * PROCESSCACHE_PIPE_WAIT_MS (docs/design-notes.md). */
export const DEFAULT_PIPE_WAIT_MS = 0;

export interface TraceOptions {
  command: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** 'auto': through passwordless sudo when not root, so setuid programs keep working */
  privileged?: 'auto' | 'never';
  /** run this tracer program instead of forking one from the library (the sanitizer test) */
  tracerProgram?: string;
  /** the builder to fill (its onExecutionEnd hook set), instead of a new one */
  builder?: TraceBuilder;
  /** asked before every exec: run the program, or skip it with a recorded result */
  decideExec?: (query: ExecQuery) => ExecDecision | Promise<ExecDecision>;
  /** (with decideExec) a wait returned process pid, which ran a program: its parent waits at
   * that return until this is done */
  reaped?: (pid: number) => void;
  /** (with decideExec) how long an exec may wait for the writers of the pipe on its stdin */
  pipeWaitMs?: number;
  /** the signals and fds the command starts with; default: the caller's (callerLaunch) */
  launch?: Launch;
}

export interface TraceResult {
  trace: Trace;
  status: CommandStatus;
  builder: TraceBuilder;
  warnings: string[];
  /** for a tracer run as a program: how it ended and what it printed (it may outlive the command) */
  tracerExit: Promise<{ status: number | null; stderr: string }> | null;
}

/** Finds the program the way execvp would, so that "not found" is reported before tracing. */
export function resolveProgram(name: string, env: NodeJS.ProcessEnv, cwd: string): string {
  const executable = (p: string): boolean => {
    try {
      accessSync(p, fsConstants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes('/')) {
    const full = resolve(cwd, name);
    if (!executable(full)) throw new TraceError(`${name}: no such executable file`);
    return full;
  }
  const dirs = (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter);
  for (const dir of dirs) {
    const full = resolve(cwd, dir || '.', name);
    if (executable(full)) return full;
  }
  throw new TraceError(`${name}: command not found in PATH`);
}

/** One write of several buffers: corked, the socket sends them with one writev. */
function writeParts(socket: Socket, parts: readonly Buffer[]): void {
  socket.cork();
  for (const part of parts) socket.write(part);
  socket.uncork();
}

function envList(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter((e): e is [string, string] => e[1] !== undefined && e[0] !== LAUNCH_ENV)
    .map(([k, v]) => `${k}=${v}`);
}

function currentUmask(): number {
  const mask = process.umask(0o022);
  process.umask(mask);
  return mask;
}

function hasPasswordlessSudo(): boolean {
  const r = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0;
}

interface Started {
  socket: Socket;
  privileged: boolean;
  /** started as a program (pctrace), which gets the fds in one message */
  program: boolean;
  finish(): void;
  exit: Promise<{ status: number | null; stderr: string }> | null;
  /** why the tracer ended, once its channel closed early */
  postmortem(): Promise<string>;
}

function startForked(native: NativeTracer, inherit: readonly number[]): Started {
  const { pid, channel } = native.forkTracer(inherit);
  const socket = new Socket({ fd: channel, readable: true, writable: true });
  return {
    socket,
    privileged: false,
    program: false,
    exit: null,
    finish() {
      // the tracer stays while processes that outlive the command still run
      native.reap(pid, true);
    },
    async postmortem() {
      const status = native.reap(pid, false);
      if (status === null) return 'it closed its channel';
      const signal = status & 0x7f;
      return signal ? `it was killed by signal ${signal}` : `it exited with status ${(status >> 8) & 0xff}`;
    },
  };
}

/** The tracer as a program (pctrace), through sudo when it must be privileged. */
async function startProgram(native: NativeTracer, program: string, sudo: boolean, inherit: readonly number[]): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'processcache-'));
  const path = join(dir, 'tracer.sock');
  const listener = native.listen(path);
  const argv = [program, '--connect', path];
  const child = sudo
    ? spawn('sudo', ['-n', '--', ...argv], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exit = new Promise<{ status: number | null; stderr: string }>((resolveExit) => {
    child.on('close', (status) => resolveExit({ status, stderr }));
  });
  let channel: number;
  try {
    channel = await native.acceptTracer(listener, 15_000, inherit);
  } catch (e) {
    child.kill();
    throw new TraceError(`the tracer program did not start${sudo ? ' through sudo' : ''}: ${stderr.trim() || (e as Error).message}`);
  } finally {
    native.close(listener);
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    socket: new Socket({ fd: channel, readable: true, writable: true }),
    privileged: sudo,
    program: true,
    exit,
    async postmortem() {
      const timeout = new Promise<null>((r) => setTimeout(() => r(null), 2000).unref());
      const ended = await Promise.race([exit, timeout]);
      if (!ended) return 'it closed its channel';
      return `it exited with status ${ended.status}${ended.stderr ? `: ${ended.stderr.trim()}` : ''}`;
    },
    finish() {
      // a tracer still serving processes the command left behind must not keep Node alive
      child.unref();
      (child.stderr as Socket | null)?.unref();
    },
  };
}

function decide(options: TraceOptions): boolean {
  if (process.getuid?.() === 0 || options.privileged === 'never') return false;
  if (process.env.PROCESSCACHE_SUDO === '0') return false;
  return hasPasswordlessSudo();
}

/** Runs the command under the tracer; resolves when the command itself has ended. */
export async function traceCommand(options: TraceOptions): Promise<TraceResult> {
  const [program, ...rest] = options.command;
  if (!program) throw new TraceError('no command given');
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const exe = resolveProgram(program, env, cwd);
  const native = loadNative();
  const launch = options.launch ?? callerLaunch();
  // one message carries the fds to a tracer program (the sudo route): PASS_FDS_MAX, 0-2 included
  const passable = launch.fds.slice(0, PASS_FDS_MAX - 3);
  const started = options.tracerProgram
    ? await startProgram(native, options.tracerProgram, false, passable)
    : decide(options) ? await startProgram(native, native.helperPath, true, passable) : startForked(native, launch.fds);
  const inherited = started.program ? passable : launch.fds;
  const isRoot = process.getuid?.() === 0;
  const spec = encodeSpec({
    exe,
    cwd,
    argv: [program, ...rest],
    env: envList(env),
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    groups: process.getgroups?.() ?? [],
    umask: currentUmask(),
    fds: inherited,
    sigIgnored: launch.sigIgnored,
    sigBlocked: launch.sigBlocked,
    pipeWaitMs: options.decideExec ? options.pipeWaitMs ?? DEFAULT_PIPE_WAIT_MS : 0,
    flags: (started.privileged ? SPEC_DROP_PRIVILEGES : isRoot ? 0 : SPEC_NO_NEW_PRIVS) |
      (process.env.PROCESSCACHE_NOTIFY === '0' ? SPEC_NO_NOTIFY : 0) |
      (options.decideExec ? SPEC_DECIDE_EXEC : 0) |
      (options.decideExec && process.env.PROCESSCACHE_LAZY_WRITES !== '0' ? SPEC_LAZY_WRITES : 0),
  });
  const t0 = performance.now();
  const builder = options.builder ?? new TraceBuilder();
  const decoder = new EventDecoder();
  const forwarders = forwardSignals();
  try {
    await new Promise<void>((resolveDone, reject) => {
      const { socket } = started;
      const decideExec = options.decideExec;
      // the tracer waits for each answer before it sends anything of its own: one at a time
      let decisions = Promise.resolve();
      const onQuery = (ev: RawEvent): void => {
        if (!decideExec) return;
        const query = decodeExecQuery(ev);
        builder.noteQuery(query);
        decisions = decisions.then(async () => {
          let decision: ExecDecision;
          try {
            decision = await decideExec(query);
          } catch {
            decision = { skip: false }; // a failed decision runs the program
          }
          if (decision.skip) builder.addSkipped(query, decision.exitCode, decision.output, Number(ev.timeNs) / 1e6, decision.tag);
          writeParts(socket, encodeExecReply(decision));
        });
      };
      // answered in turn with the exec queries: the tracer waits for one answer at a time
      const onReaped = (ev: RawEvent): void => {
        decisions = decisions.then(() => {
          try {
            options.reaped?.(ev.value);
          } catch { /* the parent goes on all the same */ }
          writeParts(socket, encodeExecReply({ skip: false }));
        });
      };
      socket.on('data', (chunk: Buffer) => {
        try {
          for (const ev of decoder.push(chunk)) {
            if (ev.type === EventType.execQuery || ev.type === EventType.execQueryLast) onQuery(ev);
            else if (ev.type === EventType.reaped) onReaped(ev);
            else builder.add(ev);
          }
          if (builder.rootPid) forwarders.started(builder.rootPid);
        } catch (e) {
          reject(e);
          socket.destroy();
          return;
        }
        if (builder.done) {
          // the command has returned; processes it left behind keep their tracer
          socket.destroy();
          resolveDone();
        }
      });
      socket.on('error', (e) => reject(new TraceError(`the tracer's channel failed: ${e.message}`)));
      socket.on('close', () => {
        if (builder.done) return resolveDone();
        void started.postmortem().then((how) => {
          const why = [...builder.errors, `${how} before the command ended`].join('; ');
          reject(new TraceError(`the tracer failed: ${why}`));
        });
      });
      socket.write(spec);
    });
    forwarders.ended(builder.livePids);
  } finally {
    forwarders.remove();
    started.finish();
  }
  const status = builder.rootStatus ?? { exitCode: null, signal: null };
  const trace: Trace = {
    version: 1,
    command: options.command,
    cwd,
    exitCode: exitCodeOf(status),
    durationMs: Math.round((performance.now() - t0) * 1000) / 1000,
    executions: builder.executions,
  };
  const warnings = [...builder.warnings];
  const lost = launch.fds.slice(inherited.length);
  if (lost.length > 0) warnings.push(`the tracer program receives ${PASS_FDS_MAX} fds at most: the command did not inherit fds ${lost.join(', ')}`);
  if (!started.privileged && !isRoot) warnings.push(...setuidWarnings(trace));
  return { trace, status, builder, warnings, tracerExit: started.exit };
}

export function exitCodeOf(status: CommandStatus): number {
  if (status.signal !== null) return 128 + status.signal;
  return status.exitCode ?? 1;
}

/** Without privileges the tracer sets no_new_privs, so setuid programs run without their bit. */
function setuidWarnings(trace: Trace): string[] {
  const out: string[] = [];
  for (const exec of trace.executions) {
    try {
      if (statSync(exec.exe).mode & 0o4000) {
        out.push(`${exec.exe} is setuid, but the tracer runs without privileges, so it ran without them. ` +
          'Give this user passwordless sudo (the tracer then runs privileged and the command as you) or run processcache as root.');
      }
    } catch { /* gone since */ }
  }
  return [...new Set(out)];
}

