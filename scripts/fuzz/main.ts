// npm run fuzz -- [--seed N] [--seconds N | --sequences N] [--verbose] [--only CLASS[,CLASS]]
//                 [--keep] [--minimize-seconds N] [--out DIR]
// Draws random sequences of changes and observations and compares a cached twin with an untraced
// one (scripts/fuzz/fuzzer.ts). Exits 1 when any observation differed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CLASSES, EXCLUDED } from './grammar.js';
import { fuzz, summary } from './fuzzer.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 100000) },
    seconds: { type: 'string' },
    sequences: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true, default: [] },
    keep: { type: 'boolean', default: false },
    'minimize-seconds': { type: 'string', default: '90' },
    /** write each reproduction there, as repro-N.sh */
    out: { type: 'string' },
  },
});
const only = values.only.flatMap((s) => s.split(',')).filter(Boolean);
for (const c of only) if (!CLASSES.includes(c)) throw new Error(`unknown class ${c}; the classes: ${CLASSES.join(', ')}`);
// --only names a class on purpose: it runs even when excluded
const excluded = Object.fromEntries(Object.entries(EXCLUDED).filter(([c]) => !only.includes(c)));
const options = {
  seed: Number(values.seed),
  seconds: values.seconds !== undefined ? Number(values.seconds) : values.sequences !== undefined ? Infinity : 60,
  sequences: values.sequences !== undefined ? Number(values.sequences) : Infinity,
  verbose: values.verbose,
  only,
  excluded,
  keep: values.keep,
  cli: resolve(import.meta.dirname, '../../dist/cli.js'),
  minimizeSeconds: Number(values['minimize-seconds']),
  log: (line: string) => console.log(line),
};
console.log(`seed ${options.seed}${only.length ? `, only ${only.join(', ')}` : ''}`);
const result = fuzz(options);
console.log(summary(result, options));
if (values.out !== undefined) {
  mkdirSync(values.out, { recursive: true });
  result.repros.forEach((m, i) => writeFileSync(join(values.out!, `repro-${i}.sh`), m.script, { mode: 0o755 }));
}
process.exitCode = result.mismatches.length > 0 ? 1 : 0;
