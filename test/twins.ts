// Differential runs for the stale-replay tests: the same steps in two directories, one under
// `processcache run` with a store kept across its steps, one untraced. After every observation the
// two must agree: stdout, stderr, exit status, and the trees (types, contents, modes, link targets,
// link counts). mtimes are not compared (the twins are written at different instants); their
// order is, through what the programs print.
import { spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { runMemo, scratch, spawnCaptured } from './helpers.js';

/** observe: run cached and untraced. inPlace: the untraced answer is a rerun in the cached twin
 * itself (for what prints mtimes, which differ between twins). during: an untraced script run
 * alongside the observation in each twin (a change by a process outside the trace). */
export type TwinStep = { change: string } | { observe: string; input?: string; inPlace?: boolean; during?: string };

export interface TwinResult {
  /** the first disagreement, or null */
  mismatch: string | null;
  /** the statuses of the cached twin's executions, per observation */
  statuses: string[][];
}

/** The tree under dir as lines: path, type, mode, content or target, link count. */
export function treeOf(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const path = rel ? `${rel}/${name}` : name;
    const full = join(dir, path);
    const st = lstatSync(full);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) out.push(`${path} -> ${readlinkSync(full)}`);
    else if (st.isDirectory()) {
      out.push(`${path}/ ${mode}`);
      out.push(...treeOf(dir, path));
    } else if (st.isFile()) out.push(`${path} ${mode} links=${st.nlink} ${JSON.stringify(readFileSync(full, 'utf8'))}`);
    else out.push(`${path} ${st.isFIFO() ? 'fifo' : 'other'} ${mode}`);
  }
  return out;
}

function sh(script: string, cwd: string, input = '', toFiles = false): { status: number | null; stdout: string; stderr: string } {
  return spawnCaptured('/bin/sh', ['-c', script], { cwd, input, timeout: 60_000 }, toFiles);
}

/** Runs setup, then the steps, in a cached and an untraced twin; stops at the first disagreement.
 * toFiles: each observation's stdout and stderr are files, in both twins. */
export function twins(setup: string, steps: TwinStep[], toFiles = false): TwinResult {
  const cached = scratch('pc-twin-c-');
  const plain = scratch('pc-twin-p-');
  const store = scratch('pc-twin-store-');
  const statuses: string[][] = [];
  for (const dir of [cached, plain]) {
    const r = sh(setup, dir);
    if (r.status !== 0) throw new Error(`setup failed: ${r.stderr}`);
  }
  const same = (s: string, from: string): string => s.split(from).join('<dir>');
  for (const [i, step] of steps.entries()) {
    if ('change' in step) {
      for (const dir of [cached, plain]) sh(step.change, dir);
      continue;
    }
    const alongside = (dir: string): ChildProcess | null => (step.during ? spawn('/bin/sh', ['-c', step.during], { cwd: dir, stdio: 'ignore' }) : null);
    const beside = alongside(cached);
    const a = runMemo(['/bin/sh', '-c', step.observe], { cwd: cached, store, input: step.input ?? '', toFiles });
    beside?.kill();
    statuses.push(a.stats.executions.map((e) => `${e.exe.split('/').pop()}:${e.status}${e.reason ? ` (${e.reason})` : ''}`));
    const besidePlain = alongside(plain);
    const b = sh(step.observe, step.inPlace ? cached : plain, step.input, toFiles);
    besidePlain?.kill();
    if (step.inPlace) {
      if (a.stdout !== b.stdout || a.stderr !== b.stderr || a.status !== b.status) {
        return { mismatch: `step ${i} (${step.observe}): cached ${JSON.stringify([a.status, a.stdout, a.stderr])}, untraced rerun ${JSON.stringify([b.status, b.stdout, b.stderr])}\nexecutions: ${JSON.stringify(statuses)}`, statuses };
      }
      continue;
    }
    const where = `step ${i} (${step.observe})`;
    const pairs: [string, string, string][] = [
      ['stdout', same(a.stdout, cached), same(b.stdout, plain)],
      ['stderr', same(a.stderr, cached), same(b.stderr, plain)],
      ['status', String(a.status), String(b.status)],
      ['tree', treeOf(cached).join('\n'), treeOf(plain).join('\n')],
    ];
    for (const [what, got, want] of pairs) {
      if (got !== want) return { mismatch: `${where}: ${what} differs\ncached:   ${JSON.stringify(got)}\nuntraced: ${JSON.stringify(want)}\nexecutions: ${JSON.stringify(statuses)}`, statuses };
    }
  }
  return { mismatch: null, statuses };
}

/** Whether any observation after the first hit something: the case exercised the cache. */
export function hitSomewhere(r: TwinResult): boolean {
  return r.statuses.slice(1).some((s) => s.some((x) => x.includes(':hit')));
}
