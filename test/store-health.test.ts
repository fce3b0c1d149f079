// The store and the run stay healthy when the machine does not: killed runs, a store that cannot
// be written, a working directory that was deleted.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, runMemo, scratch } from './helpers.js';

const PY = '/usr/bin/python3';

test('a deleted working directory runs the command without the cache, with its own exit status', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const script = `mkdir d; cd d; rmdir ../d; exec "${process.execPath}" "${CLI}" run --store ${store} -- sh -c 'echo ran; exit 3'`;
  const r = spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
  assert.is(r.status, 3, r.stderr);
  assert.is(r.stdout, 'ran\n');
  assert.not.match(r.stderr, /internal error/);
  assert.match(r.stderr, /processcache: warning: the working directory no longer exists \(it was deleted\): running sh without the cache; cd to an existing directory/);
  const t = spawnSync('sh', ['-c', `mkdir e; cd e; rmdir ../e; exec "${process.execPath}" "${CLI}" trace --out ${dir}/t.json -- true`], { cwd: dir, encoding: 'utf8' });
  assert.is(t.status, 1);
  assert.is(t.stderr, 'processcache: the working directory no longer exists (it was deleted); cd to an existing directory and run it again\n');
});

test('a store that cannot be written warns once on stderr, and the command runs with its own exit status', () => {
  // tests run as root, whom a mode 0555 does not stop: the run is made as nobody instead, on a
  // store root made (mode 0755, root's), the way a shared or read-only cache directory looks
  const dir = scratch();
  const store = scratch('pc-store-');
  chmodSync(store, 0o755);
  writeFileSync(`${dir}/in.txt`, 'hello\n');
  assert.is(runMemo(['true'], { cwd: dir, store }).status, 0); // makes blobs/ and entries/
  chmodSync(dir, 0o777);
  const stats = join(dir, 'stats.json');
  const copy = "import sys; d = open('in.txt').read(); open('out.txt', 'w').write(d.upper()); print('copied', len(d)); sys.exit(3)";
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'run',
    '--store', store, '--stats-json', stats, '--', PY, '-c', copy], { cwd: dir, encoding: 'utf8', env: { ...process.env, PROCESSCACHE_SUDO: '0' } });
  assert.is(r.status, 3, r.stderr);
  assert.is(r.stdout, 'copied 6\n');
  assert.is(readFileSync(`${dir}/out.txt`, 'utf8'), 'HELLO\n');
  const warnings = r.stderr.split('\n').filter((l) => l.includes('warning'));
  assert.is(warnings.length, 1, r.stderr);
  assert.match(warnings[0]!, `processcache: warning: the store at ${store} cannot be written (EACCES: permission denied): this run's results are not cached; free space or make it writable`);
  const row = (JSON.parse(readFileSync(stats, 'utf8')) as { executions: { status: string; reason?: string }[] }).executions[0]!;
  assert.is(row.status, 'uncacheable');
  assert.match(row.reason ?? '', /could not be stored/);
});

/** A temporary file as the store writes them (name.tmp-PID-RANDOM), made under store. */
function temp(store: string, rel: string, pid: number, ageMs = 0): string {
  const path = join(store, `${rel}.tmp-${pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'half a file');
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(path, t, t);
  return path;
}

test('gc removes the temporary files of writers that are gone or an hour old, keeps a live writer\'s, and counts them', () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  assert.is(runMemo(['true'], { cwd: dir, store }).status, 0);
  const dead = spawnSync('true').pid!; // reaped: no process has its pid now
  const hex = 'ab'.repeat(32);
  const gone = [
    temp(store, `blobs/ab/${hex.slice(2)}`, dead),
    temp(store, `entries/cd/${hex}.${hex}.json`, dead),
    temp(store, 'statcache.json', dead),
    temp(store, `blobs/ef/${hex.slice(2)}`, process.pid, 2 * 3600_000), // alive, but no write takes hours
  ];
  const kept = temp(store, `blobs/ab/${hex.slice(2)}`, process.pid);
  const gc = spawnSync(process.execPath, [CLI, 'gc', '--store', store, '--max-size', '1G'], { encoding: 'utf8' });
  assert.is(gc.status, 0, gc.stderr);
  assert.match(gc.stderr, /; 4 temporary files left by interrupted runs removed\n$/);
  for (const path of gone) assert.not.ok(existsSync(path), path);
  assert.ok(existsSync(kept), 'a live writer\'s file is still being written');
});

test('a run that finds another one killed removes the temporary files it left', async () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  const child = spawn(process.execPath, [CLI, 'run', '--quiet', '--store', store, '--', 'sleep', '1'], { cwd: dir, stdio: 'ignore' });
  const runs = join(store, 'runs');
  const registered = (): boolean => existsSync(runs) && readdirSync(runs).some((n) => n.startsWith(`${child.pid}.`));
  for (let i = 0; i < 200 && !registered(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(registered(), 'the run registered itself');
  // killed while it wrote a blob: the temporary file stays, under its pid
  const left = temp(store, `blobs/12/${'3'.repeat(62)}`, child.pid!);
  await new Promise((r) => { child.on('exit', r); child.kill('SIGKILL'); });
  assert.is(runMemo(['true'], { cwd: dir, store }).status, 0);
  assert.not.ok(existsSync(left), 'the killed run\'s temporary file is gone');
  assert.not.ok(readdirSync(runs).some((n) => /^\d+\.\d+\.\d+$/.test(n)), 'no run is registered as running');
});

test.run();
