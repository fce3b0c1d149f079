// The tracer on real programs: make and gcc, node, python3, a static binary, and the process
// creation paths (posix_spawn, vfork, exec from a thread, exec twice).
import { writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { accessesUnder, compileC, execsNamed, only, runTrace, scratch } from './helpers.js';

test('make -j2 builds a small C project with gcc', () => {
  const dir = scratch();
  writeFileSync(`${dir}/util.h`, 'int twice(int);\n');
  writeFileSync(`${dir}/util.c`, '#include "util.h"\nint twice(int x) { return 2 * x; }\n');
  writeFileSync(`${dir}/main.c`, '#include <stdio.h>\n#include "util.h"\nint main(void) { printf("%d\\n", twice(21)); return 0; }\n');
  writeFileSync(`${dir}/Makefile`, 'app: main.o util.o\n\tgcc -o $@ $^\n%.o: %.c util.h\n\tgcc -c -o $@ $<\n');
  const r = runTrace(['make', '-j2', '-s'], { cwd: dir });
  assert.is(r.status, 0, r.stderr);
  const make = r.trace.executions[0]!;
  assert.is(make.exe, '/usr/bin/make');
  assert.ok(accessesUnder(make, dir).includes('read Makefile ok'));
  assert.ok(accessesUnder(make, dir).includes('probe util.h ok file'));
  const cc1 = execsNamed(r.trace, 'cc1');
  assert.is(cc1.length, 2);
  for (const [c, name] of [[cc1.find((e) => e.argv.includes('main.c')), 'main.c'], [cc1.find((e) => e.argv.includes('util.c')), 'util.c']] as const) {
    assert.ok(c, `cc1 for ${name}`);
    const mine = accessesUnder(c!, dir);
    assert.ok(mine.includes(`read ${name} ok`), `${name}: ${mine}`);
    assert.ok(mine.includes('read util.h ok'), `${name} includes util.h: ${mine}`);
    assert.ok(c!.accesses.some((a) => a.op === 'read' && a.path === '/usr/include/stdio.h') === (name === 'main.c'));
  }
  // each compile's gcc driver is a child of make; cc1 and as are children of their driver
  const drivers = execsNamed(r.trace, 'gcc');
  assert.is(drivers.length, 3);
  assert.ok(drivers.every((d) => d.parent === make.id || r.trace.executions[d.parent!]!.parent === make.id));
  for (const c of cc1) assert.is(r.trace.executions[c.parent!]!.exe, '/usr/bin/gcc');
  const as = execsNamed(r.trace, 'as');
  assert.is(as.length, 2);
  assert.ok(as.every((a) => accessesUnder(a, dir).some((x) => /^(create|truncate) (main|util)\.o ok$/.test(x))));
  const ld = only(execsNamed(r.trace, 'ld'), 'ld');
  const linked = accessesUnder(ld, dir);
  assert.ok(linked.includes('read main.o ok') && linked.includes('read util.o ok'), linked.join('\n'));
  assert.ok(linked.some((x) => /^(create|truncate) app ok$/.test(x)), linked.join('\n'));
  assert.is(runTrace([`${dir}/app`]).stdout, '42\n');
});

test('node and python3 scripts', () => {
  const dir = scratch();
  writeFileSync(`${dir}/data.json`, '{"n": 5}');
  writeFileSync(`${dir}/s.mjs`, "import { readFileSync, writeFileSync, existsSync } from 'node:fs';\n" +
    "const n = JSON.parse(readFileSync('data.json', 'utf8')).n;\nexistsSync('absent.cfg');\n" +
    "writeFileSync('out-node.txt', String(n * 2));\nconsole.log('node', n);\n");
  writeFileSync(`${dir}/s.py`, "import json, os\nn = json.load(open('data.json'))['n']\nos.path.exists('absent.cfg')\n" +
    "open('out-py.txt', 'w').write(str(n * 3))\nprint('python', n)\n");
  const n = runTrace(['node', 's.mjs'], { cwd: dir });
  assert.is(n.status, 0, n.stderr);
  assert.is(n.stdout, 'node 5\n');
  const nodeExec = n.trace.executions[0]!;
  const nodeAccesses = accessesUnder(nodeExec, dir);
  for (const want of ['read s.mjs ok', 'read data.json ok', 'probe absent.cfg ENOENT', 'create out-node.txt ok']) {
    assert.ok(nodeAccesses.includes(want), `node: ${want} in ${nodeAccesses}`);
  }
  assert.ok(nodeAccesses.indexOf('read data.json ok') < nodeAccesses.indexOf('create out-node.txt ok'));
  const p = runTrace(['python3', 's.py'], { cwd: dir });
  assert.is(p.status, 0, p.stderr);
  assert.is(p.stdout, 'python 5\n');
  // the last execution with the script: python3 may be reached through a wrapper (pyenv's shim)
  const py = p.trace.executions.filter((e) => e.argv.includes('s.py')).at(-1)!;
  const pyAccesses = accessesUnder(py, dir);
  for (const want of ['read s.py ok', 'read data.json ok', 'probe absent.cfg ENOENT', 'create out-py.txt ok']) {
    assert.ok(pyAccesses.includes(want), `python: ${want} in ${pyAccesses}`);
  }
});

const OPENER = `
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv) {
  int fd = open(argv[1], O_RDONLY);
  char buf[64]; ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf) : 0;
  int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out >= 0 && n > 0) write(out, buf, (size_t)n);
  printf("copied %zd\\n", n);
  return fd >= 0 ? 0 : 9;
}`;

test('a statically linked binary is traced like any other (no LD_PRELOAD)', () => {
  const dir = scratch();
  const bin = compileC(dir, 'copy-static', OPENER, ['-static']);
  writeFileSync(`${dir}/src.txt`, 'static!');
  const r = runTrace([bin, 'src.txt', 'dst.txt'], { cwd: dir });
  assert.is(r.status, 0);
  assert.is(r.stdout, 'copied 7\n');
  const e = only(r.trace.executions, 'execution');
  assert.equal(accessesUnder(e, dir), ['exec copy-static ok', 'read src.txt ok', 'create dst.txt ok']);
  assert.ok(!e.accesses.some((a) => a.path?.includes('ld.so')), 'no dynamic loader in a static binary');
  const missing = runTrace([bin, 'nope.txt', 'dst2.txt'], { cwd: dir });
  assert.is(missing.status, 9);
  assert.equal(accessesUnder(missing.trace.executions[0]!, dir), ['exec copy-static ok', 'probe nope.txt ENOENT', 'create dst2.txt ok']);
});

const SPAWNER = `
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
extern char **environ;
int main(void) {
  char *a1[] = { "cat", "one.txt", NULL }, *a2[] = { "cat", "two.txt", NULL };
  pid_t p; int st;
  if (posix_spawn(&p, "/usr/bin/cat", NULL, NULL, a1, environ) != 0) return 1;
  waitpid(p, &st, 0);
  pid_t v = vfork();
  if (v == 0) { execve("/usr/bin/cat", a2, environ); _exit(127); }
  waitpid(v, &st, 0);
  return WEXITSTATUS(st);
}`;

test('posix_spawn and vfork children are separate executions of the parent', () => {
  const dir = scratch();
  const bin = compileC(dir, 'spawner', SPAWNER);
  writeFileSync(`${dir}/one.txt`, '1');
  writeFileSync(`${dir}/two.txt`, '2');
  const r = runTrace([bin], { cwd: dir });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, '12');
  const [parent, ...cats] = r.trace.executions;
  assert.is(cats.length, 2);
  assert.equal(cats.map((c) => [c.parent, accessesUnder(c, dir)]), [[parent!.id, ['read one.txt ok']], [parent!.id, ['read two.txt ok']]]);
});

const THREAD_EXEC = `
#include <pthread.h>
#include <unistd.h>
static void *run(void *arg) {
  (void)arg;
  char *argv[] = { "cat", "t.txt", NULL };
  execv("/usr/bin/cat", argv);
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, run, NULL);
  pthread_join(t, NULL);
  return 5;
}`;

test('exec from a non-leader thread keeps the process and starts a new execution', () => {
  const dir = scratch();
  const bin = compileC(dir, 'thread-exec', THREAD_EXEC, ['-pthread']);
  writeFileSync(`${dir}/t.txt`, 'from thread');
  const r = runTrace([bin], { cwd: dir });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, 'from thread');
  const [first, cat] = r.trace.executions;
  assert.is(r.trace.executions.length, 2);
  assert.is(cat!.exe, '/usr/bin/cat');
  assert.is(cat!.parent, first!.id);
  assert.is(cat!.pid, first!.pid, 'the exec takes over the leader pid');
  assert.equal(accessesUnder(cat!, dir), ['read t.txt ok']);
  assert.is(cat!.exitCode, 0);
});

test('a process that execs twice is three executions in a chain', () => {
  const dir = scratch();
  writeFileSync(`${dir}/f.txt`, 'chain');
  const r = runTrace(['sh', '-c', 'exec env X=1 cat f.txt'], { cwd: dir });
  assert.is(r.stdout, 'chain');
  const [sh, env, cat] = r.trace.executions;
  assert.equal([sh!.exe, env!.exe, cat!.exe], ['/usr/bin/sh', '/usr/bin/env', '/usr/bin/cat']);
  assert.equal([sh!.parent, env!.parent, cat!.parent], [null, sh!.id, env!.id]);
  assert.ok(sh!.pid === env!.pid && env!.pid === cat!.pid);
  assert.ok([sh, env, cat].every((e) => e!.exitCode === 0));
  assert.equal(accessesUnder(cat!, dir), ['read f.txt ok']);
});

test('a process killed by a signal inside the command', () => {
  const r = runTrace(['sh', '-c', 'sh -c \'kill -KILL $$\'; echo "status $?"']);
  assert.is(r.status, 0);
  assert.is(r.stdout, 'status 137\n');
  const [outer, inner] = r.trace.executions;
  assert.is(inner!.parent, outer!.id);
  assert.is(inner!.signal, 9);
  assert.is(inner!.exitCode, null);
  assert.is(outer!.exitCode, 0);
  assert.equal(inner!.flags, [], 'a signal to itself is inside the subtree');
});

test('calls relative to a pipe or a socket as their directory fd fail as they would, and the tracer goes on (hunt 13)', () => {
  const dir = scratch();
  const prog = compileC(dir, 'atpipe', `#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
  struct stat st; int p[2]; if (pipe(p)) return 9;
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  long r[6] = { syscall(SYS_newfstatat, p[0], "", &st, 0), openat(p[0], "x", O_RDONLY), syscall(SYS_newfstatat, p[0], "..", &st, 0),
                faccessat(p[0], "x", R_OK, 0), mkdirat(p[0], "d", 0777), syscall(SYS_newfstatat, s, "x", &st, 0) };
  for (int i = 0; i < 6; i++) printf("%ld ", r[i]);
  printf("\\n");
  return 0;
}
`);
  const r = runTrace(['sh', '-c', `${prog}; echo after`], { cwd: dir });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, '-1 -1 -1 -1 -1 -1 \nafter\n');
});

test.run();
