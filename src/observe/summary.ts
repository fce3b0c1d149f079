// The per-path state machine: the first thing an execution's subtree does to a path decides
// whether the path is an input (what it read, probed or listed) or only an output.
import { basename, dirname, join } from 'node:path';
import type { Access } from '../trace/index.js';
import type { InputSpec, Summary } from './types.js';

/** One step of a subtree, in the order it happened: an access, or a whole child served from cache. */
export type Step =
  | { kind: 'access'; access: Access }
  | { kind: 'replayed'; inputs: InputSpec[]; outputs: string[]; created: string[]; removed: string[]; entryChanges: [string, 'added' | 'removed'][] };

/** Paths whose content is not a file's: they are not inputs. */
const PSEUDO_INPUTS = new Set(['/dev/null', '/dev/zero', '/dev/full', '/dev/urandom', '/dev/random']);

function describesSelf(path: string): boolean {
  return /^\/proc\/(self|thread-self|\d+)(\/|$)/.test(path);
}

const ABSENT = new Set(['ENOENT', 'ENOTDIR']);

class PathStates {
  readonly inputs: InputSpec[] = [];
  readonly outputs = new Set<string>();
  /** paths whose first change by the subtree brought them into existence */
  readonly created = new Set<string>();
  /** paths the subtree has changed: what it reads there afterwards is its own doing */
  private readonly changed = new Set<string>();
  /** outputs whose last change by the subtree removed them */
  readonly gone = new Set<string>();
  /** input facts already recorded, by kind and path: a probe and a read of one file are two */
  private readonly known = new Map<InputSpec['kind'], Set<string>>();
  /** per directory, the first change the subtree made to each name: added or removed */
  private readonly changes = new Map<string, Map<string, 'added' | 'removed'>>();
  /** files the subtree read first and changed later: their earlier content is lost */
  readonly rewrittenInputs: string[] = [];
  private readonly readFirst = new Set<string>();

  input(spec: InputSpec): void {
    if (this.changed.has(spec.path)) return;
    // a set per kind: a composed key would be a new string to hash on every one of a build's accesses
    let known = this.known.get(spec.kind);
    if (!known) this.known.set(spec.kind, (known = new Set()));
    if (known.has(spec.path)) return;
    known.add(spec.path);
    if (PSEUDO_INPUTS.has(spec.path) || describesSelf(spec.path)) return;
    if (spec.kind === 'content' || spec.kind === 'listing') this.readFirst.add(spec.path);
    this.inputs.push(spec);
  }

  /** path did not exist before this change: only its first change can say so */
  markCreated(path: string): void {
    if (!this.changed.has(path)) this.created.add(path);
  }

  /** A change to path; `prior` is what its first access learns, when it is the first. */
  output(path: string, prior: InputSpec | null, removes = false): void {
    if (!this.changed.has(path)) {
      if (this.readFirst.has(path)) this.rewrittenInputs.push(path);
      if (prior) this.input(prior); // what the change itself depended on is no earlier read
    }
    this.changed.add(path);
    this.outputs.add(path);
    if (removes) this.gone.add(path);
    else this.gone.delete(path);
  }

  entryChanged(path: string, added: boolean): void {
    const dir = dirname(path);
    const names = this.changes.get(dir) ?? new Map<string, 'added' | 'removed'>();
    if (!names.has(basename(path))) names.set(basename(path), added ? 'added' : 'removed');
    this.changes.set(dir, names);
  }

  entryChangeList(): [string, 'added' | 'removed'][] {
    const out: [string, 'added' | 'removed'][] = [];
    for (const [dir, names] of this.changes) for (const [name, change] of names) out.push([join(dir, name), change]);
    return out;
  }

  /** What a directory held before the subtree changed it, from what a listing saw. */
  before(dir: string, seen: string[]): string[] {
    const changed = this.changes.get(dir);
    if (!changed) return seen;
    const names = new Set(seen.filter((n) => changed.get(n) !== 'added'));
    for (const [n, first] of changed) if (first === 'removed') names.add(n);
    return [...names].sort();
  }
}

/** Devices whose writes leave nothing behind: opening one for writing changes no file. */
export const WRITE_SINKS: ReadonlySet<string> = new Set(['/dev/null']);

function probeSpec(path: string, result: string, type?: string): InputSpec {
  if (ABSENT.has(result)) return { path, kind: 'absent' };
  return type ? { path, kind: 'exists', type } : { path, kind: 'exists' };
}

function applyAccess(s: PathStates, a: Access): string | null {
  const path = a.path;
  const ok = a.result === 'ok';
  switch (a.op) {
    case 'stdin': case 'dup': return null;
    case 'read': case 'exec':
      if (!path) return null;
      s.input(ok ? { path, kind: 'content' } : probeSpec(path, a.result));
      return null;
    case 'probe': if (path) s.input(probeSpec(path, a.result, a.type)); return null;
    case 'chdir': if (path) s.input(probeSpec(path, a.result, ok ? 'dir' : undefined)); return null;
    case 'readlink': if (path) s.input(ok ? { path, kind: 'link' } : probeSpec(path, a.result)); return null;
    case 'list': if (path) s.input({ path, kind: 'listing', names: s.before(path, a.names ?? []) }); return null;
    case 'write': case 'chmod': case 'utime':
      if (!path) return null;
      if (!ok) { s.input(probeSpec(path, a.result)); return null; }
      // `cmd >/dev/null` opens it for writing: it must exist, and nothing written there stays
      if (a.op === 'write' && WRITE_SINKS.has(path)) { s.input(probeSpec(path, a.result)); return null; }
      s.output(path, { path, kind: 'content' });
      return null;
    case 'truncate':
      if (!path) return null;
      if (ok && WRITE_SINKS.has(path)) { s.input(probeSpec(path, a.result)); return null; } // `>/dev/null`
      if (ok) s.output(path, null);
      else s.input(probeSpec(path, a.result));
      return null;
    case 'create': case 'mkdir': case 'symlink': case 'mknod':
      if (!path) return null;
      if (!ok) { s.input(probeSpec(path, a.result)); return null; }
      // these fail or act otherwise on an existing path; a truncating create does not
      s.markCreated(path);
      s.output(path, a.truncates ? null : { path, kind: 'absent' });
      s.entryChanged(path, true);
      return null;
    case 'delete': case 'rmdir':
      if (!path) return null;
      if (!ok) { s.input(probeSpec(path, a.result)); return null; }
      // rmdir succeeds only on an empty directory: that emptiness is what it depended on
      s.output(path, a.op === 'rmdir' ? { path, kind: 'listing', names: s.before(path, []) } : { path, kind: 'exists' }, true);
      s.entryChanged(path, false);
      return null;
    case 'link': case 'rename': {
      const to = typeof a.to === 'string' ? a.to : undefined;
      if (!path || !to) return null;
      if (!ok) { s.input(probeSpec(path, a.result)); return null; }
      if (a.op === 'rename') {
        s.output(path, { path, kind: 'content' }, true);
        s.entryChanged(path, false);
      } else {
        s.input({ path, kind: 'content' });
      }
      s.output(to, null);
      s.entryChanged(to, true);
      return null;
    }
    default: return `an access the model does not know: ${String(a.op)}`;
  }
}

/** Folds a subtree's steps into its inputs and outputs. */
export function summarize(steps: Step[]): Summary {
  const s = new PathStates();
  let reason: string | null = null;
  for (const step of steps) {
    if (step.kind === 'replayed') {
      // a child's listing saw the directory as the subtree had left it by then
      for (const input of step.inputs) s.input(input.kind === 'listing' ? { ...input, names: s.before(input.path, input.names) } : input);
      for (const path of step.created) s.markCreated(path);
      const removed = new Set(step.removed);
      for (const out of step.outputs) s.output(out, null, removed.has(out));
      for (const [path, change] of step.entryChanges) s.entryChanged(path, change === 'added');
      continue;
    }
    reason ??= applyAccess(s, step.access);
  }
  const unmodelled = reason;
  if (!reason && s.rewrittenInputs.length) {
    reason = `it reads ${s.rewrittenInputs[0]} and then changes it`;
  }
  return {
    cacheable: !reason,
    ...(reason ? { reason } : {}),
    ...(unmodelled ? { unmodelled } : {}),
    inputs: s.inputs,
    outputs: [...s.outputs],
    created: [...s.created],
    removed: [...s.gone],
    entryChanges: s.entryChangeList(),
  };
}
