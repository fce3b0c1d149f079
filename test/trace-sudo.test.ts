// setuid programs under the tracer. CI steps run `sudo apt-get ...`; under an unprivileged ptrace
// (no_new_privs) sudo cannot work. With passwordless sudo the tracer runs as root and the command as
// the invoking user; without it, the user is told why sudo failed and what to do.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execsNamed, ROOT, runTrace, scratch } from './helpers.js';

const WITH_SUDO = 'pcsudo';
const WITHOUT_SUDO = 'pcplain';

function ensureUser(name: string): number {
  if (spawnSync('id', ['-u', name]).status !== 0) {
    const r = spawnSync('useradd', ['--create-home', '--shell', '/bin/sh', name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`useradd ${name} failed (these tests run as root): ${r.stderr}`);
  }
  return Number(spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim());
}

/** The shipped bundle, copied where the test users can read it. */
function readableCli(): string {
  const dir = scratch('pc-sudo-');
  chmodSync(dir, 0o755);
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  return join(dir, 'dist', 'cli.js');
}

let cli = '';
let sudoUid = 0;

test.before(() => {
  if (process.getuid?.() !== 0) throw new Error('the sudo tests create users and need root');
  if (spawnSync('sudo', ['--version']).status !== 0) throw new Error('sudo is not installed (apt-get install sudo; .ci/run does)');
  sudoUid = ensureUser(WITH_SUDO);
  ensureUser(WITHOUT_SUDO);
  writeFileSync(`/etc/sudoers.d/${WITH_SUDO}`, `${WITH_SUDO} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  cli = readableCli();
});

test('`sudo true` works under the tracer for a user with passwordless sudo', () => {
  const dir = scratch();
  chmodSync(dir, 0o777);
  const r = runTrace(['sh', '-c', 'id -u; sudo true && echo ok; sudo id -u; touch mine'], { user: WITH_SUDO, cwd: dir }, cli);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, `${sudoUid}\nok\n0\n`, 'the command runs as the user, sudo as root');
  assert.is(r.stderr, '');
  const sudo = execsNamed(r.trace, 'sudo');
  assert.is(sudo.length, 2);
  assert.ok(sudo.every((s) => s.exitCode === 0));
  assert.is(execsNamed(r.trace, 'true').length, 1, 'what sudo runs is traced too');
  const owner = spawnSync('stat', ['-c', '%u', join(dir, 'mine')], { encoding: 'utf8' }).stdout.trim();
  assert.is(owner, String(sudoUid), 'files the command creates belong to the user, not root');
});

test('through sudo too, the command inherits the caller\'s fds and ignored signals', () => {
  const dir = scratch();
  chmodSync(dir, 0o777);
  const inner = `kill -TERM $$; echo survived >&3; ls /proc/self/fd >&3`;
  // through the CLI's launcher, which needs node in PATH
  const script = `trap '' TERM; exec 3>${dir}/three 7<${dir}; PATH=${dirname(process.execPath)}:$PATH; ` +
    `sh -c '${inner}'; ${cli} trace --out ${dir}/t.json -- sh -c '${inner}'`;
  const r = spawnSync('runuser', ['-u', WITH_SUDO, '--', 'sh', '-c', script], { encoding: 'utf8', input: '' });
  assert.is(r.status, 0, r.stderr);
  const [untraced, traced] = readFileSync(join(dir, 'three'), 'utf8').split('survived\n').slice(1);
  assert.ok(untraced?.includes('7\n'), untraced);
  assert.is(traced, untraced, 'the same fds: none of the tracer\'s or sudo\'s');
});

test('without passwordless sudo the command runs unprivileged and the user is told why sudo fails', () => {
  const r = runTrace(['sh', '-c', 'sudo -n true; echo "sudo exited $?"'], { user: WITHOUT_SUDO, cwd: '/tmp' }, cli);
  assert.is(r.status, 0);
  assert.match(r.stdout, /sudo exited 1/);
  assert.match(r.stderr, /\/usr\/bin\/sudo is setuid, but the tracer runs without privileges/);
  assert.match(r.stderr, /passwordless sudo/);
});

test.run();
