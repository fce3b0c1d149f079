// The stale-replay fuzzer (scripts/fuzz) for a bounded time with a fixed seed: random file-system
// changes and observing commands, in a cached twin and an untraced one, must never differ.
// FUZZ_SECONDS (default 120) and FUZZ_SEED (default 1) override; `npm run fuzz` runs it longer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXCLUDED } from '../scripts/fuzz/grammar.js';
import { fuzz, summary } from '../scripts/fuzz/fuzzer.js';
import { CLI } from './helpers.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 120);
const SEED = Number(process.env.FUZZ_SEED ?? 1);

test(`a cached run never differs from an untraced one (${SECONDS} s of random sequences, seed ${SEED})`, () => {
  const excluded = Object.entries(EXCLUDED);
  console.log(excluded.length === 0 ? 'fuzz: no class excluded' : `fuzz: excluded classes:\n${excluded.map(([c, why]) => `  ${c}: ${why}`).join('\n')}`);
  const options = {
    seed: SEED,
    seconds: SECONDS,
    sequences: Infinity,
    verbose: false,
    only: [],
    excluded: EXCLUDED,
    keep: false,
    cli: CLI,
    // a reduction costs a few sequence runs; a failing suite should still end in minutes
    minimizeSeconds: 45,
    log: (line: string) => console.log(`fuzz: ${line}`),
  };
  const result = fuzz(options);
  console.log(summary(result, options));
  assert.ok(result.observations > 0, 'the fuzzer observed nothing');
  // the reproductions went to the log as they were found: uvu's report would mangle a script
  const kinds = result.repros.map((m) => `${m.signature}: ${m.details[0]}`).join('; ');
  assert.is(result.mismatches.length, 0, `${result.mismatches.length} mismatches (the reproductions are above): ${kinds}`);
});

test.run();
