// CI context variables (GITHUB_SHA, GITHUB_REF_NAME, the run's ids...) are left out of the weak
// fingerprint and searched for by value: a program whose outputs hold one's value hits only where
// the value is the same, any other hits across commits, branches and runs.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { holdsInChunks, type Needle } from '../src/fingerprint/index.js';
import { parseEntry } from '../src/store/index.js';
import { CLI, runMemo, scratch, type MemoRun } from './helpers.js';

const PY = '/usr/bin/python3';
const SHA_A = '0123456789abcdef0123456789abcdef01234567';
const SHA_B = 'fedcba9876543210fedcba9876543210fedcba98';

function setup(): { dir: string; store: string } {
  const dir = scratch();
  writeFileSync(`${dir}/in.txt`, 'hello\n');
  return { dir, store: scratch('pc-store-') };
}

/** Every execution recorded, however short: sh and echo take a few ms. */
function memo(command: string[], o: { dir: string; store: string; env: Record<string, string>; args?: string[] }): MemoRun {
  // PWD is the directory itself: sh stats $PWD, and the checkout's own path (/work/main) holds "main"
  const r = runMemo(command, { cwd: o.dir, store: o.store, env: { ...process.env, PWD: o.dir, ...o.env }, args: ['--min-duration-ms', '0', ...(o.args ?? [])] });
  assert.is(r.status, 0, r.stderr);
  return r;
}

const counts = (r: MemoRun): [number, number] => [r.stats.ran, r.stats.reused];
const reasonOf = (r: MemoRun): string => r.stats.executions[0]?.reason ?? '';

/** The entry files of a store. */
function entryFiles(store: string): string[] {
  const root = join(store, 'entries');
  return readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('.json')).map((f) => join(root, f));
}

test('a program that writes $GITHUB_SHA to a file runs again on a new commit, and the file holds the new value', () => {
  const { dir, store } = setup();
  const run = (sha: string): MemoRun => memo(['sh', '-c', 'echo $GITHUB_SHA > v.txt'], { dir, store, env: { GITHUB_SHA: sha } });
  assert.equal(counts(run(SHA_A)), [1, 0]);
  const [entry] = entryFiles(store).map((f) => JSON.parse(readFileSync(f, 'utf8')) as { context?: unknown });
  assert.equal(entry?.context, [{ name: 'GITHUB_SHA', value: SHA_A }], 'the entry holds the value its output holds');
  const b = run(SHA_B);
  assert.equal(counts(b), [1, 0], 'a stale v.txt would be the bug');
  assert.is(readFileSync(`${dir}/v.txt`, 'utf8'), `${SHA_B}\n`);
  assert.match(reasonOf(b), /\$GITHUB_SHA: 0123456789abcdef.* -> fedcba9876543210.*, which the recording depended on/, 'the miss names the variable');
  const explained = spawnSync(process.execPath, [CLI, 'explain', '--store', store, '--', 'sh', '-c', 'echo $GITHUB_SHA > v.txt'],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, PWD: dir, GITHUB_SHA: 'aaaaaaa' + SHA_B.slice(7) } });
  assert.match(explained.stdout, /\$GITHUB_SHA: /, 'explain names it too');
  assert.equal(counts(run(SHA_A)), [0, 1], 'back on the first commit: its entry is still there');
  assert.is(readFileSync(`${dir}/v.txt`, 'utf8'), `${SHA_A}\n`);
});

test('a program that does not write the value hits across commits, runs and actors', () => {
  const { dir, store } = setup();
  // the repository's owner is often the actor: cat inherits the value in another variable, but so
  // does the command, and that hands nothing on
  const run = (sha: string, runId: string, actor: string): MemoRun => memo(['sh', '-c', 'cat in.txt > out.txt'],
    { dir, store, env: { GITHUB_SHA: sha, GITHUB_RUN_ID: runId, GITHUB_ACTOR: actor, GITHUB_REPOSITORY_OWNER: 'octocat' } });
  assert.equal(counts(run(SHA_A, '16000000001', 'octocat')), [2, 0]);
  const b = run(SHA_B, '16000000002', 'hubot');
  assert.equal(counts(b), [0, 1], `GITHUB_SHA, GITHUB_RUN_ID and GITHUB_ACTOR changed, and nothing left holds any (${reasonOf(b)})`);
  assert.is(readFileSync(`${dir}/out.txt`, 'utf8'), 'hello\n');
});

test('the 7-character abbreviation on stdout, in either case, ties the output to the commit', () => {
  const { dir, store } = setup();
  for (const script of ['echo ${GITHUB_SHA:0:7}', 'echo "build ${GITHUB_SHA^^}"']) {
    const run = (sha: string): MemoRun => memo(['bash', '--norc', '-c', script], { dir, store, env: { GITHUB_SHA: sha } });
    assert.equal(counts(run(SHA_A)), [1, 0]);
    const b = run(SHA_B);
    assert.equal(counts(b), [1, 0], script);
    assert.ok(b.stdout.toLowerCase().includes(SHA_B.slice(0, 7)), `the new value is printed: ${b.stdout}`);
    const again = run(SHA_B);
    assert.equal(counts(again), [0, 1], `the same commit again: a hit (${reasonOf(again)})`);
  }
});

test('a parent shell that runs a child writing the value misses on the new commit too: its outputs hold the value', () => {
  const { dir, store } = setup();
  const script = "sh -c 'echo $GITHUB_SHA > v.txt'; cat in.txt > out.txt";
  const run = (sha: string): MemoRun => memo(['sh', '-c', script], { dir, store, env: { GITHUB_SHA: sha } });
  assert.equal(counts(run(SHA_A)), [3, 0]);
  assert.equal(counts(run(SHA_A)), [0, 1], 'the same commit: the parent hits');
  const b = run(SHA_B);
  assert.equal(b.stats.executions[0]!.status, 'miss');
  assert.match(reasonOf(b), /\$GITHUB_SHA/);
  const child = b.stats.executions.find((e) => e.argv[2] === 'echo $GITHUB_SHA > v.txt');
  assert.is(child?.status, 'miss', 'the child runs again');
  assert.is(b.stats.executions.find((e) => e.exe.endsWith('/cat'))?.status, 'hit', 'cat does not depend on it');
  assert.is(readFileSync(`${dir}/v.txt`, 'utf8'), `${SHA_B}\n`);
});

test('a value handed to a child in another variable ties the parent to it, even when only a hash of it is written', () => {
  const { dir, store } = setup();
  const hash = `${PY} -c "import hashlib, os; open('h.txt', 'w').write(hashlib.sha256(os.environ['V'].encode()).hexdigest())"`;
  const run = (sha: string): MemoRun => memo(['sh', '-c', `V=$GITHUB_SHA ${hash}`], { dir, store, env: { GITHUB_SHA: sha } });
  assert.equal(counts(run(SHA_A)), [2, 0]);
  const before = readFileSync(`${dir}/h.txt`, 'utf8');
  const b = run(SHA_B);
  assert.equal(counts(b), [2, 0], 'python3 is keyed by V; sh by the value it handed on');
  assert.match(reasonOf(b), /\$GITHUB_SHA/);
  assert.is.not(readFileSync(`${dir}/h.txt`, 'utf8'), before);
});

test('a short value counts only as a whole token: "main" in "domain" is not the branch, 123 in 41234 not the run', () => {
  const { dir, store } = setup();
  const run = (script: string, ref: string, num: string): MemoRun => memo(['sh', '-c', script], { dir, store, env: { GITHUB_REF_NAME: ref, GITHUB_RUN_NUMBER: num } });
  const unrelated = 'echo domain 41234 > d.txt';
  assert.equal(counts(run(unrelated, 'main', '123')), [1, 0]);
  assert.equal(counts(run(unrelated, 'dev', '124')), [0, 1]);
  for (const [script, ref, num, now] of [['echo "on $GITHUB_REF_NAME" > b.txt', 'dev', '124', 'on dev\n'], ['echo "v1.$GITHUB_RUN_NUMBER" > n.txt', 'main', '125', 'v1.125\n']] as const) {
    assert.equal(counts(run(script, 'main', '123')), [1, 0]);
    assert.equal(counts(run(script, ref, num)), [1, 0], script);
    assert.is(readFileSync(`${dir}/${script.slice(-5)}`, 'utf8'), now);
  }
});

test('a value too short to search is not seen; --env-input or PROCESSCACHE_ENV_INPUTS keys it instead', () => {
  const { dir, store } = setup();
  // the name is put together at run time: a program that names the variable is keyed on it (below)
  const script = "import os; open('a.txt', 'w').write(os.environ['GITHUB_RUN_' + 'ATTEMPT'] + '\\n')";
  const run = (attempt: string, o: { args?: string[]; env?: Record<string, string> } = {}): MemoRun =>
    memo([PY, '-c', script], { dir, store, env: { GITHUB_RUN_ATTEMPT: attempt, ...o.env }, args: o.args ?? [] });
  assert.equal(counts(run('1')), [1, 0]);
  assert.equal(counts(run('2')), [0, 1], 'the documented limit: one character is not searched, and a.txt is restored as it was');
  assert.is(readFileSync(`${dir}/a.txt`, 'utf8'), '1\n');
  const forced = { args: ['--env-input', 'GITHUB_RUN_ATTEMPT'] };
  assert.equal(counts(run('1', forced)), [1, 0], 'forced in, it is in the weak fingerprint: a key of its own');
  assert.equal(counts(run('2', forced)), [1, 0]);
  assert.is(readFileSync(`${dir}/a.txt`, 'utf8'), '2\n');
  assert.equal(counts(run('2', forced)), [0, 1]);
  const listed = { env: { PROCESSCACHE_ENV_INPUTS: 'SOMETHING_ELSE, GITHUB_RUN_ATTEMPT' } };
  assert.equal(counts(run('3', listed)), [1, 0]);
  assert.is(readFileSync(`${dir}/a.txt`, 'utf8'), '3\n');
  assert.equal(counts(run('2', listed)), [0, 1], 'the same key as --env-input');
  assert.is(readFileSync(`${dir}/a.txt`, 'utf8'), '2\n');
});

test('an entry whose context field is malformed is rejected when it is read, and never hits', () => {
  const { dir, store } = setup();
  const run = (): MemoRun => memo(['sh', '-c', 'echo $GITHUB_SHA > v.txt'], { dir, store, env: { GITHUB_SHA: SHA_A } });
  assert.equal(counts(run()), [1, 0]);
  const [file] = entryFiles(store);
  const good = JSON.parse(readFileSync(file!, 'utf8')) as Record<string, unknown>;
  assert.ok(parseEntry(JSON.stringify(good)));
  const malformed: unknown[] = [
    {}, 'GITHUB_SHA', [{ name: 'GITHUB_SHA' }], [{ name: 'GITHUB_SHA', value: 42 }], [{ name: 'GITHUB_SHA', value: '' }],
    [{ name: 'PATH', value: '/bin' }], [{ name: 'GITHUB_SHA', value: SHA_A }, { name: 'GITHUB_SHA', value: SHA_B }],
    [{ name: 'GITHUB_SHA', value: 'x'.repeat(5000) }], [null],
  ];
  for (const context of malformed) assert.is(parseEntry(JSON.stringify({ ...good, context })), null, JSON.stringify(context).slice(0, 80));
  writeFileSync(file!, JSON.stringify({ ...good, context: [{ name: 'GITHUB_SHA', value: 42 }] }));
  const again = run();
  assert.equal(counts(again), [1, 0]);
  assert.is(reasonOf(again), 'never recorded', 'the damaged entry is no candidate');
});

test('a value cut in two by a write to stderr between its halves is still found on stdout', () => {
  const { dir, store } = setup();
  const script = 'printf %s "${GITHUB_SHA:0:4}"; echo warn >&2; printf "%s\\n" "${GITHUB_SHA:4}"';
  const run = (sha: string): MemoRun => memo(['bash', '--norc', '-c', script], { dir, store, env: { GITHUB_SHA: sha } });
  run(SHA_A);
  assert.is(run(SHA_B).stdout, `${SHA_B}\n`);
});

test('a variable only tested, whose value decides what is written or the exit status, keys the process that names it', () => {
  const { dir, store } = setup();
  const script = 'if [ "$GITHUB_EVENT_NAME" = push ]; then echo deploy > deployed; fi; test "$GITHUB_REF_NAME" = main';
  const run = (event: string, ref: string): MemoRun => runMemo(['sh', '-c', script],
    { cwd: dir, store, env: { ...process.env, PWD: dir, GITHUB_EVENT_NAME: event, GITHUB_REF_NAME: ref }, args: ['--min-duration-ms', '0'] });
  assert.is(run('push', 'main').status, 0);
  spawnSync('rm', ['-f', `${dir}/deployed`]);
  const pr = run('pull_request', 'feature');
  assert.is(pr.status, 1, 'the exit status of the untraced run');
  assert.not.ok(readdirSync(dir).includes('deployed'), 'nothing deployed from a pull request');
  const script2 = `${dir}/step.sh`;
  writeFileSync(script2, '[ "$GITHUB_EVENT_NAME" = push ] && echo deploy > deployed2; true\n');
  const step = (event: string): MemoRun => memo(['sh', script2], { dir, store, env: { GITHUB_EVENT_NAME: event } });
  step('push');
  spawnSync('rm', ['-f', `${dir}/deployed2`]);
  step('pull_request');
  assert.not.ok(readdirSync(dir).includes('deployed2'), 'a script file that names the variable keys it too');
});

test('a value that went through a pipe inside the command keys the command', () => {
  const { dir, store } = setup();
  const run = (sha: string): MemoRun => memo(['sh', '-c', 'printenv GITHUB_SHA | sha256sum > hash.txt'], { dir, store, env: { GITHUB_SHA: sha } });
  run(SHA_A);
  run(SHA_B);
  const want = spawnSync('sh', ['-c', 'printf "%s\\n" "$0" | sha256sum', SHA_B], { encoding: 'utf8' }).stdout;
  assert.is(readFileSync(`${dir}/hash.txt`, 'utf8'), want);
});

test('a short value glued on with _ (app_$GITHUB_REF_NAME) is found', () => {
  const { dir, store } = setup();
  const run = (ref: string): MemoRun => memo([PY, '-c', "import os; open('v.txt', 'w').write('app_' + os.environ['GITHUB_REF' + '_NAME'] + '.tar')"], { dir, store, env: { GITHUB_REF_NAME: ref } });
  run('main');
  run('dev');
  assert.is(readFileSync(`${dir}/v.txt`, 'utf8'), 'app_dev.tar');
});

test('an argument that is not UTF-8 is refused with a clear error, not passed on changed', () => {
  const { dir, store } = setup();
  const r = spawnSync('sh', ['-c', `"$0" run --store "$1" -- sh -c 'printf %s "$1" > out' x "$(printf 'a\\351b')"`, CLI, store], { cwd: dir, encoding: 'utf8' });
  assert.is(r.status, 2);
  assert.match(r.stderr, /is not valid UTF-8/);
  assert.not.ok(readdirSync(dir).includes('out'));
});

test('a variable named only in a sourced script or a Makefile keys the process that read it', () => {
  const { dir, store } = setup();
  writeFileSync(`${dir}/lib.sh`, 'if [ "$GITHUB_EVENT_NAME" = push ]; then echo deploy > deployed; fi\n');
  writeFileSync(`${dir}/Makefile`, 'all:\nifeq ($(GITHUB_EVENT_NAME),push)\n\t@echo release > mode.txt\nelse\n\t@echo test > mode.txt\nendif\n');
  const sourced = (event: string): MemoRun => memo(['bash', '--norc', '-c', '. ./lib.sh; true'], { dir, store, env: { GITHUB_EVENT_NAME: event } });
  sourced('push');
  spawnSync('rm', ['-f', `${dir}/deployed`]);
  sourced('pull_request');
  assert.not.ok(readdirSync(dir).includes('deployed'), 'no deploy replayed for a pull request');
  const made = (event: string): MemoRun => memo(['make', '-s'], { dir, store, env: { GITHUB_EVENT_NAME: event } });
  made('push');
  assert.is(readFileSync(`${dir}/mode.txt`, 'utf8'), 'release\n');
  made('pull_request');
  assert.is(readFileSync(`${dir}/mode.txt`, 'utf8'), 'test\n');
});

test('a variable named in a module a script imports, or by a child refused at its exec, keys the ancestors', () => {
  const { dir, store } = setup();
  writeFileSync(`${dir}/cilib.py`, "import os\nDEPLOY = os.environ.get('GITHUB_EVENT_NAME') == 'push'\n");
  writeFileSync(`${dir}/ci.py`, "import cilib\nif cilib.DEPLOY: open('deployed', 'w').write('yes')\n");
  const imported = (event: string): MemoRun => memo([PY, '-B', 'ci.py'], { dir, store, env: { GITHUB_EVENT_NAME: event } });
  imported('push');
  spawnSync('rm', ['-f', `${dir}/deployed`]);
  imported('pull_request');
  assert.not.ok(readdirSync(dir).includes('deployed'), 'the import names it');
  // bash is refused at its exec (it inherits a pipe on fd 3): python, which names nothing, depends on what bash tested
  writeFileSync(`${dir}/check.sh`, 'if [ "$GITHUB_EVENT_NAME" = push ]; then echo deploying > deployed2; fi\n');
  writeFileSync(`${dir}/run.py`, "import os, subprocess\nr, w = os.pipe()\nsubprocess.run(['bash', '--norc', 'check.sh'], pass_fds=(r,))\n");
  const refused = (event: string): MemoRun => memo([PY, '-B', 'run.py'], { dir, store, env: { GITHUB_EVENT_NAME: event } });
  refused('push');
  spawnSync('rm', ['-f', `${dir}/deployed2`]);
  refused('pull_request');
  assert.not.ok(readdirSync(dir).includes('deployed2'), 'no deploy replayed through a refused child');
});

test('a value is found in what flowed through a pipe however the writes cut it, and only as a whole token', () => {
  const word: Needle = { key: 'word:main', forms: [Buffer.from('main')], border: 'word' };
  const cut = (...parts: string[]): Buffer[] => parts.map((p) => Buffer.from(p));
  assert.ok(holdsInChunks(cut('on ma', 'i', 'n today'), word), 'across three chunks');
  assert.ok(holdsInChunks(cut('ma', 'in'), word), 'the data starts and ends with it');
  assert.ok(holdsInChunks(cut('x', ' ', 'main'), word), 'whole in a chunk');
  assert.not.ok(holdsInChunks(cut('x', 'y', 'main'), word), '"ymain"');
  assert.not.ok(holdsInChunks(cut('do', 'main'), word), '"domain": a letter before it, in the chunk before');
  assert.not.ok(holdsInChunks(cut('mai', 'ns'), word), '"mains": a letter after it');
  assert.not.ok(holdsInChunks(cut('d', 'o', 'ma', 'in'), word), 'the letter before is two chunks back');
  assert.not.ok(holdsInChunks(cut('ma', 'i', '', 'n', 'x'), word), 'the letter after is beyond an empty chunk');
  assert.ok(holdsInChunks(cut('ma', 'i', '', 'n', '-'), word));
});

test.run();
