// What makes an execution unsafe to replay (flags) or vary from run to run (nondeterminism), and
// the syscalls the tracer refuses.
import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { accessesUnder, CLI, compileC, execsNamed, only, runMemo, runTrace, scratch } from './helpers.js';
import type { Trace } from '../src/trace/index.js';

test('a connect() to a loopback server is flagged; the connection works', async () => {
  let got = '';
  const server = createServer((s) => s.on('data', (d) => { got += d; s.end(); }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const dir = scratch();
  const out = `${dir}/t.json`;
  const script = `import socket; s = socket.create_connection(("127.0.0.1", ${port})); s.sendall(b"ping"); s.recv(10); print("sent")`;
  // async: the server answers on this event loop
  const child = spawn(process.execPath, [CLI, 'trace', '--out', out, '--', 'python3', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d) => { stdout += d; });
  const status = await new Promise<number | null>((r) => child.on('close', r));
  server.close();
  assert.is(status, 0);
  assert.is(stdout, 'sent\n');
  assert.is(got, 'ping');
  const { readFileSync } = await import('node:fs');
  const trace = JSON.parse(readFileSync(out, 'utf8'));
  const py = trace.executions.at(-1);
  assert.ok(py.flags.includes('network:connect'), JSON.stringify(py.flags));
});

test('a failed connect to an absent unix socket path is a probe, not a flag', () => {
  const dir = scratch();
  const script = 'import socket\ns = socket.socket(socket.AF_UNIX)\ntry:\n  s.connect("absent.sock")\nexcept OSError as e:\n  print(e.errno)';
  const r = runTrace(['python3', '-c', script], { cwd: dir });
  assert.is(r.stdout, '2\n');
  const py = r.trace.executions.at(-1)!;
  assert.equal(py.flags, []);
  assert.equal(accessesUnder(py, dir).filter((a) => a.includes('absent.sock')), ['probe absent.sock ENOENT']);
});

const ODD_SYSCALLS = `
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
int main(int argc, char **argv) {
  (void)argc;
  char what = argv[1][0];
  if (what == 'u') { long r = syscall(425, 8, NULL); printf("io_uring %ld %d\\n", r, errno); }
  if (what == 'n') { long r = syscall(490); printf("unknown %ld %d\\n", r, errno); }
  if (what == 'k') { printf("kill %d\\n", kill(getppid(), 0)); }
  if (what == 'r') { char b[4]; struct utsname u; printf("random %zd %d\\n", getrandom(b, 4, 0), uname(&u)); }
#ifdef __x86_64__
  if (what == '3') { long r; __asm__ volatile ("int $0x80" : "=a"(r) : "a"(20L) : "memory"); printf("i386 %d\\n", r > 0); }
#endif
  return 0;
}`;

test('io_uring is refused with ENOSYS, so programs fall back to plain syscalls', () => {
  const dir = scratch();
  const bin = compileC(dir, 'odd', ODD_SYSCALLS);
  const r = runTrace([bin, 'u']);
  assert.is(r.stdout, 'io_uring -1 38\n');
  assert.equal(r.trace.executions[0]!.flags, []);
});

test('an unknown syscall is flagged with its number and still runs', () => {
  const dir = scratch();
  const bin = compileC(dir, 'odd', ODD_SYSCALLS);
  const r = runTrace([bin, 'n']);
  assert.is(r.stdout, 'unknown -1 38\n');
  assert.equal(r.trace.executions[0]!.flags, ['unknown-syscall:490']);
});

test('a signal to a process outside the command is flagged', () => {
  const dir = scratch();
  const bin = compileC(dir, 'odd', ODD_SYSCALLS);
  const r = runTrace([bin, 'k']);
  assert.is(r.stdout, 'kill 0\n');
  assert.equal(r.trace.executions[0]!.flags, ['signal-outside']);
});

test('getrandom is reported as nondeterminism and uname as an observed attribute, neither as unsafe', () => {
  const dir = scratch();
  const bin = compileC(dir, 'odd', ODD_SYSCALLS);
  const r = runTrace([bin, 'r']);
  assert.is(r.stdout, 'random 4 0\n');
  const e = r.trace.executions[0]!;
  assert.ok(e.nondeterminism.includes('getrandom'), JSON.stringify(e.nondeterminism));
  assert.equal(e.observed, ['uname']);
  assert.equal(e.flags, []);
  const u = runTrace(['head', '-c', '4', '/dev/urandom']);
  assert.ok(u.trace.executions[0]!.nondeterminism.includes('/dev/urandom'));
});

// Only x86_64 lets a 64-bit program make 32-bit syscalls (int 0x80); arm64 has no such door.
(process.arch === 'x64' ? test : test.skip)('the 32-bit syscall ABI is flagged, never silently untraced', () => {
  const dir = scratch();
  const bin = compileC(dir, 'odd', ODD_SYSCALLS);
  const untraced = spawnSync(bin, ['3'], { encoding: 'utf8' });
  const r = runTrace([bin, '3']);
  const e = r.trace.executions[0]!;
  const seen = JSON.stringify({ flags: e.flags, out: r.stdout, status: r.status });
  if (untraced.signal === 'SIGSEGV') {
    // the kernel runs no 32-bit syscalls (IA-32 emulation off: ia32_emulation=0): int 0x80 faults
    // before any syscall begins, so there is nothing to flag, and traced it faults the same way
    assert.is(r.status, 128 + 11, seen);
    assert.is(e.signal, 11, seen);
    return;
  }
  assert.ok(e.flags.includes('abi:32-bit'), seen);
});

test('a terminal opened is flagged; a failed open of /dev/tty (no controlling terminal, as on CI) is not', () => {
  // setsid: a new session, which has no controlling terminal, whatever the test runner has
  const none = runTrace(['setsid', '-w', 'sh', '-c', 'true </dev/tty 2>/dev/null || echo no-tty']);
  const sh = execsNamed(none.trace, 'sh')[0]!;
  assert.is(none.stdout.trim(), 'no-tty');
  assert.not.ok(sh.flags.includes('tty'), JSON.stringify(sh.flags));
  // script(1) runs the command on a new pseudo-terminal, its controlling terminal
  const dir = scratch();
  const log = join(dir, 'typescript');
  const traced = `${process.execPath} ${CLI} trace --out ${dir}/trace.json -- sh -c 'exec 3</dev/tty && echo opened'`;
  const r = spawnSync('script', ['-qec', traced, log], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  const trace = JSON.parse(readFileSync(`${dir}/trace.json`, 'utf8')) as Trace;
  assert.ok(readFileSync(log, 'utf8').includes('opened'));
  assert.ok(execsNamed(trace, 'sh')[0]!.flags.includes('tty'), JSON.stringify(execsNamed(trace, 'sh')[0]!.flags));
});

test('ptrace by the command is flagged', () => {
  const dir = scratch();
  writeFileSync(`${dir}/p.py`, 'import ctypes\nlibc = ctypes.CDLL(None)\nprint(libc.ptrace(0, 0, None, None))\n');
  const r = runTrace(['python3', 'p.py'], { cwd: dir });
  const py = r.trace.executions.at(-1)!;
  assert.ok(py.flags.includes('ptrace'), JSON.stringify(py.flags));
  assert.is(only(r.stdout.trim().split('\n'), 'line'), '-1');
});

test('a SysV message queue another process fills is a channel from outside: flagged, never replayed', () => {
  const dir = scratch();
  const key = 0x50430000 + (process.pid & 0xffff);
  const body = (role: string): string => [
    '#include <stdio.h>', '#include <string.h>', '#include <sys/msg.h>',
    'struct m { long type; char text[32]; };',
    `int main(int argc, char **argv) { int q = msgget(${key}, IPC_CREAT | 0600); struct m x = { 1, "" };`,
    role === 'send'
      ? '  strncpy(x.text, argv[1], sizeof x.text - 1); return msgsnd(q, &x, sizeof x.text, 0) != 0; }'
      : '  if (msgrcv(q, &x, sizeof x.text, 0, 0) < 0) return 1; printf("%s\\n", x.text); return 0; }',
  ].join('\n');
  const send = compileC(dir, 'mqsend', body('send'));
  const receive = compileC(dir, 'mqreceive', body('receive'));
  const store = scratch('pc-store-');
  try {
    const got: string[] = [];
    for (const text of ['one', 'one', 'two']) {
      assert.is(spawnSync(send, [text]).status, 0);
      const r = runMemo([receive], { cwd: dir, store });
      got.push(r.stdout.trim());
      assert.match(r.stats.executions[0]!.reason ?? '', /unmodelled-syscall:msg/);
    }
    assert.equal(got, ['one', 'one', 'two']);
  } finally {
    spawnSync('ipcrm', ['-Q', String(key)]);
  }
});

test("another process's /proc entry is its state, not a file: read from outside the command, never replayed", () => {
  const outside = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    const pid = outside.pid!;
    const store = scratch('pc-store-');
    const got: string[] = [];
    for (const signal of ['SIGCONT', 'SIGCONT', 'SIGSTOP'] as const) {
      outside.kill(signal);
      const r = runMemo(['sh', '-c', `grep -o "^State:.." /proc/${pid}/status`], { store });
      got.push(r.stdout.trim());
      assert.match(r.stats.executions[0]!.reason ?? '', new RegExp(`reads /proc/${pid}, the state of a process outside the command`));
    }
    assert.equal(got, ['State:\tS', 'State:\tS', 'State:\tT']);
  } finally {
    outside.kill('SIGKILL');
  }
});

test("the system's state of the moment (/proc/meminfo, /proc/loadavg) is nondeterminism, as the clock is: node, which reads /proc/meminfo at start, is reused", () => {
  const dir = scratch();
  writeFileSync(join(dir, 'x.js'), 'process.stdout.write(require("fs").readFileSync("/proc/loadavg", "utf8").split(" ").length + "\\n");\n');
  const store = scratch('pc-store-');
  // --preserve-symlinks-main: no realpath of x.js, whose lstat of /tmp would key node on its mtime
  const argv = ['node', '--preserve-symlinks-main', 'x.js'];
  const runs = [0, 1].map(() => runMemo(argv, { cwd: dir, store }));
  for (const r of runs) assert.is(r.stdout, '5\n');
  assert.is(runs[1]!.stats.executions[0]!.status, 'hit', JSON.stringify(runs[0]!.stats.executions));
  const t = runTrace(argv, { cwd: dir });
  const nondeterminism = t.trace.executions.flatMap((e) => e.nondeterminism);
  for (const path of ['/proc/meminfo', '/proc/loadavg']) assert.ok(nondeterminism.includes(path), JSON.stringify(nondeterminism));
});

/** Runs `tput cols` under processcache with stdout on a pty of each width, returning what it printed. */
const PTY_DRIVER = String.raw`
import fcntl, os, pty, struct, subprocess, sys, termios
node, cli, store = sys.argv[1:4]
for cols in (80, 80, 40):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 24, cols, 0, 0))
    p = subprocess.Popen([node, cli, 'run', '--quiet', '--min-duration-ms', '0', '--store', store, '--', 'tput', '-T', 'xterm', 'cols'],
                         stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.DEVNULL)
    os.close(slave)
    out = b''
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    p.wait()
    os.close(master)
    print(out.decode().strip())
`;

test("a terminal's size asked (TIOCGWINSZ) is keyed: tput in a narrower terminal is not replayed", () => {
  const dir = scratch();
  writeFileSync(join(dir, 'winsize.py'), PTY_DRIVER);
  const r = spawnSync('/usr/bin/python3', [join(dir, 'winsize.py'), process.execPath, CLI, scratch('pc-store-')], { encoding: 'utf8', timeout: 120_000 });
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n'), ['80', '80', '40']);
});

test('inode flags read with an ioctl (lsattr) are not modelled: flagged', () => {
  const dir = scratch();
  writeFileSync(join(dir, 'f'), 'x');
  const t = runTrace(['lsattr', 'f'], { cwd: dir });
  const flags = t.trace.executions.flatMap((e) => e.flags);
  // lsattr fails on a file system without inode flags (overlayfs, tmpfs): the ioctl is flagged all the same
  assert.ok(flags.some((f) => f.startsWith('unmodelled-syscall:ioctl')), JSON.stringify(flags));
});

test('events and state from anywhere are not modelled: inotify (a change by whoever), the kernel log', () => {
  const dir = scratch();
  const prog = compileC(dir, 'watch', [
    '#include <signal.h>', '#include <sys/inotify.h>', '#include <sys/klog.h>', '#include <sys/statfs.h>', '#include <time.h>', '#include <unistd.h>',
    'int main(void) { int fd = inotify_init1(IN_NONBLOCK); inotify_add_watch(fd, ".", IN_CREATE); klogctl(10, 0, 0); close(fd);',
    '  sigset_t s; sigemptyset(&s); sigaddset(&s, SIGUSR1); sigprocmask(SIG_BLOCK, &s, 0); struct timespec z = { 0, 0 }; sigtimedwait(&s, 0, &z);',
    '  struct statfs f; statfs(".", &f); return 0; }',
  ].join('\n'));
  const t = runTrace([prog], { cwd: dir });
  const flags = t.trace.executions.flatMap((e) => e.flags);
  // a signal taken by sigwait makes no delivery stop: who sent it is not seen
  for (const name of ['inotify_init1', 'inotify_add_watch', 'syslog', 'rt_sigtimedwait']) assert.ok(flags.includes(`unmodelled-syscall:${name}`), JSON.stringify(flags));
  // a file system's free space is the system's state of the moment
  assert.ok(t.trace.executions.some((e) => e.nondeterminism.includes('statfs')));
});

test("another process's scheduling, priority, limits or group asked by its pid is its state: flagged (taskset -p, renice, prlimit --pid)", () => {
  const outside = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    const pid = String(outside.pid!);
    for (const argv of [['taskset', '-p', pid], ['sh', '-c', `renice -n 1 -p ${pid} >/dev/null`], ['prlimit', '--pid', pid, '--nofile']]) {
      const t = runTrace(argv);
      const flags = t.trace.executions.flatMap((e) => e.flags);
      assert.ok(flags.some((f) => f.startsWith('process-state:')), `${argv.join(' ')}: ${JSON.stringify(flags)}`);
    }
    // its own, by pid 0, is not
    for (const argv of [['taskset', '-p', '0'], ['prlimit', '--nofile']]) {
      const own = runTrace(argv);
      assert.not.ok(own.trace.executions.flatMap((e) => e.flags).some((f) => f.startsWith('process-state:')), argv.join(' '));
    }
  } finally {
    outside.kill('SIGKILL');
  }
});

test.run();
