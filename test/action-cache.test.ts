// The bundled Action under Node 24 against an emulator of the Actions cache service (v2) on
// loopback, driven by @actions/cache itself: jobs on fresh machines share work through it, scopes
// and untrusted triggers keep entries where they belong, and every fault leaves a green step with
// a correct result.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, scratch } from './helpers.js';
import { runtimeToken, start, type CacheService, type TokenScopes } from './support/cache-service.js';
import { actionPhase, newJob, summaryOf, type Job, type StepResult } from './support/runner.js';

const MAIN: TokenScopes = { write: 'refs/heads/main', read: ['refs/heads/main'] };
const PR: TokenScopes = { write: 'refs/pull/7/merge', read: ['refs/pull/7/merge', 'refs/heads/main'] };
const PR_EVENT = (fork: boolean): unknown => ({ pull_request: { head: { repo: { full_name: fork ? 'evil/proj' : 'octo/proj', fork } } } });
const PR_ENV = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge', GITHUB_REF_NAME: '7/merge', GITHUB_HEAD_REF: 'feature', GITHUB_BASE_REF: 'main' };

interface JobRun {
  job: Job;
  main: StepResult;
  post: StepResult;
  summary: string;
  uploads: number;
}

/** One job on a fresh machine at the machine's paths: main with inputs, then post. */
async function runJob(svc: CacheService, machine: string, inputs: Record<string, string>, opts: {
  scopes?: TokenScopes; env?: Record<string, string>; event?: unknown; files?: Record<string, string>; demo?: boolean;
} = {}): Promise<JobRun> {
  const job = newJob(machine, { ...svc.env(runtimeToken(opts.scopes ?? MAIN)), ...opts.env }, opts.event ?? {});
  if (opts.demo) cpSync(join(ROOT, 'examples', 'demo'), job.workspace, { recursive: true });
  for (const [name, text] of Object.entries(opts.files ?? {})) writeFileSync(join(job.workspace, name), text);
  const before = svc.uploads();
  const main = await actionPhase(job, 'main', inputs);
  const post = await actionPhase(job, 'post', inputs);
  return { job, main, post, summary: summaryOf(job), uploads: svc.uploads() - before };
}

const green = (r: JobRun): void => {
  assert.is(r.main.status, 0, `main: ${r.main.stdout}${r.main.stderr}`);
  assert.is(r.post.status, 0, `post: ${r.post.stdout}${r.post.stderr}`);
};

const BUILD = { run: 'make -j2' };

test('two jobs on fresh machines: the second reuses the first\'s build from the Actions cache', async () => {
  const svc = await start();
  try {
    const machine = scratch('pc-machine-');
    const first = await runJob(svc, machine, BUILD, { demo: true });
    green(first);
    assert.is(first.main.outputs.reused, '0');
    assert.ok(first.uploads >= 2 && first.uploads <= 10, `${first.uploads} uploads`);
    assert.match(first.summary, /\*\*Uploaded:\*\* \d+ new entries/);
    const second = await runJob(svc, machine, BUILD, { demo: true });
    green(second);
    assert.ok(Number(second.main.outputs.reused) > 0, second.main.stdout + second.main.stderr);
    // bash itself may rerun: it stats /tmp, whose mtime's rank among what it stat'ed moves as
    // other processes use /tmp (directory mtimes are ordered inputs, an open issue); make is reused whole
    assert.ok(Number(second.main.outputs.ran) <= 1, second.main.stderr);
    assert.is(readFileSync(join(second.job.workspace, 'report.txt'), 'utf8').split('\n')[0], 'words: 60');
    assert.match(second.summary, /\*\*Fetched:\*\* [1-9]\d* index segments, [1-9]\d* entries, 0 packs/);
    // a job that only reused uploads nothing; a rerun bash is one new entry: the index alone
    assert.ok(second.uploads <= Number(second.main.outputs.ran), `${second.uploads} uploads`);
  } finally {
    await svc.stop();
  }
});

test('a pull request\'s entries never reach the main branch; main\'s reach the pull request', async () => {
  const svc = await start();
  try {
    const machine = scratch('pc-machine-');
    const cmd = { run: '/usr/bin/python3 -c "import time; time.sleep(0.01); open(\'out.txt\', \'w\').write(open(\'in.txt\').read().upper())"' };
    const pr = await runJob(svc, machine, cmd, { scopes: PR, env: PR_ENV, event: PR_EVENT(false), files: { 'in.txt': 'from the pr\n' } });
    green(pr);
    assert.ok(pr.uploads > 0, 'a same-repository pull request writes its own scope');
    const main = await runJob(svc, machine, cmd, { files: { 'in.txt': 'from the pr\n' } });
    green(main);
    assert.is(main.main.outputs.reused, '0', 'main does not see the pull request\'s scope');
    assert.is(readFileSync(join(main.job.workspace, 'out.txt'), 'utf8'), 'FROM THE PR\n');
    const pr2 = await runJob(svc, machine, { run: `${cmd.run} && echo again` }, { scopes: PR, env: PR_ENV, event: PR_EVENT(false), files: { 'in.txt': 'from the pr\n' } });
    green(pr2);
    assert.ok(Number(pr2.main.outputs.reused) > 0, 'the pull request reuses');
  } finally {
    await svc.stop();
  }
});

test('a fork\'s pull request reads the cache but writes nothing', async () => {
  const svc = await start();
  try {
    const machine = scratch('pc-machine-');
    const seeded = await runJob(svc, machine, BUILD, { demo: true });
    green(seeded);
    const fork = await runJob(svc, machine, { run: 'make -j2 && echo >> sample.txt && make' }, { scopes: PR, env: PR_ENV, event: PR_EVENT(true), demo: true });
    green(fork);
    assert.ok(Number(fork.main.outputs.reused) > 0, 'it reads');
    assert.is(fork.uploads, 0, 'it writes nothing');
    assert.match(fork.summary, /Not uploaded:\*\* the cache is read-only in this run \(the pull request comes from a fork \(evil\/proj\)\)/);
  } finally {
    await svc.stop();
  }
});

test('a job that records 2,000 executions makes at most 10 uploads, and the next job reuses them', async () => {
  const svc = await start();
  try {
    const machine = scratch('pc-machine-');
    // each sh lasts over the 3 ms a recording needs; the sleeps are recorded too
    const run = { run: 'mkdir -p out\nfor i in $(seq 2050); do sh -c \'sleep 0.004; echo "$1" > out/$1.txt\' _ $i; done' };
    const first = await runJob(svc, machine, run);
    green(first);
    assert.ok(Number(first.main.outputs.ran) >= 2000, `${first.main.outputs.ran} ran`);
    assert.ok(first.uploads <= 10, `${first.uploads} uploads`);
    const second = await runJob(svc, machine, run);
    green(second);
    assert.ok(Number(second.main.outputs.ran) <= 1, second.main.stderr.slice(-2000)); // bash's /tmp rank: see the first test
    assert.is(readFileSync(join(second.job.workspace, 'out', '777.txt'), 'utf8'), '777\n');
  } finally {
    await svc.stop();
  }
});

/** The command of the fault tests: its output tells a correct result from a stale one. */
const UPPER = { run: '/usr/bin/python3 -c "import time; time.sleep(0.01); open(\'out.txt\', \'w\').write(open(\'in.txt\').read().upper())"' };

async function seeded(): Promise<{ svc: CacheService; machine: string }> {
  const svc = await start();
  const machine = scratch('pc-machine-');
  const seed = await runJob(svc, machine, UPPER, { files: { 'in.txt': 'seed\n' } });
  green(seed);
  return { svc, machine };
}

async function faultCase(name: string, arm: (svc: CacheService) => void, expectWarning: RegExp, inputs: Record<string, string> = {}): Promise<void> {
  const { svc, machine } = await seeded();
  try {
    arm(svc);
    const started = Date.now();
    const r = await runJob(svc, machine, { ...UPPER, 'timeout-seconds': '3', ...inputs }, { files: { 'in.txt': 'fault\n' } });
    green(r);
    assert.is(readFileSync(join(r.job.workspace, 'out.txt'), 'utf8'), 'FAULT\n', name);
    assert.match(r.main.stdout + r.post.stdout, expectWarning, name);
    assert.ok(Date.now() - started < 90_000, `${name}: ${Date.now() - started} ms`);
  } finally {
    await svc.stop();
  }
}

test('the cache service answering 500 to everything: a green step and a correct result', async () => {
  await faultCase('500', (svc) => svc.addFault({ kind: ['lookup', 'create', 'finalize', 'blob-get', 'blob-put', 'blob-block', 'blob-blocklist', 'blob-head'] as never, effect: { type: 'status', status: 500 } }), /::warning::/);
});

test('the cache service answering 429 with Retry-After: a green step and a correct result', async () => {
  await faultCase('429', (svc) => svc.addFault({ kind: ['lookup', 'create'] as never, effect: { type: 'status', status: 429, retryAfterSeconds: 1 } }), /::warning::/);
});

test('a hung download: the phase gives up at its budget, the step stays green and correct', async () => {
  await faultCase('hang', (svc) => svc.addFault({ kind: ['blob-get', 'blob-head'] as never, effect: { type: 'hang' } }), /within|could not be fetched|::warning::/);
});

test('a truncated pack: its entries are misses, and the command runs', async () => {
  await faultCase('truncate', (svc) => svc.addFault({ kind: 'blob-get' as never, effect: { type: 'truncate' } }), /::warning::/);
});

/** Unpacks a cache entry's archive (tar + zstd, as @actions/cache makes it), edits it, packs it again. */
function repack(archive: Buffer, edit: (dir: string) => void): Buffer {
  const dir = scratch('pc-repack-');
  const tar = spawnSync('sh', ['-c', `zstd -d --long=30 -c | tar -xf - -C '${dir}'`], { input: archive });
  assert.is(tar.status, 0, String(tar.stderr));
  edit(dir);
  const out = spawnSync('sh', ['-c', `tar --posix -cf - -C '${dir}' . | zstd -q -c --long=30`], { maxBuffer: 1 << 30 });
  assert.is(out.status, 0, String(out.stderr));
  return out.stdout;
}

test('a manifest with ../ paths is refused: nothing is written outside the workspace, and the command runs', async () => {
  const { svc, machine } = await seeded();
  try {
    const index = svc.entries().find((e) => /-index\d-/.test(e.key))!;
    svc.tamper(index.key, (old) => repack(old, (dir) => {
      const file = join(dir, index.key.match(/-(index\d)-/)![1]!, 'segment.json');
      const segment = JSON.parse(readFileSync(file, 'utf8')) as { entries: { entry: { outputs: { path: string }[] } }[] };
      for (const ie of segment.entries) for (const o of ie.entry.outputs) o.path = `../../../escape-${o.path.replace(/\//g, '_')}`;
      writeFileSync(file, JSON.stringify(segment));
    }));
    const r = await runJob(svc, machine, UPPER, { files: { 'in.txt': 'seed\n' } });
    green(r);
    assert.is(readFileSync(join(r.job.workspace, 'out.txt'), 'utf8'), 'SEED\n');
    const outside = join(r.job.workspace, '..', '..', '..');
    assert.not.ok(existsSync(join(outside, 'escape-out.txt')), 'nothing outside the workspace');
  } finally {
    await svc.stop();
  }
});

test('a new commit: `echo $GITHUB_SHA > v.txt` gives a fresh v.txt, and the rest is reused', async () => {
  const svc = await start();
  try {
    const machine = scratch('pc-machine-');
    const run = { run: 'bash -c \'sleep 0.01; echo "$GITHUB_SHA" > v.txt\'\nmake -j2' };
    const a = await runJob(svc, machine, run, { demo: true, env: { GITHUB_SHA: 'a'.repeat(40) } });
    green(a);
    const b = await runJob(svc, machine, run, { demo: true, env: { GITHUB_SHA: 'b'.repeat(40) } });
    green(b);
    assert.is(readFileSync(join(b.job.workspace, 'v.txt'), 'utf8'), `${'b'.repeat(40)}\n`);
    assert.ok(Number(b.main.outputs.reused) > 0, 'make is reused across the commit');
  } finally {
    await svc.stop();
  }
});

test.run();
