// A background process that outlives the command keeps working after the command returns: it
// keeps its tracer (under the seccomp filter, without one, its syscalls would fail with ENOSYS).
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runTrace, scratch } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const lines = (f: string): string[] => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);

test('a daemon started by the command keeps writing its file after the command returns', async () => {
  const dir = scratch();
  const loop = 'i=0; while [ $i -lt 12 ]; do echo $i >> log; i=$((i+1)); sleep 0.1; done; echo done >> log';
  const started = Date.now();
  const r = runTrace(['sh', '-c', `(${loop}) >/dev/null 2>&1 </dev/null & echo started`], { cwd: dir });
  const returnedAfter = Date.now() - started;
  assert.is(r.status, 0);
  assert.is(r.stdout, 'started\n');
  assert.ok(returnedAfter < 1000, `the command returned without waiting for its daemon (${returnedAfter} ms)`);
  const early = lines(`${dir}/log`).length;
  assert.ok(early < 12, `the daemon was still running when the command returned (${early} lines)`);
  for (let i = 0; i < 60 && !lines(`${dir}/log`).includes('done'); i++) await sleep(100);
  const all = lines(`${dir}/log`);
  assert.equal(all, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', 'done']);
});

test.run();
