// A shell's check of $PWD as it starts, told apart from the stats its script makes.
//
// bash starts by testing that $PWD names its working directory (same_file: a stat of $PWD, then
// one of "."), and then canonicalizes $PWD, checking that each prefix is a directory (sh_canonpath
// with PATH_CHECKEXISTS: a stat of /a, then /a/b, up to the directory itself). Those stats look
// at a type and an inode only. But bash also orders mtimes (`test -nt`), so every stat it makes
// keyed the order of the mtime it saw among the others, and the working directory's ancestors
// (/tmp, /home/runner) change with whatever else the machine does: dash's `./configure && make`
// missed its root in 2 warm runs of 4 on where /tmp's mtime ranked. The walk's stats keep their
// type, mode and owner as inputs, not their mtime.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, posix } from 'node:path';
import type { Access } from './types.js';

/** The programs whose startup walks $PWD this way, and whose `cd` walks its target. */
const WALKING_SHELLS: ReadonlySet<string> = new Set(['bash']);

/** What each file the programs ran from is, by where it leads and its identity (read once a run). */
const isBashByFile = new Map<string, boolean>();

/**
 * Is the program at path one that walks $PWD (and its `cd` targets)? By what the file is, not by
 * its name (hunt 72: a symlink named bash to dash, whose script's own stats of the ancestors were
 * taken for the walk): where it leads is named bash, is a program (ELF, not a script: hunt 74's
 * dash script named bash with the banner in a comment) and holds GNU bash's version banner.
 */
export function walksPwd(path: string): boolean {
  if (!WALKING_SHELLS.has(basename(path))) return false;
  try {
    const real = realpathSync(path);
    if (!WALKING_SHELLS.has(basename(real))) return false;
    const st = statSync(real);
    const key = `${real}\0${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    let is = isBashByFile.get(key);
    if (is === undefined) {
      const bytes = st.isFile() && st.size < 64 << 20 ? readFileSync(real) : null;
      is = bytes !== null && bytes.subarray(0, 4).equals(ELF_MAGIC) && bytes.includes(BASH_BANNER);
      isBashByFile.set(key, is);
    }
    return is;
  } catch {
    return false; // unreadable: not known to be bash
  }
}

const BASH_BANNER = Buffer.from('GNU bash, version ');
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/** A path as bash's own walk writes it: absolute, no `//`, `.` or `..` part, no trailing `/`. */
function plain(path: string): boolean {
  // normalize() turns a leading // into /, and keeps a trailing /
  return path.startsWith('/') && posix.normalize(path) === path && (path === '/' || !path.endsWith('/'));
}

/** A path's ancestors below /, shallowest first. */
function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let d = dirname(path); d !== '/' && d !== '.' && d !== dirname(d); d = dirname(d)) out.unshift(d);
  return out;
}

/** Accesses a shell makes before its walk that do not end it: the loader and libraries it reads,
 * files it probes (/etc/ld.so.preload), its terminal failing to open (no controlling terminal). */
function beforeTheWalk(a: Access): boolean {
  return a.op === 'exec' || a.op === 'read' || (a.op === 'probe' && a.type !== 'dir') || (a.op === 'write' && a.result !== 'ok');
}

/** What bash's check reads from its environment: only a $PWD that names the working directory
 * is walked (otherwise bash asks getcwd and stats nothing), and a set $OLDPWD is stat'ed after. */
export interface WalkEnv {
  pwd?: string;
  oldpwd?: string;
}

/** $PWD and $OLDPWD from an exec's environment ("NAME=value" strings). */
export function walkEnvOf(env: readonly string[]): WalkEnv {
  const out: WalkEnv = {};
  for (const v of env) {
    if (v.startsWith('PWD=')) out.pwd = v.slice(4);
    else if (v.startsWith('OLDPWD=')) out.oldpwd = v.slice(7);
  }
  return out;
}

/**
 * Follows one bash's accesses from its exec and marks its check of $PWD (Access.pwdWalk): two
 * stats of the working directory ($PWD and "."), each of its ancestors below / in order, the
 * directory again, then a stat of $OLDPWD when that is set, nothing else between. Only when its
 * $PWD names its working directory, the one case where bash makes these stats itself before its
 * script runs: a script's own stats come after them, and are keyed as before (a script started
 * without $PWD that stats the same paths in the same order is not taken for the check). The
 * stats are marked only once the directory's second look closes the walk. Anything else ends the
 * following for good.
 */
export class PwdWalk {
  /** the working directory's ancestors below /, shallowest first */
  private readonly prefixes: string[];
  /** the stats of the walk so far, marked once it is whole */
  private readonly steps: Access[] = [];
  private phase: 'cwd' | 'prefixes' | 'oldpwd' | 'over' = 'cwd';

  private constructor(private readonly cwd: string, private readonly oldpwd: string | undefined) {
    this.prefixes = ancestorsOf(cwd);
  }

  /** The follower for a bash just exec'd (walksPwd), or null when it makes no such check. */
  static forBash(cwd: string, env: WalkEnv | undefined): PwdWalk | null {
    if (!plain(cwd) || env?.pwd !== cwd) return null;
    const walk = new PwdWalk(cwd, env.oldpwd?.startsWith('/') ? env.oldpwd : undefined);
    // no ancestor below /, nothing to leave out; and in / itself bash looks twice, not three
    // times, so a script's first look at / would have closed the walk (hunt 73)
    return walk.prefixes.length ? walk : null;
  }

  /** Takes the program's next access; false once the walk is over (done or not the walk). */
  follow(a: Access): boolean {
    if (this.phase === 'over') return false;
    const dir = a.op === 'probe' && a.result === 'ok' && a.type === 'dir' && !a.nofollow && !a.checks;
    if (this.phase === 'oldpwd') {
      if (dir && a.path === this.oldpwd) a.pwdWalk = true;
      return this.end();
    }
    if (!dir) return beforeTheWalk(a) && this.steps.length === 0 ? true : this.end();
    if (this.phase === 'cwd') {
      if (a.path !== this.cwd) return this.end();
      this.steps.push(a);
      if (this.steps.length === 2) this.phase = 'prefixes';
      return true;
    }
    const next = this.steps.length - 2;
    if (next < this.prefixes.length) {
      if (a.path !== this.prefixes[next]) return this.end();
      this.steps.push(a);
      return true;
    }
    if (a.path !== this.cwd) return this.end();
    // the directory again closes the walk
    for (const step of [...this.steps, a]) step.pwdWalk = true;
    this.steps.length = 0;
    if (!this.oldpwd) return this.end();
    this.phase = 'oldpwd';
    return true;
  }

  private end(): false {
    this.phase = 'over';
    return false;
  }
}

/**
 * bash's `cd DIR` walks the same way before its chdir: it makes the target absolute against $PWD,
 * stats each ancestor below / in order and the target itself (sh_canonpath, to test that each is
 * a directory), then changes into it (configure's `cd "$ac_dir"` stat'ed /tmp at every turn). Per
 * process, the directory stats since its last other access; at a chdir that they are exactly the
 * walk to, they are marked. What looks the same: a script that tests exactly those directories'
 * mtimes, shallowest first, and then changes into the last without a walk of its own (`cd -P`).
 */
export class CdWalks {
  private readonly runs = new Map<number, Access[]>();

  /** Takes the next access of a bash process (or of a fork of one that has not exec'd). */
  take(pid: number, a: Access): void {
    if (a.op === 'probe' && a.result === 'ok' && a.type === 'dir' && !a.nofollow && !a.checks) {
      const run = this.runs.get(pid);
      if (run) run.push(a);
      else this.runs.set(pid, [a]);
      return;
    }
    const run = this.runs.get(pid);
    this.runs.delete(pid);
    // `cd /` stats nothing (no component to check): the stat before it is the script's (hunt 73)
    if (!run || a.op !== 'chdir' || a.result !== 'ok' || !a.path || !plain(a.path) || a.path === '/') return;
    const walk = [...ancestorsOf(a.path), a.path];
    const tail = run.slice(-walk.length);
    if (tail.length === walk.length && tail.every((step, i) => step.path === walk[i])) for (const step of tail) step.pwdWalk = true;
  }

  forget(pid: number): void {
    this.runs.delete(pid);
  }
}
