// The koffi binding to native/lib.c, and where the built library and helper live.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import koffi from 'koffi';
import { SPEC_MAGIC } from './protocol.js';

export interface NativeTracer {
  /** Forks a tracer process; the channel is a socket for the spec and the events. The tracer
   * keeps inherit (the caller's fds >= 3, ascending) for the command and closes Node's others. */
  forkTracer(inherit: readonly number[]): { pid: number; channel: number };
  listen(path: string): number;
  /** Waits (off Node's event loop) for the tracer program to connect; hands it fds 0-2 and
   * inherit (ascending, at most PASS_FDS_MAX - 3). */
  acceptTracer(listener: number, timeoutMs: number, inherit: readonly number[]): Promise<number>;
  close(fd: number): void;
  /** The tracer's wait status, or null while it still runs (nohang). */
  reap(pid: number, nohang: boolean): number | null;
  /** The standalone tracer program, for running it privileged through sudo. */
  helperPath: string;
  libraryPath: string;
}

export class NativeError extends Error {}

/** The most fds one SCM_RIGHTS message carries to a tracer started through sudo, 0-2 included. */
export const PASS_FDS_MAX = 253;

function archDir(): string {
  if (process.platform !== 'linux') throw new NativeError(`processcache runs on Linux only, not ${process.platform}`);
  if (process.arch === 'x64') return 'x64';
  if (process.arch === 'arm64') return 'arm64';
  throw new NativeError(`processcache traces x86_64 and aarch64 only, not ${process.arch}`);
}

/** dist/native/ARCH next to the bundle, or native/build/ARCH in a source checkout. */
export function findNativeDir(): string {
  const arch = archDir();
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env.PROCESSCACHE_NATIVE_DIR,
    join(here, 'native', arch),
    join(here, '..', '..', 'native', 'build', arch),
    join(here, '..', 'native', 'build', arch),
  ].filter((c): c is string => Boolean(c));
  const found = candidates.find((dir) => existsSync(join(dir, 'libpctrace.so')));
  if (!found) {
    throw new NativeError(`the native tracer is not built (looked in ${candidates.join(', ')}); run \`npm run build\``);
  }
  return found;
}

let cached: NativeTracer | undefined;

function errnoMessage(code: number, what: string): NativeError {
  return new NativeError(`${what} failed: errno ${-code}`);
}

export interface NativeLibrary {
  lib: koffi.IKoffiLib;
  dir: string;
  path: string;
}

let library: NativeLibrary | undefined;

/** libpctrace.so, loaded once and checked to be this version's: the tracer's binding and the
 * restore's (src/memo/safe-fs.ts) share it. */
export function nativeLibrary(): NativeLibrary {
  if (library) return library;
  const dir = findNativeDir();
  const path = join(dir, 'libpctrace.so');
  const lib = koffi.load(path);
  const abi = lib.func('int pct_abi_version(void)');
  if ((abi() as number) >>> 0 !== SPEC_MAGIC) throw new NativeError(`${path} is from another version; run \`npm run build\``);
  library = { lib, dir, path };
  return library;
}

export function loadNative(): NativeTracer {
  if (cached) return cached;
  const { lib, dir, path: libraryPath } = nativeLibrary();
  const forkTracer = lib.func('int pct_fork_tracer(_Out_ int *channel, const int *inherit, int ninherit)');
  const listen = lib.func('int pct_listen(const char *path)');
  const accept = lib.func('int pct_accept_tracer(int listener, int timeout_ms, const int *inherit, int ninherit)');
  const close = lib.func('int pct_close(int fd)');
  const reap = lib.func('int pct_reap(int pid, int nohang)');
  cached = {
    libraryPath,
    helperPath: join(dir, 'pctrace'),
    forkTracer(inherit) {
      const out = [0];
      const pid = forkTracer(out, Int32Array.from(inherit), inherit.length) as number;
      if (pid < 0) throw errnoMessage(pid, 'starting the tracer');
      return { pid, channel: out[0]! };
    },
    listen(path) {
      const fd = listen(path) as number;
      if (fd < 0) throw errnoMessage(fd, `listening on ${path}`);
      return fd;
    },
    acceptTracer(listener, timeoutMs, inherit) {
      const fds = Int32Array.from(inherit); // held by this closure until the call returns
      return new Promise((resolveFd, reject) => {
        accept.async(listener, timeoutMs, fds, fds.length, (err: unknown, fd: number) => {
          if (err) reject(err instanceof Error ? err : new NativeError(String(err)));
          else if (fd < 0) reject(errnoMessage(fd, 'waiting for the tracer program'));
          else resolveFd(fd);
        });
      });
    },
    close(fd) {
      close(fd);
    },
    reap(pid, nohang) {
      const status = reap(pid, nohang ? 1 : 0) as number;
      if (status === -1) return null;
      return status;
    },
  };
  return cached;
}
