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

/** `processcache run -- sh -c script` as the user with sudo, as on a runner (the tracer as root,
 * Node and the command as the user): stdout into out, and each execution's status. */
function memoAsUser(dir: string, store: string, script: string, intoFile = true): { out: string; statuses: string[] } {
  const stats = join(dir, 'stats.json');
  // through a pipe, a process sudo runs as root is no file's writer whose fdinfo the user cannot read
  const into = intoFile ? `> ${dir}/out 2>&1` : `2>&1 | cat > ${dir}/out`;
  const r = spawnSync('runuser', ['-u', WITH_SUDO, '--', 'sh', '-c', `${process.execPath} ${cli} run --store ${store} --stats-json ${stats} -- sh -c '${script}' ${into}`],
    { cwd: dir, encoding: 'utf8', input: '' });
  assert.is(r.status, 0, r.stderr);
  const rows = (JSON.parse(readFileSync(stats, 'utf8')) as { executions: { exe: string; status: string; reason?: string }[] }).executions;
  return { out: readFileSync(join(dir, 'out'), 'utf8'), statuses: rows.map((e) => `${e.exe.split('/').pop()}:${e.status}${e.reason ? ` (${e.reason})` : ''}`) };
}

test('under sudo (hunt 62): a run into a file hits; what `sudo` read and the user may not is not recorded; no restore stops half-way', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  chmodSync(dir, 0o777);
  chmodSync(store, 0o777);
  // a file as stdout: the first process's /proc entry was root's until its exec
  const plain = [memoAsUser(dir, store, 'cat /etc/hostname'), memoAsUser(dir, store, 'cat /etc/hostname')];
  assert.ok(plain[1]!.statuses[0]!.startsWith('sh:hit'), JSON.stringify(plain));
  // a root 600 file read through sudo: recorded as "exists" before, and replayed after an edit
  writeFileSync(join(dir, 's'), 'v1\n', { mode: 0o600 });
  const read = [memoAsUser(dir, store, 'sudo cat s', false), memoAsUser(dir, store, 'sudo cat s', false)];
  writeFileSync(join(dir, 's'), 'v2\n');
  const after = memoAsUser(dir, store, 'sudo cat s', false);
  assert.match(after.out, /^v2$/m, JSON.stringify([...read, after]));
  assert.ok(read[0]!.statuses.some((x) => x.includes("processcache's user may not")), JSON.stringify(read));
  // an entry whose restore would remove a name in a directory only root may write: refused
  // before anything is restored (the append below happened twice)
  spawnSync('sh', ['-c', `cd ${dir} && mkdir -p d && chmod 755 d && : > log && chmod 666 log && rm -f d/f`]);
  const step = 'echo x >> log; sudo rm -f d/f';
  for (let i = 0; i < 3; i++) {
    spawnSync('sh', ['-c', `cd ${dir} && : > d/f && : > log && chmod 666 log`]);
    memoAsUser(dir, store, step, false);
    assert.is(readFileSync(join(dir, 'log'), 'utf8'), 'x\n', `run ${i + 1}`);
  }
});

test.run();
