// Taint by value (src/fingerprint/context-env.ts): when an execution is recorded, which CI context
// variables left out of the weak fingerprint it depends on, found by searching what it left for
// their values; when an entry is looked up, whether the querying process has the same values.
// An ancestor records its descendants' outputs again, and so finds the same values in them.
import { readFileSync, statSync } from 'node:fs';
import { CONTEXT_ENV, contextValues, holds, holdsInChunks, sha256, type ContextValue, type Needle } from '../fingerprint/index.js';
import type { Entry, OutputState } from '../store/index.js';
import type { Input } from '../observe/index.js';

/** A context variable and the value an execution depended on. */
export interface ContextPair {
  name: string;
  value: string;
}

/** What an execution left (and the names it looked at), where a value it depends on shows. */
export interface Left {
  inputs: Input[];
  outputs: OutputState[];
  /** its stdout and stderr as stored, with the fd of each chunk */
  stream: { blob: string; data: Buffer; chunks: { fd: number; bytes: number }[] } | null;
  /** pairs its descendants passed on or depended on (see `passedOn`), found without a search */
  below: ContextPair[];
}

/** Where a file output's bytes can be had: the path first, then the store. */
export type BlobReader = (blob: string, path: string) => Promise<Buffer | null>;

const same = (a: ContextPair, b: ContextPair): boolean => a.name === b.name && a.value === b.value;

/** A file's bytes if they are still the blob's, else null. */
export function bytesIfStill(path: string, blob: string): Buffer | null {
  try {
    const data = readFileSync(path);
    return sha256(data) === blob ? data : null;
  } catch {
    return null;
  }
}

/** The searches of one run: each blob is searched once for each value, whoever records it. */
export class ContextSearch {
  /** per blob, per needle key: whether its bytes hold the needle */
  private readonly held = new Map<string, Map<string, boolean>>();
  /** the needles of every process looked up so far: bytes in memory are searched for them all */
  private readonly known = new Map<string, Needle>();
  /** the values of each `NAME=value` seen, so that a thousand exec queries build one needle */
  private readonly valueOf = new Map<string, ContextValue>();
  /** per file content read, the context variables' names it holds */
  private readonly namesByDigest = new Map<string, readonly string[]>();
  /** the command's own environment (the first exec query's): what every process inherits is handed on by none */
  private inherited: ReadonlySet<string> | null = null;

  /** searched: the names left out of the weak fingerprint (context variables forced in are keyed instead) */
  constructor(private readonly searched: ReadonlySet<string>, private readonly read: BlobReader) {}

  /** A process's context values at its exec; their needles join those every blob is searched for from now on. */
  valuesOf(env: readonly string[]): ContextValue[] {
    return contextValues(env, this.searched).map((fresh) => {
      const kv = `${fresh.name}=${fresh.value}`;
      const v = this.valueOf.get(kv) ?? fresh;
      this.valueOf.set(kv, v);
      if (v.needle) this.known.set(v.needle.key, this.known.get(v.needle.key) ?? v.needle);
      return v;
    });
  }

  /**
   * The values a process was handed in its arguments or other environment variables (`make
   * VERSION=$GITHUB_SHA`): what its ancestors depend on, since replaying them replays the process
   * as it was given them. Its own argv and environment are in its weak fingerprint already.
   * Variables the command itself was started with are handed on by no process in it, and any
   * program may act on them (GITHUB_REPOSITORY_OWNER is often GITHUB_ACTOR's value): they are in
   * every fingerprint already. The first call is the command's exec.
   */
  passedOn(values: ContextValue[], argv: readonly string[], env: readonly string[], ignored: ReadonlySet<string>): ContextPair[] {
    const inherited = (this.inherited ??= new Set(env));
    const searchable = values.filter((v) => v.needle);
    if (!searchable.length) return [];
    // an ignored variable is left out for being no input (a runtime token, a step's file names)
    const given = env.filter((kv) => !inherited.has(kv) && !ignored.has(kv.slice(0, Math.max(0, kv.indexOf('=')))));
    const text = Buffer.from([...argv, ...given].join('\0'));
    return searchable.filter((v) => holds(text, v.needle!)).map(({ name, value }) => ({ name, value }));
  }

  /** While a blob's bytes are in memory: searched for every needle known that it was not yet. */
  scan(blob: string, data: Buffer): void {
    if (!this.known.size) return; // not under CI: nothing to look for, nothing spent
    let results = this.held.get(blob);
    if (!results) this.held.set(blob, (results = new Map()));
    for (const [key, needle] of this.known) if (!results.has(key)) results.set(key, holds(data, needle));
  }

  /**
   * Which of an execution's values what it left holds: in the paths it read or left, a symlink's
   * target, its stream or a file's bytes (a blob read only when a value is still unfound and its
   * search not yet known); or why that cannot be told. Too short a value is not searched.
   */
  async found(values: ContextValue[], left: Left): Promise<ContextPair[] | string> {
    const out: ContextPair[] = [];
    let unfound = values.filter((v) => {
      if (!left.below.some((b) => same(b, v))) return v.needle !== null;
      out.push({ name: v.name, value: v.value });
      return false;
    });
    const search = (isIn: (n: Needle) => boolean): void => {
      unfound = unfound.filter((v) => {
        if (!isIn(v.needle!)) return true;
        out.push({ name: v.name, value: v.value });
        return false;
      });
    };
    if (unfound.length) {
      const names = [...left.inputs.map((i) => i.path), ...left.outputs.flatMap((o) => (o.type === 'symlink' ? [o.path, o.target] : [o.path]))];
      const text = Buffer.from(names.join('\0'));
      search((n) => holds(text, n));
    }
    if (unfound.length && left.stream) {
      // each stream on its own: a value stdio flushed in two writes with a write to stderr between
      // them is whole on stdout, and cut in the stored stream
      for (const [fd, bytes] of byFd(left.stream.data, left.stream.chunks)) {
        const key = `${left.stream.blob}#${fd}`;
        this.scan(key, bytes);
        search(this.heldBy(key));
      }
    }
    for (const o of left.outputs) {
      if (!unfound.length) break;
      if (o.type !== 'file') continue;
      if (unfound.some((v) => this.held.get(o.blob)?.get(v.needle!.key) === undefined)) {
        const data = await this.read(o.blob, o.path);
        if (!data) return `${o.path}: its bytes could not be read again to search for $${unfound[0]!.name}`;
        this.scan(o.blob, data);
      }
      search(this.heldBy(o.blob));
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The values whose bytes data holds (what flowed through a pipe inside a subtree). */
  inBytes(values: ContextValue[], chunks: readonly Buffer[]): ContextPair[] {
    return values.filter((v) => v.needle && holdsInChunks(chunks, v.needle)).map(({ name, value }) => ({ name, value }));
  }

  /**
   * The values whose variable a process names in its arguments (`bash -c '[ "$GITHUB_EVENT_NAME" =
   * push ]'`): such a program may only test the value, and what it does then shows in no output,
   * or only in its exit status. Short values included. A script it reads is searched when it is
   * recorded (namedInReads), off the exec's path.
   */
  namedInArgs(values: ContextValue[], argv: readonly string[]): ContextPair[] {
    if (!values.length) return [];
    const text = argv.join('\0');
    return values.filter((v) => text.includes(v.name)).map(({ name, value }) => ({ name, value }));
  }

  /**
   * The values whose variable a file the process (or its subtree) read names: a sourced script
   * (`. ./ci-lib.sh`), a Makefile's `ifeq ($(GITHUB_EVENT_NAME),push)`, a module a python script
   * imports, a script on stdin, a program with the name in its strings (`getenv("GITHUB_REF")`).
   * Found when it is recorded, each file searched once a run (by digest), and only for the prefix
   * every name in the table shares before the names themselves; it must still hold what was read.
   * Files over 1 MiB (programs, libraries) are not searched: reading them on the engine's thread
   * held the build's exec queries (lua's cold run took 1.5 s longer).
   */
  namedInReads(values: ContextValue[], inputs: Input[], load: (stored: string) => string): ContextPair[] {
    if (!values.length) return [];
    const named = new Set<string>();
    for (const i of inputs) {
      if (i.kind !== 'content' || !i.value.startsWith('sha256:')) continue;
      for (const n of this.namesIn(load(i.path), i.value.slice(7))) named.add(n);
    }
    return values.filter((v) => named.has(v.name)).map(({ name, value }) => ({ name, value }));
  }

  private namesIn(path: string, digest: string): readonly string[] {
    const known = this.namesByDigest.get(digest);
    if (known) return known;
    let names: string[] = [];
    try {
      const st = statSync(path, { throwIfNoEntry: false });
      if (st?.isFile() && st.size <= MAX_SCRIPT_BYTES) {
        const data = readFileSync(path);
        if (sha256(data) === digest) {
          names = data.includes(NAME_PREFIX) ? CONTEXT_NAMES.filter((n) => data.includes(n)) : [];
        }
      }
    } catch { /* gone: nothing to search */ }
    this.namesByDigest.set(digest, names);
    return names;
  }

  private heldBy(blob: string): (n: Needle) => boolean {
    return (n) => this.held.get(blob)?.get(n.key) === true;
  }
}

/** The pairs an entry depends on (untrusted: malformed ones are left to the lookup to refuse). */
export function contextOf(entry: Entry): ContextPair[] {
  return Array.isArray(entry.context) ? entry.context.filter((c) => typeof c?.name === 'string' && typeof c.value === 'string') : [];
}

const CONTEXT_NAMES = Object.keys(CONTEXT_ENV);
/** what every name in the table starts with: a file without it names none */
const NAME_PREFIX = 'GITHUB_';

/** Scripts are small; a larger file read is a program or data, and not searched. */
const MAX_SCRIPT_BYTES = 1024 * 1024;

/** The stored stream's bytes, one buffer per fd. */
function byFd(data: Buffer, chunks: { fd: number; bytes: number }[]): Map<number, Buffer> {
  // most streams are one fd's: the stored bytes as they are, no copy
  if (chunks.every((c) => c.fd === chunks[0]?.fd)) return new Map([[chunks[0]?.fd ?? 1, data]]);
  const parts = new Map<number, Buffer[]>();
  let at = 0;
  for (const c of chunks) {
    if (!parts.has(c.fd)) parts.set(c.fd, []);
    parts.get(c.fd)!.push(data.subarray(at, at + c.bytes));
    at += c.bytes;
  }
  return new Map([...parts].map(([fd, bufs]) => [fd, Buffer.concat(bufs)]));
}

/** One variable's value in env, or undefined. */
function envValue(env: readonly string[], name: string): string | undefined {
  const prefix = `${name}=`;
  return env.find((kv) => kv.startsWith(prefix))?.slice(prefix.length);
}

function cut(value: string): string {
  return value.length > 44 ? `${value.slice(0, 40)}...` : value;
}

/** How a process with env differs from the context values the entry is keyed on, or null. */
export function contextDifference(entry: Entry, env: readonly string[]): string | null {
  const context: unknown = entry.context;
  if (context === undefined) return null;
  if (!Array.isArray(context)) return 'its recorded context variables are malformed';
  for (const c of context as unknown[]) {
    const { name, value } = (c ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || typeof value !== 'string') return 'its recorded context variables are malformed';
    const now = envValue(env, name);
    // the entry keeps the value, not why: its outputs held it, or its commands or scripts named the variable
    if (now !== value) return `$${name}: ${cut(value)} -> ${now ? cut(now) : '(unset)'}, which the recording depended on (its outputs held the value or it named the variable)`;
  }
  return null;
}
