// Tracing overhead on a real build: lua5.4's `make -j2 linux`, untraced, under `processcache trace`
// and under strace --seccomp-bpf, alternating, RUNS runs each; prints medians and ratios.
// Run: npm run bench:trace   (RUNS=5 by default)
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Trace } from '../../src/trace/index.js';
import { CLI, debianSource, median, sh, spread, table, timed } from './lib.js';

const RUNS = Number(process.env.RUNS ?? 5);
const work = mkdtempSync(join(tmpdir(), 'pc-bench-trace-'));
const lua = debianSource('lua5.4', join(work, 'lua'));
const traceFile = join(work, 'trace.json');
const build = ['make', '-j2', 'linux'];
const variants: Record<string, string[]> = {
  untraced: build,
  'processcache trace': [process.execPath, CLI, 'trace', '--out', traceFile, '--', ...build],
  'strace --seccomp-bpf': ['strace', '-f', '-qq', '-o', '/dev/null', '--seccomp-bpf', '-e', 'trace=%file,%process', ...build],
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
sh('make -s -j2 linux && make -s clean', lua); // warm the page cache
for (let run = 0; run < RUNS; run++) {
  for (const [name, argv] of Object.entries(variants)) {
    sh('make -s clean', lua);
    times[name]!.push(timed(argv, lua));
  }
  process.stderr.write(`run ${run + 1}/${RUNS}: ${Object.entries(times).map(([k, v]) => `${k} ${v.at(-1)!.toFixed(0)} ms`).join(', ')}\n`);
}
const base = median(times.untraced!);
const rows = [['variant', 'median ms', 'ratio to untraced', 'spread']];
for (const [name, xs] of Object.entries(times)) {
  rows.push([name, median(xs).toFixed(0), (median(xs) / base).toFixed(2), spread(xs)]);
}
const trace = JSON.parse(readFileSync(traceFile, 'utf8')) as Trace;
const accesses = trace.executions.reduce((n, e) => n + e.accesses.length, 0);
console.log(`lua5.4 make -j2 linux, ${RUNS} runs each, alternating (${new Date().toISOString().slice(0, 10)})`);
console.log(table(rows));
console.log(`last traced build: ${trace.executions.length} executions, ${accesses} accesses`);
sh(`rm -rf ${JSON.stringify(work)}`, tmpdir());
