// Shared by the benchmarks: real Debian sources, timed runs, medians side by side.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

/** Unpacks a Debian source package with ../shared/workloads/debian-source.sh. */
export function debianSource(pkg: string, dest: string): string {
  const script = resolve(ROOT, '..', 'shared', 'workloads', 'debian-source.sh');
  if (!existsSync(script)) throw new Error(`${script} is missing: the benchmarks need ../shared beside the repo`);
  const r = spawnSync('bash', [script, pkg, dest], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`fetching ${pkg} failed`);
  return dest;
}

export function sh(command: string, cwd: string): void {
  const r = spawnSync('sh', ['-c', command], { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`\`${command}\` failed in ${cwd}: ${r.stderr}`);
}

/** Wall time of a command in ms; it must succeed. */
export function timed(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`\`${argv.join(' ')}\` failed: ${r.stderr}`);
  return ms;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Spread of the runs around their median, in percent: the noise the ratios carry. */
export function spread(xs: number[]): string {
  const m = median(xs);
  return `${(((Math.max(...xs) - Math.min(...xs)) / m) * 100).toFixed(0)}%`;
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`).join('\n');
}
