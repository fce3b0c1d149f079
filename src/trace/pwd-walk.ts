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
import { dirname } from 'node:path';
import type { Access } from './types.js';

/** The programs whose startup walks $PWD this way. */
const WALKING_SHELLS: ReadonlySet<string> = new Set(['bash']);

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
    const prefixes: string[] = [];
    for (let d = dirname(cwd); d !== '/' && d !== '.' && d !== dirname(d); d = dirname(d)) prefixes.unshift(d);
    this.prefixes = prefixes;
  }

  /** The follower for a program just exec'd, or null when it makes no such check. */
  static forExec(exe: string, cwd: string, env: WalkEnv | undefined): PwdWalk | null {
    const name = exe.slice(exe.lastIndexOf('/') + 1);
    if (!WALKING_SHELLS.has(name) || !cwd.startsWith('/') || env?.pwd !== cwd) return null;
    return new PwdWalk(cwd, env.oldpwd?.startsWith('/') ? env.oldpwd : undefined);
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
