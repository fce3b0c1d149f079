// The CLI lives for one command, mostly seconds. Node 20's V8 (11.3) tiers from the baseline
// compiler straight to TurboFan, whose background threads compile code that will not run long
// enough to repay it, and on a build machine those threads take CPU from the build. Measured on the lua
// benchmark under Node 20: the CLI's own CPU 382 -> 284 ms on the edited run, 1146 -> 956 ms on
// the cold one. Newer V8 (Node 22 and later) tiers through Maglev first; there it made no
// difference, and it stays as it is (the check is by V8's major version: 12 is Node 22's).
import { createRequire } from 'node:module';

const v8Major = Number(process.versions.v8.split('.')[0]);
// node:v8 itself costs 1.5 ms to load: only where it is used (import() would load the ESM loader)
if (v8Major < 12) (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).setFlagsFromString('--no-opt');
