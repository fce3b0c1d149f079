// A GitHub runner as far as the Action can tell: the GITHUB_* variables, RUNNER_TEMP, the workflow
// command files (GITHUB_STATE, GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY), INPUT_*
// variables, main then post with the state main saved, and later `run:` steps with the PATH and
// environment earlier steps exported. Steps run asynchronously, so that a cache service emulator
// in the test's own process can answer them.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { node24, ROOT } from '../helpers.js';

export interface Job {
  /** the job's scratch directory: workspace, RUNNER_TEMP, HOME and the command files live here */
  dir: string;
  workspace: string;
  runnerTemp: string;
  /** the runner's environment for every step (GITHUB_*, ACTIONS_*) */
  env: Record<string, string>;
  /** what GITHUB_ENV and GITHUB_PATH exported so far */
  exported: Record<string, string>;
  path: string[];
  state: Record<string, string>;
}

export interface StepResult {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/**
 * A fresh job on a fresh machine whose paths are those of the last (machine: a directory kept
 * across a test's jobs): the workspace, RUNNER_TEMP and HOME emptied. A hosted runner has the same
 * paths in every job, and a process's working directory and environment are in its fingerprint.
 */
export function newJob(machine: string, env: Record<string, string> = {}, event: unknown = {}): Job {
  const dir = join(machine, 'job');
  rmSync(dir, { recursive: true, force: true });
  const workspace = join(dir, 'work', 'repo', 'repo');
  const runnerTemp = join(dir, 'work', '_temp');
  const home = join(dir, 'home');
  for (const d of [workspace, runnerTemp, home]) mkdirSync(d, { recursive: true });
  writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
  return {
    dir, workspace, runnerTemp, exported: {}, path: [], state: {},
    env: {
      GITHUB_ACTIONS: 'true', CI: 'true', GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp, HOME: home,
      RUNNER_OS: 'Linux', GITHUB_REPOSITORY: 'octo/proj', GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: join(dir, 'event.json'),
      GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_SHA: 'a'.repeat(40), GITHUB_RUN_ID: String(Date.now()),
      GITHUB_SERVER_URL: 'https://github.com', GITHUB_JOB: 'build',
      ...env,
    },
  };
}

/** The key/value file-command format: `name<<DELIM`, the value's lines, `DELIM` (or `name=value`). */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]!);
      out[heredoc[1]!] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

function baseEnv(job: Job): Record<string, string> {
  const path = [...job.path, process.env.PATH ?? '/usr/bin:/bin'].join(':');
  return { PATH: path, LANG: 'C.UTF-8', ...job.env, ...job.exported };
}

function spawnStep(argv: string[], env: Record<string, string>, cwd: string, timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; });
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** One step's command files, fresh, named in env. */
function commandFiles(job: Job, name: string): Record<string, string> {
  const dir = join(job.dir, 'files', `${name}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  for (const f of ['GITHUB_STATE', 'GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH']) {
    files[f] = join(dir, f.toLowerCase());
    writeFileSync(files[f], '');
  }
  files.GITHUB_STEP_SUMMARY = join(job.dir, 'summary.md');
  if (!existsSync(files.GITHUB_STEP_SUMMARY)) writeFileSync(files.GITHUB_STEP_SUMMARY, '');
  return files;
}

/** Takes in what a step exported through its command files. */
function collect(job: Job, files: Record<string, string>): Record<string, string> {
  Object.assign(job.state, parseFileCommands(readFileSync(files.GITHUB_STATE!, 'utf8')));
  Object.assign(job.exported, parseFileCommands(readFileSync(files.GITHUB_ENV!, 'utf8')));
  job.path.unshift(...readFileSync(files.GITHUB_PATH!, 'utf8').split('\n').filter(Boolean).reverse());
  return parseFileCommands(readFileSync(files.GITHUB_OUTPUT!, 'utf8'));
}

/** Runs the bundled Action's main or post under Node 24, with inputs as INPUT_* variables. */
export async function actionPhase(job: Job, phase: 'main' | 'post', inputs: Record<string, string>, timeoutMs = 180_000): Promise<StepResult> {
  const files = commandFiles(job, phase);
  const env: Record<string, string> = { ...baseEnv(job), ...files, GITHUB_ACTION: 'processcache' };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  if (phase === 'post') for (const [k, v] of Object.entries(job.state)) env[`STATE_${k}`] = v;
  const r = await spawnStep([node24(), join(ROOT, 'dist', 'action', `${phase}.js`)], env, job.workspace, timeoutMs);
  return { ...r, outputs: collect(job, files) };
}

/** A `run:` step after the Action, with the shell the workflow names ({0}: the script file). */
export async function runStep(job: Job, script: string, shell = 'bash --noprofile --norc -eo pipefail {0}', id = '__run'): Promise<StepResult> {
  const files = commandFiles(job, id);
  const file = join(job.runnerTemp, `${id}-${Date.now()}.sh`);
  writeFileSync(file, script);
  const argv = shell.split(' ').map((w) => w.replace('{0}', file));
  const r = await spawnStep(argv, { ...baseEnv(job), ...files, GITHUB_ACTION: id }, job.workspace, 180_000);
  return { ...r, outputs: collect(job, files) };
}

export function summaryOf(job: Job): string {
  const file = join(job.dir, 'summary.md');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
