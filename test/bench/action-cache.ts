// The Action with the Actions cache against the Action with a local store, on lua5.4 (`make -j2
// linux`): a warm job (a fresh checkout, nothing changed) and a job with one source file edited,
// each on a fresh machine. The remote goes through the cache service emulator with LATENCY_MS
// (default 20) added to every request; its jobs start from an empty local store and pull. RUNS
// runs (default 3), each with fresh stores; medians side by side, and their ratio (goal: <= 1.5x).
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimeToken, start, type CacheService } from '../support/cache-service.js';
import { actionPhase, newJob } from '../support/runner.js';
import { debianSource, median, spread, table } from './lib.js';

const RUNS = Number(process.env.RUNS ?? 3);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 20);
const work = mkdtempSync(join(tmpdir(), 'pc-bench-action-'));
const source = debianSource('lua5.4', join(work, 'lua-src'));
const RUN = { run: 'make -s -j2 linux' };

interface Phase { ms: number; reused: number; ran: number; pullMs: number }

/** One job: a fresh copy of lua at the machine's workspace (edited if asked), main timed, then post. */
async function job(machine: string, inputs: Record<string, string>, env: Record<string, string>, edit: boolean): Promise<Phase> {
  const j = newJob(machine, env);
  cpSync(source, j.workspace, { recursive: true });
  if (edit) appendFileSync(join(j.workspace, 'src', 'lapi.c'), '\n/* edited */\n');
  const t0 = performance.now();
  const main = await actionPhase(j, 'main', { ...RUN, ...inputs });
  const ms = performance.now() - t0;
  if (main.status !== 0) throw new Error(`main failed: ${main.stdout}${main.stderr}`);
  const post = await actionPhase(j, 'post', { ...RUN, ...inputs });
  if (post.status !== 0) throw new Error(`post failed: ${post.stdout}${post.stderr}`);
  const pullMs = Number(/fetched \d+ entries and \d+ packs \(\d+ bytes\) in (\d+) ms/.exec(main.stdout)?.[1] ?? 0);
  return { ms, reused: Number(main.outputs.reused), ran: Number(main.outputs.ran), pullMs };
}

const rows: Record<string, number[]> = {};
const pulls: Record<string, number[]> = {};
const note = (name: string, p: Phase): void => {
  (rows[name] ??= []).push(p.ms);
  (pulls[name] ??= []).push(p.pullMs);
  process.stderr.write(`${name}: ${p.ms.toFixed(0)} ms (pull ${p.pullMs} ms), ${p.reused} reused, ${p.ran} ran\n`);
};
let uploads = 0;

for (let run = 0; run < RUNS; run++) {
  // local: a store directory kept between the jobs, as on a self-hosted runner
  const localMachine = mkdtempSync(join(work, 'local-'));
  const local = { backend: 'local', 'store-dir': join(localMachine, 'store') };
  note('local cold', await job(localMachine, local, {}, false));
  note('local warm', await job(localMachine, local, {}, false));
  note('local one file edited', await job(localMachine, local, {}, true));
  // remote: every job on a fresh machine, the cache behind LATENCY_MS per request
  const svc: CacheService = await start({ latencyMs: LATENCY_MS });
  try {
    const remoteMachine = mkdtempSync(join(work, 'remote-'));
    const env = svc.env(runtimeToken({ write: 'refs/heads/main', read: ['refs/heads/main'] }));
    note('remote cold', await job(remoteMachine, {}, env, false));
    uploads = svc.uploads();
    note('remote warm', await job(remoteMachine, {}, env, false));
    note('remote one file edited', await job(remoteMachine, {}, env, true));
  } finally {
    await svc.stop();
  }
  process.stderr.write(`run ${run + 1}/${RUNS} done\n`);
}

const fmt = (xs: number[]): string => `${median(xs).toFixed(0)} ms (±${spread(xs)})`;
const out: string[][] = [['job', 'local store', `Actions cache, ${LATENCY_MS} ms/request`, 'of which the pull', 'remote / local']];
for (const kind of ['cold', 'warm', 'one file edited']) {
  const l = rows[`local ${kind}`]!;
  const r = rows[`remote ${kind}`]!;
  out.push([kind, fmt(l), fmt(r), `${median(pulls[`remote ${kind}`]!).toFixed(0)} ms`, `${(median(r) / median(l)).toFixed(2)}x`]);
}
process.stdout.write(`lua5.4 make -s -j2 linux through the Action (main step's wall time, medians of ${RUNS})\n${table(out)}\n`);
process.stdout.write(`the cold job's uploads: ${uploads}\n`);
