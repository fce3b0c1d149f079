// `npm run demo`: builds examples/demo (a small C program, its library and its test) twice from a
// fresh copy at the same path, as two CI jobs check a repository out, both through processcache
// with one store. The second build reuses every compile, the link and the test run. (The path
// stays: a process's working directory is part of its fingerprint, and gcc writes it into what
// it makes.)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const base = mkdtempSync(join(tmpdir(), 'processcache-demo-'));
const store = join(base, 'store');

function build(name) {
  const dir = join(base, 'checkout');
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'examples', 'demo'), dir, { recursive: true });
  process.stdout.write(`\n$ processcache run -- make -j2    (${name}: a fresh copy in ${dir})\n`);
  const started = Date.now();
  const r = spawnSync(cli, ['run', '--store', store, '--stats-json', join(base, `${name.replace(' ', '-')}.json`), '--', 'make', '-j2'], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`demo: the build failed (status ${r.status ?? r.signal}); is a C compiler installed (apt-get install build-essential)?\n`);
    process.exit(1);
  }
  return { ms: Date.now() - started, stats: JSON.parse(readFileSync(join(base, `${name.replace(' ', '-')}.json`), 'utf8')) };
}

const first = build('first job');
const second = build('second job');
process.stdout.write(`\nfirst build:  ${first.stats.ran} executions ran, ${first.stats.reused} reused, ${first.ms} ms\n`);
process.stdout.write(`second build: ${second.stats.ran} ran, ${second.stats.reused} reused, ${second.ms} ms (its outputs restored, its output replayed)\n`);
rmSync(base, { recursive: true, force: true });
