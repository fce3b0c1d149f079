// Programs that copy a file's mtime itself into what they print or write. For every other program
// an mtime enters an entry as its order among the files stat'ed (what make and `test -nt` use),
// so that a fresh checkout, same contents and new mtimes, still reuses. For these the mtime is the
// input: `ls -l` prints it, tar and `cp -p` store it.
import { basename } from 'node:path';

interface MtimeReader {
  /** the program's name */
  exe: string;
  /** the arguments that make it copy mtimes; absent: always */
  when?: RegExp;
}

const MTIME_READERS: MtimeReader[] = [
  { exe: 'ls', when: /^-[^-]*[lgont]|^--(full-time|time-style|format=(long|verbose)|sort=time|time)/ },
  { exe: 'stat' },
  { exe: 'date', when: /^-[^-]*r|^--reference/ },
  { exe: 'touch', when: /^-[^-]*r|^--reference/ },
  { exe: 'find', when: /^-(printf|fprintf|ls|fls|[acm](time|min)|used|newer[acmB][acmBt])$/ },
  { exe: 'tar' },
  // its .pyc check compares a module's mtime with the one the .pyc holds: an equality, not an order
  { exe: 'python' },
  { exe: 'cpio' },
  { exe: 'zip' },
  { exe: 'rsync' },
  { exe: 'cp', when: /^-[^-]*[pa]|^--(preserve|archive)/ },
  { exe: 'install', when: /^-[^-]*p|^--preserve-timestamps/ },
];

/** Whether a program, run with these arguments, copies mtimes it stats into its output. */
export function copiesMtimes(exe: string, argv: readonly string[]): boolean {
  const name = basename(exe).replace(/^(python)[0-9.]*$/, '$1');
  for (const r of MTIME_READERS) {
    if (r.exe !== name) continue;
    if (!r.when) return true;
    const when = r.when;
    return argv.slice(1).some((a) => when.test(a));
  }
  return false;
}
