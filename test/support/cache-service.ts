// An emulator of GitHub's Actions cache service v2, for tests driven by @actions/cache 6.x: the
// three Twirp JSON methods of github.actions.results.api.v1.CacheService, the scopes a runtime token
// carries, and just enough of the Azure Blob REST protocol for the signed URLs, all on one loopback
// server. Faults and latency can be injected while it runs, and what it saw can be read back.
//
// What @actions/cache calls (read from its lib/ and by logging requests):
//   POST /twirp/github.actions.results.api.v1.CacheService/{CreateCacheEntry,
//        FinalizeCacheEntryUpload,GetCacheEntryDownloadURL}, JSON with proto field names, with
//        "Authorization: Bearer $ACTIONS_RUNTIME_TOKEN" (the client never decodes the token);
//   upload (Azure SDK BlockBlobClient.uploadFile): one PUT with x-ms-blob-type: BlockBlob up to
//        128 MiB, else PUT ?comp=block&blockid=... per 64 MiB block then PUT ?comp=blocklist (XML);
//   download: when the URL's host ends in .blob.core.windows.net (GitHub's case), the Azure SDK:
//        HEAD for the size, then GET with "x-ms-range: bytes=a-b" (an ETag must come back);
//        any other host gets one plain GET with no range (@actions/http-client).
// So by default the signed URLs name <account>.blob.core.windows.net and env() routes that host
// here through HTTP_PROXY, which the Azure SDK honours and @actions/http-client skips for loopback.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Tokens and scopes

/** One cache scope of a runtime token, as GitHub spells it inside the token's `ac` claim. */
export interface CacheScope {
  Scope: string;
  /** bit 1: read, bit 2: write */
  Permission: number;
}

export const READ = 1;
export const WRITE = 2;

/** Which refs a job may write (at most one, like GitHub) and read, in the order reads search them. */
export interface TokenScopes {
  write?: string;
  read?: readonly string[];
}

/** The scopes GitHub would put in a token: a PR job writes refs/pull/N/merge and reads it, then its base. */
export function scopesOf(spec: TokenScopes): CacheScope[] {
  const read = spec.read ?? [];
  const scopes = read.map((s) => ({ Scope: s, Permission: READ | (s === spec.write ? WRITE : 0) }));
  return spec.write === undefined || read.includes(spec.write) ? scopes : [{ Scope: spec.write, Permission: WRITE }, ...scopes];
}

const b64url = (s: string): string => Buffer.from(s).toString('base64url');

/**
 * A JWT-shaped ACTIONS_RUNTIME_TOKEN carrying the scopes in an `ac` claim, a JSON string as on
 * GitHub. Nothing checks its signature: @actions/cache sends it as a bearer token and never reads it.
 */
export function runtimeToken(spec: TokenScopes | readonly CacheScope[]): string {
  const scopes = Array.isArray(spec) ? spec : scopesOf(spec as TokenScopes);
  const now = Math.floor(Date.now() / 1000);
  const payload = { ac: JSON.stringify(scopes), iss: 'vstoken.actions.githubusercontent.com', nbf: now, exp: now + 6 * 3600 };
  return `${b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256' }))}.${b64url(JSON.stringify(payload))}.${b64url('unsigned')}`;
}

/** The scopes of a bearer token, or null when it is not one of ours (the service answers 401). */
export function decodeScopes(authorization: string | undefined): CacheScope[] | null {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload || token.split('.').length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { ac?: unknown };
    const ac: unknown = typeof claims.ac === 'string' ? JSON.parse(claims.ac) : null;
    if (!Array.isArray(ac)) return null;
    const ok = ac.every((s: unknown) => typeof s === 'object' && s !== null
      && typeof (s as CacheScope).Scope === 'string' && typeof (s as CacheScope).Permission === 'number');
    return ok ? (ac as CacheScope[]) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Requests: what a request is, decided from its method, URL and Host alone

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/';
const AZURE_SUFFIX = '.blob.core.windows.net';

export type BlobOp = 'put' | 'block' | 'blocklist' | 'head' | 'get';

export type Route =
  | { type: 'twirp'; method: string; httpMethod: string }
  | { type: 'blob'; op: BlobOp; container: string; blob: string; query: URLSearchParams }
  | { type: 'unknown'; method: string; path: string };

/** What faults and the request log match on. */
export type RequestKind =
  | 'create' | 'finalize' | 'lookup' | 'twirp-other'
  | 'blob-put' | 'blob-block' | 'blob-blocklist' | 'blob-head' | 'blob-get' | 'other';

function blobOp(method: string, comp: string | null): BlobOp | null {
  if (method === 'PUT') return comp === null ? 'put' : comp === 'block' ? 'block' : comp === 'blocklist' ? 'blocklist' : null;
  if (comp !== null) return null;
  return method === 'HEAD' ? 'head' : method === 'GET' ? 'get' : null;
}

/**
 * Routes a request. A blob URL comes either through the proxy in absolute form
 * (http://acct.blob.core.windows.net/container/blob) or straight, IP-style like Azurite
 * (/acct/container/blob); everything under /twirp/ is the cache service.
 */
export function parseRequest(method: string, rawUrl: string, host: string | undefined): Route {
  let url: URL;
  let parts: string[];
  try {
    url = new URL(rawUrl, `http://${host ?? 'localhost'}`);
    parts = url.pathname.split('/').slice(1).map((p) => decodeURIComponent(p));
  } catch {
    return { type: 'unknown', method, path: rawUrl };
  }
  if (url.pathname.startsWith(TWIRP_PREFIX)) return { type: 'twirp', method: url.pathname.slice(TWIRP_PREFIX.length), httpMethod: method };
  const viaAzureHost = url.hostname.endsWith(AZURE_SUFFIX);
  const [container, ...blob] = viaAzureHost ? parts : parts.slice(1);
  const op = blobOp(method, url.searchParams.get('comp'));
  if (!op || !container || blob.length === 0 || blob.some((p) => p === '')) return { type: 'unknown', method, path: url.pathname };
  return { type: 'blob', op, container, blob: blob.join('/'), query: url.searchParams };
}

const TWIRP_KINDS: Record<string, RequestKind> = {
  CreateCacheEntry: 'create', FinalizeCacheEntryUpload: 'finalize', GetCacheEntryDownloadURL: 'lookup',
};

export function kindOf(route: Route): RequestKind {
  if (route.type === 'twirp') return TWIRP_KINDS[route.method] ?? 'twirp-other';
  if (route.type === 'blob') return `blob-${route.op}`;
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// Replies: every answer is a value first, and one function writes it

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const TWIRP_STATUS: Record<string, number> = {
  invalid_argument: 400, malformed: 400, unauthenticated: 401, permission_denied: 403, bad_route: 404,
  not_found: 404, already_exists: 409, failed_precondition: 412, resource_exhausted: 429, internal: 500,
  unknown: 500, unavailable: 503,
};

function json(status: number, value: unknown): Reply {
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(value)) };
}

/** A Twirp error: {code, msg}, whose msg @actions/cache copies into its own error message. */
export function twirpError(code: string, msg: string): Reply {
  return json(TWIRP_STATUS[code] ?? 500, { code, msg });
}

/** An Azure Storage error, XML with the code also in x-ms-error-code as the SDK reads it. */
export function azureError(status: number, code: string, message: string): Reply {
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  return { status, headers: { 'content-type': 'application/xml', 'x-ms-error-code': code }, body: Buffer.from(body) };
}

function reply(res: ServerResponse, r: Reply): void {
  res.writeHead(r.status, { 'content-length': String(r.body.length), ...r.headers });
  res.end(r.body);
}

// ---------------------------------------------------------------------------------------------
// Entries and blobs

export interface EntryInfo {
  id: number;
  key: string;
  version: string;
  scope: string;
  /** bytes of the blob when it was finalized; 0 before */
  size: number;
  createdAt: Date;
  /** finalized entries are the only ones a lookup sees */
  finalized: boolean;
}

interface Entry extends EntryInfo {
  blob: string;
  /** creation order, so that "newest" is exact within one millisecond */
  seq: number;
}

interface Blob {
  data: Buffer | null;
  staged: Map<string, Buffer>;
  etag: string;
  modified: Date;
}

/**
 * The entry a lookup answers: for each readable scope in the token's order (own ref, then base,
 * then default), the exact key, else the newest entry whose key starts with the key (GitHub's docs
 * match the primary key as a prefix too), else each restore key the same way. Version must match.
 */
export function findEntry<E extends EntryInfo & { seq: number }>(
  entries: readonly E[], readable: readonly string[], key: string, restoreKeys: readonly string[], version: string,
): E | undefined {
  for (const scope of readable) {
    const visible = entries.filter((e) => e.finalized && e.scope === scope && e.version === version);
    for (const k of [key, ...restoreKeys]) {
      const exact = visible.find((e) => e.key === k);
      if (exact) return exact;
      const prefixed = visible.filter((e) => e.key.startsWith(k)).sort((a, b) => b.seq - a.seq)[0];
      if (prefixed) return prefixed;
    }
  }
  return undefined;
}

/** The block ids of a Put Block List body, in order; null when it is not one we understand. */
export function parseBlockList(xml: string): string[] | null {
  const inner = /<BlockList>([\s\S]*)<\/BlockList>/.exec(xml)?.[1];
  if (inner === undefined) return null;
  const ids = [...inner.matchAll(/<(Latest|Uncommitted)>([^<]*)<\/\1>/g)].map((m) => m[2]!);
  // Committed blocks would name a previous commit's blocks, which @actions/cache never reuses
  return /<Committed>/.test(inner) ? null : ids;
}

/** A byte range of a blob: x-ms-range wins over Range, as in Azure; null means the whole blob. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!m) return 'invalid';
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || end < start ? 'invalid' : { start, end };
}

// ---------------------------------------------------------------------------------------------
// Signed URLs: a SAS-like query signed with the server's secret, so a client must use the URL given

function signature(secret: Buffer, perm: string, container: string, blob: string, expiry: string): string {
  return createHmac('sha256', secret).update(`${perm}\n${container}/${blob}\n${expiry}`).digest('base64');
}

/** Why a blob request's SAS does not allow it, or null when it does. */
export function sasRefusal(secret: Buffer, route: Extract<Route, { type: 'blob' }>, now: number): string | null {
  const { query, container, blob, op } = route;
  const perm = query.get('sp') ?? '';
  const expiry = query.get('se') ?? '';
  if (query.get('sig') !== signature(secret, perm, container, blob, expiry)) return 'signature mismatch';
  if (!(Date.parse(expiry) > now)) return 'signed URL expired';
  const needs = op === 'get' || op === 'head' ? 'r' : 'w';
  return perm.includes(needs) ? null : `permission ${needs} not granted`;
}

// ---------------------------------------------------------------------------------------------
// Faults

export type FaultEffect =
  /** answer this status (a Twirp or Azure error body), with Retry-After when given */
  | { type: 'status'; status: number; retryAfterSeconds?: number }
  /** never answer and keep the socket open (stop() or dropHung() closes it) */
  | { type: 'hang' }
  /** send the headers of the real answer and keepBytes of its body (default: half), then close */
  | { type: 'truncate'; keepBytes?: number };

export interface Fault {
  kind: RequestKind | readonly RequestKind[];
  effect: FaultEffect;
  /** let this many matching requests through first (default 0) */
  after?: number;
  /** then act on this many (default: all that follow) */
  times?: number;
}

interface ArmedFault extends Fault {
  seen: number;
}

/** Counts the request on every fault of its kind; the first one inside its window acts. */
function pickFault(faults: ArmedFault[], kind: RequestKind): FaultEffect | null {
  let picked: FaultEffect | null = null;
  for (const f of faults) {
    const kinds: readonly RequestKind[] = typeof f.kind === 'string' ? [f.kind] : f.kind;
    if (!kinds.includes(kind)) continue;
    const index = f.seen++;
    const after = f.after ?? 0;
    if (!picked && index >= after && index < after + (f.times ?? Infinity)) picked = f.effect;
  }
  return picked;
}

function faultReply(route: Route, status: number, retryAfterSeconds: number | undefined): Reply {
  const r = route.type === 'blob'
    ? azureError(status, status === 503 ? 'ServerBusy' : status === 500 ? 'InternalError' : 'InjectedFault', 'injected fault')
    : json(status, { code: status === 429 ? 'resource_exhausted' : status === 503 ? 'unavailable' : 'internal', msg: 'injected fault' });
  return retryAfterSeconds === undefined ? r : { ...r, headers: { ...r.headers, 'retry-after': String(retryAfterSeconds) } };
}

// ---------------------------------------------------------------------------------------------
// The server

export interface LoggedRequest {
  method: string;
  kind: RequestKind;
  /** the path without the query, so no signature */
  path: string;
  /** 0 when no status was sent (a hang) */
  status: number;
  outcome: 'answered' | 'fault' | 'hung' | 'truncated';
  /** the latency added to it */
  latencyMs: number;
  /** from arrival to the end of the answer (or to the decision to hang) */
  ms: number;
}

export interface CacheServiceOptions {
  /** added before every answer, faults included */
  latencyMs?: number;
  faults?: Fault[];
  /**
   * 'azure' (default): signed URLs name <account>.blob.core.windows.net, reached through the proxy
   * variables env() sets, so @actions/cache downloads with the Azure SDK as it does on GitHub.
   * 'loopback': signed URLs point straight here (http://127.0.0.1:port/account/...), and
   * @actions/cache downloads them with one plain GET instead.
   */
  blobHost?: 'azure' | 'loopback';
  account?: string;
  /** how long signed URLs stay valid (default an hour) */
  signedUrlTtlMs?: number;
}

export interface CacheService {
  /** http://127.0.0.1:port, no trailing slash */
  readonly url: string;
  /** what @actions/cache needs in process.env (or a child's env) to use this service with token */
  env(token?: string): Record<string, string>;
  setLatency(ms: number): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** every entry, pending ones included, oldest first */
  entries(): EntryInfo[];
  requests(): LoggedRequest[];
  /** CreateCacheEntry calls that reserved an entry */
  uploads(): number;
  /** the stored bytes of the entry saved under key (newest if several scopes or versions) */
  blob(key: string, where?: { scope?: string; version?: string }): Buffer | undefined;
  /** replaces the stored bytes of a finalized entry, the way a hostile writer could */
  tamper(key: string, bytes: Buffer | ((old: Buffer) => Buffer), where?: { scope?: string; version?: string }): void;
  /** closes the sockets of hung requests (the client sees a reset); how many */
  dropHung(): number;
  stop(): Promise<void>;
}

const DEFAULT_TOKEN_SCOPES: TokenScopes = { write: 'refs/heads/main', read: ['refs/heads/main'] };

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A JSON request body as an object; Twirp JSON parsers accept proto and lowerCamel field names. */
function parseJson(body: Buffer): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(body.toString() || '{}');
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function field(o: Record<string, unknown>, proto: string, camel: string): unknown {
  return o[proto] ?? o[camel];
}

export async function start(options: CacheServiceOptions = {}): Promise<CacheService> {
  const secret = randomBytes(32);
  const account = options.account ?? 'pcemulator';
  const container = 'actions-cache';
  const ttl = options.signedUrlTtlMs ?? 3600_000;
  const entries: Entry[] = [];
  const blobs = new Map<string, Blob>();
  const log: LoggedRequest[] = [];
  const hung = new Set<Socket>();
  /** both ends of CONNECT tunnels: the server lets go of them, so stop() closes them itself */
  const tunnels = new Set<Socket>();
  let faults: ArmedFault[] = (options.faults ?? []).map((f) => ({ ...f, seen: 0 }));
  let latencyMs = options.latencyMs ?? 0;
  let uploads = 0;
  let nextId = 1;
  let etags = 0;
  let base = '';

  const blobUrl = (blob: string, perm: string): string => {
    const expiry = new Date(Date.now() + ttl).toISOString();
    const q = new URLSearchParams({ sv: '2024-11-04', sr: 'b', sp: perm, se: expiry, sig: signature(secret, perm, container, blob, expiry) });
    const path = `${container}/${encodeURIComponent(blob)}?${q}`;
    return options.blobHost === 'loopback' ? `${base}/${account}/${path}` : `http://${account}${AZURE_SUFFIX}/${path}`;
  };

  const commit = (b: Blob, data: Buffer): void => {
    b.data = data;
    b.staged.clear();
    b.etag = `"0x${(++etags).toString(16).toUpperCase().padStart(15, '8')}"`;
    b.modified = new Date();
  };

  // --- the three Twirp methods; each returns its answer and changes the state it owns

  const twirp = (method: string, scopes: CacheScope[], body: Record<string, unknown>): Reply => {
    const key = field(body, 'key', 'key');
    const version = field(body, 'version', 'version');
    if (typeof key !== 'string' || key === '' || typeof version !== 'string' || version === '') {
      return twirpError('invalid_argument', 'key and version are required');
    }
    const writable = scopes.find((s) => (s.Permission & WRITE) !== 0)?.Scope;
    switch (method) {
      case 'CreateCacheEntry': {
        // GitHub answers a read-only token with ok:false and this prefix, which @actions/cache
        // turns into a CacheWriteDeniedError
        if (writable === undefined) return json(200, { ok: false, signed_upload_url: '', message: 'cache write denied: token has no writable scopes' });
        // a pending entry blocks too: "another job may be creating this cache"
        if (entries.some((e) => e.key === key && e.version === version && e.scope === writable)) {
          return twirpError('already_exists', 'cache entry with the same key, version, and scope already exists');
        }
        const id = nextId++;
        const entry: Entry = { id, key, version, scope: writable, size: 0, createdAt: new Date(), finalized: false, blob: `entry-${id}`, seq: id };
        entries.push(entry);
        blobs.set(entry.blob, { data: null, staged: new Map(), etag: '', modified: new Date() });
        uploads++;
        return json(200, { ok: true, signed_upload_url: blobUrl(entry.blob, 'cw') });
      }
      case 'FinalizeCacheEntryUpload': {
        if (writable === undefined) return json(200, { ok: false, entry_id: '0', message: 'cache write denied: token has no writable scopes' });
        const entry = entries.find((e) => e.key === key && e.version === version && e.scope === writable && !e.finalized);
        if (!entry) return twirpError('not_found', 'cache entry not found');
        const data = blobs.get(entry.blob)?.data;
        if (!data) return twirpError('failed_precondition', 'the blob was not uploaded');
        // stricter than GitHub may be: a size that is not the blob's is a client bug worth seeing
        const size = Number(field(body, 'size_bytes', 'sizeBytes') ?? 0);
        if (size !== data.length) return twirpError('invalid_argument', `size_bytes ${size} is not the uploaded ${data.length}`);
        entry.finalized = true;
        entry.size = data.length;
        return json(200, { ok: true, entry_id: String(entry.id) });
      }
      case 'GetCacheEntryDownloadURL': {
        const readable = scopes.filter((s) => (s.Permission & READ) !== 0).map((s) => s.Scope);
        if (readable.length === 0) return twirpError('permission_denied', 'cache read denied: token has no readable scopes');
        const restore = field(body, 'restore_keys', 'restoreKeys') ?? [];
        if (!Array.isArray(restore) || !restore.every((k): k is string => typeof k === 'string')) return twirpError('invalid_argument', 'restore_keys must be strings');
        const hit = findEntry(entries, readable, key, restore, version);
        if (!hit) return json(200, { ok: false, signed_download_url: '', matched_key: '' });
        return json(200, { ok: true, signed_download_url: blobUrl(hit.blob, 'r'), matched_key: hit.key });
      }
      default:
        return twirpError('bad_route', `no such method ${method}`);
    }
  };

  const twirpRequest = (route: Extract<Route, { type: 'twirp' }>, req: IncomingMessage, body: Buffer): Reply => {
    if (route.httpMethod !== 'POST') return twirpError('bad_route', `${route.httpMethod} is not POST`);
    const scopes = decodeScopes(req.headers.authorization);
    if (!scopes) return twirpError('unauthenticated', 'the runtime token is missing or not a JWT with an ac claim');
    const parsed = parseJson(body);
    return parsed ? twirp(route.method, scopes, parsed) : twirpError('malformed', 'the body is not a JSON object');
  };

  // --- the blob endpoints

  const blobHeaders = (b: Blob): Record<string, string> => ({
    etag: b.etag, 'last-modified': b.modified.toUTCString(), 'x-ms-blob-type': 'BlockBlob',
    'accept-ranges': 'bytes', 'x-ms-version': '2024-11-04', 'x-ms-request-server-encrypted': 'true',
  });

  const blobRequest = (route: Extract<Route, { type: 'blob' }>, req: IncomingMessage, body: Buffer): Reply => {
    const refusal = sasRefusal(secret, route, Date.now());
    if (refusal) return azureError(403, 'AuthenticationFailed', refusal);
    const b = route.container === container ? blobs.get(route.blob) : undefined;
    if (!b) return azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
    const entry = entries.find((e) => e.blob === route.blob);
    if (route.op === 'put' || route.op === 'block' || route.op === 'blocklist') {
      // entries are immutable once finalized; tests alter them through tamper() only
      if (entry?.finalized) return azureError(409, 'EntryFinalized', 'The cache entry is finalized and cannot be written.');
      if (route.op === 'put') {
        if (req.headers['x-ms-blob-type'] !== 'BlockBlob') return azureError(400, 'MissingRequiredHeader', 'x-ms-blob-type: BlockBlob is required');
        commit(b, body);
        return { status: 201, headers: blobHeaders(b), body: Buffer.alloc(0) };
      }
      if (route.op === 'block') {
        const id = route.query.get('blockid');
        if (!id) return azureError(400, 'InvalidQueryParameterValue', 'blockid is required');
        b.staged.set(id, body);
        return { status: 201, headers: { 'x-ms-request-server-encrypted': 'true' }, body: Buffer.alloc(0) };
      }
      const ids = parseBlockList(body.toString());
      const parts = ids?.map((id) => b.staged.get(id));
      if (!parts || parts.some((p) => p === undefined)) return azureError(400, 'InvalidBlockList', 'The specified block list is invalid.');
      commit(b, Buffer.concat(parts as Buffer[]));
      return { status: 201, headers: blobHeaders(b), body: Buffer.alloc(0) };
    }
    if (!b.data || !entry?.finalized) return azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
    if (route.op === 'head') {
      // no body, and the blob's length in Content-Length: reply() lets a header override its own
      return { status: 200, headers: { ...blobHeaders(b), 'content-type': 'application/octet-stream', 'content-length': String(b.data.length) }, body: Buffer.alloc(0) };
    }
    const header = req.headers['x-ms-range'] ?? req.headers.range;
    const range = parseRange(Array.isArray(header) ? header[0] : header, b.data.length);
    if (range === 'invalid') return azureError(416, 'InvalidRange', 'The range specified is invalid for the current size of the resource.');
    const headers = { ...blobHeaders(b), 'content-type': 'application/octet-stream' };
    if (!range) return { status: 200, headers, body: b.data };
    return {
      status: 206, body: b.data.subarray(range.start, range.end + 1),
      headers: { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${b.data.length}` },
    };
  };

  // --- one request: route, wait, maybe fault, answer, log

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const t0 = Date.now();
    const route = parseRequest(req.method ?? 'GET', req.url ?? '/', req.headers.host);
    const kind = kindOf(route);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const delay = latencyMs;
    const record = (status: number, outcome: LoggedRequest['outcome']): void => {
      log.push({ method: req.method ?? '', kind, path, status, outcome, latencyMs: delay, ms: Date.now() - t0 });
    };
    const body = await readBody(req);
    if (delay > 0) await sleep(delay);
    const effect = pickFault(faults, kind);
    if (effect?.type === 'hang') {
      hung.add(req.socket);
      req.socket.once('close', () => hung.delete(req.socket));
      record(0, 'hung');
      return;
    }
    if (effect?.type === 'status') {
      reply(res, faultReply(route, effect.status, effect.retryAfterSeconds));
      record(effect.status, 'fault');
      return;
    }
    const r = route.type === 'twirp' ? twirpRequest(route, req, body)
      : route.type === 'blob' ? blobRequest(route, req, body)
      : azureError(400, 'UnsupportedRequest', `${route.method} ${route.path} is not emulated`);
    if (effect?.type === 'truncate') {
      // the full length is promised and fewer bytes come before the close, as a dropped transfer
      const keep = Math.min(effect.keepBytes ?? Math.floor(r.body.length / 2), r.body.length);
      res.writeHead(r.status, { 'content-length': String(r.body.length), ...r.headers });
      res.write(r.body.subarray(0, keep), () => res.socket?.destroy());
      record(r.status, 'truncated');
      return;
    }
    reply(res, r);
    record(r.status, 'answered');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) reply(res, azureError(500, 'InternalError', String(err)));
    });
  });
  // a CONNECT to the blob host on port 80 (@actions/http-client tunnels even plain http through a
  // proxy) is a tunnel back to this server; anything else would be https, which it cannot speak
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (!/\.blob\.core\.windows\.net:80$/.test(req.url ?? '')) {
      socket.end('HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const inner = connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) inner.write(head);
      inner.pipe(socket);
      socket.pipe(inner);
    });
    const close = (): void => { inner.destroy(); socket.destroy(); };
    inner.on('error', close);
    socket.on('error', close);
    for (const t of [inner, socket]) {
      tunnels.add(t);
      t.on('close', () => tunnels.delete(t));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const pick = (key: string, where: { scope?: string; version?: string } = {}): Entry | undefined =>
    entries.filter((e) => e.key === key && (where.scope === undefined || e.scope === where.scope)
      && (where.version === undefined || e.version === where.version)).sort((a, b) => b.seq - a.seq)[0];

  return {
    url: base,
    env(token = runtimeToken(DEFAULT_TOKEN_SCOPES)) {
      const env: Record<string, string> = {
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_RESULTS_URL: `${base}/`,
        ACTIONS_RUNTIME_TOKEN: token,
        // a GITHUB_SERVER_URL that is not github.com would mean GHES, where @actions/cache uses v1
        GITHUB_SERVER_URL: 'https://github.com',
      };
      if (options.blobHost === 'loopback') return env;
      // the Azure SDK prefers HTTPS_PROXY to HTTP_PROXY even for http URLs, so both point here;
      // @actions/http-client (the Twirp calls) never proxies loopback
      for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) env[name] = base;
      return env;
    },
    setLatency(ms) { latencyMs = ms; },
    addFault(fault) { faults.push({ ...fault, seen: 0 }); },
    clearFaults() { faults = []; },
    entries: () => entries.map(({ id, key, version, scope, size, createdAt, finalized }) => ({ id, key, version, scope, size, createdAt, finalized })),
    requests: () => log.map((r) => ({ ...r })),
    uploads: () => uploads,
    blob(key, where) {
      const e = pick(key, where);
      const data = e ? blobs.get(e.blob)?.data : undefined;
      return data ? Buffer.from(data) : undefined;
    },
    tamper(key, bytes, where) {
      const e = pick(key, where);
      const b = e?.finalized ? blobs.get(e.blob) : undefined;
      if (!b?.data) throw new Error(`no finalized entry ${key} to tamper with`);
      commit(b, typeof bytes === 'function' ? bytes(Buffer.from(b.data)) : bytes);
    },
    dropHung() {
      const n = hung.size;
      for (const s of hung) s.destroy();
      hung.clear();
      return n;
    },
    stop() {
      for (const s of [...hung, ...tunnels]) s.destroy();
      hung.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // keep-alive and hung connections would hold close() open, and the test process with it
      server.closeAllConnections();
      return closed;
    },
  };
}
