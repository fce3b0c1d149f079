// Runs the uvu suite (TypeScript through tsx) and ends with the line CI reads: "N passed, N failed".
import { spawn } from 'node:child_process';

const pattern = process.argv[2] ?? '\\.test\\.ts$';
// the commands the tests run inherit what this process was given: start the runner with no leaked fd
const child = spawn('bash', ['scripts/no-leaked-fds.sh', process.execPath, '--import', 'tsx', 'node_modules/uvu/bin.js', 'test', pattern, '--color=false'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: '0' },
});
let out = '';
child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
child.on('close', (code) => {
  const num = (label) => Number((out.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? 0);
  const total = num('Total'), passed = num('Passed'), skipped = num('Skipped');
  // uvu counts tests; a file that throws at load time counts none, so the exit code decides too
  const failed = Math.max(total - passed - skipped, code === 0 ? 0 : 1);
  process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  process.exitCode = failed > 0 || code !== 0 ? 1 : 0;
});
