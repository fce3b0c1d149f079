// The command starts as it would without processcache: the signals its caller ignores and blocks,
// and the descriptors it was given beyond 0-2, reach it unchanged. Node resets every signal at
// its start and marks fds 0-15 close-on-exec, so these go through the CLI's sh launcher.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, scratch } from './helpers.js';

// the launcher runs `node` from PATH, as `#!/usr/bin/env node` did
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };

function sh(script: string, cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-c', script], { cwd, env: ENV, encoding: 'utf8', input: '', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI's two ways of running a command, as shell words. */
function wrappers(dir: string): Record<string, string> {
  return {
    trace: `${CLI} trace --out ${dir}/t.json --`,
    run: `${CLI} run --store ${dir}/store --quiet --`,
  };
}

test('signals the caller ignores stay ignored: `kill -TERM $$` under trap "" TERM', () => {
  const dir = scratch();
  const inner = `sh -c 'kill -TERM $$; echo survived'`;
  const untraced = sh(`trap '' TERM HUP; ${inner}`);
  assert.is(untraced.stdout, 'survived\n');
  for (const [name, wrap] of Object.entries(wrappers(dir))) {
    const r = sh(`trap '' TERM HUP; ${wrap} ${inner}`);
    assert.is(r.stdout, 'survived\n', `${name}: ${r.stderr}`);
    assert.is(r.status, 0, name);
  }
});

// A caller that blocks signals (a shell cannot) and ignores SIGINT, besides what Python ignores
// (SIGPIPE, SIGXFSZ), then execs argv.
const BLOCKING_CALLER = `import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGRTMIN + 3})
signal.signal(signal.SIGINT, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])`;

function fromBlockingCaller(argv: string[]): string {
  const r = spawnSync('python3', ['-c', BLOCKING_CALLER, ...argv], { env: ENV, encoding: 'utf8', input: '', timeout: 120_000 });
  return r.stdout;
}

test('the command inherits exactly the ignored and blocked signals, nohup included', () => {
  const dir = scratch();
  const show = ['grep', '-E', '^Sig(Blk|Ign)', '/proc/self/status'];
  const untraced = fromBlockingCaller(show);
  assert.match(untraced, /^SigBlk:\t0000001000000200\nSigIgn:\t0000000001001002\n$/);
  const ignored = (status: string): string => status.split('\n')[1]!;
  for (const command of ['trace', 'run']) {
    const args = command === 'trace' ? ['trace', '--out', `${dir}/t.json`] : ['run', '--store', `${dir}/store`, '--quiet'];
    // Debian's sh (dash) unblocks every signal at its start, before the launcher can look; bash does not
    assert.is(fromBlockingCaller(['bash', CLI, ...args, '--', ...show]), untraced, `${command} through bash`);
    assert.is(ignored(fromBlockingCaller([CLI, ...args, '--', ...show])), ignored(untraced), `${command} through sh`);
    assert.is(sh(`nohup ${CLI} ${args.join(' ')} -- ${show.join(' ')} 2>/dev/null`).stdout,
      sh(`nohup ${show.join(' ')} 2>/dev/null`).stdout, `nohup ${command}`);
  }
  // run by node itself, the launcher's word is missing: every signal at its default (Node's own
  // SIG_IGN for SIGPIPE included), none blocked
  const direct = fromBlockingCaller([process.execPath, CLI, 'trace', '--out', `${dir}/t.json`, '--', ...show]);
  assert.is(direct, 'SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
});

test('fds 3 and up reach the command: same numbers, same open files, nothing of our own', () => {
  const dir = scratch();
  for (const [name, wrap] of Object.entries(wrappers(dir))) {
    const out = join(dir, `${name}.out`);
    // one open file shared by the caller and the command: their writes follow each other
    const r = sh(`{ echo a >&3; ${wrap} sh -c 'echo b >&3; echo c >&7'; echo d >&3; } 3>${out} 7>&3`);
    assert.is(r.stderr, '', name);
    assert.is(r.status, 0, name);
    assert.is(readFileSync(out, 'utf8'), 'a\nb\nc\nd\n', name);
    // the command sees the descriptors the untraced one sees, and no others
    const list = 'ls -l /proc/self/fd | sed -n "s/.* \\([0-9]*\\) -> /\\1 /p" | grep -v -e "^[012] " -e " /proc/"';
    const fds = `5<${dir} 9>>${out}`;
    const untraced = sh(`sh -c '${list}' ${fds}`);
    const traced = sh(`${wrap} sh -c '${list}' ${fds}`);
    assert.ok(untraced.stdout.includes(`9 ${out}`), untraced.stdout);
    assert.is(traced.stdout, untraced.stdout, name);
  }
});

test('a recursive make under processcache gets its parent\'s jobserver pipe', () => {
  const dir = scratch();
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'Makefile'), `all:\n\t${CLI} run --store ${dir}/store --quiet -- $(MAKE) -C sub\n`);
  writeFileSync(join(dir, 'sub', 'Makefile'), 'all: a b\na b:\n\t@sleep 0.2; echo $@ > $@\n');
  const r = sh('make -j2 --no-print-directory', dir);
  assert.is(r.status, 0, r.stderr);
  assert.not.match(r.stderr, /jobserver/, 'the sub-make found its jobserver');
  assert.is(readFileSync(join(dir, 'sub', 'a'), 'utf8'), 'a\n');
});

test('a pipe the caller leaks into the command is named once, with what to do', () => {
  const dir = scratch();
  const r = sh(`{ ${CLI} run --store ${dir}/store --quiet -- sh -c 'echo hi >&7; true' 7>&1 >/dev/null; } | cat > ${dir}/log`);
  assert.is(r.status, 0, r.stderr);
  assert.is(readFileSync(join(dir, 'log'), 'utf8'), 'hi\n', 'the command still writes there');
  assert.is(r.stderr.match(/inherits fd 7 \(a pipe\)/g)?.length, 1, r.stderr);
  assert.match(r.stderr, /exec 9>&-/);
  const clean = sh(`${CLI} run --store ${dir}/store --quiet -- true`);
  assert.not.match(clean.stderr, /inherits/, 'nothing leaked, nothing said');
});

test.run();
