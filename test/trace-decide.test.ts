// The exec decision, the mechanism the memo engine skips processes with: at every execve the
// tracer asks; a skipped program never runs, its recorded output goes to the process's own
// stdout and stderr, and the process ends with the recorded status.
import { writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { traceCommand, type ExecQuery } from '../src/trace/index.js';
import { scratch } from './helpers.js';

test('a skipped program replays its output and status; the others run', async () => {
  const dir = scratch();
  writeFileSync(`${dir}/real.txt`, 'real\n');
  const asked: ExecQuery[] = [];
  const out = `${dir}/stdout.txt`;
  const script = `cat real.txt; cat /nonexistent; echo "cat said $?"; echo done >&2`;
  const result = await traceCommand({
    command: ['sh', '-c', `exec >${out} 2>&1; ${script}`],
    cwd: dir,
    env: { ...process.env, MARK: 'x' },
    decideExec(q) {
      asked.push(q);
      if (q.argv[1] !== '/nonexistent') return { skip: false };
      return { skip: true, exitCode: 3, output: [{ fd: 1, data: Buffer.from('from cache\n') }, { fd: 2, data: Buffer.from('warning\n') }] };
    },
  });
  assert.is(result.status.exitCode, 0);
  const { readFileSync } = await import('node:fs');
  assert.is(readFileSync(out, 'utf8'), 'real\nfrom cache\nwarning\ncat said 3\ndone\n', 'in order, through the same open file');
  assert.equal(asked.map((q) => q.argv), [['sh', '-c', `exec >${out} 2>&1; ${script}`], ['cat', 'real.txt'], ['cat', '/nonexistent']]);
  const cat = asked[2]!;
  assert.is(cat.exe, '/usr/bin/cat');
  assert.is(cat.cwd, dir);
  assert.ok(cat.env.includes('MARK=x'), 'the environment the program would have had');
  const [sh, real, skipped] = result.trace.executions;
  assert.is(result.trace.executions.length, 3);
  assert.equal(cat.stdio, [sh!.stdio['0'], 'file', 'file'], 'the fds as the program would have found them');
  assert.is(real!.skipped, undefined);
  assert.ok(real!.accesses.some((a) => a.path === `${dir}/real.txt`));
  assert.is(skipped!.skipped, true);
  assert.is(skipped!.parent, sh!.id);
  assert.is(skipped!.exitCode, 3);
  assert.equal(skipped!.accesses, [], 'the skipped program touched nothing');
  assert.equal(skipped!.output, [{ fd: 1, bytes: 11 }, { fd: 2, bytes: 8 }]);
});

test('skipping the command itself: the whole run is the replay', async () => {
  const dir = scratch();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
    import { traceCommand } from './src/trace/index.ts';
    const r = await traceCommand({ command: ['false'], decideExec: () => ({ skip: true, exitCode: 7, output: [{ fd: 1, data: Buffer.from('replayed') }] }) });
    process.exitCode = r.status.exitCode === 7 ? 0 : 1;
  `], { cwd: process.cwd(), encoding: 'utf8' });
  assert.is(r.stdout, 'replayed');
  assert.is(r.status, 0, r.stderr);
  void dir;
});

test.run();
