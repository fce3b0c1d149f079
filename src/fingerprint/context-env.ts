// CI context variables: the commit, ref, pull request, actor and run a job was started for, set
// by GitHub Actions in every process's environment. In the weak fingerprint they would stop every
// hit across commits; left out blindly, `echo $GITHUB_SHA > version.txt` restored a stale file.
// So they are left out, and an execution whose outputs hold one's value records the value: a
// lookup hits only where it is the same (src/memo/context.ts). Taint by value sees a value
// written as it is; one hashed or transformed first, one tested without being written (`[ "$X" =
// main ] && ...`), and one too short to search are not seen: `--env-input VAR` keys them instead.

/** How a variable's value is searched for. */
type ContextMatch =
  /** a commit id: its 7-character abbreviation, either case (a longer prefix, the full id included, holds it) */
  | 'commit'
  /** the value's own bytes */
  | 'exact';

/** The variables, each with how its value is searched. */
export const CONTEXT_ENV: Readonly<Record<string, ContextMatch>> = {
  // per commit
  GITHUB_SHA: 'commit', GITHUB_WORKFLOW_SHA: 'commit',
  // per branch, tag or pull request; REF_TYPE and REF_PROTECTED differ between a push to main and a
  // pull request's merge ref, and keyed they would stop a pull request from reusing main's entries
  GITHUB_REF: 'exact', GITHUB_REF_NAME: 'exact', GITHUB_HEAD_REF: 'exact', GITHUB_BASE_REF: 'exact',
  GITHUB_REF_TYPE: 'exact', GITHUB_REF_PROTECTED: 'exact', GITHUB_WORKFLOW_REF: 'exact', GITHUB_EVENT_NAME: 'exact',
  // per person
  GITHUB_ACTOR: 'exact', GITHUB_ACTOR_ID: 'exact', GITHUB_TRIGGERING_ACTOR: 'exact',
  // per run
  GITHUB_RUN_ID: 'exact', GITHUB_RUN_NUMBER: 'exact', GITHUB_RUN_ATTEMPT: 'exact', GITHUB_JOB_ID: 'exact',
};

/** Values shorter than this are not searched: two characters are in any binary by chance. */
export const MIN_SEARCHED = 3;

/**
 * Values shorter than this count only as a whole token: "main" inside "domain" is not the branch,
 * "123" inside "41234" not the run number. Longer ones count anywhere.
 */
export const TOKEN_BELOW = 8;

/** git's default abbreviation of a commit id (core.abbrev grows it in large repositories, never below 7). */
const ABBREV = 7;

/** A full commit id: SHA-1, or SHA-256 in a repository that uses it. */
const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

const DIGITS = /^[0-9]+$/;

/** What may not touch a find of a short value: nothing, a word character, a digit. */
type Border = 'none' | 'word' | 'digit';

/** One value to search for, in the bytes that count as a find. */
export interface Needle {
  /** the search, whatever variable's value it is: the key of a blob's cached result */
  key: string;
  /** byte strings of which any one, bordered as `border` says, is a find */
  forms: Buffer[];
  border: Border;
}

/** A context variable set in a process's environment, with its value's search (null: too short to search). */
export interface ContextValue {
  name: string;
  value: string;
  needle: Needle | null;
}

/** The search for a variable's value, or null when the value is too short to search. */
export function needleOf(match: ContextMatch, value: string): Needle | null {
  if (match === 'commit' && COMMIT_ID.test(value)) {
    const abbrev = value.slice(0, ABBREV);
    const forms = [...new Set([abbrev.toLowerCase(), abbrev.toUpperCase()])].map((f) => Buffer.from(f));
    return { key: `commit:${abbrev.toLowerCase()}`, forms, border: 'none' };
  }
  if (value.length < MIN_SEARCHED) return null;
  const border: Border = value.length >= TOKEN_BELOW ? 'none' : DIGITS.test(value) ? 'digit' : 'word';
  return { key: `${border}:${value}`, forms: [Buffer.from(value)], border };
}

/**
 * Whether a byte continues a token: a digit for a number, a letter or digit for a word. `_` ends a
 * word: artifact names glue values on with it (`app_$GITHUB_REF_NAME.tar`).
 */
function continues(byte: number | undefined, border: Border): boolean {
  if (byte === undefined || border === 'none') return false;
  const digit = byte >= 0x30 && byte <= 0x39;
  if (border === 'digit') return digit;
  return digit || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

/** Whether data holds the needle. Buffer.indexOf (2-10 GB/s here) does the scanning. */
export function holds(data: Buffer, needle: Needle): boolean {
  for (const form of needle.forms) {
    for (let at = data.indexOf(form); at >= 0; at = data.indexOf(form, at + 1)) {
      if (!continues(data[at - 1], needle.border) && !continues(data[at + form.length], needle.border)) return true;
    }
  }
  return false;
}

/**
 * Whether the bytes of chunks, one after the other, hold the needle: each chunk is searched where
 * it is, and each join between two through a window of the bytes around it, without copying the
 * whole (what flows through a build's pipes can be large).
 */
export function holdsInChunks(chunks: readonly Buffer[], needle: Needle): boolean {
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    for (const form of needle.forms) {
      for (let at = c.indexOf(form); at >= 0; at = c.indexOf(form, at + 1)) {
        const prev = at > 0 ? c[at - 1] : tail(chunks, i, 1)[0];
        const next = at + form.length < c.length ? c[at + form.length] : head(chunks, i + 1, 1)[0];
        if (!continues(prev, needle.border) && !continues(next, needle.border)) return true;
      }
    }
  }
  // a form and the byte on each side of it: the window's ends are the data's only where it has no more
  const reach = Math.max(...needle.forms.map((f) => f.length)) + 1;
  for (let i = 1; i < chunks.length; i++) {
    const before = tail(chunks, i, reach);
    const window = Buffer.concat([before, head(chunks, i, reach)]);
    for (const form of needle.forms) {
      for (let at = window.indexOf(form); at >= 0; at = window.indexOf(form, at + 1)) {
        const across = at < before.length && at + form.length > before.length;
        if (across && !continues(window[at - 1], needle.border) && !continues(window[at + form.length], needle.border)) return true;
      }
    }
  }
  return false;
}

/** Up to n bytes ending where chunk i begins. */
function tail(chunks: readonly Buffer[], i: number, n: number): Buffer {
  const parts: Buffer[] = [];
  for (let j = i - 1, left = n; j >= 0 && left > 0; j--) {
    const c = chunks[j]!;
    parts.unshift(c.subarray(Math.max(0, c.length - left)));
    left -= Math.min(left, c.length);
  }
  return Buffer.concat(parts);
}

/** Up to n bytes starting where chunk i begins. */
function head(chunks: readonly Buffer[], i: number, n: number): Buffer {
  const parts: Buffer[] = [];
  for (let j = i, left = n; j < chunks.length && left > 0; j++) {
    const c = chunks[j]!;
    parts.push(c.subarray(0, left));
    left -= Math.min(left, c.length);
  }
  return Buffer.concat(parts);
}

/**
 * The context variables set (non-empty) in env whose names `searched` holds (those left out of
 * the weak fingerprint: one forced in with --env-input is keyed instead), sorted by name.
 */
export function contextValues(env: readonly string[], searched: ReadonlySet<string>): ContextValue[] {
  const out: ContextValue[] = [];
  for (const kv of env) {
    if (!kv.startsWith('GITHUB_')) continue; // every name in the table starts so: most of env is passed over here
    const eq = kv.indexOf('=');
    const name = kv.slice(0, eq);
    const match = CONTEXT_ENV[name];
    const value = kv.slice(eq + 1);
    if (eq < 0 || !match || !value || !searched.has(name)) continue;
    out.push({ name, value, needle: needleOf(match, value) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Most bytes of a recorded value: GitHub's refs and workflow refs stay far below. */
const MAX_VALUE = 4096;

/** Whether an entry's `context` field (untrusted: it may come from a remote) is well formed. */
export function validContext(context: unknown): boolean {
  if (context === undefined) return true;
  if (!Array.isArray(context) || context.length > Object.keys(CONTEXT_ENV).length) return false;
  const names = new Set<string>();
  for (const c of context as unknown[]) {
    const { name, value } = (c ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || !Object.hasOwn(CONTEXT_ENV, name) || names.has(name)) return false;
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_VALUE) return false;
    names.add(name);
  }
  return true;
}
