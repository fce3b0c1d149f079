// Stale replays found on main: each is a hit that replayed a result the program would not
// produce now. Every case runs its steps in a cached and an untraced twin (test/twins.ts): the
// cached one must give the untraced result, and each case must exercise the cache (some step hits).
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, runMemo, scratch } from './helpers.js';
import { hitSomewhere, twins, type TwinResult, type TwinStep } from './twins.js';

const PY = '/usr/bin/python3';
const obs = (observe: string): TwinStep => ({ observe });
const chg = (change: string): TwinStep => ({ change });
/** An observation twice: the second may hit what the first recorded. */
const twice = (observe: string): TwinStep[] => [obs(observe), obs(observe)];

function check(setup: string, steps: TwinStep[], mustHit = true): void {
  const r = twins(setup, steps);
  assert.is(r.mismatch, null, r.mismatch ?? '');
  if (mustHit) assert.ok(hitSomewhere(r), `no step hit: the case did not exercise the cache ${JSON.stringify(r.statuses)}`);
}

const MAKEFILE = "printf 'out.txt: in.txt\\n\\ttr a-z A-Z < in.txt > out.txt\\n' > Makefile; echo hello > in.txt";

test("make's up-to-date check sees an edited prerequisite (mtimes are inputs, as their order)", () => {
  check(MAKEFILE, [...twice('make'), ...twice('make'), chg('sleep 0.02; echo world > in.txt'), ...twice('make'), chg('sleep 0.02; touch in.txt'), ...twice('make')]);
});

test('test -nt, -s and -x see touch, a write and chmod', () => {
  const script = 'for f in src obj e; do [ -s $f ] && echo "$f nonempty"; [ -x $f ] && echo "$f exec"; done; [ src -nt obj ] && echo newer; true';
  check(': > src; sleep 0.02; : > obj; : > e', [
    ...twice(script), chg('sleep 0.02; touch src'), ...twice(script), chg('echo data > obj'), ...twice(script), chg('chmod +x e'), ...twice(script),
  ]);
});

test('ls -l prints the mtime itself: a touched file is listed anew', () => {
  // the twins' mtimes differ, so the untraced answer is a rerun in the cached twin itself
  const ls: TwinStep = { observe: 'ls -l --time-style=+%s.%N f', inPlace: true };
  check('echo a > f', [ls, ls, chg('sleep 0.02; touch f'), ls, ls, chg('sleep 0.02; touch -d @1000000000 f'), ls, ls]);
});

test('stat prints a size, a link count and an owner that changed', () => {
  const st = "stat -c '%n %s %h %a %U' a";
  check('echo A > a', [...twice(st), chg('echo longer > a'), ...twice(st), chg('ln a b'), ...twice(st), chg('chown nobody a'), ...twice(st)]);
});

test("a directory's mtime is what ls -l prints and find -newer compares", () => {
  const ls: TwinStep = { observe: 'ls -ld --time-style=+%s.%N d', inPlace: true };
  check('mkdir d', [ls, ls, chg('sleep 0.02; touch d/x'), ls, ls]);
  const newer = 'find . -newer ref -name d; true';
  check('mkdir d; sleep 0.02; touch ref', [...twice(newer), chg('sleep 0.02; touch d/x'), ...twice(newer)]);
});

test('a script uses mtimes as its interpreter does, whatever its own name (a wrapper called cc)', () => {
  const setup = "printf '#!/bin/sh\\n[ stamp -nt src ] && echo fresh || echo stale\\n' > cc; chmod +x cc; : > src; sleep 0.02; : > stamp";
  check(setup, [...twice('./cc'), chg('sleep 0.02; touch src'), ...twice('./cc')]);
});

test("python's .pyc check: a same-size edit of a module is imported anew", () => {
  // with a valid .pyc, python reads the .pyc and only stats mod.py: its size and mtime are what
  // tell it the .pyc is stale after a same-size edit
  const run = `${PY} -c 'import mod; print(mod.X)'`;
  // python's check has whole seconds: the edit gets a later second, as an editor's would
  const setup = `echo 'X = 1' > mod.py; touch -d '2021-01-01 00:00:00' mod.py; ${PY} -m py_compile mod.py`;
  check(setup, [...twice(run), chg("echo 'X = 2' > mod.py; touch -d '2021-01-01 00:00:01' mod.py"), ...twice(run)]);
});

test('a directory entered, listed or opened through a symlink depends on where the link leads', () => {
  const setup = 'mkdir d1 d2; echo one > d1/f; echo two > d2/f; echo extra > d2/g; ln -s d1 d; mkdir x; ln -s ../d x/l';
  const looks = ['cd d && cat f', 'ls d/', 'echo d/*', 'find d/ -type f | sort', 'find x/l/ -type f | sort',
    `${PY} -c "import os; fd = os.open('d', os.O_RDONLY | os.O_DIRECTORY); print(open('f', opener=lambda p, f: os.open(p, f, dir_fd=fd)).read())"`,
    `${PY} -c "import os; os.chdir('d'); print(os.getcwd().endswith('d1'))"`];
  const steps = looks.flatMap(twice);
  check(setup, [...steps, chg('ln -sfn d2 d'), ...steps]);
});

test('make -C through a symlinked directory', () => {
  const setup = "mkdir d1 d2; printf 'all:\\n\\t@echo one\\n' > d1/Makefile; printf 'all:\\n\\t@echo two\\n' > d2/Makefile; ln -s d1 d";
  check(setup, [...twice('make -s -C d'), chg('ln -sfn d2 d'), ...twice('make -s -C d')]);
});

test('a listing records entry types: a directory turned file, symlink or fifo is listed anew', () => {
  const ls = 'ls -F d';
  const scan = `${PY} -c "import os; print(sorted((e.name, e.is_dir()) for e in os.scandir('d')))"`;
  const steps = [...twice(ls), ...twice(scan)];
  check('mkdir -p d/s', [...steps, chg('rmdir d/s; echo x > d/s'), ...steps, chg('rm d/s; ln -s /tmp d/s'), ...steps, chg('rm d/s; mkfifo d/s'), ...steps]);
});

test('an append keeps what the file held: every run appends again', () => {
  const append = `${PY} -c "open('log', 'a').write('line\\n')"`;
  check('', [obs(append), obs(append), obs(append), obs(append), obs('wc -l < log')], false);
  check('echo first > log', [obs(append), obs(append), obs('cat log')], false);
});

test('a restore keeps the order of the mtimes it restores: a program stays newer than its object', () => {
  // python writes z.o, then a.out; a restore in path order would write the large z.o last
  const gen = `${PY} -c "open('z.o', 'wb').write(bytes(30_000_000)); open('a.out', 'w').write('linked')"`;
  check('', [obs(gen), chg('rm a.out z.o'), obs(gen), obs('[ a.out -nt z.o ] && echo newer; true')]);
});

test('a hard link made by a cached ln is restored as a link', () => {
  check('echo A > a', [obs('ln a b'), chg('rm b'), obs('ln a b'), chg('echo B > a'), obs('cat b')]);
});

test('a write through a symlink goes where the link leads now', () => {
  const write = `${PY} -c "open('out', 'w').write('data')"`;
  check('ln -s real out', [...twice(write), chg('rm -f real'), ...twice(write), chg('ln -sfn real2 out'), ...twice(write)]);
});

test("an output's parent directory is an input: a hit never recreates a directory the program would not", () => {
  const write = `${PY} -c "open('out/f', 'w').write('data')"`;
  check('mkdir out', [...twice(write), chg('rm -rf out'), ...twice(write)]);
});

test('a FIFO read by path is never replayed', () => {
  // a replay would print the first run's bytes, and leave the writer (outside the trace) blocked
  const read: TwinStep = { observe: `${PY} -c 'print(open("ff").read())'`, during: "timeout 5 sh -c 'cat n > ff'" };
  const r = twins('mkfifo ff; echo 1 > n', [read, chg('echo 2 > n'), read, chg('echo 3 > n'), read]);
  assert.is(r.mismatch, null, r.mismatch ?? '');
  assert.ok(r.statuses.every((s) => s.every((x) => !x.includes(':hit'))), JSON.stringify(r.statuses));
});

test('/proc/self/fd/0 opened by path is stdin', () => {
  const read = `${PY} -c 'print(open("/proc/self/fd/0").read())' < in`;
  check('echo a > in', [...twice(read), chg('echo b > in'), ...twice(read), obs('cat in')], false);
});

test('a name that must not exist: mkdir, O_EXCL, symlink and ln fail on a dangling symlink or an existing name', () => {
  const cases = ['mkdir M', `${PY} -c "open('X', 'x')"`, `${PY} -c "import os; os.symlink('t', 'S')"`, 'ln src H', 'ln -s v2 current'];
  const steps = cases.flatMap((c) => [...twice(`${c}; echo $?`)]);
  check('echo s > src', [chg('rm -rf M X S H current'), ...steps, chg('rm -rf M X S H current; ln -s nowhere M; ln -s nowhere X; ln -s nowhere S; echo h > H; ln -s v1 current'), ...steps]);
});

test('a file an outside process changes while the program runs is not recorded', () => {
  // python reads f, then sleeps while an untraced writer changes it: its entry would pair A with B
  const read = `${PY} -c "import time; d = open('f').read(); open('go', 'w').close(); time.sleep(0.6); print(d)"`;
  const writer = 'for i in $(seq 500); do [ -e go ] && break; sleep 0.01; done; echo B > f';
  check('echo A > f', [{ observe: read, during: writer }, obs(read), obs(read)]);
});

test('a truncating write keeps the mode, the other names and the type of what it truncates', () => {
  const w = `${PY} -c "open('out', 'w').write('hi')"; echo rc=$?`;
  check('', [...twice(w), chg('chmod 600 out'), ...twice(w), chg('rm out; echo o > out; ln out other'), ...twice(w), obs('cat other'),
    chg('rm -f out other; mkdir out'), ...twice(w), chg('rmdir out; mkdir sub; ln -s sub/t out'), ...twice(w)]);
});

test('mv needs its source, and what it moves is its input', () => {
  check('echo s > a', [obs('mv a b; echo rc=$?'), chg('rm b; echo s > a'), obs('mv a b; echo rc=$?'), chg('rm b'), obs('mv a b; echo rc=$?'),
    chg('echo t > a'), obs('mv a b; echo rc=$?'), obs('cat b')]);
});

test('a program refused for its mode runs once it is executable; rmdir and cd see a symlink standing in', () => {
  check("printf '#!/bin/sh\\necho ran\\n' > prog", [...twice('./prog; echo rc=$?'), chg('chmod +x prog'), ...twice('./prog; echo rc=$?')]);
  check('mkdir d e', [...twice('cd d && /bin/pwd'), chg('rmdir d; ln -s e d'), ...twice('cd d && /bin/pwd')]);
  const rm = `${PY} -c "import os; os.rmdir('d'); os.mkdir('d')"; echo rc=$?`;
  check('mkdir d e', [...twice(rm), chg('rmdir d; ln -s e d'), ...twice(rm)]);
});

test('truncate(2) keeps a prefix of what the file held: not cached', () => {
  const t = `${PY} -c "import os; os.truncate('f', 3)"; cat f`;
  check('echo abcdef > f', [obs(t), chg('echo xyzxyz > f'), obs(t), chg('echo uvwuvw > f'), obs(t)], false);
});

test('a symlink a child went through and a later child re-pointed is not recorded by their parent', () => {
  const run = 'sh -c "cat l/f; sleep 0.01"; ln -sfn d2 l';
  check('mkdir d1 d2; echo one > d1/f; echo two > d2/f; ln -s d1 l', [obs('cat l/f; sleep 0.01'), obs(run), obs(run), obs(run)], false);
});

test('what mv moved keeps its mode, other names and type; a chmod keeps a file\'s other names', () => {
  check('echo X > a', [obs('mv a b'), chg('rm b; echo X > a; chmod 600 a'), obs('mv a b'), chg('rm b; echo X > a; ln a a2'), obs('mv a b'),
    obs('stat -c "%n %h" b a2'), chg('rm -f b a2; echo X > t; ln -s t a'), obs('mv a b')], false);
  const ch = `${PY} -c "import os; os.chmod('f', 0o600)"`;
  check('echo a > f', [obs(ch), chg('chmod 644 f; ln f g'), obs(ch), obs('stat -c "%n %a %h" f g')], false);
});

test('a truncating create over what the recording left: a read-only file or a directory never matches', () => {
  const w = `${PY} -c "import os; open('out', 'w').write('hi'); os.unlink('out'); os.mkdir('out')"; echo rc=$?`;
  check('mkdir sub', [obs(w), chg('rmdir out; ln -s sub/t out'), obs(w), obs('cat sub/t')], false);
});

test('an append or a chmod to a file with a second name changes both: never replayed as a link to itself (hunt 37)', () => {
  for (const w of ['sh -c "echo more >> f"', 'chmod 600 f']) {
    const step = `${w}; cat v g; stat -c %a g`;
    check('echo base > f; ln f g; echo 1 > v', [obs(step), chg('echo base > f; chmod 644 f; echo 2 > v'), obs(step)], false);
  }
});

test('a file changed in place through one of its names, which is then removed or replaced, is never recorded (hunt 38)', () => {
  // o/f is g: the change reaches o/f, which no entry names; a replay of rm alone would leave o/f as it was
  for (const w of ['echo new > g; rm g', 'chmod 600 g; rm g', 'echo new > g; echo x > t; mv t g', 'sh -c "echo new > g"; rm g']) {
    const step = `bash -c '${w}'; stat -c '%a %h' o/f; cat o/f`;
    check('mkdir o; echo base > o/f; ln o/f g', [obs(step), chg('rm -f g t; echo base > o/f; chmod 644 o/f; ln o/f g'), obs(step)], false);
  }
});

test('a change through one name of a file whose other name it read or linked from: both names end changed (hunt 42)', () => {
  // the entry restores g as a link to o/f (or h to t): o/f must end with what g was left with
  const reset = 'rm -f g h; printf fresh > o/f; printf fresh > t; chmod 644 o/f t; ln o/f g; touch -d "-1 min" o/f t o .';
  for (const w of ['cat o/f; echo x >> g', 'cat o/f > /dev/null; chmod 600 g', 'ln t h; chmod 600 h', `ln t h; ${PY} -c "open('h', 'r+').write('XY')"`]) {
    const step = `bash -c '${w.replace(/'/g, "'\\''")}'; stat -c '%a %h' o/f g t; cat o/f t`;
    check(`mkdir o; ${reset}`, [obs(step), chg(reset), obs(step), chg(reset), obs(step)]);
  }
});

test('a link restored is the file the name linked to holds now: its mode and bytes since are kept (hunt 47)', () => {
  // ln reads neither: a replay that wrote the recorded state back undid a chmod, or a shell's
  // appends through the earlier link of a loop
  check('echo one > a', [obs('ln -f a b; stat -c "%a %h" a b'), chg('rm -f b; chmod 600 a'), obs('ln -f a b; stat -c "%a %h" a b'), obs(`${PY} -c "import os; os.link('a', 'c')"; stat -c %a c`), chg('rm -f c; chmod 640 a'), obs(`${PY} -c "import os; os.link('a', 'c')"; stat -c %a c`)]);
  const loop = 'for f in a b; do ln -f src/$f dst/$f; echo more >> dst/$f; done; cat src/*';
  check('mkdir src dst; echo one > src/a; echo two > src/b', [obs(loop), chg('rm -rf dst; mkdir dst'), obs(loop), chg('rm -rf dst; mkdir dst'), obs(loop)], false);
});

test('a file the run left setuid or setgid is not reused where a restore may not set the bit (as root, hunt 42)', () => {
  const reset = 'rm -f x y';
  for (const w of ['cp t x; chmod 4755 x', 'cp t x; chmod 2755 x', 'install -m 4755 t y']) {
    const step = `bash -c '${w}'; stat -c %a x y 2>&1`;
    check('printf fresh > t', [obs(step), chg(reset), obs(step), chg(reset), obs(step)], false);
  }
});

test('a name with other names removed or replaced and made again with the very same bytes ends with one name (hunt 39)', () => {
  // o/f is g and holds "fresh": the run leaves a new g, o/f alone; a replay that set g's mode in place kept them linked
  const reset = 'rm -f g t; echo fresh > o/f; chmod 644 o/f; ln o/f g';
  for (const w of ['rm g; echo fresh > g', 'echo fresh > t; mv t g', `${PY} -c "import os; os.unlink('g'); open('g', 'w').write('fresh\\n')"`]) {
    const step = `bash -c '${w.replace(/'/g, "'\\''")}'; stat -c '%h' o/f g; echo more >> g; cat o/f`;
    check(`mkdir o; ${reset}`, [obs(step), chg(reset), obs(step), chg(reset), obs(step)]);
  }
});

test('a change in place seen at the call, not later: a truncating open or chmod, then the name replaced, in one process (hunt 39)', () => {
  const reset = 'rm -f g t; echo fresh > o/f; chmod 644 o/f; ln o/f g';
  for (const code of ["open('g', 'w').write('new'); open('t', 'w').write('fresh'); os.rename('t', 'g')", "os.chmod('g', 0o600); os.unlink('g'); open('g', 'w').write('fresh')"]) {
    const step = `${PY} -c "import os; ${code}"; stat -c '%a %h' o/f g; cat o/f`;
    check(`mkdir o; ${reset}`, [obs(step), chg(reset), obs(step), chg(reset), obs(step)], false);
  }
  // a temporary file with one name, changed in place and renamed: recorded, not refused
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(join(dir, 'f'), 'hi\n');
  const r = runMemo([PY, '-c', "import shutil, os; shutil.copy('f', 'tmp'); os.chmod('tmp', 0o755); os.replace('tmp', 'out')"], { cwd: dir, store });
  assert.equal(r.stats.executions.map((e) => e.status), ['miss'], JSON.stringify(r.stats.executions));
});

test('a reused writer\'s output held for a fork that runs no program: the fork\'s FIONREAD sees it (hunt 37)', () => {
  // the parent misses on v; cat is reused, and its fork reader never execs or reads fd 0
  const top = [
    'import os, time, fcntl, termios, struct',
    'r, w = os.pipe()',
    'if os.fork() == 0:',
    '    time.sleep(0.05); os.dup2(w, 1); os.close(r); os.close(w); os.execv("/bin/cat", ["cat", "data"])',
    'os.close(w)',
    'c = os.fork()',
    'if c == 0:',
    '    t = time.time()',
    '    while time.time() - t < 0.15: pass',
    '    print("fionread", struct.unpack("i", fcntl.ioctl(r, termios.FIONREAD, bytes(4)))[0], flush=True)',
    '    os._exit(0)',
    'os.close(r)',
    'os.wait(); os.wait()',
    'print(open("v").read().strip())',
  ].join('\n');
  const setup = `printf '%s\\n' '${top.split('\n').join("' '")}' > top.py; echo hello > data; echo 1 > v`;
  check(setup, [obs(`${PY} top.py`), chg('echo 2 > v'), obs(`${PY} top.py`), chg('echo 3 > v'), obs(`${PY} top.py`)]);
});

/** How many executions of a program (by file name) an observation's row says had status. */
function count(r: TwinResult, step: number, name: string, status: string): number {
  return (r.statuses[step] ?? []).filter((x) => x.startsWith(`${name}:${status}`)).length;
}

/** Whether an observation reused name's result: its own entry, or the whole command's (the root, sh, a hit). */
function reused(r: TwinResult, step: number, name: string): boolean {
  return count(r, step, name, 'hit') > 0 || (r.statuses[step]?.[0] ?? '').startsWith('sh:hit');
}

function checked(setup: string, steps: TwinStep[]): TwinResult {
  const r = twins(setup, steps);
  assert.is(r.mismatch, null, r.mismatch ?? '');
  return r;
}

// Read, then changed by the same subtree (issue 10, item 6): the state first seen is the input
test("mv onto a file it stat'ed (automake's mv -f .deps/x.Tpo .deps/x.Po) is reused, and runs again for another source", () => {
  const mv = 'cp dep x.Tpo; mv -f x.Tpo x.Po; cat x.Po';
  const r = checked('echo old > x.Po; echo dep > dep', [obs(mv), obs(mv), obs(mv), chg('echo other > dep'), obs(mv)]);
  assert.ok(reused(r, 2, 'mv'), JSON.stringify(r.statuses));
  assert.is(count(r, 3, 'mv', 'miss'), 1, JSON.stringify(r.statuses));
});

test('rm -rf of a directory it listed is reused while the directory holds the same names', () => {
  const tree = 'mkdir -p d/e; echo 1 > d/a; echo 2 > d/e/b';
  const rm = 'rm -rf d; echo rc=$?; ls';
  const r = checked(tree, [obs(rm), chg(tree), obs(rm), chg(`${tree}; echo 3 > d/e/c`), obs(rm)]);
  assert.ok(reused(r, 1, 'rm'), JSON.stringify(r.statuses));
  assert.is(count(r, 2, 'rm', 'miss'), 1, JSON.stringify(r.statuses));
});

test('a script that rewrites the header it read is reused, and runs again with a changed header', () => {
  const script = 'if grep -q "A 1" h.h; then cp h2 h.h; fi; cat h.h';
  const r = checked('echo "#define A 1" > h.h; echo "#define A 2" > h2', [obs(script), chg('echo "#define A 1" > h.h'), obs(script),
    chg('echo "#define A 3" > h.h'), obs(script), chg('echo "#define A 1" > h.h'), obs(script)]);
  assert.is(count(r, 1, 'sh', 'hit'), 1, JSON.stringify(r.statuses)); // the whole script: grep's read then cp's rewrite
  assert.is(count(r, 2, 'grep', 'miss'), 1, JSON.stringify(r.statuses));
  assert.is(count(r, 3, 'sh', 'hit'), 1, JSON.stringify(r.statuses));
});

test('sed -i gives the untraced result (not reused: fchown is not modelled, and sed changes the file before its read can be hashed)', () => {
  check('echo a > f', [obs('sed -i s/a/b/ f; cat f'), chg('echo a > f'), obs('sed -i s/a/b/ f; cat f')], false);
});

// An input the parent changes right after the child ended (issue 10, item 7)
test("configure's pattern: conftest.c written, compiled, rewritten at once and compiled again; each compile is reused", () => {
  const conf = 'cp c1 conftest.c; gcc -c conftest.c && mv conftest.o one.o; cp c2 conftest.c; gcc -c conftest.c && mv conftest.o two.o; rm -f conftest.c; ls';
  const r = checked('printf "int a;\\n" > c1; printf "int b;\\n" > c2', [obs(conf), chg('rm -f one.o two.o'), obs(conf),
    chg('rm -f one.o two.o; printf "int c;\\n" > c2'), obs(conf)]);
  assert.is(count(r, 0, 'gcc', 'miss'), 2, JSON.stringify(r.statuses)); // recorded, not "changed by its parent after it ended"
  assert.ok(reused(r, 1, 'gcc'), JSON.stringify(r.statuses));
  assert.is(count(r, 2, 'gcc', 'hit'), 1, JSON.stringify(r.statuses)); // the first compile, same conftest.c
  assert.is(count(r, 2, 'gcc', 'miss'), 1, JSON.stringify(r.statuses)); // the second, another one
});


// Found by the hunts of issue 10 (F4, F5) and on the way to fixing them
test('mv into a directory that now stands at its destination moves into it (its first try, RENAME_NOREPLACE, needed no name there)', () => {
  const mv = 'mv d/b d/c; echo rc=$?; find d | sort';
  const r = checked('mkdir -p d/b', [obs(mv), chg('rm -rf d; mkdir -p d/b'), obs(mv), chg('rm -rf d; mkdir -p d/b d/c'), obs(mv)]);
  assert.ok(reused(r, 1, 'mv'), JSON.stringify(r.statuses));
  assert.not.ok(reused(r, 2, 'mv'), JSON.stringify(r.statuses));
});

test('a restore that would fail half-way is no hit: mv of a directory that now holds files', () => {
  const mv = 'mv d/b d/c; echo rc=$?; find d | sort';
  const r = checked('mkdir -p d/b', [obs(mv), chg('rm -rf d; mkdir -p d/b; echo x > d/b/f'), obs(mv), chg('rm -rf d; mkdir -p d/b; echo x > d/b/f'), obs(mv)]);
  assert.not.ok(reused(r, 1, 'mv'), JSON.stringify(r.statuses));
});

test('a file renamed while a shell writes into it through an fd: the shell is reused whole, and mv is not reused under it', () => {
  const script = 'exec >log; echo a; mv log log2; echo b; cat ch';
  const run = `rm -f log2; sh -c '${script}'; cat log2`;
  const r = checked('echo 1 > ch', [obs(run), obs(run), chg('echo 2 > ch'), obs(run)]);
  assert.ok(r.statuses[1]!.some((x) => x.startsWith('sh:hit')), JSON.stringify(r.statuses));
  assert.not.ok(reused(r, 2, 'mv'), JSON.stringify(r.statuses));
});

test("extended attributes are inputs: getfacl and ls -l's \"+\" see setfacl, python's listxattr sees setxattr (F3)", () => {
  const acl = 'getfacl -c a; ls -l a | cut -c1-11';
  const r = checked('touch a', [obs(acl), obs(acl), chg('setfacl -m u:nobody:r a'), obs(acl), obs(acl), chg('setfacl -b a'), obs(acl)]);
  assert.ok(r.statuses[1]!.some((x) => x.startsWith('sh:hit')), JSON.stringify(r.statuses));
  assert.not.ok(r.statuses[2]!.some((x) => x.includes(':hit')), JSON.stringify(r.statuses));
  const py = `${PY} -c "import os; print(sorted(os.listxattr('a')), [os.getxattr('a', n) for n in sorted(os.listxattr('a'))])"`;
  check('touch a', [obs(py), obs(py), chg(`${PY} -c "import os; os.setxattr('a', 'user.k', b'v1')"`), obs(py), obs(py),
    chg(`${PY} -c "import os; os.setxattr('a', 'user.k', b'v2')"`), obs(py)]);
});

// Found by the hunt on this session's renames and xattrs (helper-17)
test('a plain rename depends on what stood at its destination: an empty directory fails it, a full one fails it otherwise', () => {
  const mv = `${PY} -c "import os\ntry: os.rename('a', 'b')\nexcept OSError as e: print(e.errno)"; ls -F`;
  check('echo A > a', [obs(mv), chg('rm -rf b; echo A > a'), obs(mv), chg('rm -rf b; echo A > a; mkdir b'), obs(mv), chg('rm -rf b; echo A > a; echo B > b'), obs(mv)]);
  check('mkdir a b; touch b/x', [obs(mv), obs(mv), chg('rm -rf b; echo f > b'), obs(mv)], false);
});

test('a hard link restored where it already stands leaves no temporary name behind', () => {
  const w = 'echo new > a; cat b';
  check('echo old > a; ln a b', [obs(w), obs(w), obs('ls -A; stat -c %h a')]);
});

test('a file that was there keeps its ACL and xattrs through a write: a restore, which writes a new file, cannot', () => {
  check('echo old > b; setfacl -m u:nobody:r b', [obs('echo new > b'), chg('echo old > b'), obs('echo new > b; getfacl -c b; ls -l b | cut -c1-11')], false);
  const w = 'echo new > b; cat b';
  check('echo old > b', [obs(w), chg('echo old > b'), obs(w), chg(`echo old > b; ${PY} -c "import os; os.setxattr('b', 'user.z', b'1')"`), obs(w), obs(`${PY} -c "import os; print(os.listxattr('b'))"`)]);
});

test("a new name takes its group from a setgid parent and its ACL from the parent's default ACL: both are inputs", () => {
  const make = 'mkdir d/s; touch d/f; stat -c "%n %G %A" d/s d/f; getfacl -c d/f';
  check('mkdir d', [obs(make), chg('rm -r d/s d/f'), obs(make), chg('rm -r d/s d/f; chgrp nogroup d; chmod g+s d'), obs(make),
    chg('rm -r d/s d/f'), obs(make), chg('rm -r d/s d/f; setfacl -d -m u:nobody:rwx d'), obs(make), chg('rm -r d/s d/f'), obs(make)]);
});

// Found by the second hunt (helper-18)
test('a touch restored is newest now, as the real touch would leave it: make sees a stamp newer than its target (hunt 3, F0)', () => {
  check("printf 'out: stamp\\n\\techo built; touch out\\n' > Makefile", [obs('touch stamp'), chg('rm stamp; sleep 1.1; touch out; sleep 1.1'),
    obs('touch stamp'), obs('make')]);
});

test('a moved file keeps its xattrs: mv of one that has some is not restored', () => {
  const mv = `cat g > /dev/null; cp t0 t; ${PY} -c "import os; os.setxattr('t', 'user.q', b'1')"; mv t dst; ${PY} -c "import os; print(os.listxattr('dst'))"`;
  check('echo 1 > g; echo s > t0', [obs(mv), chg('rm dst; echo 2 > g'), obs(mv), obs(`${PY} -c "import os; print(os.listxattr('dst'))"`)], false);
});

test("a path through its own /proc links (/proc/self/cwd/f, /proc/self/fd/N/f) names the file it leads to, read and written", () => {
  // resolved in processcache's own process, these named other files: stale, and a crash on the write
  const script = `cd sub && cat /proc/self/cwd/f && ${PY} -c "import os; fd = os.open('../d', os.O_RDONLY); print(open('/proc/self/fd/%d/g' % fd).read(), end=''); open('/proc/self/fd/%d/out' % fd, 'w').write('x')"`;
  check('mkdir sub d; echo 1 > sub/f; echo 1 > d/g', [...twice(script), chg('echo 2 > sub/f'), ...twice(script), chg('echo 3 > d/g; rm d/out'), ...twice(script)]);
});

test('a setting read in its own /proc entry, inherited from the caller (oom_score_adj), is keyed', () => {
  const store = scratch('pc-store-');
  const stats = join(scratch(), 'stats.json');
  const run = (adj: string): string => spawnSync('/bin/sh', ['-c', `echo ${adj} > /proc/self/oom_score_adj && exec "$@"`, 'sh',
    CLI, 'run', '--quiet', '--store', store, '--stats-json', stats, '--', 'cat', '/proc/self/oom_score_adj'], { encoding: 'utf8', timeout: 60_000 }).stdout;
  assert.is(run('100'), '100\n');
  assert.is(run('100'), '100\n');
  assert.match(readFileSync(stats, 'utf8'), /"status":\s*"hit"/, 'the same setting must hit');
  assert.is(run('200'), '200\n', 'the caller\'s old setting was replayed');
});

test('which file its stdout is (readlink /proc/self/fd/1) is not replayed into another file', () => {
  const store = scratch('pc-store-');
  const dir = scratch();
  for (const name of ['out1', 'plain2']) {
    const fd = openSync(join(dir, name), 'w');
    spawnSync(CLI, ['run', '--quiet', '--store', store, '--', 'readlink', '/proc/self/fd/1'], { cwd: dir, stdio: ['ignore', fd, 'pipe'], timeout: 60_000 });
    closeSync(fd);
    assert.is(readFileSync(join(dir, name), 'utf8'), `${join(dir, name)}\n`);
  }
});

test('how it is scheduled (nice) and what root may do (capabilities), both inherited, are keyed', () => {
  const nice = `nice -n "$(cat v)" ${PY} -c "import os; print(os.nice(0))"`;
  check('echo 1 > v', [...twice(nice), chg('echo 2 > v'), ...twice(nice)]);
  if (process.getuid?.() !== 0) return; // only root reads a mode-000 file, and drops what lets it
  const read = 'if [ "$(cat v)" = drop ]; then exec setpriv --bounding-set=-dac_override,-dac_read_search cat s; else exec cat s; fi';
  check('echo secret > s; chmod 000 s; echo keep > v', [...twice(read), chg('echo drop > v'), ...twice(read)]);
});

test("a directory's mtime made by the subtree itself, stat'ed by a program that keys mtimes (python), is no input", () => {
  // the script empties out/ and fills it again: what python sees of . is this run's own instant
  const script = `rm -rf out && mkdir out && cp in out/x && ${PY} -c "import os; os.stat('.'); print(open('out/x').read(), end='')"`;
  const r = twins('echo a > in', [...twice(script), chg('sleep 0.02; touch .'), obs(script), chg('echo b > in'), obs(script)]);
  assert.is(r.mismatch, null, r.mismatch ?? '');
  assert.match(r.statuses[2]![0]!, /^sh:hit/, `a touch of . before the run made no difference: ${JSON.stringify(r.statuses)}`);
});

test('what survives its exec: a signal left pending, an alarm armed, a seccomp filter set by the program before', () => {
  // the first program chooses from a file; the one it execs (the same every run) may hit
  const exec = (first: string, then: string): string => `${PY} -c "import os, signal, ctypes
${first}
os.execv('${PY}', ['${PY}', '-c', '''${then}'''])"`;
  const pending = exec("signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})\nif open('v').read().strip() == '1': signal.raise_signal(signal.SIGUSR1)",
    'import signal, time; time.sleep(0.01); g = []; signal.signal(signal.SIGUSR1, lambda *a: g.append(1)); signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1}); print(g)');
  check('echo 1 > v', [...twice(pending), chg('echo 0 > v'), ...twice(pending)], false);
  const alarm = exec("signal.alarm(int(open('v').read()))", 'import signal, time; time.sleep(0.01); print(signal.alarm(0))');
  check('echo 50 > v', [...twice(alarm), chg('echo 90 > v'), ...twice(alarm)], false);
  // PR_SET_SECCOMP with a filter that fails uname (63 on x86_64, 160 on aarch64) with EPERM
  const filter = exec([
    'import struct, platform',
    "if open('v').read().strip() == 'deny':",
    "    nr = 63 if platform.machine() == 'x86_64' else 160",
    "    prog = b''.join(struct.pack('HBBI', *i) for i in [(0x20, 0, 0, 0), (0x15, 0, 1, nr), (0x06, 0, 0, 0x50001), (0x06, 0, 0, 0x7fff0000)])",
    '    buf = ctypes.create_string_buffer(prog)',
    "    fprog = struct.pack('HxxxxxxQ', 4, ctypes.addressof(buf))",
    '    libc = ctypes.CDLL(None, use_errno=True)',
    // root needs no no_new_privs (keyed: it would make the exec'd program miss on its own)
    '    if os.getuid() != 0: libc.prctl(38, 1, 0, 0, 0)',
    '    assert libc.prctl(22, 2, ctypes.c_char_p(fprog), 0, 0) == 0, ctypes.get_errno()',
  ].join('\n'), 'import os, time; time.sleep(0.01)\ntry: print(os.uname().sysname)\nexcept OSError as e: print(e.errno)');
  check('echo deny > v', [...twice(filter), chg('echo allow > v'), ...twice(filter)], false);
});

test('clock and no-op cases of mtimes: a rename onto itself changes no directory, a file in the future when looked at, a setting kept by exec', () => {
  // a rename of a name onto itself is no change: D, dated in the future, is no mtime of the run's
  const self = `${PY} -c "import os; os.rename('D/a', 'D/a'); print(os.stat('D').st_mtime_ns)"`;
  check("mkdir D; echo a > D/a; touch -d '2030-01-01 00:00' D", [...twice(self), chg("touch -d '2031-01-01 00:00' D"), ...twice(self)]);
  // timer slack set by prctl, read back by the program it execs with prctl
  const slack = `${PY} -c "import ctypes, os
ctypes.CDLL(None).prctl(29, int(open('v').read()), 0, 0, 0)
os.execv('${PY}', ['${PY}', '-c', 'import ctypes, time; time.sleep(0.01); print(ctypes.CDLL(None).prctl(30, 0, 0, 0, 0))'])"`;
  check('echo 50000 > v', [...twice(slack), chg('echo 90000 > v'), ...twice(slack)], false);
});

test('a file in the future when the shell compared it, in the past by the end of the run, is not replayed as in the future', () => {
  // no twins: the answer depends on when it runs, and an untraced twin would run later
  const store = scratch('pc-store-');
  const dir = scratch();
  const before = new Date(Date.now() - 30_000);
  writeFileSync(join(dir, 'in'), 'x\n');
  utimesSync(join(dir, 'in'), new Date(Date.now() + 2000), new Date(Date.now() + 2000));
  utimesSync(dir, before, before);
  const stamp = ['sh', '-c', 'touch stamp; if [ in -nt stamp ]; then echo future; else echo past; fi; sleep 2.5'];
  assert.is(runMemo(stamp, { cwd: dir, store }).stdout, 'future\n');
  // back as before the run, but for the clock
  rmSync(join(dir, 'stamp'));
  utimesSync(dir, before, before);
  assert.is(runMemo(stamp, { cwd: dir, store }).stdout, 'past\n', 'the first run\'s answer was replayed once the clock had passed the file');
});

test('a program exec\'d from a thread: reused, its output and offsets are replayed; its /proc paths through a thread are not taken as its own', () => {
  // the thread that execs is not its process's leader until the exec is done (pidfd_open refuses it)
  const viaThread = `exec 3< data; ${PY} -c "import os, threading
open('v').read()
threading.Thread(target=lambda: os.execv('${PY}', ['${PY}', '-c', 'import os, time; time.sleep(0.01); os.read(3, 4); print(\\\\'hello\\\\')'])).start()
threading.Event().wait()"; head -c 4 <&3; echo`;
  check('echo 1 > v; echo abcdefgh > data', [...twice(viaThread), chg('echo 2 > v'), ...twice(viaThread)]);
  const cwdOfPid = `${PY} -c "import os, threading
def look(): print(open('/proc/%d/cwd/f' % os.getpid()).read(), end='')
t = threading.Thread(target=look); t.start(); t.join()"`;
  check('echo one > f', [...twice(cwdOfPid), chg('echo two > f'), ...twice(cwdOfPid)], false);
});

test('a replay leaves the directories it changed in their recorded order against its files', () => {
  // mk.py writes g, then makes D/x: D ends newer than g, and must after a replay of mk.py too
  const script = `rm -rf D/x g; cat v > /dev/null; ${PY} mk.py; if [ D -nt g ]; then echo D newer; else echo g newer; fi`;
  check(`mkdir D; echo 1 > v; printf '%s\\n' "import os, time" "open('g', 'w').write('g')" "time.sleep(0.02)" "os.mkdir('D/x')" > mk.py`,
    [obs(script), chg('echo 2 > v'), obs(script), chg('echo 3 > v'), obs(script)]);
});


test('what stdin was is keyed where a program read it: /dev/null, a closed fd, a pipe still being written (hunt 50)', () => {
  const wc = 'if [ -f p ]; then (sleep 0.3; echo data) | wc -c; elif [ -f c ]; then exec <&-; wc -c; echo rc=$?; else wc -c < /dev/null; fi';
  const r = checked('', [obs(wc), obs(wc), chg('touch p'), obs(wc), chg('rm p; touch c'), obs(wc), obs(wc), chg('rm c'), obs(wc)]);
  const rows = JSON.stringify(r.statuses);
  assert.ok(reused(r, 1, 'wc'), rows); // /dev/null again
  assert.is(count(r, 2, 'wc', 'hit'), 0, rows); // a pipe: not what /dev/null gave
  assert.is(count(r, 3, 'wc', 'hit'), 0, rows); // closed: EBADF, not an end
  assert.ok(reused(r, 4, 'wc'), rows); // closed again
  assert.ok(reused(r, 5, 'wc'), rows); // /dev/null: the first entry
  // closed, and never read: cat fails at its fstat of fd 0 (hunt 52)
  check('', [obs('if [ -f c ]; then exec <&-; fi; sh -c cat; echo rc=$?'), chg('touch c'), obs('if [ -f c ]; then exec <&-; fi; sh -c cat; echo rc=$?'),
    obs('if [ -f c ]; then exec <&-; fi; sh -c cat; echo rc=$?'), chg('rm c'), obs('if [ -f c ]; then exec <&-; fi; sh -c cat; echo rc=$?')], false);
});

// Hunt 50: one file under several names. A change reaches the engine by the name the program
// spelled; what the run remembered under another name (a symlink to it, a hard link, a directory
// renamed or symlinked on the way) must not outlive it
test('a change through another name of a file is seen by a later lookup: a symlink, a hard link, a renamed directory (hunt 50)', () => {
  check('echo a > in; echo o > other', [obs('cp in dst; cat other'), chg('rm dst; ln -s other dst'), obs('cp in dst; cat other')], false);
  check('echo o > a; ln a b', [obs('stat -c %s a; echo more >> b; stat -c %s a'), obs('stat -c %s a; echo more >> b; stat -c %s a')]);
  check('echo x > a; ln a b', [obs('stat -c %h a; if [ -f flag ]; then rm b; fi; stat -c %h a'), chg('touch flag'), obs('stat -c %h a; if [ -f flag ]; then rm b; fi; stat -c %h a')]);
  check('mkdir d; echo one > d/f', [obs('cat e/f; if [ -f flag ]; then mv d e; fi; cat e/f'), chg('touch flag'), obs('cat e/f; if [ -f flag ]; then mv d e; fi; cat e/f')], false);
  check('mkdir a; echo A > a/f', [obs('cat l/f; if [ -f flag ]; then ln -s a l; fi; cat l/f'), chg('touch flag'), obs('cat l/f; if [ -f flag ]; then ln -s a l; fi; cat l/f')], false);
});

test('an fd 1 or 2 that closes on exec is closed for the program: no replay of its output there (hunt 50)', () => {
  const run = (fd: number): string => `${PY} -c "
import os
if os.path.exists('flag'): os.set_inheritable(${fd}, False)
os.execv('/bin/cat', ['cat', 'in', 'nonexist'])
"; echo rc=$?`;
  for (const fd of [1, 2]) check('echo hi > in', [obs(run(fd)), obs(run(fd)), chg('touch flag'), obs(run(fd))]);
});

test("a script's #! interpreter is run as a program: the symlinks to it and its execute bit are inputs (hunt 50)", () => {
  // a relative interpreter: the kernel takes it from the cwd (the twins' directories differ)
  const linked = 'mkdir bin; ln -s /bin/dash bin/sh; printf "#!bin/sh\\necho \\"hi \\$BASH_VERSION\\"\\n" > s; chmod +x s';
  check(linked, [obs('./s; echo rc=$?'), obs('./s; echo rc=$?'), chg('ln -sfn /bin/bash bin/sh'), obs('./s; echo rc=$?')]);
  const own = 'cp /bin/dash myinterp; printf "#!./myinterp\\necho hi\\n" > s; chmod +x s';
  check(own, [obs('./s; echo rc=$?'), obs('./s; echo rc=$?'), chg('chmod -x myinterp'), obs('./s; echo rc=$?')]);
  // an interpreter that is a script itself: the kernel follows the chain (hunt 52)
  const nested = `${linked.replace('> s', '> mid').replace('chmod +x s', 'chmod +x mid')}; printf "#!mid\\n" > s; chmod +x s`;
  check(nested, [obs('./s; echo rc=$?'), obs('./s; echo rc=$?'), chg('ln -sfn /bin/bash bin/sh'), obs('./s; echo rc=$?')]);
});

test("a program's dynamic loader (its ELF interpreter) is run as a program: removed or not executable (hunt 52)", () => {
  const setup = 'cp /lib64/ld-linux-x86-64.so.2 myld.so 2>/dev/null || cp /lib/ld-linux-aarch64.so.1 myld.so; chmod 755 myld.so; ' +
    'printf "#include <stdio.h>\\nint main(void) { puts(\\"hi\\"); return 0; }\\n" > p.c; gcc -o prog -Wl,--dynamic-linker=myld.so p.c; rm p.c';
  const run = './prog; echo rc=$?';
  check(setup, [obs(run), obs(run), chg('chmod -x myld.so'), obs(run), chg('chmod +x myld.so'), obs(run), chg('rm myld.so'), obs(run)]);
});

test('a program\'s file capabilities are an input: setcap cap_dac_override on a reader (hunt 50)', () => {
  const user = 'setpriv --reuid=65534 --regid=65534 --clear-groups';
  const setup = 'cp /bin/cat mycat; chmod 755 mycat; echo s > secret; chmod 600 secret; chmod 755 .';
  const read = `${user} ./mycat secret; echo rc=$?`;
  check(setup, [obs(read), obs(read), chg('setcap cap_dac_override+ep mycat'), obs(read), obs(read), chg('setcap -r mycat'), obs(read)]);
});

test('a change the run makes under another name, or through an fd opened under one, is seen by later lookups (hunt 54)', () => {
  // a directory renamed below a symlinked directory's target replaces the program remembered by the link's name
  const swap = (run: string): string => `${run} 'x%sy' z; if [ -f flag ]; then mv e/a/b e/a/b_old; mv e/a/b2 e/a/b; fi; ${run} 'x%sy' z`;
  const tree = 'mkdir -p e/a/b e/a/b2; cp /bin/echo e/a/b/p; cp /usr/bin/printf e/a/b2/p';
  for (const [link, run] of [['ln -s e d', './d/a/b/p'], ['ln -s e/a/b/p l', './l']] as const) {
    check(`${tree}; ${link}`, [obs(swap(run)), obs(swap(run)), chg('touch flag'), obs(swap(run))]);
  }
  // a file opened for writing through a symlink or through the process's own fd by path, written later
  const writes = (open: string): string => `exec 3<f; cat f 4>&-; if [ -f flag ]; then exec 4>>${open}; cat f 4>&-; echo more >&4; fi; cat f 4>&-`;
  for (const open of ['l', '/dev/fd/3']) check('echo old > f; ln -s f l', [obs(writes(open)), obs(writes(open)), chg('touch flag'), obs(writes(open))]);
  // a file open for writing whose directory is renamed
  const moved = 'exec 4>>d/f; mv d e; cat e/f 4>&-; echo more >&4; cat e/f 4>&-';
  check('mkdir d; echo old > d/f', [obs(moved), chg('rm -r e; mkdir d; echo old > d/f'), obs(moved)], false);
});

test('a closed stdin is in every key: the first file a program opens is its fd 0 then (hunt 54)', () => {
  const setup = 'echo hi > f; printf \'#include <fcntl.h>\\n#include <stdio.h>\\nint main(void) { printf("fd=%%d\\\\n", open("f", O_RDONLY)); return 0; }\\n\' > fdnum.c; gcc -o fdnum fdnum.c';
  check(setup, [obs('./fdnum < /dev/null'), obs('./fdnum < /dev/null'), obs('./fdnum <&-'), obs('./fdnum <&-')]);
});

test('a symlink to the process\'s own fd, opened for writing, leaves nothing remembered (hunt 56)', () => {
  const cmd = 'exec 4<f; exec 5>>l; cat f; if [ -f flag ]; then echo new >&5; fi; cat f';
  for (const link of ['/dev/fd/4', '/proc/self/fd/4']) {
    check(`echo old > f; ln -s ${link} l`, [obs(cmd), obs(cmd), chg('touch flag'), obs(cmd)]);
  }
});

test('a parent whose child was a hit records the link count the child saw: it is reused again (hunt 56)', () => {
  // the script differs (`: N`) from the first run to the second: the second records it with its child a hit
  const run = (n: number): string => `: ${n}; ls -l a | cut -c1-12`;
  const r = checked('echo x > a; ln a b', [obs(run(1)), obs(run(2)), obs(run(2))]);
  assert.ok((r.statuses[1] ?? []).some((s) => s.startsWith('ls:hit')), JSON.stringify(r.statuses));
  assert.ok((r.statuses[2]?.[0] ?? '').startsWith('sh:hit'), JSON.stringify(r.statuses));
});

// A process that is not root is let through by permissions: GitHub's runners run steps as a user.
const NOBODY = 'setpriv --reuid=65534 --regid=65534 --clear-groups';

test("a reader that is not root depends on a file's bits, its ACL and its directories' search bits (hunt 50 F7)", () => {
  const setup = 'chmod 755 .; mkdir d; echo s > d/f; echo t > g; chmod 644 d/f g';
  const read = `${NOBODY} cat d/f g; echo rc=$?`;
  check(setup, [
    obs(read), obs(read), chg('chmod 600 g'), obs(read), obs(read), chg('chmod 644 g'), obs(read),
    chg('chmod 700 d'), obs(read), obs(read), chg('chmod 755 d'), obs(read),
    chg('setfacl -m u:nobody:--- g'), obs(read), obs(read), chg('setfacl -b g'), obs(read),
  ]);
});

test('a PATH directory a user cannot search is reused as refused: a lookup as root finds nothing there, the user never looked', () => {
  // recorded as "exists" (EACCES), looked up as absent: a build run as a user with /root/.cargo/bin
  // on its PATH missed everywhere
  const read = `${NOBODY} env PATH="$PWD/priv:$PATH" cat g; echo rc=$?`;
  const r = checked('chmod 755 .; echo t > g; mkdir priv; chmod 700 priv', [obs(read), obs(read), chg('chmod 755 priv'), obs(read), obs(read)]);
  for (const step of [1, 3]) assert.ok((r.statuses[step]?.[0] ?? '').startsWith('sh:hit'), JSON.stringify(r.statuses));
});

test('a listing, a removal and a refused write by a process that is not root depend on the permissions they met', () => {
  const setup = 'chmod 755 .; mkdir d o; touch d/a o/x; chmod 777 o; echo old > w; chmod 666 w';
  const look = `${NOBODY} ls d; echo rc=$?; ${NOBODY} rm -f o/x; echo rc=$?; ${NOBODY} sh -c 'echo new >> w'; echo rc=$?; touch o/x`;
  check(setup, [
    obs(look), obs(look), chg('chmod 700 d'), obs(look), obs(look), chg('chmod 755 d; chmod 755 o'), obs(look), obs(look),
    chg('chmod 777 o; chmod 644 w'), obs(look), obs(look), chg('chmod 666 w'), obs(look),
  ]);
});

test('files a program run as another user made are not restored as processcache\'s: that user could not write them again', () => {
  // recorded as root's run of `setpriv ... mkdir t`, a restore made t root's, and nobody's
  // `echo a > t/f` then failed: ls printed nothing
  const make = `${NOBODY} sh -c 'rm -rf t; mkdir t; echo a > t/f; ls t'`;
  const r = checked('chown nobody .', [obs(make), obs(make), obs(make)]);
  assert.ok(r.statuses.every((row) => row.some((x) => x.startsWith('mkdir:uncacheable') && x.includes('is owned by 65534:65534'))), JSON.stringify(r.statuses));
});

interface UserRun { status: number | null; stdout: string; root: string }

/** `sh -c script` under processcache run as nobody itself, as on a runner: the root's status and reason. */
function runAsUser(dir: string, store: string, script: string, env: NodeJS.ProcessEnv = {}): UserRun {
  const stats = join(dir, 'stats.json');
  const r = spawnSync('setpriv', [...NOBODY.split(' ').slice(1), process.execPath, CLI, 'run', '--store', store, '--stats-json', stats, '--', 'sh', '-c', script],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, PROCESSCACHE_SUDO: '0', ...env } });
  const rows = (JSON.parse(readFileSync(stats, 'utf8')) as { executions: { status: string; reason?: string }[] }).executions;
  return { status: r.status, stdout: r.stdout, root: `${rows[0]!.status} ${rows[0]!.reason ?? ''}` };
}

test('a user run (processcache as the user, a PATH directory it cannot search) that removes a tree it listed and makes it again is reused', () => {
  // processcache itself runs as the user, as on a runner: what it restores is the user's
  const dir = scratch();
  const store = scratch('pc-store-');
  chmodSync(dir, 0o777);
  chmodSync(store, 0o777);
  // and a directory on PATH the user cannot search, as /root/.cargo/bin is (an unparsable value
  // recorded for the refused exec there made every lookup above it miss)
  mkdirSync(join(dir, 'priv'), { mode: 0o700 });
  const script = 'env rm -rf t; env mkdir t; echo a > t/f; env ls -l t | tail -n 1 | cut -c1-10';
  const run = (): UserRun => runAsUser(dir, store, script, { PATH: `${join(dir, 'priv')}:${process.env.PATH ?? ''}` });
  const runs = [run(), run(), run()];
  for (const r of runs) assert.equal([r.status, r.stdout], [0, '-rw-r--r--\n'], JSON.stringify(runs));
  assert.is(runs[2]!.root.trim(), 'hit', JSON.stringify(runs));
});

test("hunt 58: a utime keeps the mode, an owner's change and access(2) are let through by permissions, the real uid counts", () => {
  const touch = (who: string): string => `${who} touch -c f; echo rc=$?`;
  // the restore's chmod in place put back the mode recorded, as root too
  check('echo hi > f; chmod 666 f', [obs(touch('')), obs(touch('')), chg('chmod 600 f'), obs(touch(''))]);
  check('chmod 755 .; echo hi > f; chmod 666 f', [obs(touch(NOBODY)), obs(touch(NOBODY)), chg('chmod 644 f'), obs(touch(NOBODY))]);
  // access(2) answers by an ACL the bits do not show
  const writable = `${NOBODY} bash -c '[ -w f ] && echo W || echo noW'`;
  check('chmod 755 .; echo hi > f; chmod 664 f', [obs(writable), obs(writable), chg('setfacl -m u:nobody:rw f'), obs(writable)]);
  // and by the real uid: a root euid with a user's ruid is not privileged there
  const access = `setpriv --ruid=65534 --rgid=65534 --clear-groups ${PY} -c 'import os; print(os.access("d/f", os.R_OK))'`;
  check('chmod 755 .; mkdir d; echo hi > d/f; chmod 700 d', [obs(access), obs(access), chg('chmod 755 d'), obs(access)]);
  // chmod needs the owner, or CAP_FOWNER, which root may lack
  const chmod = `setpriv --inh-caps=-all --bounding-set=-fowner ${PY} -c 'import os; os.chmod("f", 0o600); print(1)'`;
  check('echo hi > f', [obs(`chmod 644 f; ${chmod}`), obs(`chmod 644 f; ${chmod}`), chg('chown nobody f'), obs(`chmod 644 f; ${chmod}`)]);
  // a rename refused in a sticky directory by the destination's owner
  const rename = `${NOBODY} ${PY} -c 'import os; os.rename("t/x", "t/y"); print(1)'`;
  check('chmod 755 .; mkdir t; chmod 1777 t; echo x > t/x; echo y > t/y; chown nobody t/x', [obs(rename), obs(rename), chg('chown nobody t/y'), obs(rename)]);
});

test('hunt 58: permissions and an exec\'s mode read at the recording are not what a later chmod or setfacl left', () => {
  // the subtree's own later chmod -x, a sibling's setfacl -b, a parent's chmod once the reader ended
  check('printf "#!/bin/sh\\necho hi\\n" > s; chmod 755 s', [obs('./s; chmod -x s'), obs('./s; chmod -x s'), obs('./s; chmod -x s')]);
  const acl = `${NOBODY} cat f; setfacl -b f`;
  check('chmod 755 .; echo hi > f; chmod 640 f; setfacl -m u:nobody:r f', [obs(acl), obs(acl), obs(acl)], false);
  const later = `${NOBODY} cat d/f; chmod 700 d`;
  check('chmod 755 .; mkdir d; echo hi > d/f', [obs(later), obs(later), obs(later)]);
});

test('hunt 60: a chmod through a symlink or a hard link after the reader ended, and root in a user namespace', () => {
  // the permissions read at the recording were changed under another name after the reader ended
  check('chmod 755 .; mkdir d; echo hi > d/f; ln -s d L', [obs(`${NOBODY} cat d/f; chmod 700 L`), obs(`${NOBODY} cat d/f; chmod 700 L`), obs(`${NOBODY} cat d/f; chmod 700 L`)]);
  check('printf "#!/bin/sh\\necho hi\\n" > s; chmod 755 s; ln s s2', [obs("bash -c './s'; chmod -x s2"), obs("bash -c './s'; chmod -x s2"), obs("bash -c './s'; chmod -x s2")], false);
  // root in a namespace of its own is checked by the bits for a file whose owner is not mapped
  if (spawnSync('unshare', ['-r', 'true']).status === 0) {
    const read = 'unshare -r cat f; echo rc=$?';
    check('echo hi > f; chown nobody f; chmod 600 f', [obs(read), obs(read), chg('chmod 644 f'), obs(read), obs(read), chg('chmod 600 f'), obs(read)]);
  } else console.log('unshare -r is refused here: the user namespace case is not checked');
});

test("hunt 60: a user's utime that finds nothing, then a link that makes the name, is reused (git's loose objects)", () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  chmodSync(dir, 0o777);
  chmodSync(store, 0o777);
  const script = `rm -f f t; ${PY} -c 'import os
try: os.utime("f")
except OSError as e: print(e.errno)
open("t", "w").write("x"); os.chmod("t", 0o444); os.link("t", "f"); os.unlink("t")'`;
  const runs = [runAsUser(dir, store, script), runAsUser(dir, store, script), runAsUser(dir, store, script)];
  for (const r of runs) assert.equal([r.status, r.stdout], [0, '2\n'], JSON.stringify(runs));
  assert.is(runs[2]!.root.trim(), 'hit', JSON.stringify(runs));
});

test("hunt 75: a file moved, then its mtime compared under its new name: the moved file's mtime is an input", () => {
  // rename keeps the mtime; the test's look at f2 was taken for a look at the subtree's own output
  const reset = (when: string): TwinStep => chg(`rm -rf f f2 d d2; echo x > f; mkdir d; touch -d "${when}" f d`);
  const file = obs("bash -c 'mv f f2; if [ f2 -nt ref ]; then echo newer; else echo older; fi'");
  const dir = obs("bash -c 'mv d d2; if [ d2 -nt ref ]; then echo newer; else echo older; fi'");
  for (const moved of [file, dir]) {
    const r = twins('touch -d "-1 day" ref', [reset('-3 days'), moved, reset('-3 days'), moved, reset('-5 minutes'), moved]);
    assert.is(r.mismatch, null, r.mismatch ?? '');
    assert.ok(/^sh:hit/.test(r.statuses[1]?.[0] ?? ''), `the same mtimes again: ${JSON.stringify(r.statuses)}`);
    assert.not.ok(/^sh:hit/.test(r.statuses[2]?.[0] ?? ''), `f turned newer than ref: ${JSON.stringify(r.statuses)}`);
  }
});

test("hunt 76: a hard link keeps the file's mtime; a moved file's mtime stays keyed when the mv is a hit", () => {
  const reset = (when: string): TwinStep => chg(`rm -f f f2 g; echo x > f; touch -d "${when}" f`);
  const linked = obs("bash -c 'ln f g; if [ g -nt ref ]; then echo newer; else echo older; fi'");
  const l = twins('touch -d "-1 day" ref', [reset('-3 days'), linked, reset('-5 minutes'), linked, reset('-3 days'), linked]);
  assert.is(l.mismatch, null, l.mismatch ?? '');
  // the second run's mv is a hit (its entry keys no mtime) and the bash records its look at f2:
  // the third run, f old again, must not find that record
  const moved = obs("bash -c 'mv f f2; if [ f2 -nt ref ]; then echo newer; else echo older; fi'");
  const m = twins('touch -d "-1 day" ref', [reset('-3 days'), moved, reset('-5 minutes'), moved, reset('-3 days'), moved]);
  assert.is(m.mismatch, null, m.mismatch ?? '');
  // hunt 77: a link renamed into place (ln -f: linkat to a temporary name, then rename), a link
  // moved by another process, a link to a link
  const relinked = (cmd: string): TwinStep => obs(`bash -c '${cmd}; if [ g -nt ref ]; then echo newer; else echo older; fi'`);
  for (const cmd of ['echo old > g; ln -f f g', 'ln f t; mv t g', 'ln f h; ln h g']) {
    const r = twins('touch -d "-1 day" ref', [reset('-3 days'), relinked(cmd), reset('-5 minutes'), relinked(cmd)]);
    assert.is(r.mismatch, null, `${cmd}: ${r.mismatch ?? ''}`);
  }
  // hunt 78: a link to a file it moved in (the rm leaves f2 with one name, as at the start)
  const movedLinked = obs("bash -c 'mv f f2; ln f2 g; if [ g -nt ref ]; then echo newer; else echo older; fi; rm g'");
  const ml = twins('touch -d "-1 day" ref', [reset('-3 days'), movedLinked, reset('-5 minutes'), movedLinked]);
  assert.is(ml.mismatch, null, ml.mismatch ?? '');
  // a file the script made, then moved or linked by a child, is its own: reused
  for (const own of ["bash -c 'cat f > a; mv a b; echo z >> b; cat b'", "bash -c 'cat f > a; ln a b; if [ b -nt ref ]; then echo newer; fi'"]) {
    const r = twins('touch -d "-1 day" ref; echo x > f', [chg('rm -f a b'), obs(own), chg('rm -f a b'), obs(own)]);
    assert.is(r.mismatch, null, r.mismatch ?? '');
    assert.ok(/^sh:hit/.test(r.statuses[1]?.[0] ?? ''), `${own}: ${JSON.stringify(r.statuses)}`);
  }
});

test("hunt 64: touch -h sets a symlink's own times, replayed too; a write through a symlinked directory is recorded despite a later change by that name", () => {
  const dir = scratch();
  const store = scratch('pc-store-');
  writeFileSync(join(dir, 'f'), 'a\n');
  spawnSync('ln', ['-s', 'f', join(dir, 'L')]);
  const old = (): void => {
    spawnSync('touch', ['-d', '2020-01-01', join(dir, 'f')]);
    spawnSync('touch', ['-h', '-d', '2020-01-01', join(dir, 'L')]);
  };
  const years = (): string => spawnSync('sh', ['-c', 'echo $(stat -c %y L | cut -c1-4) $(stat -c %y f | cut -c1-4)'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
  old();
  runMemo(['touch', '-h', 'L'], { cwd: dir, store });
  old();
  const replayed = runMemo(['touch', '-h', 'L'], { cwd: dir, store });
  assert.is(replayed.stats.executions[0]?.status, 'hit');
  assert.is(years(), `${new Date().getUTCFullYear()} 2020`, 'the link is new and its target old, as after a plain run');
  // the snapshot of what cp left is known by the real name too: chmod through the link after it
  // ended withdrew cp's entry
  const tree = scratch();
  spawnSync('sh', ['-c', 'mkdir out && ln -s out build && echo s > a.c'], { cwd: tree });
  const run = runMemo(['sh', '-c', 'cp a.c build/a; chmod 600 build/a'], { cwd: tree, store: scratch('pc-store-') });
  const cp = run.stats.executions.find((e) => e.exe.endsWith('/cp'));
  assert.is(cp?.status, 'miss', JSON.stringify(run.stats.executions));
});

test.run();
