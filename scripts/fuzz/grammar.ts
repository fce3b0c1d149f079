// The stale-replay fuzzer's grammar: the initial tree of both twins, the changes applied to them
// untraced, and the observing commands run cached in one twin and untraced in the other. Every
// row is data (a class name, a weight, a function of the PRNG giving shell text), so a sequence is
// a shell script and a class can be turned off by name.

/** A seeded PRNG (mulberry32): the same seed draws the same sequences on every machine. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T extends { weight: number }>(rows: readonly T[]): T {
    const total = rows.reduce((s, r) => s + r.weight, 0);
    let x = this.next() * total;
    for (const row of rows) {
      x -= row.weight;
      if (x < 0) return row;
    }
    return rows[rows.length - 1]!;
  }
}

/** An observing command; a racer, when set, runs untraced beside it in the same twin every time. */
export interface Observation {
  cls: string;
  sh: string;
  racer?: string;
}

export type Step =
  /** applied untraced, identically, to both twins */
  | { kind: 'change'; cls: string; sh: string }
  /** the observations after it run under this argv prefix (empty: none) */
  | { kind: 'context'; cls: string; argv: string[] }
  /** run cached in one twin, untraced in the other, then compared; `race` is a one-off writer
   * started beside it, which makes its own output timing-dependent: only the trees are compared */
  | { kind: 'observe'; obs: Observation; race?: string };

export interface ObservationRow {
  name: string;
  weight: number;
  make(r: Rng): Observation;
}

export interface ChangeRow {
  name: string;
  weight: number;
  /** a change, a context, or a raced observation (which then joins the sequence's list) */
  make(r: Rng): Step;
}

/** Shell quoting: single quotes, else double quotes where nothing in them is special, else
 * single quotes with '\'' (the reproduction scripts stay readable). */
export function q(s: string): string {
  if (!s.includes("'")) return `'${s}'`;
  if (!/["$`]/.test(s) && !/\\[$`"\\\n]/.test(s)) return `"${s}"`;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A python3 one-liner; its code uses double quotes, so the shell text nests one level only. */
const py = (code: string): string => {
  if (code.includes("'")) throw new Error(`python code for the grammar must use double quotes: ${code}`);
  return `python3 -c '${code}'`;
};

/** The tree both twins start from, at fixed dates. mod.py's matters most: python's .pyc records it
 * in whole seconds, so a real-time mtime would make the twins' __pycache__ differ by when they ran. */
export const INIT = [
  'mkdir -p d/sub real1 real2 out',
  "printf 'alpha\\n' > a.txt",
  "printf 'hello\\n' > in.txt",
  "printf 'one\\n' > d/f1",
  "printf 'two\\n' > d/sub/f2",
  "printf 'real1\\n' > real1/f",
  "printf 'real2\\n' > real2/f",
  'ln -s real1 cur',
  'ln -s real1/w wl',
  'mkfifo q.fifo',
  "printf 'VALUE = 1\\n' > mod.py && touch -d '2021-01-01 00:00:00' mod.py",
  "printf 'out.txt: in.txt\\n\\ttr a-z A-Z < in.txt > out.txt\\n' > Makefile",
  // one date for the whole tree: files written in one clock tick (4 ms) would compare equal in
  // one twin and newer in the other
  "find . ! -name mod.py -exec touch -h -d '2022-02-02 00:00:00' {} +",
].join('\n');

/** Regular files that observations read, and that changes rewrite. */
const FILES = ['a.txt', 'in.txt', 'd/f1', 'real1/f', 'real2/f', 'H'] as const;
/** Paths only stat'ed, listed or probed (never opened), so they may become FIFOs without a hang. */
const STAT_ONLY = ['d/sub/f2', 'd/g'] as const;
/** Same-size contents first: a change that keeps the size (and maybe the mtime) is the hard case. */
const CONTENTS = ['alpha\n', 'bravo\n', 'hello\n', 'HELLO\n', '', 'a longer line of text\n'] as const;
const OLD_DATES = ['2020-01-01 00:00:00', '2020-06-01 12:00:00'] as const;

const write = (f: string, content: string): string => `printf ${q(content.replace(/\n/g, '\\n'))} > ${f}`;

export const CHANGES: ChangeRow[] = [
  { name: 'write', weight: 4, make: (r) => ({ kind: 'change', cls: 'write', sh: write(r.pick(FILES), r.pick(CONTENTS)) }) },
  {
    // the size and the mtime stay: only the content tells
    name: 'write-keep-mtime', weight: 2, make: (r) => {
      const f = r.pick(FILES);
      return { kind: 'change', cls: 'write-keep-mtime', sh: `touch -r ${f} .mt; ${write(f, r.pick(CONTENTS.slice(0, 4)))}; touch -r .mt ${f}; rm -f .mt` };
    },
  },
  { name: 'append', weight: 2, make: (r) => ({ kind: 'change', cls: 'append', sh: `echo more >> ${r.pick(FILES)}` }) },
  { name: 'chmod', weight: 2, make: (r) => ({ kind: 'change', cls: 'chmod', sh: `chmod ${r.pick(['+x', '-x', '600', '644', '000'])} ${r.pick([...FILES, ...STAT_ONLY])}` }) },
  // what lets a user (the uid context) through: a directory's search and read bits, an ACL
  { name: 'chmod-dir', weight: 1, make: (r) => ({ kind: 'change', cls: 'chmod-dir', sh: `chmod ${r.pick(['700', '711', '755', '555'])} ${r.pick(['d', 'd/sub', 'real1', 'out', '.'])}` }) },
  {
    name: 'acl', weight: 1, make: (r) => ({
      kind: 'change', cls: 'acl',
      sh: r.pick([`setfacl -m u:nobody:--- ${r.pick(FILES)}`, `setfacl -m u:nobody:--x ${r.pick(['d', 'real1'])}`, `setfacl -b ${r.pick([...FILES, 'd', 'real1'])}`]),
    }),
  },
  { name: 'touch', weight: 2, make: (r) => ({ kind: 'change', cls: 'touch', sh: `touch ${r.pick([...FILES, 'out.txt'])}` }) },
  { name: 'touch-old', weight: 2, make: (r) => ({ kind: 'change', cls: 'touch-old', sh: `touch -d ${q(r.pick(OLD_DATES))} ${r.pick([...FILES, 'out.txt'])}` }) },
  { name: 'delete', weight: 2, make: (r) => ({ kind: 'change', cls: 'delete', sh: `rm -rf ${r.pick([...FILES, ...STAT_ONLY, 'out.txt', 'log', 'M', 'H2', 'current', 'real1/w', 'real2/w'])}` }) },
  { name: 'retarget', weight: 3, make: (r) => ({ kind: 'change', cls: 'retarget', sh: r.pick(['ln -sfn real2 cur', 'ln -sfn real1 cur', 'ln -sfn real2/w wl', 'ln -sfn real1/w wl', 'ln -sfn nowhere/w wl']) }) },
  { name: 'dangling', weight: 1, make: (r) => ({ kind: 'change', cls: 'dangling', sh: r.pick(['rm -rf cur && ln -s nowhere cur', 'rm -rf M && ln -s nowhere M', 'rm -rf d/g && ln -s ../nowhere d/g', 'rm -rf a.txt && ln -s nowhere a.txt']) }) },
  {
    name: 'swap-type', weight: 2, make: (r) => {
      const f = r.pick([...FILES, ...STAT_ONLY]);
      // a FIFO only where nothing opens it: reading one with no writer waits for ever
      const kinds = (STAT_ONLY as readonly string[]).includes(f)
        ? ['mkdir', 'ln -s ../a.txt', 'mkfifo', 'file']
        : ['mkdir', `ln -s ${f.includes('/') ? '../a.txt' : 'a.txt'}`, 'file'];
      const k = r.pick(kinds);
      const make = k === 'file' ? write(f, 'back\n') : `${k} ${f}`;
      return { kind: 'change', cls: 'swap-type', sh: `rm -rf ${f} && ${make}` };
    },
  },
  { name: 'hardlink', weight: 2, make: (r) => ({ kind: 'change', cls: 'hardlink', sh: `ln -f ${r.pick(['a.txt', 'in.txt', 'real1/f'])} H` }) },
  { name: 'outdir', weight: 2, make: (r) => ({ kind: 'change', cls: 'outdir', sh: r.pick(['rm -rf out', 'mkdir -p out', 'rm -rf out && echo file > out']) }) },
  {
    // python compares a .pyc with the source's mtime (whole seconds) and size: a fixed date makes
    // that check the same in both twins, and the same date again with the same size keeps the stale
    // .pyc in use by python itself, in both twins alike
    name: 'module', weight: 2, make: (r) => ({ kind: 'change', cls: 'module', sh: `printf 'VALUE = ${r.int(1, 3)}\\n' > mod.py && touch -d '2021-01-01 00:00:0${r.int(0, 1)}' mod.py` }),
  },
  { name: 'rlimit', weight: 1, make: (r) => ({ kind: 'context', cls: 'rlimit', argv: ['/bin/sh', '-c', `ulimit -n ${r.pick([64, 100, 200])} && exec "$@"`, 'sh'] }) },
  { name: 'taskset', weight: 1, make: () => ({ kind: 'context', cls: 'taskset', argv: ['taskset', '-c', '0'] }) },
  { name: 'uid', weight: 1, make: () => ({ kind: 'context', cls: 'uid', argv: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] }) },
  { name: 'hostname', weight: 1, make: () => ({ kind: 'context', cls: 'hostname', argv: ['unshare', '-u', '/bin/sh', '-c', 'hostname fuzzhost && exec "$@"', 'sh'] }) },
  { name: 'context-reset', weight: 1, make: () => ({ kind: 'context', cls: 'context-reset', argv: [] }) },
  {
    // another process changes the file while the reader holds what it read: the raced run itself
    // is timing-dependent (only the trees are compared), the reader's next runs are not
    name: 'race-edit', weight: 1, make: (r) => {
      const f = r.pick(['in.txt', 'a.txt']);
      return {
        kind: 'observe',
        obs: { cls: 'race-reader', sh: py(`import time; d = open("${f}").read(); time.sleep(0.8); print(d, end="")`) },
        race: `sleep 0.4; echo raced >> ${f}`,
      };
    },
  },
];

export const OBSERVATIONS: ObservationRow[] = [
  { name: 'cat', weight: 4, make: (r) => ({ cls: 'cat', sh: `cat ${r.pick([...FILES, 'cur/f', 'wl', 'out.txt', 'log'])}` }) },
  { name: 'ls', weight: 2, make: (r) => ({ cls: 'ls', sh: `ls -F ${r.pick(['d', 'd/sub', 'cur/', '.', 'out'])}` }) },
  // ls -l prints dates: the year alone is the same in both twins (a real-time date is not, and
  // a touch -d date is), so it shows an old-date touch without showing when each twin ran
  { name: 'ls-l', weight: 1, make: (r) => ({ cls: 'ls-l', sh: `ls -ln --time-style=+%Y ${r.pick(['d', 'd/sub', '.'])} | grep -v '^total'` }) },
  { name: 'stat', weight: 2, make: (r) => ({ cls: 'stat', sh: `stat -c '%n %s %a %F %h' ${r.pick([...FILES, ...STAT_ONLY, 'cur', 'cur/', 'wl'])}` }) },
  { name: 'test-s', weight: 2, make: (r) => ({ cls: 'test-s', sh: `[ -s ${r.pick([...FILES, ...STAT_ONLY])} ] && echo nonempty || echo empty` }) },
  { name: 'test-x', weight: 1, make: (r) => ({ cls: 'test-x', sh: `[ -x ${r.pick([...FILES, ...STAT_ONLY])} ] && echo exec || echo noexec` }) },
  { name: 'test-e', weight: 1, make: (r) => ({ cls: 'test-e', sh: `[ -e ${r.pick(['M', 'cur', 'd/g', 'out', 'H'])} ] && echo exists || echo absent` }) },
  {
    name: 'newer', weight: 2, make: (r) => {
      const a = r.pick([...FILES, 'out.txt']);
      const b = r.pick([...FILES, 'out.txt'].filter((x) => x !== a));
      return { cls: 'newer', sh: `[ ${a} -nt ${b} ] && echo newer || echo not-newer` };
    },
  },
  { name: 'find', weight: 2, make: (r) => ({ cls: 'find', sh: `find ${r.pick(['d/', 'cur/', '.'])} ${r.pick(['-type f', '-type d', '-newer in.txt', ''])} | sort` }) },
  { name: 'glob', weight: 1, make: (r) => ({ cls: 'glob', sh: `echo ${r.pick(['d/*', 'cur/*', '*.txt', 'd/*/*'])}` }) },
  { name: 'cd-cat', weight: 2, make: (r) => ({ cls: 'cd-cat', sh: r.pick(['cd d && cat f1', 'cd cur && cat f', 'cd d/sub && ls']) }) },
  { name: 'make', weight: 3, make: () => ({ cls: 'make', sh: 'make' }) },
  { name: 'py-append', weight: 2, make: () => ({ cls: 'py-append', sh: py('open("log", "a").write("line\\n")') }) },
  { name: 'py-symlink-write', weight: 2, make: () => ({ cls: 'py-symlink-write', sh: py('open("wl", "w").write("via link\\n")') }) },
  { name: 'py-write-dir', weight: 2, make: () => ({ cls: 'py-write-dir', sh: py('open("out/f", "w").write("in out\\n")') }) },
  { name: 'py-scandir', weight: 2, make: (r) => ({ cls: 'py-scandir', sh: py(`import os; print(sorted((e.name, e.is_dir(), e.is_symlink()) for e in os.scandir("${r.pick(['.', 'd', 'cur', 'd/sub'])}")))`) }) },
  { name: 'inherited-fd', weight: 2, make: (r) => ({ cls: 'inherited-fd', sh: `exec 3< ${r.pick(['in.txt', 'a.txt'])}; ${py('import os; print(os.read(3, 100))')}` }) },
  { name: 'proc-fd0', weight: 2, make: (r) => ({ cls: 'proc-fd0', sh: `${py('print(open("/proc/self/fd/0").read(), end="")')} < ${r.pick(['in.txt', 'a.txt'])}` }) },
  // a stage whose writer still runs at its exec is held until the pipe is finished, then keyed on its bytes
  { name: 'pipe-stages', weight: 2, make: (r) => ({ cls: 'pipe-stages', sh: `cat ${r.pick([...FILES, 'log'])} | tr a-z A-Z | sort -r` }) },
  { name: 'pipe-subshell', weight: 1, make: (r) => ({ cls: 'pipe-subshell', sh: `echo "$(cat ${r.pick([...FILES, 'cur/f'])})" | sed s/a/A/` }) },
  { name: 'pipe-head', weight: 1, make: (r) => ({ cls: 'pipe-head', sh: `cat ${r.pick([...FILES, 'log'])} | head -n 1` }) },
  { name: 'fifo-read', weight: 1, make: () => ({ cls: 'fifo-read', sh: 'cat q.fifo', racer: "timeout 3 sh -c 'cat a.txt > q.fifo'" }) },
  { name: 'mkdir', weight: 2, make: () => ({ cls: 'mkdir', sh: 'mkdir M && echo made' }) },
  { name: 'ln-hard', weight: 1, make: () => ({ cls: 'ln-hard', sh: 'ln in.txt H2 && echo linked' }) },
  { name: 'ln-s', weight: 1, make: () => ({ cls: 'ln-s', sh: 'ln -s v2 current && echo linked' }) },
  { name: 'py-import', weight: 2, make: () => ({ cls: 'py-import', sh: py('import mod; print(mod.VALUE)') }) },
  { name: 'nproc', weight: 1, make: () => ({ cls: 'nproc', sh: 'nproc' }) },
  { name: 'gethostname', weight: 1, make: (r) => ({ cls: 'gethostname', sh: r.pick(['hostname', 'uname -n', py('import socket; print(socket.gethostname())')]) }) },
  { name: 'getrlimit', weight: 1, make: (r) => ({ cls: 'getrlimit', sh: r.pick(['ulimit -n', py('import resource; print(resource.getrlimit(resource.RLIMIT_NOFILE))')]) }) },
  { name: 'getuid', weight: 1, make: (r) => ({ cls: 'getuid', sh: r.pick(['id -u', py('import os; print(os.getuid(), os.access("a.txt", os.W_OK))'), 'cat a.txt']) }) },
];

/** Classes left out of the draw, each with why: the stale replays the fuzzer found on cf9386f
 * (README, "Stale-replay fuzzer", has a reproduction of each). Delete a line once the engine
 * handles it, and the test checks that class again. */
export const EXCLUDED: Record<string, string> = {
};

/** Every class name a sequence can carry (rows, and the observation a raced change adds). */
export const CLASSES: string[] = [...CHANGES.map((r) => r.name), ...OBSERVATIONS.map((r) => r.name), 'race-reader'];
