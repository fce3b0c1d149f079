#!/usr/bin/env node
const __pcMetaUrl = require('node:url').pathToFileURL(__filename).href;
"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// src/trace/protocol.ts
function encodeSpec(spec) {
  const strings = Buffer.from([spec.exe, spec.cwd, ...spec.argv, ...spec.env].map((s) => `${s}\0`).join(""));
  const header = Buffer.alloc(36 + 4 * spec.groups.length);
  const fields = [
    SPEC_MAGIC,
    spec.flags,
    spec.uid,
    spec.gid,
    spec.umask,
    spec.groups.length,
    spec.argv.length,
    spec.env.length,
    strings.length
  ];
  fields.forEach((v, i) => header.writeUInt32LE(v >>> 0, i * 4));
  spec.groups.forEach((g, i) => header.writeUInt32LE(g >>> 0, 36 + i * 4));
  return Buffer.concat([header, strings]);
}
function payloadStrings(payload) {
  const out = [];
  for (let start = 0, nul; (nul = payload.indexOf(0, start)) >= 0; start = nul + 1) {
    out.push(payload.toString("utf8", start, nul));
  }
  return out;
}
function decodeExecQuery(ev) {
  const [exe = "", cwd = "", k0 = "", k1 = "", k2 = "", s1 = "", s2 = "", ...rest] = payloadStrings(ev.payload);
  return {
    pid: ev.pid,
    tid: ev.value,
    exe,
    cwd,
    stdio: [k0, k1, k2],
    streams: [s1, s2],
    argv: rest.slice(0, ev.kind),
    env: rest.slice(ev.kind, ev.kind + ev.aux),
    umask: ev.op === UMASK_UNKNOWN ? null : ev.op
  };
}
function encodeExecReply(decision) {
  const chunks = decision.skip ? decision.output : [];
  const head = Buffer.alloc(16);
  head.writeUInt32LE(REPLY_MAGIC, 0);
  head.writeUInt32LE(decision.skip ? 1 : 0, 4);
  head.writeInt32LE(decision.skip ? decision.exitCode : 0, 8);
  head.writeUInt32LE(chunks.length, 12);
  const parts = [head];
  for (const c of chunks) {
    const h = Buffer.alloc(8);
    h.writeUInt32LE(c.fd, 0);
    h.writeUInt32LE(c.data.length, 4);
    parts.push(h, c.data);
  }
  return Buffer.concat(parts);
}
var SPEC_MAGIC, SPEC_DROP_PRIVILEGES, SPEC_NO_NEW_PRIVS, SPEC_NO_NOTIFY, SPEC_DECIDE_EXEC, REPLY_MAGIC, EventType, ACCESS_OPS, HEADER, EventDecoder, UMASK_UNKNOWN;
var init_protocol = __esm({
  "src/trace/protocol.ts"() {
    "use strict";
    SPEC_MAGIC = 1885566001;
    SPEC_DROP_PRIVILEGES = 1;
    SPEC_NO_NEW_PRIVS = 2;
    SPEC_NO_NOTIFY = 4;
    SPEC_DECIDE_EXEC = 8;
    REPLY_MAGIC = 1885566034;
    EventType = {
      start: 1,
      exec: 2,
      spawn: 3,
      exit: 4,
      access: 5,
      flag: 6,
      nondet: 7,
      output: 8,
      error: 9,
      warn: 10,
      done: 11,
      thread: 12,
      execQuery: 13
    };
    ACCESS_OPS = [
      "",
      "read",
      "write",
      "create",
      "truncate",
      "probe",
      "list",
      "readlink",
      "exec",
      "chdir",
      "rename",
      "delete",
      "mkdir",
      "rmdir",
      "symlink",
      "link",
      "chmod",
      "utime",
      "mknod",
      "stdin",
      "dup"
    ];
    HEADER = 32;
    EventDecoder = class {
      pending = [];
      pendingLength = 0;
      push(chunk) {
        this.pending.push(chunk);
        this.pendingLength += chunk.length;
        if (this.pendingLength < HEADER) return [];
        let buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
        const events = [];
        let at = 0;
        while (buf.length - at >= HEADER) {
          const len = buf.readUInt32LE(at);
          if (len < HEADER) throw new Error(`corrupt tracer stream: record of ${len} bytes`);
          if (buf.length - at < len) break;
          events.push({
            type: buf.readUInt16LE(at + 4),
            op: buf.readUInt16LE(at + 6),
            pid: buf.readInt32LE(at + 8),
            value: buf.readInt32LE(at + 12),
            timeNs: buf.readBigUInt64LE(at + 16),
            kind: buf.readUInt32LE(at + 24),
            aux: buf.readUInt32LE(at + 28),
            payload: buf.subarray(at + HEADER, at + len)
          });
          at += len;
        }
        buf = buf.subarray(at);
        this.pending = buf.length ? [buf] : [];
        this.pendingLength = buf.length;
        return events;
      }
      get leftover() {
        return this.pendingLength;
      }
    };
    UMASK_UNKNOWN = 65535;
  }
});

// src/trace/builder.ts
function errnoName(err) {
  return err === 0 ? "ok" : ERRNO_NAMES.get(err) ?? `errno${err}`;
}
function nsToMs(ns) {
  return Math.round(Number(ns) / 1e3) / 1e3;
}
function pushUnique(list, item) {
  if (!list.includes(item)) list.push(item);
}
var import_node_os, ERRNO_NAMES, FILE_TYPES, TraceBuilder;
var init_builder = __esm({
  "src/trace/builder.ts"() {
    "use strict";
    import_node_os = require("node:os");
    init_protocol();
    ERRNO_NAMES = new Map(
      Object.entries(import_node_os.constants.errno).map(([name, num]) => [num, name])
    );
    FILE_TYPES = {
      1: "fifo",
      2: "char",
      4: "dir",
      6: "block",
      8: "file",
      10: "symlink",
      12: "socket"
    };
    TraceBuilder = class {
      executions = [];
      errors = [];
      warnings = [];
      log = [];
      /** each execution's direct children */
      childrenByParent = /* @__PURE__ */ new Map();
      /** positions in the log of each execution's items */
      logOfExec = /* @__PURE__ */ new Map();
      /** called when an execution's process has ended (innermost first in an exec chain) */
      onExecutionEnd = null;
      /** called for every access as it arrives, with its execution, its position in the log and, for
       * a change, the earliest it can have begun (ns on the tracer's clock, see tracerStartNs) */
      onAccessSeen = null;
      /** CLOCK_MONOTONIC when the tracer started, from which event times count (null: not said) */
      tracerStartNs = null;
      /** called when a program has started in a process */
      onExecutionStart = null;
      rootPid = null;
      rootStatus = null;
      done = false;
      executionOfPid = /* @__PURE__ */ new Map();
      /** threads, whose ids the notification events carry, to their process */
      processOfThread = /* @__PURE__ */ new Map();
      listings = /* @__PURE__ */ new Map();
      add(ev) {
        const owner = this.processOfThread.get(ev.pid);
        if (owner !== void 0) ev = { ...ev, pid: owner };
        switch (ev.type) {
          case EventType.start:
            this.rootPid = ev.pid;
            if (ev.payload.length >= 8) this.tracerStartNs = ev.payload.readBigUInt64LE(0);
            break;
          case EventType.exec:
            this.onExec(ev);
            break;
          case EventType.spawn: {
            const parent = this.executionOfPid.get(ev.pid);
            if (parent) this.executionOfPid.set(ev.value, parent);
            this.processOfThread.delete(ev.value);
            break;
          }
          case EventType.thread:
            this.processOfThread.set(ev.value, ev.pid);
            break;
          case EventType.exit:
            this.onExit(ev);
            break;
          case EventType.access:
            this.onAccess(ev);
            break;
          case EventType.flag:
            this.tag(ev, "flags");
            break;
          case EventType.nondet:
            this.tag(ev, "nondeterminism");
            break;
          case EventType.output: {
            const exec = this.executionOfPid.get(ev.pid);
            if (!exec) break;
            exec.output.push({ fd: ev.op, bytes: ev.payload.length });
            this.append({ exec: exec.id, kind: "output", fd: ev.op, data: Buffer.from(ev.payload) });
            break;
          }
          case EventType.error:
            this.errors.push(payloadStrings(ev.payload)[0] ?? "unknown tracer error");
            break;
          case EventType.warn:
            this.warnings.push(payloadStrings(ev.payload)[0] ?? "");
            break;
          case EventType.done:
            this.done = true;
            break;
          default:
            this.errors.push(`unknown tracer event ${ev.type}`);
        }
      }
      onExec(ev) {
        const [exe = "", cwd = "", k0, k1, k2, s1 = "", s2 = "", ...argv] = payloadStrings(ev.payload);
        const parent = this.executionOfPid.get(ev.pid) ?? null;
        const exec = {
          id: this.executions.length,
          parent: parent ? parent.id : null,
          pid: ev.pid,
          exe,
          argv,
          cwd,
          exitCode: null,
          signal: null,
          startMs: nsToMs(ev.timeNs),
          endMs: null,
          accesses: [{ op: "exec", path: exe, result: "ok" }],
          flags: [],
          nondeterminism: [],
          stdio: { "0": k0, "1": k1, "2": k2 },
          streams: [s1, s2],
          output: []
        };
        this.adopt(exec);
        this.executionOfPid.set(ev.pid, exec);
        this.append({ exec: exec.id, kind: "access", access: exec.accesses[0] });
        this.onExecutionStart?.(exec);
      }
      /** A program that was not run: its process ends with the recorded status instead. */
      addSkipped(query, exitCode, output, timeMs, tag) {
        const parent = this.executionOfPid.get(query.pid) ?? null;
        const exec = {
          id: this.executions.length,
          parent: parent ? parent.id : null,
          pid: query.pid,
          exe: query.exe,
          argv: query.argv,
          cwd: query.cwd,
          exitCode,
          signal: null,
          startMs: timeMs,
          endMs: null,
          accesses: [],
          flags: [],
          nondeterminism: [],
          stdio: { "0": query.stdio[0], "1": query.stdio[1], "2": query.stdio[2] },
          streams: query.streams,
          output: output.map((o) => ({ fd: o.fd, bytes: o.data.length })),
          skipped: true
        };
        this.adopt(exec);
        this.executionOfPid.set(query.pid, exec);
        this.append({ exec: exec.id, kind: "replayed", tag });
        return exec;
      }
      onExit(ev) {
        const signaled = ev.op === 1;
        const ended = [];
        for (const exec of this.executions) {
          if (exec.pid === ev.pid && exec.endMs === null) {
            exec.endMs = nsToMs(ev.timeNs);
            exec.exitCode = signaled ? null : ev.value;
            exec.signal = signaled ? ev.value : null;
            ended.push(exec);
          }
        }
        this.executionOfPid.delete(ev.pid);
        for (const exec of ended.reverse()) this.onExecutionEnd?.(exec);
        if (ev.pid === this.rootPid) {
          this.rootStatus = { exitCode: signaled ? null : ev.value, signal: signaled ? ev.value : null };
        }
      }
      adopt(exec) {
        this.executions.push(exec);
        if (exec.parent === null) return;
        const siblings = this.childrenByParent.get(exec.parent);
        if (siblings) siblings.push(exec);
        else this.childrenByParent.set(exec.parent, [exec]);
      }
      childrenOf(exec) {
        return this.childrenByParent.get(exec.id) ?? [];
      }
      append(item) {
        const at = this.log.push(item) - 1;
        const mine = this.logOfExec.get(item.exec);
        if (mine) mine.push(at);
        else this.logOfExec.set(item.exec, [at]);
        return at;
      }
      /** Where in the log an execution began (its exec, or its replay). */
      startOf(exec) {
        return this.logOfExec.get(exec)?.[0] ?? 0;
      }
      /** The execution a process runs now (for a process about to exec: its parent's). */
      executionOf(pid) {
        return this.executionOfPid.get(pid) ?? null;
      }
      /** One execution's own items (its process and forks that did not exec) with their positions. */
      ownLog(exec) {
        return (this.logOfExec.get(exec) ?? []).map((i) => [i, this.log[i]]);
      }
      /** Is exec, or one of its descendants, still running in a process other than exec's own? */
      hasLiveDescendant(exec) {
        for (const [pid, e] of this.executionOfPid) {
          if (pid !== exec.pid && this.isWithin(e, exec.id)) return true;
        }
        return false;
      }
      isWithin(exec, ancestor) {
        for (let e = exec; e; e = e.parent === null ? void 0 : this.executions[e.parent]) {
          if (e.id === ancestor) return true;
        }
        return false;
      }
      tag(ev, field) {
        const exec = this.executionOfPid.get(ev.pid);
        const text = payloadStrings(ev.payload)[0];
        if (exec && text) pushUnique(exec[field], text);
      }
      onAccess(ev) {
        const exec = this.executionOfPid.get(ev.pid);
        const op = ACCESS_OPS[ev.op];
        if (!exec || !op) return;
        const [path, second, ...rest] = payloadStrings(ev.payload);
        const access = { op, result: errnoName(ev.value) };
        if (path !== void 0 && op !== "stdin" && op !== "dup") access.path = path;
        switch (op) {
          case "probe": {
            const type = FILE_TYPES[ev.kind];
            if (type) access.type = type;
            break;
          }
          case "list": {
            const key = `${exec.id}\0${path}`;
            const names = [second, ...rest].filter((n) => n !== void 0);
            const earlier = this.listings.get(key);
            if (earlier) {
              earlier.names = [.../* @__PURE__ */ new Set([...earlier.names ?? [], ...names])].sort();
              return;
            }
            access.names = [...new Set(names)].sort();
            this.listings.set(key, access);
            break;
          }
          case "rename":
          case "link":
            if (second !== void 0) access.to = second;
            break;
          case "symlink":
          case "readlink":
            if (second !== void 0) access.target = second;
            break;
          case "dup":
            access.fd = ev.kind;
            access.to = ev.aux;
            break;
          case "create":
            if (ev.kind === 1) access.truncates = true;
            break;
          default:
            break;
        }
        exec.accesses.push(access);
        const at = this.append({ exec: exec.id, kind: "access", access });
        this.onAccessSeen?.(access, exec.id, at, ev.aux > 0 && op !== "dup" ? Number(ev.timeNs) - ev.aux * 1e3 : void 0);
      }
      /** Now, on the tracer's clock (null when the tracer did not say when it started). */
      nowNs() {
        return this.tracerStartNs === null ? null : Number(process.hrtime.bigint() - this.tracerStartNs);
      }
    };
  }
});

// scripts/bundle/koffi-addon.cjs
var require_koffi_addon = __commonJS({
  "scripts/bundle/koffi-addon.cjs"(exports2, module2) {
    "use strict";
    function load() {
      if (process.arch === "x64") {
        try {
          return require("./koffi-I2L24DCT.node");
        } catch {
          return require("./koffi-WJIFKEBE.node");
        }
      }
      if (process.arch === "arm64") {
        try {
          return require("./koffi-CSAVKOXE.node");
        } catch {
          return require("./koffi-L4IHAKC4.node");
        }
      }
      throw new Error(`processcache traces x86_64 and aarch64 only, not ${process.arch}`);
    }
    module2.exports = load();
  }
});

// src/trace/native.ts
function archDir() {
  if (process.platform !== "linux") throw new NativeError(`processcache runs on Linux only, not ${process.platform}`);
  if (process.arch === "x64") return "x64";
  if (process.arch === "arm64") return "arm64";
  throw new NativeError(`processcache traces x86_64 and aarch64 only, not ${process.arch}`);
}
function findNativeDir() {
  const arch2 = archDir();
  const here = (0, import_node_path.dirname)((0, import_node_url.fileURLToPath)(__pcMetaUrl));
  const candidates = [
    process.env.PROCESSCACHE_NATIVE_DIR,
    (0, import_node_path.join)(here, "native", arch2),
    (0, import_node_path.join)(here, "..", "..", "native", "build", arch2),
    (0, import_node_path.join)(here, "..", "native", "build", arch2)
  ].filter((c) => Boolean(c));
  const found = candidates.find((dir) => (0, import_node_fs.existsSync)((0, import_node_path.join)(dir, "libpctrace.so")));
  if (!found) {
    throw new NativeError(`the native tracer is not built (looked in ${candidates.join(", ")}); run \`npm run build\``);
  }
  return found;
}
function errnoMessage(code, what) {
  return new NativeError(`${what} failed: errno ${-code}`);
}
function loadNative() {
  if (cached) return cached;
  const dir = findNativeDir();
  const libraryPath = (0, import_node_path.join)(dir, "libpctrace.so");
  const lib = import_koffi.default.load(libraryPath);
  const abi = lib.func("int pct_abi_version(void)");
  if (abi() >>> 0 !== 1885566001) throw new NativeError(`${libraryPath} is from another version; run \`npm run build\``);
  const forkTracer = lib.func("int pct_fork_tracer(_Out_ int *channel)");
  const listen = lib.func("int pct_listen(const char *path)");
  const accept = lib.func("int pct_accept_tracer(int listener, int timeout_ms)");
  const close = lib.func("int pct_close(int fd)");
  const reap = lib.func("int pct_reap(int pid, int nohang)");
  cached = {
    libraryPath,
    helperPath: (0, import_node_path.join)(dir, "pctrace"),
    forkTracer() {
      const out = [0];
      const pid = forkTracer(out);
      if (pid < 0) throw errnoMessage(pid, "starting the tracer");
      return { pid, channel: out[0] };
    },
    listen(path) {
      const fd = listen(path);
      if (fd < 0) throw errnoMessage(fd, `listening on ${path}`);
      return fd;
    },
    acceptTracer(listener, timeoutMs) {
      return new Promise((resolveFd, reject) => {
        accept.async(listener, timeoutMs, (err, fd) => {
          if (err) reject(err instanceof Error ? err : new NativeError(String(err)));
          else if (fd < 0) reject(errnoMessage(fd, "waiting for the tracer program"));
          else resolveFd(fd);
        });
      });
    },
    close(fd) {
      close(fd);
    },
    reap(pid, nohang) {
      const status = reap(pid, nohang ? 1 : 0);
      if (status === -1) return null;
      return status;
    }
  };
  return cached;
}
var import_node_fs, import_node_path, import_node_url, import_koffi, NativeError, cached;
var init_native = __esm({
  "src/trace/native.ts"() {
    "use strict";
    import_node_fs = require("node:fs");
    import_node_path = require("node:path");
    import_node_url = require("node:url");
    import_koffi = __toESM(require_koffi_addon(), 1);
    NativeError = class extends Error {
    };
  }
});

// src/trace/session.ts
function resolveProgram(name, env, cwd) {
  const executable = (p) => {
    try {
      (0, import_node_fs2.accessSync)(p, import_node_fs2.constants.X_OK);
      return (0, import_node_fs2.statSync)(p).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes("/")) {
    const full = (0, import_node_path2.resolve)(cwd, name);
    if (!executable(full)) throw new TraceError(`${name}: no such executable file`);
    return full;
  }
  const dirs = (env.PATH ?? "/usr/local/bin:/usr/bin:/bin").split(import_node_path2.delimiter);
  for (const dir of dirs) {
    const full = (0, import_node_path2.resolve)(cwd, dir || ".", name);
    if (executable(full)) return full;
  }
  throw new TraceError(`${name}: command not found in PATH`);
}
function envList(env) {
  return Object.entries(env).filter((e) => e[1] !== void 0).map(([k, v]) => `${k}=${v}`);
}
function currentUmask() {
  const mask = process.umask(18);
  process.umask(mask);
  return mask;
}
function hasPasswordlessSudo() {
  const r = (0, import_node_child_process.spawnSync)("sudo", ["-n", "true"], { stdio: "ignore", timeout: 1e4 });
  return r.status === 0;
}
function startForked(native) {
  const { pid, channel } = native.forkTracer();
  const socket = new import_node_net.Socket({ fd: channel, readable: true, writable: true });
  return {
    socket,
    privileged: false,
    exit: null,
    finish() {
      native.reap(pid, true);
    },
    async postmortem() {
      const status = native.reap(pid, false);
      if (status === null) return "it closed its channel";
      const signal = status & 127;
      return signal ? `it was killed by signal ${signal}` : `it exited with status ${status >> 8 & 255}`;
    }
  };
}
async function startProgram(native, program, sudo) {
  const dir = (0, import_node_fs2.mkdtempSync)((0, import_node_path2.join)((0, import_node_os2.tmpdir)(), "processcache-"));
  const path = (0, import_node_path2.join)(dir, "tracer.sock");
  const listener = native.listen(path);
  const argv = [program, "--connect", path];
  const child = sudo ? (0, import_node_child_process.spawn)("sudo", ["-n", "--", ...argv], { stdio: ["ignore", "ignore", "pipe"] }) : (0, import_node_child_process.spawn)(argv[0], argv.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d.toString();
  });
  const exit = new Promise((resolveExit) => {
    child.on("close", (status) => resolveExit({ status, stderr }));
  });
  let channel;
  try {
    channel = await native.acceptTracer(listener, 15e3);
  } catch (e) {
    child.kill();
    throw new TraceError(`the tracer program did not start${sudo ? " through sudo" : ""}: ${stderr.trim() || e.message}`);
  } finally {
    native.close(listener);
    (0, import_node_fs2.rmSync)(dir, { recursive: true, force: true });
  }
  return {
    socket: new import_node_net.Socket({ fd: channel, readable: true, writable: true }),
    privileged: sudo,
    exit,
    async postmortem() {
      const timeout = new Promise((r) => setTimeout(() => r(null), 2e3).unref());
      const ended = await Promise.race([exit, timeout]);
      if (!ended) return "it closed its channel";
      return `it exited with status ${ended.status}${ended.stderr ? `: ${ended.stderr.trim()}` : ""}`;
    },
    finish() {
      child.unref();
      child.stderr?.unref();
    }
  };
}
function decide(options) {
  if (process.getuid?.() === 0 || options.privileged === "never") return false;
  if (process.env.PROCESSCACHE_SUDO === "0") return false;
  return hasPasswordlessSudo();
}
async function traceCommand(options) {
  const [program, ...rest] = options.command;
  if (!program) throw new TraceError("no command given");
  const cwd = (0, import_node_path2.resolve)(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const exe = resolveProgram(program, env, cwd);
  const native = loadNative();
  const started = options.tracerProgram ? await startProgram(native, options.tracerProgram, false) : decide(options) ? await startProgram(native, native.helperPath, true) : startForked(native);
  const isRoot = process.getuid?.() === 0;
  const spec = encodeSpec({
    exe,
    cwd,
    argv: [program, ...rest],
    env: envList(env),
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    groups: process.getgroups?.() ?? [],
    umask: currentUmask(),
    flags: (started.privileged ? SPEC_DROP_PRIVILEGES : isRoot ? 0 : SPEC_NO_NEW_PRIVS) | (process.env.PROCESSCACHE_NOTIFY === "0" ? SPEC_NO_NOTIFY : 0) | (options.decideExec ? SPEC_DECIDE_EXEC : 0)
  });
  const t0 = performance.now();
  const builder = options.builder ?? new TraceBuilder();
  const decoder = new EventDecoder();
  const forwarders = installSignalForwarding(builder);
  try {
    await new Promise((resolveDone, reject) => {
      const { socket } = started;
      const decideExec = options.decideExec;
      let decisions = Promise.resolve();
      const onQuery = (ev) => {
        if (!decideExec) return;
        const query = decodeExecQuery(ev);
        decisions = decisions.then(async () => {
          let decision;
          try {
            decision = await decideExec(query);
          } catch {
            decision = { skip: false };
          }
          if (decision.skip) builder.addSkipped(query, decision.exitCode, decision.output, Number(ev.timeNs) / 1e6, decision.tag);
          socket.write(encodeExecReply(decision));
        });
      };
      socket.on("data", (chunk) => {
        try {
          for (const ev of decoder.push(chunk)) {
            if (ev.type === EventType.execQuery) onQuery(ev);
            else builder.add(ev);
          }
        } catch (e) {
          reject(e);
          socket.destroy();
          return;
        }
        if (builder.done) {
          socket.destroy();
          resolveDone();
        }
      });
      socket.on("error", (e) => reject(new TraceError(`the tracer's channel failed: ${e.message}`)));
      socket.on("close", () => {
        if (builder.done) return resolveDone();
        void started.postmortem().then((how) => {
          const why = [...builder.errors, `${how} before the command ended`].join("; ");
          reject(new TraceError(`the tracer failed: ${why}`));
        });
      });
      socket.write(spec);
    });
  } finally {
    forwarders.remove();
    started.finish();
  }
  const status = builder.rootStatus ?? { exitCode: null, signal: null };
  const trace = {
    version: 1,
    command: options.command,
    cwd,
    exitCode: exitCodeOf(status),
    durationMs: Math.round((performance.now() - t0) * 1e3) / 1e3,
    executions: builder.executions
  };
  const warnings = [...builder.warnings];
  if (!started.privileged && !isRoot) warnings.push(...setuidWarnings(trace));
  return { trace, status, builder, warnings, tracerExit: started.exit };
}
function exitCodeOf(status) {
  if (status.signal !== null) return 128 + status.signal;
  return status.exitCode ?? 1;
}
function installSignalForwarding(builder) {
  const ignore = () => {
  };
  const forward = (sig) => {
    if (builder.rootPid) {
      try {
        process.kill(builder.rootPid, sig);
      } catch {
      }
    }
  };
  process.on("SIGINT", ignore);
  process.on("SIGQUIT", ignore);
  process.on("SIGTERM", forward);
  process.on("SIGHUP", forward);
  return {
    remove() {
      process.off("SIGINT", ignore);
      process.off("SIGQUIT", ignore);
      process.off("SIGTERM", forward);
      process.off("SIGHUP", forward);
    }
  };
}
function setuidWarnings(trace) {
  const out = [];
  for (const exec of trace.executions) {
    try {
      if ((0, import_node_fs2.statSync)(exec.exe).mode & 2048) {
        out.push(`${exec.exe} is setuid, but the tracer runs without privileges, so it ran without them. Give this user passwordless sudo (the tracer then runs privileged and the command as you) or run processcache as root.`);
      }
    } catch {
    }
  }
  return [...new Set(out)];
}
var import_node_child_process, import_node_fs2, import_node_net, import_node_os2, import_node_path2, TraceError;
var init_session = __esm({
  "src/trace/session.ts"() {
    "use strict";
    import_node_child_process = require("node:child_process");
    import_node_fs2 = require("node:fs");
    import_node_net = require("node:net");
    import_node_os2 = require("node:os");
    import_node_path2 = require("node:path");
    init_builder();
    init_native();
    init_protocol();
    TraceError = class extends Error {
    };
  }
});

// src/trace/index.ts
var init_trace = __esm({
  "src/trace/index.ts"() {
    "use strict";
    init_session();
    init_native();
    init_builder();
  }
});

// src/cli/args.ts
function parseArgs(args, specs, usage) {
  const options = /* @__PURE__ */ new Map();
  const lists = /* @__PURE__ */ new Map();
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("--")) break;
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? void 0 : eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name}
${usage}`);
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value
${usage}`);
      options.set(name, true);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === void 0 || value === "") throw new UsageError(`--${name} needs a value
${usage}`);
    options.set(name, value);
    if (spec.repeat) lists.set(name, [...lists.get(name) ?? [], value]);
  }
  return { options, lists, command: args.slice(i) };
}
var UsageError;
var init_args = __esm({
  "src/cli/args.ts"() {
    "use strict";
    UsageError = class extends Error {
    };
  }
});

// src/fingerprint/hash.ts
function sha256(data) {
  return (0, import_node_crypto.createHash)("sha256").update(data).digest("hex");
}
function racyWindow(st) {
  return st.mtimeNs % 1000000000n === 0n && st.ctimeNs % 1000000000n === 0n ? RACY_COARSE_NS : RACY_FINE_NS;
}
async function digestChunked(file) {
  const h = (0, import_node_crypto.createHash)("sha256");
  const buf = Buffer.allocUnsafe(1 << 20);
  for (let n; (n = (await file.read(buf, 0, buf.length, null)).bytesRead) > 0; ) h.update(buf.subarray(0, n));
  return h.digest("hex");
}
var import_node_crypto, import_node_fs3, RACY_FINE_NS, RACY_COARSE_NS, AT_ONCE_MAX, KEEP, FileHasher;
var init_hash = __esm({
  "src/fingerprint/hash.ts"() {
    "use strict";
    import_node_crypto = require("node:crypto");
    import_node_fs3 = require("node:fs");
    RACY_FINE_NS = 20000000n;
    RACY_COARSE_NS = 2000000000n;
    AT_ONCE_MAX = 4n << 20n;
    KEEP = 2e5;
    FileHasher = class _FileHasher {
      known = /* @__PURE__ */ new Map();
      /** paths looked up or added by this run, in the order they were */
      used = /* @__PURE__ */ new Set();
      dirty = false;
      constructor(entries = []) {
        for (const [path, identity, digest] of entries) this.known.set(path, { identity, digest });
      }
      /** What stat says of a file that a change to it would alter. */
      static identity(st) {
        return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
      }
      /** The file's sha256, or null when it is not a readable regular file. */
      hash(path) {
        const looked = this.lookUp(path);
        if (looked === "not-a-file") return null;
        return typeof looked === "string" ? looked : this.hashContent(path);
      }
      /** One stat: the known digest, the stat when the content must be read, or not a regular file. */
      lookUp(path) {
        let st;
        try {
          st = (0, import_node_fs3.statSync)(path, { bigint: true, throwIfNoEntry: false });
        } catch {
          return "not-a-file";
        }
        if (!st?.isFile()) return "not-a-file";
        return this.cached(path, st) ?? st;
      }
      hashContent(path) {
        let fd;
        try {
          fd = (0, import_node_fs3.openSync)(path, "r");
        } catch {
          return null;
        }
        try {
          const before = (0, import_node_fs3.fstatSync)(fd, { bigint: true });
          if (!before.isFile()) return null;
          const h = (0, import_node_crypto.createHash)("sha256");
          const buf = Buffer.allocUnsafe(Math.min(1 << 20, Number(before.size) + 1));
          for (let n; (n = (0, import_node_fs3.readSync)(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
          const digest = h.digest("hex");
          this.remember(path, before, digest);
          return digest;
        } catch {
          return null;
        } finally {
          (0, import_node_fs3.closeSync)(fd);
        }
      }
      /** The digest known for the file at path, as lstat or stat saw it, if any: no read needed. */
      cached(path, st) {
        const known = this.known.get(path);
        if (!known || known.identity !== _FileHasher.identity(st)) return void 0;
        this.used.add(path);
        return known.digest;
      }
      /**
       * hash(), giving the event loop turns while a large file is hashed: recording a build's first
       * run hashes its compilers and libraries (a libLLVM is over 100 MB), and the tracer's exec
       * queries must be answered meanwhile.
       */
      hashSoon(path) {
        const looked = this.lookUp(path);
        if (looked === "not-a-file") return null;
        if (typeof looked === "string") return looked;
        return looked.size <= AT_ONCE_MAX ? this.hashContent(path) : this.hashInChunks(path);
      }
      async hashInChunks(path) {
        const { open } = await import("node:fs/promises");
        let file;
        try {
          file = await open(path, "r");
        } catch {
          return null;
        }
        try {
          const opened = await file.stat({ bigint: true });
          if (!opened.isFile()) return null;
          const digest = await digestChunked(file);
          this.remember(path, opened, digest);
          return digest;
        } catch {
          return null;
        } finally {
          await file.close();
        }
      }
      /** A file's bytes and their sha256, remembered for the file as it was when opened. */
      read(path) {
        const fd = (0, import_node_fs3.openSync)(path, "r");
        try {
          const st = (0, import_node_fs3.fstatSync)(fd, { bigint: true });
          const data = (0, import_node_fs3.readFileSync)(fd);
          const digest = sha256(data);
          this.remember(path, st, digest);
          return { data, digest };
        } finally {
          (0, import_node_fs3.closeSync)(fd);
        }
      }
      /** Keeps digest for the file as stat saw it, unless it changed too recently to tell a later change. */
      remember(path, st, digest) {
        const now = BigInt(Date.now()) * 1000000n;
        const window = racyWindow(st);
        if (now - st.mtimeNs <= window || now - st.ctimeNs <= window) return;
        this.known.set(path, { identity: _FileHasher.identity(st), digest });
        this.used.add(path);
        this.dirty = true;
      }
      /** What to keep on disk: this run's paths first, then the older ones, up to a bound. */
      entries() {
        const out = [];
        const add = (path) => {
          const { identity, digest } = this.known.get(path);
          out.push([path, identity, digest]);
        };
        for (const path of this.used) add(path);
        for (const path of this.known.keys()) {
          if (out.length >= KEEP) break;
          if (!this.used.has(path)) add(path);
        }
        return out;
      }
    };
  }
});

// src/fingerprint/inputs.ts
function typeOf(st) {
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "dir";
  if (st.isSymbolicLink()) return "symlink";
  if (st.isCharacterDevice()) return "char";
  if (st.isBlockDevice()) return "block";
  if (st.isFIFO()) return "fifo";
  return "socket";
}
function existence(path, recordedType) {
  try {
    const st = recordedType === "symlink" ? (0, import_node_fs4.lstatSync)(path, { throwIfNoEntry: false }) : (0, import_node_fs4.statSync)(path, { throwIfNoEntry: false });
    if (!st) return "absent";
    return recordedType ? `type:${typeOf(st)}` : "exists";
  } catch {
    return "absent";
  }
}
function namesFingerprint(names) {
  return `names:${sha256(names.join("\0"))}`;
}
function currentValue(spec, hasher) {
  switch (spec.kind) {
    case "content": {
      const h = hasher.hash(spec.path);
      return h ? `sha256:${h}` : existence(spec.path, void 0);
    }
    case "absent":
    case "exists":
      return existence(spec.path, spec.kind === "exists" ? spec.type : void 0);
    case "listing":
      try {
        return namesFingerprint((0, import_node_fs4.readdirSync)(spec.path).sort());
      } catch {
        return "absent";
      }
    case "link":
      try {
        return `link:${(0, import_node_fs4.readlinkSync)(spec.path)}`;
      } catch {
        return existence(spec.path, void 0);
      }
  }
}
function toInput(spec, value, storedPath = spec.path) {
  const input = { path: storedPath, kind: spec.kind, value };
  if (spec.kind === "exists" && spec.type) input.type = spec.type;
  if (spec.kind === "listing") input.names = spec.names;
  return input;
}
var import_node_fs4;
var init_inputs = __esm({
  "src/fingerprint/inputs.ts"() {
    "use strict";
    import_node_fs4 = require("node:fs");
    init_hash();
  }
});

// src/fingerprint/weak.ts
function filterEnv(env, ignored) {
  return env.filter((kv) => !ignored.has(kv.slice(0, Math.max(0, kv.indexOf("="))))).sort();
}
function stdioForKey(stdio) {
  return [stdio[0] === "tty" ? "tty" : "not-tty", stdio[1] ?? "", stdio[2] ?? ""];
}
function weakKey(parts, ignored) {
  return sha256(JSON.stringify({
    v: parts.toolVersion,
    platform: `${(0, import_node_os3.platform)()}-${(0, import_node_os3.arch)()}`,
    exe: parts.exe,
    argv: parts.argv,
    cwd: parts.cwd,
    env: filterEnv(parts.env, ignored),
    stdio: stdioForKey(parts.stdio),
    umask: parts.umask
  }));
}
var import_node_os3, PER_RUN_ENV;
var init_weak = __esm({
  "src/fingerprint/weak.ts"() {
    "use strict";
    import_node_os3 = require("node:os");
    init_hash();
    PER_RUN_ENV = [
      "GITHUB_RUN_ID",
      "GITHUB_RUN_NUMBER",
      "GITHUB_RUN_ATTEMPT",
      "GITHUB_JOB_ID",
      "RUNNER_TRACKING_ID",
      "RUNNER_NAME",
      // a hosted runner's is "GitHub Actions N", a new N from job to job
      "GITHUB_ACTIONS_RUNTIME_TOKEN",
      "ACTIONS_RUNTIME_TOKEN",
      "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
      "ACTIONS_RESULTS_URL",
      "ACTIONS_CACHE_URL",
      "ACTIONS_RUNTIME_URL",
      "INVOCATION_ID",
      "JOURNAL_STREAM",
      "PROCESSCACHE_STORE",
      "PROCESSCACHE_IGNORE_ENV",
      // the files of GitHub's workflow commands, named anew for every step; a program that writes to
      // one writes outside the root, and is not cached for it
      "GITHUB_ENV",
      "GITHUB_OUTPUT",
      "GITHUB_STATE",
      "GITHUB_PATH",
      "GITHUB_STEP_SUMMARY",
      // the invoking shell's record of the program it ran: differs with how processcache was started
      "_"
    ];
  }
});

// src/fingerprint/aliases.ts
function under(path, top) {
  return path === top || path.startsWith(top) && path.charCodeAt(top.length) === 47;
}
var import_node_fs5, PathAliases;
var init_aliases = __esm({
  "src/fingerprint/aliases.ts"() {
    "use strict";
    import_node_fs5 = require("node:fs");
    PathAliases = class {
      /** directory -> its real path (itself when no symlink leads there, or when it does not exist) */
      dirs = /* @__PURE__ */ new Map();
      /** real path -> the other names the run looked at it under */
      names = /* @__PURE__ */ new Map();
      /** The path with its directory's symlinks resolved. */
      real(path) {
        const slash = path.lastIndexOf("/");
        if (slash <= 0) return path;
        const dir = path.slice(0, slash);
        let real = this.dirs.get(dir);
        if (real === void 0) {
          try {
            real = import_node_fs5.realpathSync.native(dir);
          } catch {
            real = dir;
          }
          this.dirs.set(dir, real);
        }
        return real === dir ? path : `${real}${path.slice(slash)}`;
      }
      /** A path whose fingerprint the run remembers: noted under its real path when that differs. */
      looked(path) {
        const real = this.real(path);
        if (real === path) return;
        const names = this.names.get(real);
        if (names) names.add(path);
        else this.names.set(real, /* @__PURE__ */ new Set([path]));
      }
      /** Every other name of path's file that the run has looked at (its real path among them). */
      othersOf(path) {
        const real = this.real(path);
        const others = [...this.names.get(real) ?? []].filter((p) => p !== path);
        if (real !== path) others.push(real);
        return others;
      }
      /** A rename, removal or new link at path: directories at or below it may lead elsewhere now. */
      reshaped(path) {
        for (const [dir, real] of this.dirs) {
          if (under(dir, path) || under(real, path)) this.dirs.delete(dir);
        }
      }
    };
  }
});

// src/fingerprint/changes.ts
function push(map, key, change) {
  const list = map.get(key);
  if (list) list.push(change);
  else map.set(key, [change]);
}
var import_node_path3, ChangeLog;
var init_changes = __esm({
  "src/fingerprint/changes.ts"() {
    "use strict";
    import_node_path3 = require("node:path");
    ChangeLog = class {
      byPath = /* @__PURE__ */ new Map();
      /** changes to a directory's entries, for listings */
      byDir = /* @__PURE__ */ new Map();
      note(path, change) {
        push(this.byPath, path, change);
        push(this.byDir, (0, import_node_path3.dirname)(path), change);
      }
      /** Has the run changed path, or the entries of the directory path? */
      touched(path) {
        return this.byPath.has(path) || this.byDir.has(path);
      }
      /** How many changes the run made to path: a fact learned at one count holds until the next. */
      count(path) {
        return this.byPath.get(path)?.length ?? 0;
      }
      /** A change to what input looks at, made after `since` by an execution that `own` disowns. */
      foreign(input, since, own, harmless) {
        const changes = (input.kind === "listing" ? this.byDir : this.byPath).get(input.path);
        if (!changes) return null;
        return changes.find((c) => c.at > since && !own(c.exec) && !harmless?.(c)) ?? null;
      }
    };
  }
});

// src/fingerprint/view.ts
function identityOf(path) {
  try {
    const st = (0, import_node_fs6.lstatSync)(path, { bigint: true, throwIfNoEntry: false });
    return st?.isFile() ? FileHasher.identity(st) : void 0;
  } catch {
    return void 0;
  }
}
var import_node_fs6, CHANGE_OPS, FsView;
var init_view = __esm({
  "src/fingerprint/view.ts"() {
    "use strict";
    import_node_fs6 = require("node:fs");
    init_aliases();
    init_changes();
    init_hash();
    init_inputs();
    CHANGE_OPS = /* @__PURE__ */ new Set(["write", "create", "truncate", "rename", "delete", "mkdir", "rmdir", "symlink", "link", "chmod", "utime", "mknod"]);
    FsView = class {
      constructor(hasher) {
        this.hasher = hasher;
      }
      hasher;
      memo = /* @__PURE__ */ new Map();
      existsMemo = /* @__PURE__ */ new Map();
      settled = /* @__PURE__ */ new Map();
      /** every change the run made, by whom and when */
      changes = new ChangeLog();
      aliases = new PathAliases();
      value(spec) {
        if (spec.kind === "content" || spec.kind === "absent" || spec.kind === "link") return this.valueAt(spec.kind, spec.path);
        if (this.changes.touched(spec.path)) return currentValue(spec, this.hasher);
        const memo = this.memoFor(spec);
        let v = memo.get(spec.path);
        if (v === void 0) {
          v = currentValue(spec, this.hasher);
          memo.set(spec.path, v);
          this.aliases.looked(spec.path);
        }
        return v;
      }
      /** value() for the kinds a path alone describes, with no spec to build: a hit's lookups are mostly these. */
      valueAt(kind, path) {
        if (this.changes.touched(path)) return kind === "content" && this.settledContent(path) || currentValue({ path, kind }, this.hasher);
        let memo = this.memo.get(kind);
        if (!memo) this.memo.set(kind, memo = /* @__PURE__ */ new Map());
        let v = memo.get(path);
        if (v === void 0) {
          v = currentValue({ path, kind }, this.hasher);
          memo.set(path, v);
          this.aliases.looked(path);
        }
        return v;
      }
      /**
       * A file the run itself wrote whole (a restore: temporary file, then rename) holds what was
       * written until its next change: no need to read it back when a later lookup or recording asks.
       */
      settle(path, digest) {
        const identity = identityOf(path);
        if (identity) this.settled.set(path, { changes: this.changes.count(path), identity, digest });
      }
      /**
       * The digest settle() gave path, while no change has come since: none under this path, and
       * the file still the one written (a change through another name for it, a symlinked
       * directory on the way, alters what stat says).
       */
      settledDigest(path) {
        const s = this.settled.get(path);
        return s && s.changes === this.changes.count(path) && identityOf(path) === s.identity ? s.digest : void 0;
      }
      /** settledDigest() as a content value. */
      settledContent(path) {
        const digest = this.settledDigest(path);
        return digest === void 0 ? void 0 : `sha256:${digest}`;
      }
      /** A map per kind of fact, keyed by path alone: a hit costs no new string. */
      memoFor(spec) {
        const [table, key] = spec.kind === "exists" ? [this.existsMemo, spec.type ?? ""] : [this.memo, spec.kind];
        let memo = table.get(key);
        if (!memo) table.set(key, memo = /* @__PURE__ */ new Map());
        return memo;
      }
      /** value(), as a promise only when a large file must be hashed first, a chunk per turn. */
      valueSoon(spec) {
        if (spec.kind !== "content") return this.value(spec);
        const settled = this.settledContent(spec.path);
        if (settled !== void 0) return settled;
        const memo = this.memoFor(spec);
        const volatile = this.changes.touched(spec.path);
        const known = volatile ? void 0 : memo.get(spec.path);
        if (known !== void 0) return known;
        const keep = (digest2) => {
          const v = digest2 ? `sha256:${digest2}` : currentValue(spec, this.hasher);
          if (!volatile && !this.changes.touched(spec.path)) {
            memo.set(spec.path, v);
            this.aliases.looked(spec.path);
          }
          return v;
        };
        const digest = this.hasher.hashSoon(spec.path);
        return digest instanceof Promise ? digest.then(keep) : keep(digest);
      }
      /** A path the command (or a restore) changed, under every name the run looked at it by. */
      changed(path, change) {
        this.changes.note(path, change);
        for (const other of this.aliases.othersOf(path)) this.changes.note(other, change);
        for (const other of this.hardLinksOf(path)) this.changes.note(other, change);
      }
      /**
       * The remembered paths that are hard links to path's file. Rare enough to look for the hard
       * way: only a file with more than one link is matched, by device and inode, against them.
       */
      hardLinksOf(path) {
        const st = (0, import_node_fs6.lstatSync)(path, { throwIfNoEntry: false });
        if (!st?.isFile() || st.nlink < 2) return [];
        const found = [];
        for (const known of this.memo.get("content")?.keys() ?? []) {
          if (known === path) continue;
          const other = (0, import_node_fs6.lstatSync)(known, { throwIfNoEntry: false });
          if (other && other.ino === st.ino && other.dev === st.dev) found.push(known);
        }
        return found;
      }
      /** A rename, removal or link at path: what leads where through symlinks is looked at again. */
      reshaped(path) {
        this.aliases.reshaped(path);
      }
    };
  }
});

// src/fingerprint/index.ts
var init_fingerprint = __esm({
  "src/fingerprint/index.ts"() {
    "use strict";
    init_hash();
    init_inputs();
    init_weak();
    init_view();
  }
});

// src/cli/common.ts
function ignoredEnv(fromArgs) {
  return new Set([
    ...PER_RUN_ENV,
    ...(fromArgs ?? []).flatMap((v) => v.split(",")),
    ...(process.env.PROCESSCACHE_IGNORE_ENV ?? "").split(",")
  ].map((v) => v.trim()).filter(Boolean));
}
var VERSION;
var init_common = __esm({
  "src/cli/common.ts"() {
    "use strict";
    init_fingerprint();
    VERSION = true ? "0.1.0" : "dev";
  }
});

// src/store/atomic.ts
function tempFor(path) {
  const dir = (0, import_node_path4.dirname)(path);
  if (!madeDirs.has(dir)) {
    (0, import_node_fs7.mkdirSync)(dir, { recursive: true });
    madeDirs.add(dir);
  }
  return `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
}
function atomicWrite(path, data) {
  const tmp = tempFor(path);
  try {
    (0, import_node_fs7.writeFileSync)(tmp, data);
    (0, import_node_fs7.renameSync)(tmp, path);
  } catch (e) {
    (0, import_node_fs7.rmSync)(tmp, { force: true });
    throw e;
  }
}
async function atomicWriteAsync(path, data) {
  const tmp = tempFor(path);
  try {
    await writeFileCb(tmp, data);
    await renameCb(tmp, path);
  } catch (e) {
    (0, import_node_fs7.rmSync)(tmp, { force: true });
    throw e;
  }
}
var import_node_fs7, import_node_path4, import_node_util, writeFileCb, renameCb, madeDirs;
var init_atomic = __esm({
  "src/store/atomic.ts"() {
    "use strict";
    import_node_fs7 = require("node:fs");
    import_node_path4 = require("node:path");
    import_node_util = require("node:util");
    writeFileCb = (0, import_node_util.promisify)(import_node_fs7.writeFile);
    renameCb = (0, import_node_util.promisify)(import_node_fs7.rename);
    madeDirs = /* @__PURE__ */ new Set();
  }
});

// src/store/local.ts
function defaultStoreDir(env = process.env) {
  if (env.PROCESSCACHE_STORE) return env.PROCESSCACHE_STORE;
  const base = env.XDG_CACHE_HOME || (0, import_node_path5.join)((0, import_node_os4.homedir)(), ".cache");
  return (0, import_node_path5.join)(base, "processcache");
}
function parseEntry(text) {
  let e;
  try {
    e = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof e !== "object" || e === null) return null;
  const entry = e;
  if (entry.version !== 1 || typeof entry.weak !== "string" || !HEX64.test(entry.weak)) return null;
  if (typeof entry.strong !== "string" || !HEX64.test(entry.strong)) return null;
  if (!Array.isArray(entry.inputs) || !Array.isArray(entry.outputs) || typeof entry.exitCode !== "number") return null;
  if (!Number.isInteger(entry.exitCode) || entry.exitCode < 0 || entry.exitCode > 255) return null;
  const outputPaths = /* @__PURE__ */ new Set();
  for (const o of entry.outputs) {
    if (typeof o !== "object" || o === null || typeof o.path !== "string" || outputPaths.has(o.path)) return null;
    outputPaths.add(o.path);
    if (o.type === "file" && !(typeof o.blob === "string" && HEX64.test(o.blob) && Number.isInteger(o.mode))) return null;
    if (!["file", "symlink", "dir", "absent"].includes(o.type)) return null;
  }
  for (const i of entry.inputs) {
    if (typeof i !== "object" || i === null || typeof i.path !== "string" || typeof i.kind !== "string" || typeof i.value !== "string") return null;
  }
  if (entry.stream) {
    const { blob, chunks } = entry.stream;
    if (!(typeof blob === "string" && HEX64.test(blob) && Array.isArray(chunks))) return null;
    if (!chunks.every((c) => (c.fd === 1 || c.fd === 2) && Number.isInteger(c.bytes) && c.bytes >= 0)) return null;
  }
  if (!Array.isArray(entry.children)) entry.children = [];
  return entry;
}
function listLocal(dir) {
  const entries = [];
  const root = (0, import_node_path5.join)(dir, "entries");
  for (const rel of (0, import_node_fs8.readdirSync)(root, { recursive: true }).map(String)) {
    if (!rel.endsWith(".json")) continue;
    const path = (0, import_node_path5.join)(root, rel);
    try {
      const st = (0, import_node_fs8.statSync)(path);
      const entry = parseEntry((0, import_node_fs8.readFileSync)(path, "utf8"));
      if (entry) entries.push({ entry, lastUsedMs: st.mtimeMs, bytes: st.size, remove: () => (0, import_node_fs8.rmSync)(path, { force: true }) });
      else (0, import_node_fs8.rmSync)(path, { force: true });
    } catch {
    }
  }
  const blobs = [];
  const blobRoot = (0, import_node_path5.join)(dir, "blobs");
  for (const rel of (0, import_node_fs8.readdirSync)(blobRoot, { recursive: true }).map(String)) {
    const hash = rel.replace("/", "");
    if (!HEX64.test(hash)) continue;
    const path = (0, import_node_path5.join)(blobRoot, rel);
    try {
      const st = (0, import_node_fs8.statSync)(path);
      blobs.push({ hash, bytes: st.size, mtimeMs: st.mtimeMs, path });
    } catch {
    }
  }
  return { entries, blobs };
}
var import_node_crypto2, import_node_fs8, import_node_os4, import_node_path5, HEX64, LocalStore;
var init_local = __esm({
  "src/store/local.ts"() {
    "use strict";
    import_node_crypto2 = require("node:crypto");
    import_node_fs8 = require("node:fs");
    init_atomic();
    import_node_os4 = require("node:os");
    import_node_path5 = require("node:path");
    HEX64 = /^[0-9a-f]{64}$/;
    LocalStore = class {
      constructor(dir, writable = true) {
        this.dir = dir;
        this.writable = writable;
        (0, import_node_fs8.mkdirSync)((0, import_node_path5.join)(dir, "blobs"), { recursive: true });
        (0, import_node_fs8.mkdirSync)((0, import_node_path5.join)(dir, "entries"), { recursive: true });
      }
      dir;
      writable;
      /** blobs this run wrote or found, by size */
      present = /* @__PURE__ */ new Map();
      blobPath(hash) {
        return (0, import_node_path5.join)(this.dir, "blobs", hash.slice(0, 2), hash.slice(2));
      }
      /** 256 buckets of "<weak>.<strong>.json" files: creating a directory per command costs more
       * than listing a bucket (a quarter millisecond each on the CI machines' disks). */
      entryDir(weak) {
        return (0, import_node_path5.join)(this.dir, "entries", weak.slice(0, 2));
      }
      entryPath(entry) {
        return (0, import_node_path5.join)(this.entryDir(entry.weak), `${entry.weak}.${entry.strong}.json`);
      }
      /** Locally the index is the entry buckets themselves, each read when a command first needs it. */
      async openIndex() {
        return { candidates: (weak) => this.candidates(weak) };
      }
      candidates(weak) {
        const dir = this.entryDir(weak);
        let names;
        try {
          names = (0, import_node_fs8.readdirSync)(dir).filter((n) => n.startsWith(`${weak}.`) && n.endsWith(".json"));
        } catch {
          return [];
        }
        const found = [];
        for (const name of names) {
          const path = (0, import_node_path5.join)(dir, name);
          try {
            const entry = parseEntry((0, import_node_fs8.readFileSync)(path, "utf8"));
            if (entry && entry.weak === weak) found.push({ entry, used: names.length > 1 ? (0, import_node_fs8.statSync)(path).mtimeMs : 0 });
          } catch {
          }
        }
        return found.sort((a, b) => b.used - a.used).map((f) => f.entry);
      }
      async putEntry(entry) {
        if (!this.writable) return;
        await atomicWriteAsync(this.entryPath(entry), JSON.stringify(entry));
      }
      async removeEntry(entry) {
        if (!this.writable) return;
        (0, import_node_fs8.rmSync)(this.entryPath(entry), { force: true });
      }
      async touchEntry(entry) {
        if (!this.writable) return;
        const now = /* @__PURE__ */ new Date();
        try {
          (0, import_node_fs8.utimesSync)(this.entryPath(entry), now, now);
        } catch {
        }
      }
      async getBlob(hash) {
        if (!HEX64.test(hash)) return null;
        let data;
        try {
          data = (0, import_node_fs8.readFileSync)(this.blobPath(hash));
        } catch {
          return null;
        }
        if ((0, import_node_crypto2.createHash)("sha256").update(data).digest("hex") !== hash) {
          if (this.writable) (0, import_node_fs8.rmSync)(this.blobPath(hash), { force: true });
          return null;
        }
        this.present.set(hash, data.length);
        return data;
      }
      async hasBlob(hash, bytes) {
        if (this.present.get(hash) === bytes) return true;
        const there = (0, import_node_fs8.statSync)(this.blobPath(hash), { throwIfNoEntry: false })?.size === bytes;
        if (there) this.present.set(hash, bytes);
        return there;
      }
      async putBlob(hash, data) {
        if (!this.writable || await this.hasBlob(hash, data.length)) return;
        await atomicWriteAsync(this.blobPath(hash), data);
        this.present.set(hash, data.length);
      }
    };
  }
});

// src/store/gc.ts
function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!m) return null;
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase()];
  return Math.floor(Number(m[1]) * unit);
}
function referenced(entry) {
  const out = entry.outputs.flatMap((o) => o.type === "file" && o.blob ? [o.blob] : []);
  return entry.stream ? [...out, entry.stream.blob] : out;
}
function collectGarbage(dir, maxBytes, now = Date.now()) {
  const { entries, blobs } = listLocal(dir);
  const blobBytes = new Map(blobs.map((b) => [b.hash, b.bytes]));
  const bytesBefore = entries.reduce((n, e) => n + e.bytes, 0) + blobs.reduce((n, b) => n + b.bytes, 0);
  const refs = /* @__PURE__ */ new Map();
  let bytes = 0;
  for (const e of entries) {
    bytes += e.bytes;
    for (const h of referenced(e.entry)) {
      if (!refs.has(h)) bytes += blobBytes.get(h) ?? 0;
      refs.set(h, (refs.get(h) ?? 0) + 1);
    }
  }
  const byAge = [...entries].sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  let removed = 0;
  for (const e of byAge) {
    if (bytes <= maxBytes) break;
    e.remove();
    removed++;
    bytes -= e.bytes;
    for (const h of referenced(e.entry)) {
      const n = (refs.get(h) ?? 1) - 1;
      if (n === 0) {
        refs.delete(h);
        bytes -= blobBytes.get(h) ?? 0;
      } else {
        refs.set(h, n);
      }
    }
  }
  let bytesAfter = bytes;
  for (const b of blobs) {
    if (refs.has(b.hash)) continue;
    if (now - b.mtimeMs < GRACE_MS) bytesAfter += b.bytes;
    else (0, import_node_fs9.rmSync)(b.path, { force: true });
  }
  return { entriesBefore: entries.length, entriesRemoved: removed, bytesBefore, bytesAfter };
}
var import_node_fs9, GRACE_MS;
var init_gc = __esm({
  "src/store/gc.ts"() {
    "use strict";
    import_node_fs9 = require("node:fs");
    init_local();
    GRACE_MS = 60 * 60 * 1e3;
  }
});

// src/store/index.ts
var init_store = __esm({
  "src/store/index.ts"() {
    "use strict";
    init_atomic();
    init_local();
    init_gc();
  }
});

// src/observe/summary.ts
function describesSelf(path) {
  return /^\/proc\/(self|thread-self|\d+)(\/|$)/.test(path);
}
function probeSpec(path, result, type) {
  if (ABSENT.has(result)) return { path, kind: "absent" };
  return type ? { path, kind: "exists", type } : { path, kind: "exists" };
}
function applyAccess(s, a) {
  const path = a.path;
  const ok = a.result === "ok";
  switch (a.op) {
    case "stdin":
    case "dup":
      return null;
    case "read":
    case "exec":
      if (!path) return null;
      s.input(ok ? { path, kind: "content" } : probeSpec(path, a.result));
      return null;
    case "probe":
      if (path) s.input(probeSpec(path, a.result, a.type));
      return null;
    case "chdir":
      if (path) s.input(probeSpec(path, a.result, ok ? "dir" : void 0));
      return null;
    case "readlink":
      if (path) s.input(ok ? { path, kind: "link" } : probeSpec(path, a.result));
      return null;
    case "list":
      if (path) s.input({ path, kind: "listing", names: s.before(path, a.names ?? []) });
      return null;
    case "write":
    case "chmod":
    case "utime":
      if (!path) return null;
      if (!ok) {
        s.input(probeSpec(path, a.result));
        return null;
      }
      if (a.op === "write" && WRITE_SINKS.has(path)) {
        s.input(probeSpec(path, a.result));
        return null;
      }
      s.output(path, { path, kind: "content" });
      return null;
    case "truncate":
      if (!path) return null;
      if (ok && WRITE_SINKS.has(path)) {
        s.input(probeSpec(path, a.result));
        return null;
      }
      if (ok) s.output(path, null);
      else s.input(probeSpec(path, a.result));
      return null;
    case "create":
    case "mkdir":
    case "symlink":
    case "mknod":
      if (!path) return null;
      if (!ok) {
        s.input(probeSpec(path, a.result));
        return null;
      }
      s.markCreated(path);
      s.output(path, a.truncates ? null : { path, kind: "absent" });
      s.entryChanged(path, true);
      return null;
    case "delete":
    case "rmdir":
      if (!path) return null;
      if (!ok) {
        s.input(probeSpec(path, a.result));
        return null;
      }
      s.output(path, a.op === "rmdir" ? { path, kind: "listing", names: s.before(path, []) } : { path, kind: "exists" }, true);
      s.entryChanged(path, false);
      return null;
    case "link":
    case "rename": {
      const to = typeof a.to === "string" ? a.to : void 0;
      if (!path || !to) return null;
      if (!ok) {
        s.input(probeSpec(path, a.result));
        return null;
      }
      if (a.op === "rename") {
        s.output(path, { path, kind: "content" }, true);
        s.entryChanged(path, false);
      } else {
        s.input({ path, kind: "content" });
      }
      s.output(to, null);
      s.entryChanged(to, true);
      return null;
    }
    default:
      return `an access the model does not know: ${String(a.op)}`;
  }
}
function summarize(steps) {
  const s = new PathStates();
  let reason = null;
  for (const step of steps) {
    if (step.kind === "replayed") {
      for (const input of step.inputs) s.input(input.kind === "listing" ? { ...input, names: s.before(input.path, input.names) } : input);
      for (const path of step.created) s.markCreated(path);
      const removed = new Set(step.removed);
      for (const out of step.outputs) s.output(out, null, removed.has(out));
      for (const [path, change] of step.entryChanges) s.entryChanged(path, change === "added");
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
    ...reason ? { reason } : {},
    ...unmodelled ? { unmodelled } : {},
    inputs: s.inputs,
    outputs: [...s.outputs],
    created: [...s.created],
    removed: [...s.gone],
    entryChanges: s.entryChangeList()
  };
}
var import_node_path7, PSEUDO_INPUTS, ABSENT, PathStates, WRITE_SINKS;
var init_summary = __esm({
  "src/observe/summary.ts"() {
    "use strict";
    import_node_path7 = require("node:path");
    PSEUDO_INPUTS = /* @__PURE__ */ new Set(["/dev/null", "/dev/zero", "/dev/full", "/dev/urandom", "/dev/random"]);
    ABSENT = /* @__PURE__ */ new Set(["ENOENT", "ENOTDIR"]);
    PathStates = class {
      inputs = [];
      outputs = /* @__PURE__ */ new Set();
      /** paths whose first change by the subtree brought them into existence */
      created = /* @__PURE__ */ new Set();
      /** paths the subtree has changed: what it reads there afterwards is its own doing */
      changed = /* @__PURE__ */ new Set();
      /** outputs whose last change by the subtree removed them */
      gone = /* @__PURE__ */ new Set();
      /** input facts already recorded, by kind and path: a probe and a read of one file are two */
      known = /* @__PURE__ */ new Map();
      /** per directory, the first change the subtree made to each name: added or removed */
      changes = /* @__PURE__ */ new Map();
      /** files the subtree read first and changed later: their earlier content is lost */
      rewrittenInputs = [];
      readFirst = /* @__PURE__ */ new Set();
      input(spec) {
        if (this.changed.has(spec.path)) return;
        let known = this.known.get(spec.kind);
        if (!known) this.known.set(spec.kind, known = /* @__PURE__ */ new Set());
        if (known.has(spec.path)) return;
        known.add(spec.path);
        if (PSEUDO_INPUTS.has(spec.path) || describesSelf(spec.path)) return;
        if (spec.kind === "content" || spec.kind === "listing") this.readFirst.add(spec.path);
        this.inputs.push(spec);
      }
      /** path did not exist before this change: only its first change can say so */
      markCreated(path) {
        if (!this.changed.has(path)) this.created.add(path);
      }
      /** A change to path; `prior` is what its first access learns, when it is the first. */
      output(path, prior, removes = false) {
        if (!this.changed.has(path)) {
          if (this.readFirst.has(path)) this.rewrittenInputs.push(path);
          if (prior) this.input(prior);
        }
        this.changed.add(path);
        this.outputs.add(path);
        if (removes) this.gone.add(path);
        else this.gone.delete(path);
      }
      entryChanged(path, added) {
        const dir = (0, import_node_path7.dirname)(path);
        const names = this.changes.get(dir) ?? /* @__PURE__ */ new Map();
        if (!names.has((0, import_node_path7.basename)(path))) names.set((0, import_node_path7.basename)(path), added ? "added" : "removed");
        this.changes.set(dir, names);
      }
      entryChangeList() {
        const out = [];
        for (const [dir, names] of this.changes) for (const [name, change] of names) out.push([(0, import_node_path7.join)(dir, name), change]);
        return out;
      }
      /** What a directory held before the subtree changed it, from what a listing saw. */
      before(dir, seen) {
        const changed = this.changes.get(dir);
        if (!changed) return seen;
        const names = new Set(seen.filter((n) => changed.get(n) !== "added"));
        for (const [n, first] of changed) if (first === "removed") names.add(n);
        return [...names].sort();
      }
    };
    WRITE_SINKS = /* @__PURE__ */ new Set(["/dev/null"]);
  }
});

// src/observe/index.ts
var init_observe = __esm({
  "src/observe/index.ts"() {
    "use strict";
    init_summary();
  }
});

// src/memo/restore.ts
function tmpName(dir, name) {
  return (0, import_node_path8.join)(dir, `.${name}.pc-${process.pid}-${Math.random().toString(36).slice(2)}`);
}
function kindAt(path) {
  try {
    const st = (0, import_node_fs11.lstatSync)(path, { throwIfNoEntry: false });
    return st ? st.isDirectory() ? "dir" : "other" : null;
  } catch {
    return null;
  }
}
function removeAt(path) {
  const kind = kindAt(path);
  if (kind === null) return;
  if (kind !== "dir") {
    (0, import_node_fs11.unlinkSync)(path);
    return;
  }
  try {
    (0, import_node_fs11.rmdirSync)(path);
  } catch (e) {
    throw new RestoreError(`${path} is a directory that is not empty: restoring would delete what is in it (${e.message})`);
  }
}
function order(outputs) {
  const depth = (o) => o.path.split("/").length;
  const dirs = outputs.filter((o) => o.type === "dir").sort((a, b) => depth(a) - depth(b));
  const files = outputs.filter((o) => o.type === "file" || o.type === "symlink");
  const gone = outputs.filter((o) => o.type === "absent").sort((a, b) => depth(b) - depth(a));
  return [...dirs, ...files, ...gone];
}
async function fetchBlobs(entry, store) {
  const wanted = /* @__PURE__ */ new Set();
  for (const o of entry.outputs) if (o.type === "file") wanted.add(o.blob);
  if (entry.stream) wanted.add(entry.stream.blob);
  const blobs = /* @__PURE__ */ new Map();
  const bad = [];
  for (const hash of wanted) {
    const data = await store.getBlob(hash);
    if (data) blobs.set(hash, data);
    else bad.push(hash.slice(0, 12));
  }
  if (bad.length) throw new RestoreError(`blob ${bad.join(", ")} is missing or corrupt`);
  return blobs;
}
function replaceWith(tmp, path) {
  try {
    (0, import_node_fs11.renameSync)(tmp, path);
    return false;
  } catch (e) {
    if (kindAt(path) !== "dir") {
      (0, import_node_fs11.rmSync)(tmp, { force: true });
      throw e;
    }
  }
  try {
    removeAt(path);
    (0, import_node_fs11.renameSync)(tmp, path);
    return true;
  } catch (e) {
    (0, import_node_fs11.rmSync)(tmp, { force: true });
    throw e;
  }
}
var import_node_fs11, import_node_path8, RestoreError, Restorer;
var init_restore = __esm({
  "src/memo/restore.ts"() {
    "use strict";
    import_node_fs11 = require("node:fs");
    import_node_path8 = require("node:path");
    RestoreError = class extends Error {
    };
    Restorer = class {
      constructor(roots, umask) {
        this.roots = roots;
        this.umask = umask;
      }
      roots;
      umask;
      realDirs = /* @__PURE__ */ new Map();
      forget() {
        this.realDirs.clear();
      }
      /** Creates dir's missing parents and returns its real path, refusing one that leaves the roots. */
      safeDir(dir) {
        let real = this.realDirs.get(dir);
        if (real !== void 0) return real;
        (0, import_node_fs11.mkdirSync)(dir, { recursive: true });
        real = (0, import_node_fs11.realpathSync)(dir);
        if (!this.roots.allows(real)) throw new RestoreError(`${dir} leads outside the allowed directories (to ${real})`);
        this.realDirs.set(dir, real);
        return real;
      }
      /** Applies the outputs of entry; every blob they need must be in blobs, checked. */
      restore(entry, blobs) {
        const { roots } = this;
        for (const o of entry.outputs) {
          if (!roots.allows(roots.load(o.path))) throw new RestoreError(`the entry writes ${o.path}, outside the allowed directories`);
        }
        const existed = new Map(entry.outputs.map((o) => [o.path, kindAt(roots.load(o.path)) !== null]));
        const done = { bytes: 0, created: [], removed: [] };
        for (const o of order(entry.outputs)) {
          done.bytes += this.apply(o, blobs);
          if (o.type === "absent" && existed.get(o.path)) done.removed.push(roots.load(o.path));
          if (o.type !== "absent" && !existed.get(o.path)) done.created.push(roots.load(o.path));
        }
        return done;
      }
      apply(o, blobs) {
        const target = this.roots.load(o.path);
        if (o.type !== "file") this.forget();
        const dir = this.safeDir((0, import_node_path8.dirname)(target));
        const path = (0, import_node_path8.join)(dir, (0, import_node_path8.basename)(target));
        switch (o.type) {
          case "file": {
            const data = blobs.get(o.blob);
            const mode = o.mode & 4095;
            const tmp = tmpName(dir, (0, import_node_path8.basename)(target));
            (0, import_node_fs11.writeFileSync)(tmp, data, { mode });
            if ((mode & this.umask) !== 0 || (mode & ~511) !== 0) (0, import_node_fs11.chmodSync)(tmp, mode);
            if (replaceWith(tmp, path)) this.forget();
            return data.length;
          }
          case "symlink": {
            const tmp = tmpName(dir, (0, import_node_path8.basename)(target));
            (0, import_node_fs11.symlinkSync)(o.target, tmp);
            replaceWith(tmp, path);
            return 0;
          }
          case "dir": {
            if (kindAt(path) !== "dir") {
              removeAt(path);
              (0, import_node_fs11.mkdirSync)(path);
            }
            (0, import_node_fs11.chmodSync)(path, o.mode & 4095);
            return 0;
          }
          case "absent":
            removeAt(path);
            return 0;
        }
      }
    };
  }
});

// src/memo/late-changes.ts
var LateChanges;
var init_late_changes = __esm({
  "src/memo/late-changes.ts"() {
    "use strict";
    LateChanges = class {
      byPath = /* @__PURE__ */ new Map();
      withdrawn = /* @__PURE__ */ new Set();
      watch(paths, watch) {
        for (const path of paths) {
          const list = this.byPath.get(path);
          if (list) list.push(watch);
          else this.byPath.set(path, [watch]);
        }
      }
      /** A change the tracer reported, to be held against every recording that looked at path. */
      reported(path, change) {
        const list = this.byPath.get(path);
        if (!list) return;
        for (const watch of list) {
          if (this.withdrawn.has(watch) || !watch.spoils(path, change)) continue;
          this.withdrawn.add(watch);
          watch.withdraw(path, change);
        }
      }
    };
  }
});

// src/memo/snapshots.ts
var OutputSnapshots;
var init_snapshots = __esm({
  "src/memo/snapshots.ts"() {
    "use strict";
    OutputSnapshots = class {
      byPath = /* @__PURE__ */ new Map();
      add(path, snapshot) {
        const list = this.byPath.get(path);
        if (list) list.push(snapshot);
        else this.byPath.set(path, [snapshot]);
      }
      /** The last snapshot of path that an execution `within` took by endAt. */
      last(path, endAt, within) {
        const list = this.byPath.get(path);
        if (!list) return void 0;
        for (let i = list.length - 1; i >= 0; i--) {
          const s = list[i];
          if (s.at <= endAt && s.exec >= 0 && within(s.exec)) return s;
        }
        return void 0;
      }
    };
  }
});

// src/memo/engine.ts
function destOf(e, fd) {
  return e.stdio[fd === 2 ? "2" : "1"] === "null" ? "null" : e.streams[fd - 1] ?? "";
}
function asOwn(e, c) {
  if (c.dest === "null") return null;
  if (c.dest === e.streams[c.fd - 1]) return c;
  if (c.dest === e.streams[0]) return { ...c, fd: 1 };
  if (c.dest === e.streams[1]) return { ...c, fd: 2 };
  return void 0;
}
function replayWouldWait(entry, q) {
  const bytes = (entry.stream?.chunks ?? []).reduce((n, c) => {
    const kind = q.stdio[c.fd === 2 ? 2 : 1];
    return kind === "pipe" || kind === "socket" ? n + c.bytes : n;
  }, 0);
  return bytes > PIPE_HOLDS ? `its ${bytes} bytes of output are more than a pipe holds: replayed, they could wait for a reader that waits for the exec` : null;
}
function mergeByPosition(a, b) {
  if (!b.length) return a;
  const out = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) out.push(a[i][0] <= b[j][0] ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}
function yieldToIo() {
  return new Promise((resolve7) => setImmediate(resolve7));
}
function short(value) {
  return value.length > 24 ? `${value.slice(0, 20)}...` : value;
}
function ownUnsafety(e) {
  const why = (reason) => ({ exe: e.exe, reason });
  if (e.flags.length) return why(e.flags[0]);
  if (e.stdio["0"] !== "null" && e.accesses.some((a) => a.op === "stdin")) return why(`it reads stdin (${e.stdio["0"]})`);
  const dup = e.accesses.find((a) => a.op === "dup" && (a.fd === 1 || a.fd === 2 || a.to === 1 || a.to === 2));
  if (dup) return why(`it redirects fd ${dup.fd} to ${dup.to}: its output could not be replayed in place`);
  return null;
}
var import_node_fs12, CHECK_ORDER, NO_OUTPUT, PIPE_HOLDS, STORED, STRUCTURAL, MemoEngine;
var init_engine = __esm({
  "src/memo/engine.ts"() {
    "use strict";
    import_node_fs12 = require("node:fs");
    init_fingerprint();
    init_observe();
    init_restore();
    init_late_changes();
    init_snapshots();
    CHECK_ORDER = [
      (outside, content) => !outside && content,
      (outside, content) => !outside && !content,
      (outside) => outside
    ];
    NO_OUTPUT = [];
    PIPE_HOLDS = 65536;
    STORED = Promise.resolve(true);
    STRUCTURAL = /* @__PURE__ */ new Set(["rename", "delete", "rmdir", "symlink", "link", "mknod"]);
    MemoEngine = class {
      constructor(opts, builder) {
        this.opts = opts;
        this.builder = builder;
        this.fs = new FsView(opts.hasher);
        this.restorer = new Restorer(opts.roots, opts.umask);
        builder.onAccessSeen = (access, exec, at, beganNs) => {
          if (access.result !== "ok" || !access.path || !CHANGE_OPS.has(access.op) || WRITE_SINKS.has(access.path)) return;
          const change = beganNs === void 0 ? { at, exec } : { at, exec, beganNs };
          this.fs.changed(access.path, change);
          this.late.reported(access.path, change);
          if (typeof access.to === "string") {
            this.fs.changed(access.to, change);
            this.late.reported(access.to, change);
          }
          if (STRUCTURAL.has(access.op)) {
            this.restorer.forget();
            this.fs.reshaped(access.path);
            if (typeof access.to === "string") this.fs.reshaped(access.to);
          }
        };
        builder.onExecutionStart = (exec) => this.started(exec);
        builder.onExecutionEnd = (exec) => {
          const endAt = builder.log.length - 0.5;
          const outlived = builder.hasLiveDescendant(exec);
          if (!exec.skipped && !outlived) this.capture(exec, endAt);
          this.recording = this.recording.then(() => this.ended(exec, endAt, outlived)).catch((e) => {
            this.opts.warn(`recording ${exec.exe} failed: ${e.message}`);
          });
        };
      }
      opts;
      builder;
      stats = { ran: 0, reused: 0, savedMs: 0, bytesRestored: 0, hitCostMs: 0, executions: [] };
      rows = /* @__PURE__ */ new Map();
      /** what each exec that was let run was told, by pid until the exec is seen, then by execution */
      answerOfPid = /* @__PURE__ */ new Map();
      answerOf = /* @__PURE__ */ new Map();
      recording = Promise.resolve();
      writes = [];
      /** each ended execution's subtree, folded: what its parent composes instead of re-reading it */
      folded = /* @__PURE__ */ new Map();
      /** stored input paths found changed by a lookup in this run */
      knownDifferent = /* @__PURE__ */ new Set();
      snapshots = new OutputSnapshots();
      /** recorded entries, watching for changes reported after they were recorded */
      late = new LateChanges();
      /** orders snapshots and exec answers (the log's length does not: exits and spawns add nothing) */
      tick = 0;
      fs;
      restorer;
      /** The weak fingerprint; a query without a umask (explain, an old kernel) is taken to have the root's. */
      weakOfQuery(q) {
        return weakKey({
          toolVersion: this.opts.toolVersion,
          exe: q.exe,
          argv: q.argv,
          cwd: q.cwd,
          env: q.env,
          stdio: q.stdio,
          umask: q.umask ?? this.opts.umask
        }, this.opts.ignoreEnv);
      }
      /** The exec hook: a hit restores the outputs and skips the program. */
      decide = async (q) => {
        const started = performance.now();
        if (q.umask === null) {
          return this.letRun(q, { refused: "its umask could not be read (/proc/PID/status has none before Linux 4.7)" });
        }
        const weak = this.weakOfQuery(q);
        let missWhy;
        try {
          const candidates = this.opts.index.candidates(weak);
          const misses = [];
          for (const entry of candidates) {
            const differs = this.firstDifference(entry) ?? replayWouldWait(entry, q);
            if (differs) {
              misses.push(differs);
              continue;
            }
            const blobs = await fetchBlobs(entry, this.opts.store);
            const change = { at: this.builder.log.length, exec: this.builder.executionOf(q.pid)?.id ?? -1 };
            const paths = entry.outputs.map((o) => this.opts.roots.load(o.path));
            for (const path of paths) this.fs.changed(path, change);
            const restored = this.restorer.restore(entry, blobs);
            entry.outputs.forEach((o, i) => {
              if (o.type === "file") this.fs.settle(paths[i], o.blob);
              else this.fs.reshaped(paths[i]);
              const state = { ...o, path: paths[i] };
              this.snapshots.add(paths[i], { at: change.at, taken: ++this.tick, lookedNs: this.builder.nowNs(), exec: change.exec, state, stored: STORED });
            });
            await this.opts.store.touchEntry(entry);
            this.stats.reused++;
            this.stats.savedMs += entry.durationMs;
            this.stats.bytesRestored += restored.bytes;
            this.stats.hitCostMs += performance.now() - started;
            const hit = { entry, created: restored.created, removed: restored.removed };
            return { skip: true, exitCode: entry.exitCode, output: this.stream(entry, blobs), tag: hit };
          }
          missWhy = misses.length ? `${misses.length} candidate(s), none matches: ${misses.slice(0, 3).join("; ")}` : "never recorded";
        } catch (e) {
          this.opts.warn(`cache lookup for ${q.exe} failed, running it: ${e.message}`);
        }
        return this.letRun(q, { weak, missWhy });
      };
      /** The program runs; what it was told is kept for the execution it starts. */
      letRun(q, answer) {
        this.answerOfPid.set(q.pid, { ...answer, exe: q.exe, tick: ++this.tick });
        return { skip: false };
      }
      /**
       * The first input found that no longer holds what it held, or null when every one does. A miss
       * is decided while the process waits, so the inputs that already differed for an earlier lookup
       * in this run go first (an edited source makes every ancestor miss on it), then the contents of
       * files under the root (the sources), then the rest under the root, then the system's, which
       * change far less often. `explain` lists every difference.
       */
      firstDifference(entry) {
        const unvouched = this.programUnvouched(entry);
        if (unvouched) return unvouched;
        for (const input of entry.inputs) {
          if (typeof input !== "object" || input === null || typeof input.path !== "string") return this.differs(input);
          if (!this.knownDifferent.has(input.path)) continue;
          const d = this.differs(input);
          if (d) return d;
        }
        for (const pass of CHECK_ORDER) {
          for (const input of entry.inputs) {
            if (pass(input.path.startsWith("/"), input.kind === "content")) {
              const d = this.differs(input);
              if (d) return d;
            }
          }
        }
        return null;
      }
      /** How one stored input differs from what its path holds now, or null when it does not. */
      differs(input) {
        const now = this.currentOf(input);
        if (now === void 0) return `${String(input?.path)}: an input of unknown kind`;
        if (now === input.value) return null;
        this.knownDifferent.add(input.path);
        return `${input.path}: ${short(input.value)} -> ${short(now)}`;
      }
      /** What an input's path holds now, in the input's terms; undefined for an input of unknown kind. */
      currentOf(input) {
        if (typeof input !== "object" || input === null) return void 0;
        if (typeof input.path !== "string" || typeof input.value !== "string") return void 0;
        const { kind } = input;
        if (kind === "content" || kind === "absent" || kind === "link") return this.fs.valueAt(kind, this.opts.roots.load(input.path));
        const spec = this.specOf(input);
        return spec ? this.fs.value(spec) : void 0;
      }
      /** The inputs that no longer hold what they held (all of them are looked at, for explaining). */
      differences(entry) {
        const unvouched = this.programUnvouched(entry);
        return [...unvouched ? [unvouched] : [], ...entry.inputs.flatMap((input) => this.differs(input) ?? [])];
      }
      /**
       * Every recording lists the program it ran among its read inputs. An entry that does not
       * (crafted, or damaged: one with no inputs at all would match anything) is never a hit.
       */
      programUnvouched(entry) {
        const lists = entry.inputs.some((i) => i?.kind === "content" && typeof i.path === "string" && this.opts.roots.load(i.path) === entry.exe);
        return lists ? null : `${entry.exe}: the entry does not list its own program among its inputs`;
      }
      /** An input as stored (untrusted: it may come from a remote) back to what to look at. */
      specOf(input) {
        if (typeof input.path !== "string" || typeof input.value !== "string") return null;
        const path = this.opts.roots.load(input.path);
        switch (input.kind) {
          case "content":
          case "absent":
          case "link":
            return { path, kind: input.kind };
          case "exists":
            return typeof input.type === "string" ? { path, kind: "exists", type: input.type } : { path, kind: "exists" };
          case "listing":
            return Array.isArray(input.names) && input.names.every((n) => typeof n === "string") ? { path, kind: "listing", names: input.names } : null;
          default:
            return null;
        }
      }
      stream(entry, blobs) {
        if (!entry.stream) return [];
        const all = blobs.get(entry.stream.blob);
        let at = 0;
        return entry.stream.chunks.map((c) => {
          const data = all.subarray(at, at + c.bytes);
          at += c.bytes;
          return { fd: c.fd, data };
        });
      }
      /** The value an input must keep; listings are what the directory held before the subtree ran. */
      recordedValue(spec) {
        if (spec.kind === "listing") return namesFingerprint(spec.names);
        if (spec.kind === "absent") return "absent";
        if (spec.kind === "exists") return spec.type ? `type:${spec.type}` : "exists";
        return this.fs.valueSoon(spec);
      }
      started(exec) {
        const answer = this.answerOfPid.get(exec.pid);
        this.answerOfPid.delete(exec.pid);
        if (!answer) return;
        this.answerOf.set(exec.id, answer.exe === exec.exe ? answer : { ...answer, weak: void 0 });
      }
      /** Snapshots the paths exec's own processes changed, as they are now (its exit just came in). */
      capture(exec, endAt) {
        const taken = ++this.tick;
        const paths = /* @__PURE__ */ new Set();
        for (const [, item] of this.builder.ownLog(exec.id)) {
          if (item.kind !== "access" || item.access.result !== "ok" || !CHANGE_OPS.has(item.access.op)) continue;
          if (item.access.path) paths.add(item.access.path);
          if (typeof item.access.to === "string") paths.add(item.access.to);
        }
        for (const path of paths) {
          if (!this.opts.roots.allows(path)) continue;
          const now = this.stateNow(path);
          this.snapshots.add(path, { at: endAt, taken, lookedNs: this.builder.nowNs(), exec: exec.id, ...now });
        }
      }
      /** A path's state now, the blob of a file stored (or found stored); a null state when it cannot be told. */
      stateNow(path) {
        try {
          const st = (0, import_node_fs12.lstatSync)(path, { bigint: true, throwIfNoEntry: false });
          if (!st) return { state: { path, type: "absent" }, stored: STORED };
          const mode = Number(st.mode) & 4095;
          if (st.isSymbolicLink()) return { state: { path, type: "symlink", target: (0, import_node_fs12.readlinkSync)(path) }, stored: STORED };
          if (st.isDirectory()) return { state: { path, type: "dir", mode }, stored: STORED };
          if (!st.isFile()) return { state: null, stored: STORED };
          const size = Number(st.size);
          const known = this.fs.settledDigest(path) ?? this.opts.hasher.cached(path, st);
          if (known) {
            const stored2 = this.opts.store.hasBlob(known, size).then((has) => has || this.storeIfStill(path, known)).catch(() => false);
            return { state: { path, type: "file", blob: known, mode, size }, stored: stored2 };
          }
          const { data, digest } = this.opts.hasher.read(path);
          const stored = this.opts.store.putBlob(digest, data).then(() => true, () => false);
          return { state: { path, type: "file", blob: digest, mode, size: data.length }, stored };
        } catch {
          return { state: null, stored: STORED };
        }
      }
      /** Stores path's bytes as the blob digest names, if they still hash to it. */
      async storeIfStill(path, digest) {
        const now = this.opts.hasher.read(path);
        if (now.digest !== digest) return false;
        await this.opts.store.putBlob(digest, now.data);
        return true;
      }
      row(exec, status, reason) {
        const first = this.builder.executions[0]?.startMs ?? exec.startMs;
        const row = {
          id: exec.id,
          parent: exec.parent,
          exe: exec.exe,
          argv: exec.argv,
          status,
          startMs: Math.round((exec.startMs - first) * 1e3) / 1e3,
          durationMs: Math.round(((exec.endMs ?? exec.startMs) - exec.startMs) * 1e3) / 1e3
        };
        if (reason) row.reason = reason;
        this.rows.set(exec.id, row);
      }
      /** endAt: after what the log held when it ended, before what came next */
      async ended(exec, endAt, outlived) {
        await yieldToIo();
        if (exec.skipped && exec.parent === null) {
          this.row(exec, "hit");
          return;
        }
        const folded = await this.fold(exec, endAt);
        if (outlived) folded.unsafe ??= { exe: exec.exe, reason: "a process it started outlived it" };
        this.folded.set(exec.id, folded);
        for (const child of this.builder.childrenOf(exec)) this.folded.delete(child.id);
        if (exec.skipped) {
          this.row(exec, "hit");
          return;
        }
        this.stats.ran++;
        await yieldToIo();
        const reason = outlived ? "a process it started outlives it" : await this.record(exec, folded);
        this.row(exec, reason ? "uncacheable" : "miss", reason ?? this.answerOf.get(exec.id)?.missWhy);
      }
      /** exec's subtree: its own accesses and output, with each ended child folded in where it ended. */
      async fold(exec, endAt) {
        const own = [];
        let savedMs = 0;
        for (const [at, item] of this.builder.ownLog(exec.id)) {
          if (item.kind === "access") own.push([at, { kind: "access", access: item.access }, NO_OUTPUT]);
          else if (item.kind === "output") own.push([at, null, [{ fd: item.fd, data: item.data, dest: destOf(exec, item.fd) }]]);
          else {
            const [step, chunks] = await this.replayedStep(item.tag);
            own.push([at, step, chunks.map((c) => ({ ...c, dest: destOf(exec, c.fd) }))]);
            savedMs += item.tag.entry.durationMs;
          }
        }
        const children = [];
        let childReason = null;
        let unsafe = ownUnsafety(exec);
        for (const child of this.builder.childrenOf(exec)) {
          const f = this.folded.get(child.id);
          if (!f) continue;
          if (f.summary.unmodelled) childReason ??= f.summary.unmodelled;
          unsafe ??= f.unsafe;
          savedMs += f.savedMs;
          const s = f.summary;
          const stream2 = [];
          for (const c of f.stream) {
            const mine = asOwn(exec, c);
            if (mine) stream2.push(mine);
            else if (mine === void 0) unsafe ??= { exe: child.exe, reason: `its fd ${c.fd} is a file or pipe opened for it, not the stdout or stderr of ${exec.exe}: a replay would print what it wrote there` };
          }
          children.push([f.endAt, { kind: "replayed", inputs: s.inputs, outputs: s.outputs, created: s.created, removed: s.removed, entryChanges: s.entryChanges }, stream2]);
        }
        const parts = mergeByPosition(own, children.sort((a, b) => a[0] - b[0]));
        const steps = [];
        const stream = [];
        for (const [, step, out] of parts) {
          if (step) steps.push(step);
          for (const o of out) stream.push(o);
        }
        const summary = summarize(steps);
        if (childReason && !summary.unmodelled) {
          summary.cacheable = false;
          summary.reason = childReason;
          summary.unmodelled = childReason;
        }
        return { summary, unsafe, stream, endAt, savedMs };
      }
      /** A child served from cache: what its entry stands for, and its output stream. */
      async replayedStep(hit) {
        const { entry, created, removed } = hit;
        const inputs = entry.inputs.map((i) => this.specOf(i)).filter((s) => s !== null);
        const entryChanges = [
          ...created.map((p) => [p, "added"]),
          ...removed.map((p) => [p, "removed"])
        ];
        const step = {
          kind: "replayed",
          inputs,
          outputs: entry.outputs.map((o) => this.opts.roots.load(o.path)),
          created,
          entryChanges,
          removed: entry.outputs.filter((o) => o.type === "absent").map((o) => this.opts.roots.load(o.path))
        };
        if (!entry.stream) return [step, []];
        const blob = await this.opts.store.getBlob(entry.stream.blob);
        if (!blob) throw new Error("a replayed output stream is missing");
        return [step, this.stream(entry, /* @__PURE__ */ new Map([[entry.stream.blob, blob]]))];
      }
      /** Records exec's entry; returns why it cannot be, or null. */
      async record(exec, folded) {
        const answer = this.answerOf.get(exec.id);
        if (answer?.refused) return answer.refused;
        const weak = answer?.weak;
        if (!weak) return "its exec was not seen";
        if (exec.exitCode === null) return `killed by signal ${exec.signal}`;
        const { unsafe } = folded;
        if (unsafe) return unsafe.exe === exec.exe ? unsafe.reason : `${unsafe.exe}: ${unsafe.reason}`;
        const durationMs = (exec.endMs ?? exec.startMs) - exec.startMs;
        if (durationMs < this.opts.minDurationMs) return `shorter than ${this.opts.minDurationMs} ms: a lookup would cost more`;
        const { summary } = folded;
        if (!summary.cacheable) return summary.reason ?? "not modelled";
        const kept = /* @__PURE__ */ new Map();
        const within = (id) => this.builder.isWithin(this.builder.executions[id], exec.id);
        for (const path of summary.outputs) {
          const snapshot = this.snapshots.last(path, folded.endAt, within);
          if (snapshot?.state) kept.set(path, snapshot);
        }
        const racedEarly = this.changedByOthers(exec, folded.endAt, summary.inputs, summary.outputs, kept);
        if (racedEarly) return racedEarly;
        const outputs = await this.outputStates(summary.outputs, new Set(summary.created), new Set(summary.removed), kept);
        if (typeof outputs === "string") return outputs;
        const soon = summary.inputs.map((spec) => this.recordedValue(spec));
        const values = soon.every((v) => typeof v === "string") ? soon : await Promise.all(soon);
        const readNs = this.builder.nowNs();
        const raced = this.changedByOthers(exec, folded.endAt, summary.inputs, summary.outputs, kept);
        if (raced) return raced;
        const late = this.watchLate(exec, summary.inputs, summary.outputs, kept, readNs);
        const inputs = summary.inputs.map((spec, i) => toInput(spec, values[i], this.opts.roots.store(spec.path)));
        const stream = await this.storeStream(folded.stream);
        if (late.spoiled) return late.spoiled;
        const strong = sha256(weak + JSON.stringify(inputs));
        const children = this.builder.childrenOf(exec).flatMap((e) => {
          const childWeak = this.answerOf.get(e.id)?.weak;
          return childWeak ? [{ weak: childWeak, exe: e.exe, argv: e.argv }] : [];
        });
        const entry = {
          version: 1,
          weak,
          strong,
          exe: exec.exe,
          argv: exec.argv,
          inputs,
          outputs,
          stream,
          // what running it costs: its own time here plus what its skipped descendants would have taken
          exitCode: exec.exitCode ?? 0,
          durationMs: Math.round((durationMs + folded.savedMs) * 1e3) / 1e3,
          createdAt: (/* @__PURE__ */ new Date()).toISOString(),
          children
        };
        const written = this.opts.store.putEntry(entry).catch((e) => {
          this.opts.warn(`storing the entry of ${exec.exe} failed: ${e.message}`);
        });
        this.writes.push(written);
        late.written = { entry, done: written };
        return null;
      }
      /**
       * Withdraws exec's entry when a change to what it read or left, by a process outside its
       * subtree, is reported only after the recording, but may have begun before the recording (or
       * the snapshot) looked at the file.
       */
      watchLate(exec, inputs, outputs, kept, readNs) {
        const own = this.ownBy(exec);
        const state = {};
        const read = inputs.filter((i) => i.kind === "content" || i.kind === "link").map((i) => i.path);
        this.late.watch(/* @__PURE__ */ new Set([...read, ...outputs]), {
          spoils: (path, c) => {
            if (own(c.exec)) return false;
            const looked = kept.has(path) ? kept.get(path).lookedNs : readNs;
            return c.beganNs === void 0 || looked === null || c.beganNs < looked;
          },
          withdraw: (path, c) => {
            const by = c.exec >= 0 ? this.builder.executions[c.exec].exe : "a restore";
            state.spoiled = `${path} may have been changed by ${by} (outside its subtree) before it was recorded, a change reported only after`;
            const written = state.written;
            if (!written) return;
            this.writes.push(written.done.then(() => this.opts.store.removeEntry(written.entry)).catch((e) => {
              this.opts.warn(`withdrawing the entry of ${exec.exe} failed: ${e.message}`);
            }));
            const row = this.rows.get(exec.id);
            if (row) {
              row.status = "uncacheable";
              row.reason = `${state.spoiled}: its entry was withdrawn`;
            }
          }
        });
        return state;
      }
      /** Whether an execution (by id) is exec or runs below it; -1, a restore by nobody, is not. */
      ownBy(exec) {
        return (id) => id >= 0 && this.builder.isWithin(this.builder.executions[id], exec.id);
      }
      describeChange(path, change, endAt) {
        const by = change.exec >= 0 ? this.builder.executions[change.exec].exe : "a restore";
        const when = change.at < endAt ? "while it ran" : "after it ended, before it was recorded";
        return `${path} was changed by ${by} (outside its subtree) ${when}`;
      }
      /**
       * Why exec cannot be recorded: a process outside its subtree changed one of its inputs or
       * outputs after exec started. While it ran, the build raced with itself; after it ended (gcc
       * removing the temporary file `as` read, a shell appending to the file its child wrote), what
       * the file holds now is not what exec read or left.
       */
      changedByOthers(exec, endAt, inputs, outputs, kept) {
        const since = this.builder.startOf(exec.id);
        const own = this.ownBy(exec);
        const why = (path, change) => this.describeChange(path, change, endAt);
        for (const input of inputs) {
          const seen = input.kind === "absent" || input.kind === "exists" || input.kind === "listing";
          const change = this.fs.changes.foreign(input, since, own, seen ? (c) => c.at > endAt : void 0);
          if (change) return why(input.path, change);
        }
        for (const path of outputs) {
          const snapshot = kept.get(path);
          const after = snapshot ? (c) => c.at > endAt && c.exec >= 0 && (this.answerOf.get(c.exec)?.tick ?? -1) > snapshot.taken : void 0;
          const change = this.fs.changes.foreign({ path, kind: "content" }, since, own, after);
          if (change) return why(path, change);
        }
        return null;
      }
      /** The final state of each output; a message when one is outside the allowed directories. */
      async outputStates(paths, createdHere, removedHere, kept) {
        const states = [];
        for (const path of paths.sort()) {
          const noEffect = createdHere.has(path) && removedHere.has(path);
          if (!this.opts.roots.allows(path)) {
            if (noEffect && !(0, import_node_fs12.lstatSync)(path, { throwIfNoEntry: false })) continue;
            return `it writes ${path}, outside the root`;
          }
          let state;
          const snapshot = kept.get(path);
          try {
            if (snapshot && !await snapshot.stored) return `${path}: what it held at the end could not be stored`;
            state = snapshot?.state ?? await this.finalState(path);
          } catch (e) {
            return `${path} changed while it was being recorded (${e.message})`;
          }
          if (state.type === "absent" !== removedHere.has(path)) {
            return `${path} was ${state.type === "absent" ? "removed" : "made again"} by another process after it ended, before it was recorded`;
          }
          if (noEffect) continue;
          states.push({ ...state, path: this.opts.roots.store(path) });
        }
        return states;
      }
      /** A path's state now, its blob in the store; throws when that cannot be had. */
      async finalState(path) {
        const now = this.stateNow(path);
        if (!now.state) throw new Error("neither a file, a directory nor a symlink, or gone meanwhile");
        if (!await now.stored) throw new Error("its content could not be stored");
        return now.state;
      }
      async storeStream(chunks) {
        if (!chunks.length) return null;
        const data = Buffer.concat(chunks.map((c) => c.data));
        const blob = sha256(data);
        await this.opts.store.putBlob(blob, data);
        return { blob, chunks: chunks.map((c) => ({ fd: c.fd, bytes: c.data.length })) };
      }
      /** Waits for the recordings still under way; the rows in execution order. */
      async finish() {
        await this.recording;
        await Promise.all(this.writes);
        this.stats.executions = [...this.rows.values()].sort((a, b) => a.id - b.id);
        return this.stats;
      }
    };
  }
});

// src/memo/paths.ts
function isNormalAbsolute(p) {
  return p.startsWith("/") && !p.includes("//") && !/\/\.\.?(\/|$)/.test(p) && (p.length === 1 || !p.endsWith("/"));
}
function isNormalRelative(p) {
  return p !== "" && !p.includes("//") && !p.endsWith("/") && !/(^|\/)\.\.?(\/|$)/.test(p);
}
var import_node_path9, under2, Roots;
var init_paths = __esm({
  "src/memo/paths.ts"() {
    "use strict";
    import_node_path9 = require("node:path");
    under2 = (dir) => dir.endsWith(import_node_path9.sep) ? dir : dir + import_node_path9.sep;
    Roots = class {
      root;
      allowed;
      rootPrefix;
      allowedPrefixes;
      constructor(root, extra = []) {
        this.root = (0, import_node_path9.resolve)(root);
        this.allowed = [this.root, ...extra.map((d) => (0, import_node_path9.resolve)(d))];
        this.rootPrefix = under2(this.root);
        this.allowedPrefixes = this.allowed.map(under2);
      }
      /** How an absolute (normalized, as the tracer reports) path is stored: relative under the root, absolute elsewhere. */
      store(path) {
        if (path === this.root) return ".";
        return path.startsWith(this.rootPrefix) ? path.slice(this.rootPrefix.length) : path;
      }
      /** The absolute path a stored path names now. */
      load(stored) {
        if ((0, import_node_path9.isAbsolute)(stored)) return stored;
        return isNormalRelative(stored) ? this.rootPrefix + stored : (0, import_node_path9.join)(this.root, stored);
      }
      /** Is the (absolute) path inside one of the allowed directories, once "." and ".." are resolved? */
      allows(path) {
        const p = isNormalAbsolute(path) ? path : (0, import_node_path9.resolve)(path);
        return this.allowed.some((dir, i) => p === dir || p.startsWith(this.allowedPrefixes[i]));
      }
    };
  }
});

// src/memo/index.ts
var init_memo = __esm({
  "src/memo/index.ts"() {
    "use strict";
    init_engine();
    init_paths();
    init_restore();
  }
});

// src/cli/explain-command.ts
var explain_command_exports = {};
__export(explain_command_exports, {
  EXPLAIN_USAGE: () => EXPLAIN_USAGE,
  explainMain: () => explainMain
});
function stdioKind(fd) {
  try {
    if ((0, import_node_tty.isatty)(fd)) return "tty";
    const st = (0, import_node_fs15.fstatSync)(fd);
    if (st.isFIFO()) return "pipe";
    if (st.isSocket()) return "socket";
    if (st.isFile()) return "file";
    if (st.isCharacterDevice()) return st.rdev === 259 ? "null" : "char";
    return "other";
  } catch {
    return "closed";
  }
}
async function explainMain(args) {
  const { options, lists, command } = parseArgs(args, {
    store: { value: true },
    root: { value: true },
    "ignore-env": { value: true, repeat: true }
  }, EXPLAIN_USAGE);
  if (!command.length) throw new UsageError(`no command to explain
${EXPLAIN_USAGE}`);
  const cwd = process.cwd();
  const exe = resolveProgram(command[0], process.env, cwd);
  const store = new LocalStore((0, import_node_path12.resolve)(String(options.get("store") ?? defaultStoreDir())), false);
  const ignoreEnv = ignoredEnv(lists.get("ignore-env"));
  const index = await store.openIndex();
  const engine = new MemoEngine({
    store,
    index,
    roots: new Roots((0, import_node_path12.resolve)(String(options.get("root") ?? cwd))),
    ignoreEnv,
    minDurationMs: 0,
    umask: process.umask(),
    toolVersion: VERSION,
    hasher: new FileHasher(),
    warn: () => {
    }
  }, new TraceBuilder());
  const env = Object.entries(process.env).filter((e) => e[1] !== void 0).map(([k, v]) => `${k}=${v}`);
  const weak = engine.weakOfQuery({ exe, argv: command, cwd, env, stdio: [stdioKind(0), stdioKind(1), stdioKind(2)] });
  const explainer = new Explainer(engine, index);
  await explainer.explain(weak, command.join(" "), 0);
  process.stdout.write(`${explainer.lines.join("\n")}
`);
  if (explainer.lines.length >= MAX_LINES) process.stdout.write(`(cut at ${MAX_LINES} lines)
`);
  process.stdout.write("(children are judged against the files as they are now, before anything runs)\n");
  return 0;
}
var import_node_fs15, import_node_path12, import_node_tty, EXPLAIN_USAGE, MAX_LINES, Explainer;
var init_explain_command = __esm({
  "src/cli/explain-command.ts"() {
    "use strict";
    import_node_fs15 = require("node:fs");
    import_node_path12 = require("node:path");
    import_node_tty = require("node:tty");
    init_fingerprint();
    init_memo();
    init_store();
    init_trace();
    init_args();
    init_common();
    EXPLAIN_USAGE = "usage: processcache explain [--store DIR] [--root DIR] [--ignore-env VAR]... -- CMD [ARGS...]";
    MAX_LINES = 200;
    Explainer = class {
      constructor(engine, index) {
        this.engine = engine;
        this.index = index;
      }
      engine;
      index;
      lines = [];
      say(depth, text) {
        if (this.lines.length < MAX_LINES) this.lines.push(`${"  ".repeat(depth)}${text}`);
      }
      /** Explains one program by its weak fingerprint; recurses into the closest candidate's children. */
      async explain(weak, label, depth) {
        const candidates = this.index.candidates(weak);
        if (!candidates.length) {
          this.say(depth, `miss  ${label}: never recorded`);
          return;
        }
        let closest = null;
        for (const entry2 of candidates) {
          const differs2 = this.engine.differences(entry2);
          if (!differs2.length) {
            this.say(depth, `hit   ${label}: replayed whole (${entry2.inputs.length} inputs unchanged, saves ${(entry2.durationMs / 1e3).toFixed(1)} s)`);
            return;
          }
          if (!closest || differs2.length < closest.differs.length) closest = { entry: entry2, differs: differs2 };
        }
        const { entry, differs } = closest;
        this.say(depth, `miss  ${label}: the closest of ${candidates.length} candidate(s) differs in ${differs.length} of ${entry.inputs.length} inputs`);
        for (const d of differs.slice(0, 5)) this.say(depth + 3, d);
        if (differs.length > 5) this.say(depth + 3, `... and ${differs.length - 5} more`);
        for (const child of entry.children) await this.explain(child.weak, child.argv.join(" ").slice(0, 100), depth + 1);
      }
    };
  }
});

// src/cli/v8-tiers.ts
var import_node_module = require("node:module");
var v8Major = Number(process.versions.v8.split(".")[0]);
if (v8Major < 12) (0, import_node_module.createRequire)(__pcMetaUrl)("node:v8").setFlagsFromString("--no-opt");

// src/cli/main.ts
init_trace();
init_args();
init_common();

// src/cli/gc-command.ts
var import_node_fs10 = require("node:fs");
var import_node_path6 = require("node:path");
init_store();
init_args();
var GC_USAGE = "usage: processcache gc [--store DIR] --max-size SIZE   (SIZE like 500M or 5G)";
function gcMain(args) {
  const { options, command } = parseArgs(args, { store: { value: true }, "max-size": { value: true } }, GC_USAGE);
  if (command.length) throw new UsageError(`gc takes no command
${GC_USAGE}`);
  const size = options.get("max-size");
  if (typeof size !== "string") throw new UsageError(`--max-size is required
${GC_USAGE}`);
  const max = parseSize(size);
  if (max === null) throw new UsageError(`--max-size "${size}" is not a size: write it like 500M, 5G or 1048576`);
  const dir = (0, import_node_path6.resolve)(String(options.get("store") ?? defaultStoreDir()));
  if (!(0, import_node_fs10.existsSync)(dir)) {
    process.stderr.write(`processcache: no store at ${dir}: nothing to collect
`);
    return 0;
  }
  const r = collectGarbage(dir, max);
  const mib = (n) => `${(n / 1024 ** 2).toFixed(1)} MiB`;
  process.stderr.write(`processcache: removed ${r.entriesRemoved} of ${r.entriesBefore} entries; ${mib(r.bytesBefore)} -> ${mib(r.bytesAfter)}
`);
  return 0;
}

// src/cli/run-command.ts
var import_node_child_process2 = require("node:child_process");
var import_node_fs13 = require("node:fs");
var import_node_os5 = require("node:os");
var import_node_path10 = require("node:path");
init_fingerprint();
init_memo();
init_store();
init_trace();
init_args();
init_common();
var RUN_USAGE = "usage: processcache run [--store DIR] [--root DIR] [--allow DIR]... [--read-only] [--stats-json FILE] [--quiet] [--ignore-env VAR]... [--min-duration-ms N] -- CMD [ARGS...]";
var warn = (message) => {
  process.stderr.write(`processcache: warning: ${message}
`);
};
function loadStatCache(path) {
  try {
    const entries = JSON.parse((0, import_node_fs13.readFileSync)(path, "utf8"));
    if (Array.isArray(entries)) return new FileHasher(entries.filter((e) => Array.isArray(e) && e.length === 3 && e.every((x) => typeof x === "string")));
  } catch {
  }
  return new FileHasher();
}
function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}
function summaryLine(s) {
  return `processcache: ${s.ran} ran, ${s.reused} reused, saved ${(s.savedMs / 1e3).toFixed(1)} s, restored ${formatBytes(s.bytesRestored)}`;
}
function runPlain(command) {
  const r = (0, import_node_child_process2.spawnSync)(command[0], command.slice(1), { stdio: "inherit" });
  if (r.error) {
    process.stderr.write(`processcache: ${command[0]}: ${r.error.message}
`);
    return 127;
  }
  return r.signal ? 128 + (import_node_os5.constants.signals[r.signal] ?? 0) : r.status ?? 1;
}
function nonNegativeInt(value, name, fallback) {
  if (value === void 0) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} takes a whole number of milliseconds, not "${String(value)}"`);
  return n;
}
async function runMain(args) {
  const { options, lists, command } = parseArgs(args, {
    store: { value: true },
    root: { value: true },
    allow: { value: true, repeat: true },
    "read-only": { value: false },
    "stats-json": { value: true },
    quiet: { value: false },
    "ignore-env": { value: true, repeat: true },
    "min-duration-ms": { value: true }
  }, RUN_USAGE);
  if (command.length === 0) throw new UsageError(`no command to run
${RUN_USAGE}`);
  resolveProgram(command[0], process.env, process.cwd());
  const storeDir = (0, import_node_path10.resolve)(String(options.get("store") ?? defaultStoreDir()));
  const root = (0, import_node_path10.resolve)(String(options.get("root") ?? process.cwd()));
  if (!(0, import_node_fs13.existsSync)(root)) throw new UsageError(`--root ${root} does not exist`);
  const minDurationMs = nonNegativeInt(options.get("min-duration-ms"), "min-duration-ms", 3);
  const ignoreEnv = ignoredEnv(lists.get("ignore-env"));
  let store;
  try {
    (0, import_node_fs13.mkdirSync)(storeDir, { recursive: true });
    store = new LocalStore(storeDir, !options.has("read-only"));
  } catch (e) {
    warn(`the store at ${storeDir} cannot be used (${e.message}); running without the cache`);
    return runPlain(command);
  }
  const statCachePath = (0, import_node_path10.join)(storeDir, "statcache.json");
  const hasher = loadStatCache(statCachePath);
  const umask = process.umask();
  const builder = new TraceBuilder();
  let index;
  try {
    index = await store.openIndex();
  } catch (e) {
    warn(`the store's index at ${storeDir} cannot be read (${e.message}); running without the cache`);
    return runPlain(command);
  }
  const engine = new MemoEngine({
    store,
    index,
    roots: new Roots(root, lists.get("allow") ?? []),
    ignoreEnv,
    minDurationMs,
    umask,
    toolVersion: VERSION,
    hasher,
    warn
  }, builder);
  let status;
  try {
    ({ status } = await traceCommand({ command, builder, decideExec: engine.decide }));
  } catch (e) {
    if (!(e instanceof TraceError) || builder.executions.length > 0) throw e;
    warn(`${e.message}; running without the cache`);
    return runPlain(command);
  }
  const stats = await engine.finish();
  if (hasher.dirty && store.writable) {
    try {
      atomicWrite(statCachePath, JSON.stringify(hasher.entries()));
    } catch {
    }
  }
  if (!options.has("quiet")) process.stderr.write(`${summaryLine(stats)}
`);
  const statsPath = options.get("stats-json");
  if (typeof statsPath === "string") {
    try {
      (0, import_node_fs13.writeFileSync)(statsPath, `${JSON.stringify(stats, null, 1)}
`);
    } catch (e) {
      warn(`could not write ${statsPath}: ${e.message}`);
    }
  }
  return exitCodeOf(status);
}

// src/cli/trace-command.ts
var import_node_fs14 = require("node:fs");
var import_node_path11 = require("node:path");
init_trace();
init_args();
var TRACE_USAGE = "usage: processcache trace [--out FILE] -- CMD [ARGS...]";
async function traceMain(args) {
  const { options, command } = parseArgs(args, { out: { value: true } }, TRACE_USAGE);
  if (command.length === 0) throw new UsageError(`no command to trace
${TRACE_USAGE}`);
  const out = (0, import_node_path11.resolve)(String(options.get("out") ?? "processcache-trace.json"));
  const { trace, status, warnings, builder } = await traceCommand({ command });
  for (const w of [...builder.errors, ...warnings]) process.stderr.write(`processcache: warning: ${w}
`);
  try {
    (0, import_node_fs14.writeFileSync)(out, `${JSON.stringify(trace, null, 1)}
`);
  } catch (e) {
    process.stderr.write(`processcache: warning: could not write the trace to ${out}: ${e.message}
`);
  }
  return exitCodeOf(status);
}

// src/cli/main.ts
var HELP = `processcache ${VERSION}: memoizes unmodified Linux programs

commands:
  run [--store DIR] [--root DIR] [--allow DIR] [--read-only] [--stats-json FILE] [--quiet]
      [--ignore-env VAR] [--min-duration-ms N] -- CMD [ARGS...]
                                        run CMD, skipping every process whose inputs are
                                        unchanged since a recorded run (store: $PROCESSCACHE_STORE,
                                        else $XDG_CACHE_HOME/processcache, else ~/.cache/processcache)
  explain [--store DIR] -- CMD [ARGS...] which executions of CMD would be reused, and for each
                                        miss the inputs that differ; runs nothing
  gc [--store DIR] --max-size SIZE      evict least recently used entries down to SIZE (5G)
  trace [--out FILE] -- CMD [ARGS...]   run CMD under the tracer and write every process's
                                        file accesses as JSON (default processcache-trace.json)
  help, --help                          this text
  version, --version                    the version
`;
async function main(argv) {
  const [command, ...rest] = argv;
  switch (command) {
    case "trace":
      return traceMain(rest);
    case "run":
      return runMain(rest);
    // loaded on demand: `run`, which matters for speed, has no use for it (nor for node:tty)
    case "explain":
      return (await Promise.resolve().then(() => (init_explain_command(), explain_command_exports))).explainMain(rest);
    case "gc":
      return gcMain(rest);
    case void 0:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(HELP);
      return command === void 0 ? 2 : 0;
    case "version":
    case "--version":
      process.stdout.write(`${VERSION}
`);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"
${TRACE_USAGE}
run \`processcache --help\` for the list`);
  }
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (e instanceof UsageError || e instanceof TraceError || e instanceof NativeError) {
      process.stderr.write(`processcache: ${e.message}
`);
      process.exitCode = e instanceof UsageError ? 2 : 127;
    } else {
      process.stderr.write(`processcache: internal error: ${e.stack ?? String(e)}
`);
      process.exitCode = 70;
    }
  }
);
