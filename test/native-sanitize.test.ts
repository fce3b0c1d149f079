// The C tracer built with AddressSanitizer and UndefinedBehaviorSanitizer, run as the tracer
// program on a parallel build: any memory or UB error aborts it and fails the test.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { traceCommand, type ExecQuery } from '../src/trace/index.js';
import { accessesUnder, ROOT, scratch } from './helpers.js';

// a report goes to the stderr the tracer program was started with (native/helper.c), which the
// error of a failed trace carries: with the stack, to say where
process.env.UBSAN_OPTIONS = 'print_stacktrace=1';

test('the sanitized tracer traces make -j4, threads and a pipeline cleanly', async () => {
  const build = spawnSync('make', ['-s', '-C', join(ROOT, 'native'), 'sanitize'], { encoding: 'utf8' });
  assert.is(build.status, 0, build.stderr);
  const dir = scratch();
  for (const n of [1, 2, 3, 4, 5]) writeFileSync(`${dir}/m${n}.c`, `int f${n}(void) { return ${n}; }\n`);
  writeFileSync(`${dir}/main.c`, '#include <stdio.h>\nint f1(void);\nint main(void) { printf("%d\\n", f1()); return 0; }\n');
  writeFileSync(`${dir}/Makefile`, 'OBJ = main.o m1.o m2.o m3.o m4.o m5.o\napp: $(OBJ)\n\tgcc -o $@ $(OBJ)\n%.o: %.c\n\tgcc -c $< -o $@\n');
  const result = await traceCommand({
    command: ['sh', '-c', 'make -s -j4 && ./app | cat > out.txt && python3 -c "import threading; t = threading.Thread(target=print, args=(2,)); t.start(); t.join()" >> out.txt'],
    cwd: dir,
    tracerProgram: join(ROOT, 'native', 'build', 'sanitize', 'pctrace'),
  });
  // the tracer program is unref'd (it may serve processes the command left): hold the loop open
  const keepAlive = setInterval(() => {}, 1000);
  const exit = await result.tracerExit!;
  clearInterval(keepAlive);
  assert.is(exit.stderr, '', 'no sanitizer report');
  assert.is(exit.status, 0);
  assert.is(result.status.exitCode, 0);
  assert.is(readFileSync(`${dir}/out.txt`, 'utf8'), '1\n2\n');
  const cc1 = result.trace.executions.filter((e) => e.exe.endsWith('/cc1'));
  assert.is(cc1.length, 6);
  assert.ok(cc1.every((c) => accessesUnder(c, dir).some((a) => /^read (main|m\d)\.c ok$/.test(a))));
});

test('the sanitized tracer reads each exec query\'s attributes cleanly: fds, another UTS namespace, limits', async () => {
  const dir = scratch();
  writeFileSync(`${dir}/in.txt`, 'x\n');
  const queries: ExecQuery[] = [];
  const result = await traceCommand({
    command: ['sh', '-c', 'exec 3< in.txt 4>>log; ulimit -n 100; unshare -u sh -c "hostname inner; uname -n; nproc"'],
    cwd: dir,
    tracerProgram: join(ROOT, 'native', 'build', 'sanitize', 'pctrace'),
    decideExec: (q) => {
      queries.push(q);
      return { skip: false };
    },
  });
  const keepAlive = setInterval(() => {}, 1000);
  const exit = await result.tracerExit!;
  clearInterval(keepAlive);
  assert.is(exit.stderr, '', 'no sanitizer report');
  assert.is(result.status.exitCode, 0);
  const uname = queries.find((q) => q.argv[0] === 'uname')!.process;
  assert.match(uname.ns ?? '', /^uts:\[\d+\]$/);
  assert.match(uname.uname ?? '', /^Linux\|inner\|/);
  assert.match(uname.rlimits ?? '', /(^|,)100:100,/);
  assert.equal(uname.fds.map((f) => [f.fd, f.kind, f.mode, f.path]), [[3, 'file', 'r', `${dir}/in.txt`], [4, 'file', 'w', `${dir}/log`]]);
  assert.is(queries[0]!.process.ns, '', 'the command starts in the tracer\'s namespaces');
});

test('the sanitized tracer adds a filter to a shell that copies its stdout file onto fd 6, and sees looks through it', async () => {
  const dir = scratch();
  const look = "import os; os.fstat(6); os.dup2(6, 7); os.lseek(7, 0, os.SEEK_CUR); os.dup2(6, 255); os.fstat(255); d = os.dup(6); os.fstat(d)";
  const result = await traceCommand({
    command: ['sh', '-c', `exec > out.log; bash --norc -c 'exec 6>&1; echo via-6 >&6; /usr/bin/python3 -c "${look}"; echo done'`],
    cwd: dir,
    tracerProgram: join(ROOT, 'native', 'build', 'sanitize', 'pctrace'),
    decideExec: () => ({ skip: false }),
  });
  const keepAlive = setInterval(() => {}, 1000);
  const exit = await result.tracerExit!;
  clearInterval(keepAlive);
  assert.is(exit.stderr, '', 'no sanitizer report');
  assert.is(result.status.exitCode, 0);
  assert.is(readFileSync(`${dir}/out.log`, 'utf8'), 'via-6\ndone\n');
  const bash = result.trace.executions.find((e) => e.exe.endsWith('/bash'))!;
  const python = result.trace.executions.find((e) => e.exe.endsWith('/python3'))!;
  assert.not.ok(bash.flags.some((f) => /stdout-copied/.test(f)), `the copy's looks are trapped: ${JSON.stringify(bash.flags)}`);
  assert.ok(python.observed.includes('stdoutStart'), `python looked at its own stdout through fd 6: ${JSON.stringify(python.observed)}`);
});

test('the sanitized tracer reads ranges back cleanly: untrapped writes, filters added at an exec, a fork, a thread', () => {
  // the tracer's own stdout and stderr are files (a child process of ours, started through a
  // shell's redirection), or every write would stop and nothing would be read back
  const dir = scratch();
  const driver = join(dir, 'driver.mts');
  writeFileSync(driver, [
    `import { writeFileSync } from 'node:fs';`,
    `import { traceCommand } from ${JSON.stringify(join(ROOT, 'src', 'trace', 'index.ts'))};`,
    `const script = 'for i in 1 2; do python3 -u -c "print($i)" > o$i; done; sh -c "echo a; exec echo b" > chain; echo piped | cat > p; ' +`,
    `  '(sleep 0.2; echo bg) & python3 -c "import threading; t = threading.Thread(target=print, args=(3,)); t.start(); t.join()" > t; wait';`,
    `process.on('uncaughtException', (e) => { writeFileSync(process.argv[4], JSON.stringify({ error: String(e?.stack ?? e) })); process.exit(1); });`,
    `const r = await traceCommand({ command: ['sh', '-c', script], cwd: process.argv[2], tracerProgram: process.argv[3], decideExec: () => ({ skip: false }) });`,
    `const keepAlive = setInterval(() => {}, 1000);`,
    `const exit = await r.tracerExit;`,
    `clearInterval(keepAlive);`,
    `const ranges = r.builder.log.filter((i) => i.kind === 'output' && i.range).length;`,
    `writeFileSync(process.argv[4], JSON.stringify({ exit, status: r.status, ranges }));`,
  ].join('\n'));
  const report = join(dir, 'report.json');
  // from the repository, where `--import tsx` resolves; stderr to /dev/null: tsx's esbuild child
  // inherits it, and a process outside the trace holding the command's file makes it trap writes
  const r = spawnSync('/bin/sh', ['-c', 'd=$1; shift; exec "$@" > "$d/out" 2> /dev/null < /dev/null', 'sh', dir, process.execPath, '--import', 'tsx', driver, dir,
    join(ROOT, 'native', 'build', 'sanitize', 'pctrace'), report], { cwd: ROOT, encoding: 'utf8' });
  assert.is(r.status, 0, `the driver failed: ${existsSync(report) ? readFileSync(report, 'utf8') : '(no report)'}`);
  const { exit, status, ranges } = JSON.parse(readFileSync(report, 'utf8')) as { exit: { status: number; stderr: string }; status: { exitCode: number }; ranges: number };
  assert.is(exit.stderr, '', 'no sanitizer report');
  assert.is(exit.status, 0);
  assert.is(status.exitCode, 0);
  for (const [f, want] of [['o1', '1\n'], ['o2', '2\n'], ['chain', 'a\nb\n'], ['p', 'piped\n'], ['t', '3\n'], ['out', 'bg\n']]) {
    assert.is(readFileSync(join(dir, f!), 'utf8'), want, f);
  }
  assert.ok(ranges >= 3, `${ranges} outputs read back: the writes were trapped`);
});

test.run();
