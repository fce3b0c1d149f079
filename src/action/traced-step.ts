// How the Action runs commands: through dist/cli.js (its sh launcher sees the caller's fds and
// signals before Node does), on the runner's own Node, or plainly where the tracer cannot run.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:os';
import type { ActionConfig } from './inputs.js';

/** dist/cli.js, beside dist/action/ where the Action's bundle runs. */
export function cliPath(): string {
  return fileURLToPath(new URL('../cli.js', import.meta.url));
}

/** Linux on x64 or arm64: where the tracer and its seccomp filter are built and tested. */
export function unsupportedWhy(platform = process.platform, arch = process.arch): string | null {
  if (platform !== 'linux') return `processcache traces Linux programs only, and this runner is ${platform}`;
  if (arch !== 'x64' && arch !== 'arm64') return `processcache's tracer is built for x64 and arm64, and this runner is ${arch}`;
  return null;
}

export interface Layout {
  root: string;
  bin: string;
  stats: string;
  transfer: string;
  known: string;
}

export function layoutOf(cfg: ActionConfig): Layout {
  const root = join(cfg.runnerTemp, 'processcache');
  return { root, bin: join(root, 'bin'), stats: join(root, 'stats'), transfer: join(root, 'transfer'), known: join(root, 'known.json') };
}

/** The `processcache run` options every traced step gets. */
function runOptions(cfg: ActionConfig, statsFile: string): string[] {
  return ['run', '--store', cfg.storeDir, '--root', cfg.workspace, '--stats-json', statsFile, ...(cfg.readOnly ? ['--read-only'] : [])];
}

/** The variables a traced step needs beyond the runner's: the Node to run on, the forced env inputs. */
export function tracedEnv(cfg: ActionConfig, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...base, PROCESSCACHE_NODE: process.execPath, ...(cfg.envInputs.length ? { PROCESSCACHE_ENV_INPUTS: cfg.envInputs.join(',') } : {}) };
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Setup mode: `processcache` and `processcache-bash` in a directory for PATH. The shell wraps
 * GitHub's bash command line for `shell: processcache-bash {0}`; where the tracer cannot run it is
 * that command line alone.
 */
export function installShims(cfg: ActionConfig, layout: Layout, traced: boolean): void {
  mkdirSync(layout.bin, { recursive: true });
  mkdirSync(layout.stats, { recursive: true });
  const shim = join(layout.bin, 'processcache');
  rmSync(shim, { force: true });
  symlinkSync(cliPath(), shim);
  const stats = `${quote(layout.stats)}/"$(date +%s%N)-$$-\${GITHUB_ACTION:-step}.json"`;
  // the runner names each step's script anew (a UUID), and bash's argv is in its fingerprint: the
  // script runs under a name made from its content, so that a whole unchanged step can be reused
  const scripts = quote(join(layout.root, 'scripts'));
  const rename = `[ $# -ge 1 ] && [ -f "$1" ] && { mkdir -p ${scripts}; s=${scripts}/$(sha256sum < "$1" | cut -c1-32).sh; cp "$1" "$s"; shift; set -- "$s" "$@"; }`;
  const bash = 'bash --noprofile --norc -eo pipefail "$@"';
  const body = traced
    ? `${rename}\nexec ${quote(cliPath())} ${runOptions(cfg, '@STATS@').map(quote).join(' ').replace(quote('@STATS@'), () => stats)} -- ${bash}`
    : `exec ${bash}`;
  writeFileSync(join(layout.bin, 'processcache-bash'), `#!/bin/sh\n# written by the processcache Action for \`shell: processcache-bash {0}\`\n${body}\n`);
  chmodSync(join(layout.bin, 'processcache-bash'), 0o755);
}

/** Runs the `run` input as GitHub runs a `run:` step, traced or not; its exit status. */
export async function runStep(cfg: ActionConfig, layout: Layout, env: NodeJS.ProcessEnv, traced: boolean): Promise<{ status: number; statsFile: string | null }> {
  mkdirSync(layout.stats, { recursive: true });
  const id = `${Date.now()}${randomBytes(3).toString('hex')}-${process.pid}`;
  // named by its content: the shell's argv is in its fingerprint, and an unchanged step can be reused whole
  const digest = createHash('sha256').update(cfg.run ?? '').digest('hex').slice(0, 32);
  const script = join(layout.root, 'scripts', `${digest}${cfg.shell[0] === 'python' ? '.py' : '.sh'}`);
  mkdirSync(dirname(script), { recursive: true });
  writeFileSync(script, cfg.run ?? '');
  const command = cfg.shell.map((w) => w.replace('{0}', script));
  const statsFile = join(layout.stats, `${id}-${env.GITHUB_ACTION || 'step'}.json`);
  const [file, args] = traced ? [cliPath(), [...runOptions(cfg, statsFile), '--', ...command]] : [command[0]!, command.slice(1)];
  const status = await new Promise<number>((resolve) => {
    const child = spawn(file, args, { cwd: cfg.workingDirectory, env, stdio: 'inherit' });
    child.on('error', (e) => {
      process.stderr.write(`processcache: ${command[0]}: ${e.message}\n`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
  return { status, statsFile: traced ? statsFile : null };
}
