// The Action's inputs, read and checked in one place: a bad value is an error that names the input
// and what it takes, never a silent default.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export type Backend = 'actions-cache' | 'local';

export interface ActionConfig {
  /** the commands to run traced; null: setup mode (later steps opt in with processcache-bash) */
  run: string | null;
  /** the shell's command line, {0} standing for the script file */
  shell: string[];
  workingDirectory: string;
  workspace: string;
  backend: Backend;
  /** the local store's directory (backend local), else a scratch store under RUNNER_TEMP */
  storeDir: string;
  readOnly: boolean;
  /** why the cache is read-only, for the log and the summary; null when writable */
  readOnlyWhy: string | null;
  /** ACTIONS_CACHE_MODE=none: the remote is neither read nor written */
  remoteReadable: boolean;
  keyPrefix: string;
  envInputs: string[];
  maxUploadBytes: number;
  summary: boolean;
  verbose: boolean;
  timeoutMs: number;
  runnerTemp: string;
}

export class InputError extends Error {}

/** GitHub's shells for `run:` steps, as `shell:` names them (docs: jobs.<job_id>.steps[*].shell). */
const SHELLS: Record<string, string[]> = {
  bash: ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '{0}'],
  sh: ['sh', '-e', '{0}'],
  python: ['python', '{0}'],
};

export function parseShell(value: string): string[] {
  const known = SHELLS[value || 'bash'];
  if (known) return known;
  const words = value.trim().split(/\s+/);
  if (!words.includes('{0}')) {
    throw new InputError(`shell "${value}" is neither bash, sh nor python, and has no {0} for the script file: ` +
      'write it as a command line such as "bash -e {0}"');
  }
  return words;
}

function bool(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback;
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0)$/i.test(value)) return false;
  throw new InputError(`input ${name} takes true or false, not "${value}"`);
}

function positive(name: string, value: string, fallback: number): number {
  if (value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`input ${name} takes a positive number, not "${value}"`);
  return n;
}

/** The pull request fields the trust decision reads from the event payload. */
interface EventPayload {
  pull_request?: { head?: { repo?: { full_name?: string; fork?: boolean } | null } };
  workflow_run?: { head_repository?: { full_name?: string } | null; event?: string };
}

function readEvent(path: string | undefined): EventPayload {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EventPayload;
  } catch {
    return {};
  }
}

/**
 * Why this run must not write the cache, or null. Code from a fork must not fill a cache that
 * trusted runs restore (cache poisoning): fork pull requests, pull_request_target (the base's
 * scope, a fork's code), workflow_run started by a fork's run, and a token that may not write.
 */
export function untrustedWhy(env: NodeJS.ProcessEnv, event: EventPayload = readEvent(env.GITHUB_EVENT_PATH)): string | null {
  const mode = (env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase();
  if (mode === 'read' || mode === 'none') return `ACTIONS_CACHE_MODE is ${mode}`;
  const name = env.GITHUB_EVENT_NAME ?? '';
  const repo = env.GITHUB_REPOSITORY ?? '';
  if (name === 'pull_request_target') return 'a pull_request_target run builds code its author controls in the base branch\'s scope';
  if (name.startsWith('pull_request')) {
    const head = event.pull_request?.head?.repo;
    if (head === null || head === undefined) return 'the pull request\'s head repository is unknown (deleted, or no event payload)';
    if (head.fork === true || (head.full_name !== undefined && head.full_name !== repo)) return `the pull request comes from a fork (${head.full_name ?? 'unknown'})`;
  }
  if (name === 'workflow_run') {
    const head = event.workflow_run?.head_repository?.full_name;
    if (head !== repo) return `the triggering run comes from ${head ?? 'an unknown repository'}`;
  }
  return null;
}

/** Reads every input through get (core.getInput), with the runner's environment env. */
export function readInputs(get: (name: string) => string, env: NodeJS.ProcessEnv): ActionConfig {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const runnerTemp = env.RUNNER_TEMP || join(workspace, '..', '.processcache-temp');
  const backend = get('backend') || 'actions-cache';
  if (backend !== 'actions-cache' && backend !== 'local') {
    throw new InputError(`input backend takes actions-cache or local, not "${backend}"`);
  }
  const readOnlyInput = get('read-only') || 'auto';
  let readOnlyWhy: string | null;
  if (readOnlyInput === 'auto') readOnlyWhy = untrustedWhy(env);
  else readOnlyWhy = bool('read-only', readOnlyInput, false) ? 'read-only: true' : null;
  const storeInput = get('store-dir');
  const home = env.HOME || '/tmp';
  const storeDir = backend === 'local'
    ? resolve(workspace, storeInput || join(env.XDG_CACHE_HOME || join(home, '.cache'), 'processcache'))
    : join(runnerTemp, 'processcache', 'store');
  const wd = get('working-directory');
  const keyPrefix = get('key-prefix') || 'processcache';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(keyPrefix)) {
    throw new InputError(`input key-prefix takes 1 to 64 letters, digits, dots, dashes or underscores, not "${keyPrefix}"`);
  }
  const envInputs = get('env-inputs').split(/[\s,]+/).filter(Boolean);
  for (const v of envInputs) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) throw new InputError(`input env-inputs names "${v}", which is no environment variable name`);
  }
  const mode = (env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase();
  return {
    run: get('run').trim() === '' ? null : get('run'),
    shell: parseShell(get('shell')),
    workingDirectory: wd ? (isAbsolute(wd) ? wd : resolve(workspace, wd)) : workspace,
    workspace,
    backend,
    storeDir,
    readOnly: readOnlyWhy !== null,
    readOnlyWhy,
    remoteReadable: mode !== 'none' && mode !== 'write-only',
    keyPrefix,
    envInputs,
    maxUploadBytes: positive('max-upload-mb', get('max-upload-mb'), 2048) * 1024 * 1024,
    summary: bool('summary', get('summary'), true),
    verbose: bool('verbose', get('verbose'), false),
    timeoutMs: positive('timeout-seconds', get('timeout-seconds'), 10) * 1000,
    runnerTemp,
  };
}
