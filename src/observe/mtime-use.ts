// How a program uses the mtimes it stats, which decides how a stat'ed file's mtime enters an
// entry. A fresh CI checkout has the same contents and new mtimes: a compiler's entries must
// still hit, and make's must still hit when the files' order is the same.
//  - 'none': the program never acts on an mtime (compilers, linkers, text tools): not an input.
//  - 'order': it only compares mtimes with each other (make, `test -nt`, `find -newer`): their
//    order among the files the execution stat'ed is the input.
//  - 'absolute': anything else, and what copies mtimes into its output or compares them with
//    values kept in files (ls -l, stat, tar, cp -p, python's .pyc check, ccache): the mtime itself.
// Unknown programs are 'absolute': when unsure, the stricter input.
import { basename } from 'node:path';

export type MtimeUse = 'none' | 'order' | 'absolute';

interface MtimeRule {
  /** the program's names */
  exe: string[];
  use: MtimeUse;
  /** arguments that make it use mtimes otherwise, and how: each tested against every argument */
  unless?: [RegExp, MtimeUse][];
  /** the same, tested against the arguments joined by NULs (a subcommand in its place) */
  unlessJoined?: [RegExp, MtimeUse][];
}

const COMPILERS = ['gcc', 'g++', 'cc', 'c++', 'cpp', 'cc1', 'cc1plus', 'cc1obj', 'lto1', 'lto-wrapper', 'collect2', 'as', 'ld', 'ld.bfd',
  'ld.gold', 'ld.lld', 'clang', 'clang++', 'ranlib', 'strip', 'objcopy', 'objdump', 'nm', 'readelf', 'size', 'm4', 'bison', 'flex', 'yacc', 'lex'];
const TEXT_TOOLS = ['sed', 'grep', 'egrep', 'fgrep', 'cat', 'head', 'tail', 'sort', 'uniq', 'wc', 'tr', 'cut', 'paste', 'join', 'awk', 'gawk',
  'mawk', 'expr', 'rm', 'mkdir', 'rmdir', 'ln', 'chmod', 'echo', 'printf', 'true', 'false', 'basename', 'dirname', 'env', 'sleep',
  'tee', 'xargs', 'cmp', 'patch', 'readlink', 'realpath', 'mktemp', 'seq', 'od', 'xxd', 'sha256sum', 'md5sum', 'xz', 'bzip2'];

const MTIME_RULES: MtimeRule[] = [
  { exe: COMPILERS, use: 'none' },
  { exe: TEXT_TOOLS, use: 'none' },
  { exe: ['sh', 'dash', 'bash', 'test', '['], use: 'order' },
  // make -p prints the dates; it also compares archive members' dates with what the archive keeps
  // (lib.a(m.o)) and warns of mtimes in the future, which the order cannot tell
  { exe: ['make', 'gmake'], use: 'order', unless: [[/^-[^-]*p|^--print-data-base/, 'absolute']] },
  { exe: ['find'], use: 'order', unless: [[/^-(printf|fprintf|ls|fls|[acm](time|min)|used|newer[acmB]t)$/, 'absolute']] },
  // ar's U modifier keeps members' dates (Debian's default, D, does not)
  { exe: ['ar'], use: 'none', unless: [[/^-?[a-zA-Z]*U[a-zA-Z]*$/, 'absolute']] },
  // unified and context diffs print both files' dates; gzip keeps the mtime unless -n
  { exe: ['diff'], use: 'none', unless: [[/^-[^-]*[uc]|^--(unified|context)/, 'absolute']] },
  { exe: ['gzip'], use: 'absolute', unless: [[/^-[^-]*n|^--no-name/, 'none']] },
  { exe: ['ls'], use: 'none', unless: [[/^-[^-]*[lgon]|^--(full-time|time-style|format=(long|verbose))/, 'absolute'], [/^-[^-]*t|^--(sort=time|time)/, 'order']] },
  { exe: ['cp', 'mv', 'install'], use: 'none', unless: [[/^-[^-]*[pa]|^--(preserve|archive)/, 'absolute'], [/^-[^-]*u|^--update/, 'order']] },
  // the helpers CMake's Makefiles run between compiles: cmake_depends compares the dependency
  // files' dates with the sources'; the others print, link and make directories. cmake itself
  // (configure, `file(TIMESTAMP)`) and `cmake -E tar` or `touch` keep the mtime as it is
  { exe: ['cmake'], use: 'absolute', unlessJoined: [[/^-E\0(?:cmake_echo_color|cmake_depends|cmake_link_script|cmake_progress_start|cmake_progress_report|echo|echo_append|make_directory|remove|remove_directory|rm|compare_files|copy_if_different)(?:\0|$)/, 'order']] },
];

const BY_NAME = new Map<string, MtimeRule>(MTIME_RULES.flatMap((r) => r.exe.map((e): [string, MtimeRule] => [e, r])));

/** How a program, run with these arguments, uses the mtimes it stats. */
export function mtimeUse(exe: string, argv: readonly string[]): MtimeUse {
  // versioned names: gcc-12, python3.11, x86_64-linux-gnu-gcc
  const name = basename(exe).replace(/^(?:[a-z0-9_]+-linux-gnu-)/, '').replace(/-[0-9.]+$/, '');
  const rule = BY_NAME.get(name);
  if (!rule) return 'absolute';
  for (const [when, use] of rule.unless ?? []) if (argv.slice(1).some((a) => when.test(a))) return use;
  for (const [when, use] of rule.unlessJoined ?? []) if (when.test(argv.slice(1).join('\0'))) return use;
  return rule.use;
}

const STRENGTH: Record<MtimeUse, number> = { none: 0, order: 1, absolute: 2 };

/** Of two uses of one file's mtime in a subtree, the one that binds more. */
export function stronger(a: MtimeUse | undefined, b: MtimeUse | undefined): MtimeUse | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return STRENGTH[a] >= STRENGTH[b] ? a : b;
}
