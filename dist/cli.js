#!/bin/sh
':' /*
# The CLI's launcher: dist/cli.js is this sh script and the bundle at once (JavaScript reads the
# line above as a string and a comment). Node resets the signal dispositions it inherits, clears
# the signal mask and marks fds 0-15 close-on-exec before any JavaScript runs, so sh looks first
# (a non-interactive sh keeps the signals its caller ignored) and tells the CLI what it saw in
# PROCESSCACHE_LAUNCH (src/trace/launch.ts): the ignored and blocked masks (hex, from
# /proc/PID/status: /proc/PID/stat has only their low 31 bits), the fds from 3 up that are not
# close-on-exec, and whether this sh is bash (which ignores SIGQUIT itself, and not for the
# programs it runs). Builtins only: no process but sh itself. (No star-slash in here: it would end
# the comment for JavaScript.)
# (The variables are prefixed: one the caller exported would reach the command changed.)
__pc_ign= __pc_blk= __pc_fds=
while read -r __pc_k __pc_v; do
  case $__pc_k in SigBlk:) __pc_blk=$__pc_v;; SigIgn:) __pc_ign=$__pc_v; break;; esac
done </proc/$$/status
for __pc_p in /proc/$$/fd/*; do
  __pc_n=${__pc_p#/proc/$$/fd/}
  case $__pc_n in [012]|*[!0-9]*) continue;; esac
  # the directory this loop listed had an fd of its own, gone by now
  [ -e /proc/$$/fdinfo/$__pc_n ] || continue
  { read -r __pc_k __pc_v; read -r __pc_k __pc_v; } </proc/$$/fdinfo/$__pc_n
  [ $(($__pc_v & 02000000)) = 0 ] && __pc_fds=$__pc_fds,$__pc_n
done
export PROCESSCACHE_LAUNCH="$__pc_ign $__pc_blk ${__pc_fds#,} ${BASH_VERSION:+bash}"
# the Action names the runner's own Node: the one on PATH may be older, or absent
exec "${PROCESSCACHE_NODE:-node}" "$0" "$@"
*/
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

// src/trace/process-attrs.ts
function decodeFd(text) {
  const m = /^(\d+) (\S+) (r|w|rw) (-?\d+) ([0-9a-f]+) (.*)$/s.exec(text);
  if (!m) return null;
  return { fd: Number(m[1]), kind: m[2], mode: m[3], pos: Number(m[4]), identity: m[5], path: m[6] };
}
function decodeProcessAttrs(strings) {
  const attrs = { fds: [], fdsUnknown: strings.length === 0 };
  const known = new Set(SCALAR_KEYS);
  for (const s of strings) {
    const eq = s.indexOf("=");
    const key = s.slice(0, eq), value = s.slice(eq + 1);
    if (key === "stream") {
      const m = /^([12]) (\d+) (\d+) (.*)$/s.exec(value);
      if (m) (attrs.streamStarts ??= []).push({ fd: Number(m[1]), pos: Number(m[2]), size: Number(m[3]), path: m[4] });
    } else if (key === "fd") {
      const fd = value === "?" ? null : decodeFd(value);
      if (fd) attrs.fds.push(fd);
      else attrs.fdsUnknown = true;
    } else if (known.has(key) && value !== "?") {
      attrs[key] = value;
    }
  }
  return attrs;
}
var SCALAR_KEYS, STREAM_START_KEYS, OBSERVED_BY;
var init_process_attrs = __esm({
  "src/trace/process-attrs.ts"() {
    "use strict";
    SCALAR_KEYS = [
      "uid",
      "gid",
      "groups",
      "sigign",
      "sigblk",
      "ctty",
      "rlimits",
      "ns",
      "affinity",
      "uname",
      "winsize",
      "selfstate",
      "capinh",
      "capprm",
      "capeff",
      "capbnd",
      "capamb",
      "nnp",
      "thp",
      "sched",
      "sigpnd",
      "shdpnd"
    ];
    STREAM_START_KEYS = ["stdoutStart", "stderrStart"];
    OBSERVED_BY = {
      sched_getaffinity: "affinity",
      uname: "uname",
      TIOCGWINSZ: "winsize",
      "stdout-offset": "stdoutStart",
      "stderr-offset": "stderrStart"
    };
  }
});

// src/trace/own-proc.ts
function ownEntryOf(path, isOwn) {
  const m = OWN_ENTRY.exec(path);
  if (!m) return null;
  if (/^\d+$/.test(m[1]) && !isOwn(Number(m[1]))) return null;
  const entry = m[2];
  if (entry === "") return { entry: ".", use: "keyed" };
  if (/^(?:cwd|root|fd\/\d+)\//.test(entry)) return { entry, use: "unkeyed" };
  return { entry, use: USES.get(entry) ?? USES.get(entry.split("/")[0]) ?? "unkeyed" };
}
var SELF_STATE_FILES, KEYED, MOMENT, USES, OWN_ENTRY;
var init_own_proc = __esm({
  "src/trace/own-proc.ts"() {
    "use strict";
    SELF_STATE_FILES = [
      "oom_score_adj",
      "oom_adj",
      "coredump_filter",
      "personality",
      "loginuid",
      "sessionid",
      "timerslack_ns",
      "attr/current"
    ];
    KEYED = ["exe", "cwd", "root", "cmdline", "environ", "comm", "fd", "task", "limits", "status", "ns", "uid_map", "gid_map", "setgroups", "mem", "fdinfo"];
    MOMENT = [
      "stat",
      "statm",
      "io",
      "sched",
      "schedstat",
      "maps",
      "smaps",
      "smaps_rollup",
      "numa_maps",
      "pagemap",
      "wchan",
      "syscall",
      "stack",
      "oom_score",
      "auxv",
      "cgroup",
      "cpuset",
      "mounts",
      "mountinfo",
      "mountstats",
      "net",
      "timers"
    ];
    USES = new Map([
      ...KEYED.map((e) => [e, "keyed"]),
      ...MOMENT.map((e) => [e, "moment"]),
      ...SELF_STATE_FILES.map((e) => [e, "selfstate"])
    ]);
    OWN_ENTRY = /^\/proc\/(self|thread-self|\d+)\/(?:task\/\d+\/)?(.*)$/;
  }
});

// src/trace/system-state.ts
function isSystemState(path) {
  return VOLATILE_PROC.has(path) || VOLATILE_UNDER.test(path);
}
var VOLATILE_PROC, VOLATILE_UNDER;
var init_system_state = __esm({
  "src/trace/system-state.ts"() {
    "use strict";
    VOLATILE_PROC = new Set([
      "meminfo",
      "loadavg",
      "uptime",
      "stat",
      "vmstat",
      "interrupts",
      "softirqs",
      "diskstats",
      "schedstat",
      "zoneinfo",
      "buddyinfo",
      "slabinfo",
      "pagetypeinfo",
      "sys/kernel/random/uuid",
      "sys/kernel/random/entropy_avail"
    ].map((name) => `/proc/${name}`));
    VOLATILE_UNDER = /^\/proc\/(?:pressure|net)\/|^\/proc\/(?:self|thread-self|\d+)\/(?:task\/\d+\/)?(?:net\/|mounts$|mountinfo$|mountstats$)|^\/sys\/fs\/cgroup\/.*\.(?:current|stat|pressure|events|events\.local|peak)$/;
  }
});

// src/trace/pwd-walk.ts
function walksPwd(path) {
  if (!WALKING_SHELLS.has((0, import_node_path.basename)(path))) return false;
  try {
    const real = (0, import_node_fs.realpathSync)(path);
    if (!WALKING_SHELLS.has((0, import_node_path.basename)(real))) return false;
    const st = (0, import_node_fs.statSync)(real);
    const key = `${real}\0${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    let is = isBashByFile.get(key);
    if (is === void 0) {
      const bytes = st.isFile() && st.size < 64 << 20 ? (0, import_node_fs.readFileSync)(real) : null;
      is = bytes !== null && bytes.subarray(0, 4).equals(ELF_MAGIC) && bytes.includes(BASH_BANNER);
      isBashByFile.set(key, is);
    }
    return is;
  } catch {
    return false;
  }
}
function plain(path) {
  return path.startsWith("/") && import_node_path.posix.normalize(path) === path && (path === "/" || !path.endsWith("/"));
}
function ancestorsOf(path) {
  const out = [];
  for (let d = (0, import_node_path.dirname)(path); d !== "/" && d !== "." && d !== (0, import_node_path.dirname)(d); d = (0, import_node_path.dirname)(d)) out.unshift(d);
  return out;
}
function beforeTheWalk(a) {
  return a.op === "exec" || a.op === "read" || a.op === "probe" && a.type !== "dir" || a.op === "write" && a.result !== "ok";
}
function walkEnvOf(env) {
  const out = {};
  for (const v of env) {
    if (v.startsWith("PWD=")) out.pwd = v.slice(4);
    else if (v.startsWith("OLDPWD=")) out.oldpwd = v.slice(7);
  }
  return out;
}
var import_node_fs, import_node_path, WALKING_SHELLS, isBashByFile, BASH_BANNER, ELF_MAGIC, PwdWalk, CdWalks;
var init_pwd_walk = __esm({
  "src/trace/pwd-walk.ts"() {
    "use strict";
    import_node_fs = require("node:fs");
    import_node_path = require("node:path");
    WALKING_SHELLS = /* @__PURE__ */ new Set(["bash"]);
    isBashByFile = /* @__PURE__ */ new Map();
    BASH_BANNER = Buffer.from("GNU bash, version ");
    ELF_MAGIC = Buffer.from([127, 69, 76, 70]);
    PwdWalk = class _PwdWalk {
      constructor(cwd, oldpwd) {
        this.cwd = cwd;
        this.oldpwd = oldpwd;
        this.prefixes = ancestorsOf(cwd);
      }
      cwd;
      oldpwd;
      /** the working directory's ancestors below /, shallowest first */
      prefixes;
      /** the stats of the walk so far, marked once it is whole */
      steps = [];
      phase = "cwd";
      /** The follower for a bash just exec'd (walksPwd), or null when it makes no such check. */
      static forBash(cwd, env) {
        if (!plain(cwd) || env?.pwd !== cwd) return null;
        const walk = new _PwdWalk(cwd, env.oldpwd?.startsWith("/") ? env.oldpwd : void 0);
        return walk.prefixes.length ? walk : null;
      }
      /** Takes the program's next access; false once the walk is over (done or not the walk). */
      follow(a) {
        if (this.phase === "over") return false;
        const dir = a.op === "probe" && a.result === "ok" && a.type === "dir" && !a.nofollow && !a.checks;
        if (this.phase === "oldpwd") {
          if (dir && a.path === this.oldpwd) a.pwdWalk = true;
          return this.end();
        }
        if (!dir) return beforeTheWalk(a) && this.steps.length === 0 ? true : this.end();
        if (this.phase === "cwd") {
          if (a.path !== this.cwd) return this.end();
          this.steps.push(a);
          if (this.steps.length === 2) this.phase = "prefixes";
          return true;
        }
        const next = this.steps.length - 2;
        if (next < this.prefixes.length) {
          if (a.path !== this.prefixes[next]) return this.end();
          this.steps.push(a);
          return true;
        }
        if (a.path !== this.cwd) return this.end();
        for (const step of [...this.steps, a]) step.pwdWalk = true;
        this.steps.length = 0;
        if (!this.oldpwd) return this.end();
        this.phase = "oldpwd";
        return true;
      }
      end() {
        this.phase = "over";
        return false;
      }
    };
    CdWalks = class {
      runs = /* @__PURE__ */ new Map();
      /** Takes the next access of a bash process (or of a fork of one that has not exec'd). */
      take(pid, a) {
        if (a.op === "probe" && a.result === "ok" && a.type === "dir" && !a.nofollow && !a.checks) {
          const run2 = this.runs.get(pid);
          if (run2) run2.push(a);
          else this.runs.set(pid, [a]);
          return;
        }
        const run = this.runs.get(pid);
        this.runs.delete(pid);
        if (!run || a.op !== "chdir" || a.result !== "ok" || !a.path || !plain(a.path) || a.path === "/") return;
        const walk = [...ancestorsOf(a.path), a.path];
        const tail2 = run.slice(-walk.length);
        if (tail2.length === walk.length && tail2.every((step, i) => step.path === walk[i])) for (const step of tail2) step.pwdWalk = true;
      }
      forget(pid) {
        this.runs.delete(pid);
      }
    };
  }
});

// src/trace/protocol.ts
function encodeSpec(spec) {
  const strings = Buffer.from([spec.exe, spec.cwd, ...spec.argv, ...spec.env].map((s) => `${s}\0`).join(""));
  const ids = [...spec.groups, ...spec.fds];
  const header = Buffer.alloc(SPEC_HEADER + 4 * ids.length);
  const fields = [
    SPEC_MAGIC,
    spec.flags,
    spec.uid,
    spec.gid,
    spec.umask,
    spec.groups.length,
    spec.argv.length,
    spec.env.length,
    strings.length,
    spec.fds.length
  ];
  fields.forEach((v, i) => header.writeUInt32LE(v >>> 0, i * 4));
  header.writeBigUInt64LE(BigInt.asUintN(64, spec.sigIgnored), 40);
  header.writeBigUInt64LE(BigInt.asUintN(64, spec.sigBlocked), 48);
  header.writeUInt32LE(spec.pipeWaitMs ?? 0, 56);
  header.writeUInt32LE(process.pid, 60);
  ids.forEach((g, i) => header.writeUInt32LE(g >>> 0, SPEC_HEADER + i * 4));
  return Buffer.concat([header, strings]);
}
function eventLength(buf, at) {
  const len = buf.readUInt32LE(at);
  if (len < HEADER) throw new Error(`corrupt tracer stream: record of ${len} bytes`);
  return len;
}
function decodeAt(buf, at, len) {
  return {
    type: buf.readUInt16LE(at + 4),
    op: buf.readUInt16LE(at + 6),
    pid: buf.readInt32LE(at + 8),
    value: buf.readInt32LE(at + 12),
    timeNs: buf.readBigUInt64LE(at + 16),
    kind: buf.readUInt32LE(at + 24),
    aux: buf.readUInt32LE(at + 28),
    payload: buf.subarray(at + HEADER, at + len)
  };
}
function payloadStrings(payload) {
  const out = [];
  for (let start = 0, nul; (nul = payload.indexOf(0, start)) >= 0; start = nul + 1) {
    out.push(payload.toString("utf8", start, nul));
  }
  return out;
}
function decodeExecQuery(ev) {
  const [exe = "", cwd = "", k0 = "", k1 = "", k2 = "", s1 = "", s2 = "", s0 = "", ...rest] = payloadStrings(ev.payload);
  return {
    pid: ev.pid,
    tid: ev.value,
    exe,
    cwd,
    stdio: [k0, k1, k2],
    streams: [s1, s2],
    stdinId: s0,
    argv: rest.slice(0, ev.kind),
    env: rest.slice(ev.kind, ev.kind + ev.aux),
    umask: ev.op === UMASK_UNKNOWN ? null : ev.op,
    process: decodeProcessAttrs(rest.slice(ev.kind + ev.aux)),
    last: ev.type === EventType.execQueryLast
  };
}
function encodeExecReply(decision) {
  const chunks = decision.skip ? decision.output : [];
  const seeks = decision.skip ? decision.seeks ?? [] : [];
  const head2 = Buffer.alloc(36);
  head2.writeUInt32LE(REPLY_MAGIC, 0);
  head2.writeUInt32LE(decision.skip ? 1 : decision.wait ? REPLY_WAIT : 0, 4);
  head2.writeInt32LE(decision.skip ? decision.exitCode : 0, 8);
  head2.writeUInt32LE(chunks.length, 12);
  head2.writeUInt32LE(seeks.length, 16);
  head2.writeUInt32LE(decision.skip ? decision.deferMs ?? 0 : decision.wait ? decision.waitMs ?? 0 : 0, 20);
  head2.writeInt32LE(decision.release?.tid ?? 0, 24);
  head2.writeUInt32LE(decision.release?.write ? 1 : 0, 28);
  head2.writeInt32LE(decision.skip ? decision.deferWatch ?? 0 : 0, 32);
  const parts = [head2];
  for (const s of seeks) {
    const b = Buffer.alloc(16);
    b.writeUInt32LE(s.fd, 0);
    b.writeBigUInt64LE(BigInt(s.pos), 8);
    parts.push(b);
  }
  for (const c of chunks) {
    const h = Buffer.alloc(8);
    h.writeUInt32LE(c.fd, 0);
    h.writeUInt32LE(c.data.length, 4);
    parts.push(h, c.data);
  }
  return parts;
}
var SPEC_MAGIC, SPEC_DROP_PRIVILEGES, SPEC_NO_NEW_PRIVS, SPEC_NO_NOTIFY, SPEC_DECIDE_EXEC, SPEC_LAZY_WRITES, REPLY_MAGIC, EventType, REPLY_WAIT, ACCESS_OPS, SPEC_HEADER, HEADER, EventDecoder, UMASK_UNKNOWN;
var init_protocol = __esm({
  "src/trace/protocol.ts"() {
    "use strict";
    init_process_attrs();
    SPEC_MAGIC = 1885566003;
    SPEC_DROP_PRIVILEGES = 1;
    SPEC_NO_NEW_PRIVS = 2;
    SPEC_NO_NOTIFY = 4;
    SPEC_DECIDE_EXEC = 8;
    SPEC_LAZY_WRITES = 16;
    REPLY_MAGIC = 1885566021;
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
      execQuery: 13,
      observed: 14,
      fdEnd: 15,
      reaped: 16,
      /** an exec query asked again after a wait, for the last time: the answer must not be wait */
      execQueryLast: 17,
      /** pid: a skipped thread whose deferred output reached its deadline, or whose pipe was read: it is written now */
      deferEnd: 18,
      /** value: the thread; op 0: what a read of a pipe on stdin took (empty: its end), op 1: a read
       * there whose bytes were not taken (readv, splice) */
      stdinData: 19,
      /** pid received signal op from process value (0: a terminal, through the kernel) */
      signal: 20,
      /** pid sends signal op (0: a probe of whether it lives) to traced process value */
      signalSent: 21
    };
    REPLY_WAIT = 2;
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
      "dup",
      "xattr"
    ];
    SPEC_HEADER = 64;
    HEADER = 32;
    EventDecoder = class {
      pending = [];
      pendingLength = 0;
      push(chunk) {
        this.pending.push(chunk);
        this.pendingLength += chunk.length;
        const events = [];
        for (; ; ) {
          const first = this.pending[0];
          if (!first) return events;
          let at = 0;
          for (let len2; first.length - at >= HEADER && first.length - at >= (len2 = eventLength(first, at)); ) {
            events.push(decodeAt(first, at, len2));
            at += len2;
          }
          if (at > 0) this.drop(at);
          if (this.pending.length < 2 || this.pendingLength < HEADER) return events;
          const len = eventLength(this.pending[0].length >= 4 ? this.pending[0] : Buffer.concat(this.pending, 4), 0);
          if (this.pendingLength < len) return events;
          events.push(decodeAt(Buffer.concat(this.pending, len), 0, len));
          this.drop(len);
        }
      }
      get leftover() {
        return this.pendingLength;
      }
      /** Takes the first n pending bytes away. */
      drop(n) {
        this.pendingLength -= n;
        while (n > 0) {
          const first = this.pending[0];
          if (first.length > n) {
            this.pending[0] = first.subarray(n);
            return;
          }
          n -= first.length;
          this.pending.shift();
        }
      }
    };
    UMASK_UNKNOWN = 65535;
  }
});

// src/trace/builder.ts
function fdOfPath(path) {
  const m = FD_BY_PATH.exec(path);
  if (!m) return null;
  return m[1] !== void 0 ? STD_NAMES[m[1]] : Number(m[2] ?? m[3]);
}
function errnoName(err) {
  return err === 0 ? "ok" : ERRNO_NAMES.get(err) ?? `errno${err}`;
}
function nsToMs(ns) {
  return Math.round(Number(ns) / 1e3) / 1e3;
}
function pushUnique(list, item) {
  if (!list.includes(item)) list.push(item);
}
var import_node_crypto, import_node_os, ERRNO_NAMES, FILE_TYPES, RENAME_DESTS, OPEN_TRUNCATES, OPEN_EXCL, OPEN_APPENDS, TRUNCATE_CALL, RENAME_NOREPLACE, PROBE_NOFOLLOW, PROBE_ACCESS, LIST_GOES_ON, DEFER_DEADLINE, DEFER_WATCHED, FD_BY_PATH, STD_NAMES, QUIET_DEVICES, OWN_STATUS, PROC_PID, FDINFO, OUT_FOREIGN, OUT_RANGE, OUT_UNSEEN, PACKET_MODE_FLAG, TraceBuilder, StdinRead;
var init_builder = __esm({
  "src/trace/builder.ts"() {
    "use strict";
    import_node_crypto = require("node:crypto");
    import_node_os = require("node:os");
    init_process_attrs();
    init_own_proc();
    init_system_state();
    init_pwd_walk();
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
    RENAME_DESTS = [void 0, "absent", "file", "symlink", "other", "empty-dir", "full-dir"];
    OPEN_TRUNCATES = 1;
    OPEN_EXCL = 2;
    OPEN_APPENDS = 4;
    TRUNCATE_CALL = 8;
    RENAME_NOREPLACE = 16;
    PROBE_NOFOLLOW = 256;
    PROBE_ACCESS = 512;
    LIST_GOES_ON = 1;
    DEFER_DEADLINE = 1;
    DEFER_WATCHED = 2;
    FD_BY_PATH = /^(?:\/dev\/(?:std(in|out|err)|fd\/(\d+))|\/proc\/(?:self|thread-self|\d+)(?:\/task\/\d+)?\/fd\/(\d+))$/;
    STD_NAMES = { in: 0, out: 1, err: 2 };
    QUIET_DEVICES = /* @__PURE__ */ new Set(["/dev/null", "/dev/zero", "/dev/full", "/dev/urandom", "/dev/random"]);
    OWN_STATUS = /^\/proc\/(?:self|thread-self|\d+)\/(?:task\/\d+\/)?status$/;
    PROC_PID = /^\/proc\/(\d+)(?:\/|$)/;
    FDINFO = /^\/proc\/(self|thread-self|\d+)\/(task\/\d+\/)?fdinfo(\/|$)/;
    OUT_FOREIGN = 3;
    OUT_RANGE = 4;
    OUT_UNSEEN = 7;
    PACKET_MODE_FLAG = "packet-mode:";
    TraceBuilder = class {
      executions = [];
      /** processes made by vfork (posix_spawn too) that have not exec'd: their parent waits for that */
      vforked = /* @__PURE__ */ new Set();
      /** a traced process put a pipe in packet mode (native/tracer.c): from then on no pipe's bytes
       * are read ahead, since a packet's bounds cannot be seen nor put back */
      packetMode = false;
      /** skipped threads whose deferred output the tracer let go at its deadline (PCT_EV_DEFER_END) */
      deferEnded = /* @__PURE__ */ new Set();
      /** why deferred outputs went out before a reader's exec: a read, the deadline, the watched shell */
      deferEnds = { read: 0, deadline: 0, watched: 0 };
      /** what each execution read from the pipe on its stdin, by execution id (PCT_EV_STDIN_DATA) */
      stdinReads = /* @__PURE__ */ new Map();
      /** processes that started a thread since their exec: one may change a read's buffer before the
       * tracer copies it at the read's exit */
      threaded = /* @__PURE__ */ new Set();
      errors = [];
      warnings = [];
      log = [];
      /** the programs each process exec'd, in order (a program skipped at its exec is not one) */
      programsOfPid = /* @__PURE__ */ new Map();
      /** each execution's direct children */
      childrenByParent = /* @__PURE__ */ new Map();
      /** positions in the log of each execution's items */
      logOfExec = /* @__PURE__ */ new Map();
      /** called when an execution's process has ended (innermost first in an exec chain) */
      onExecutionEnd = null;
      /** called for every access as it arrives, with its execution, its position in the log, for
       * a change the earliest it can have begun (ns on the tracer's clock, see tracerStartNs), and
       * when it was reported (the same clock) */
      onAccessSeen = null;
      /** CLOCK_MONOTONIC when the tracer started, from which event times count (null: not said) */
      tracerStartNs = null;
      /** called when a program has started in a process */
      onExecutionStart = null;
      rootPid = null;
      rootStatus = null;
      done = false;
      /** the command's processes that have not ended, as far as the events so far tell */
      livePids = /* @__PURE__ */ new Set();
      executionOfPid = /* @__PURE__ */ new Map();
      /** signals sent to each live process and not yet delivered: who sent them */
      sentTo = /* @__PURE__ */ new Map();
      /** threads, whose ids the notification events carry, to their process */
      processOfThread = /* @__PURE__ */ new Map();
      listings = /* @__PURE__ */ new Map();
      /** programs that may still be walking up their $PWD as they start, by execution */
      pwdWalks = /* @__PURE__ */ new Map();
      /** what an exec query said of the environment, for the exec that follows it */
      execEnv = /* @__PURE__ */ new Map();
      /** the same for an execution until its interpreter's exec (a script's shebang) */
      scriptEnv = /* @__PURE__ */ new Map();
      /** executions whose program is bash (itself, or a script's interpreter): their cd walks */
      bashes = /* @__PURE__ */ new Set();
      cdWalks = new CdWalks();
      add(ev) {
        const owner = this.processOfThread.get(ev.pid);
        if (owner !== void 0) ev = { ...ev, pid: owner };
        switch (ev.type) {
          case EventType.start:
            this.rootPid = ev.pid;
            this.livePids.add(ev.pid);
            if (ev.payload.length >= 8) this.tracerStartNs = ev.payload.readBigUInt64LE(0);
            break;
          case EventType.exec:
            this.onExec(ev);
            break;
          case EventType.spawn: {
            if (ev.op === 1) this.vforked.add(ev.value);
            const parent = this.executionOfPid.get(ev.pid);
            if (parent) this.executionOfPid.set(ev.value, parent);
            this.processOfThread.delete(ev.value);
            this.programsOfPid.delete(ev.value);
            this.threaded.delete(ev.value);
            this.livePids.add(ev.value);
            break;
          }
          case EventType.thread:
            this.processOfThread.set(ev.value, ev.pid);
            this.threaded.add(ev.pid);
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
          case EventType.deferEnd:
            this.deferEnded.add(ev.pid);
            this.deferEnds[ev.op === DEFER_DEADLINE ? "deadline" : ev.op === DEFER_WATCHED ? "watched" : "read"]++;
            break;
          case EventType.stdinData:
            this.onStdinData(ev);
            break;
          case EventType.nondet:
            this.tag(ev, "nondeterminism");
            break;
          case EventType.fdEnd: {
            for (const exec of this.executions) {
              if (exec.pid !== ev.pid || exec.endMs !== null || ev.payload.length < 8) continue;
              const size = ev.payload.length >= 16 ? Number(ev.payload.readBigInt64LE(8)) : -1;
              const others = ev.payload.length < 24 || ev.payload.readBigInt64LE(16) !== 0n;
              (exec.inheritedEnds ??= []).push({ fd: ev.op, pos: Number(ev.payload.readBigInt64LE(0)), size, others });
            }
            break;
          }
          case EventType.signal: {
            const exec = this.executionOfPid.get(ev.pid);
            exec?.signals.push({ signal: ev.op, from: ev.value === 0 ? null : this.senderOf(ev.pid, ev.value, ev.op) });
            break;
          }
          case EventType.signalSent:
            this.onSignalSent(ev);
            break;
          case EventType.observed: {
            const exec = this.executionOfPid.get(ev.pid);
            const attr = OBSERVED_BY[payloadStrings(ev.payload)[0] ?? ""];
            if (exec && attr) pushUnique(exec.observed, attr);
            break;
          }
          case EventType.output: {
            const exec = this.executionOfPid.get(ev.pid);
            if (!exec) break;
            const where = {
              ...ev.value === 1 ? { pos: ev.kind + ev.aux * 2 ** 32 } : {},
              ...this.threaded.has(ev.pid) ? {} : { soloPid: ev.pid }
            };
            if (ev.op === OUT_UNSEEN || ev.op === OUT_RANGE + 1 || ev.op === OUT_RANGE + 2) {
              this.onRange(ev, exec);
              break;
            }
            if (ev.op === OUT_FOREIGN) {
              if (ev.payload.length < 8) break;
              const identity = ev.payload.readBigUInt64LE(0).toString(16);
              this.append({ exec: exec.id, kind: "foreign", identity, data: Buffer.from(ev.payload.subarray(8)), ...where });
              break;
            }
            exec.output.push({ fd: ev.op, bytes: ev.payload.length });
            this.append({ exec: exec.id, kind: "output", fd: ev.op, data: Buffer.from(ev.payload), ...where });
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
      /** A range (or why there is none) of one of the programs pid's process ran, sent at its end
       * (native/lazy.h): value tells which. One not found makes the last one unrecordable. */
      onRange(ev, last) {
        const exec = this.programsOfPid.get(ev.pid)?.[ev.value];
        if (!exec) {
          last.unseen ??= "stdout-unseen: the tracer read back output for a program it cannot name";
          return;
        }
        if (ev.op === OUT_UNSEEN) {
          exec.unseen ??= payloadStrings(ev.payload)[0] ?? "stdout-unseen";
          return;
        }
        const fd = ev.op - OUT_RANGE;
        exec.output.push({ fd, bytes: ev.payload.length });
        const pos = ev.kind + ev.aux * 2 ** 32;
        this.append({ exec: exec.id, kind: "output", fd, data: Buffer.from(ev.payload), pos, range: true });
      }
      onExec(ev) {
        this.vforked.delete(ev.pid);
        this.threaded.delete(ev.pid);
        const [exe = "", cwd = "", k0, k1, k2, s1 = "", s2 = "", s0 = "", ...argv] = payloadStrings(ev.payload);
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
          observed: [],
          signals: [],
          signalled: [],
          procReads: [],
          stdio: { "0": k0, "1": k1, "2": k2 },
          streams: [s1, s2],
          stdinId: s0,
          output: []
        };
        this.adopt(exec);
        this.executionOfPid.set(ev.pid, exec);
        const env = this.execEnv.get(ev.pid);
        this.execEnv.delete(ev.pid);
        if (!this.startBash(exec, exe, env) && env) this.scriptEnv.set(exec.id, env);
        this.cdWalks.forget(ev.pid);
        const programs = this.programsOfPid.get(ev.pid) ?? [];
        programs.push(exec);
        this.programsOfPid.set(ev.pid, programs);
        this.append({ exec: exec.id, kind: "access", access: exec.accesses[0] });
        this.onExecutionStart?.(exec);
      }
      /** An exec query, before the exec it asks about: what of its environment the accesses that
       * follow need (bash's check of $PWD, trace/pwd-walk.ts). */
      noteQuery(query) {
        this.execEnv.set(query.pid, walkEnvOf(query.env));
      }
      /** A program that was not run: its process ends with the recorded status instead. */
      addSkipped(query, exitCode, output, timeMs, tag) {
        this.execEnv.delete(query.pid);
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
          observed: [],
          signals: [],
          signalled: [],
          procReads: [],
          stdio: { "0": query.stdio[0], "1": query.stdio[1], "2": query.stdio[2] },
          streams: query.streams,
          stdinId: query.stdinId,
          output: output.map((o) => ({ fd: o.fd, bytes: o.data.length })),
          skipped: true
        };
        this.adopt(exec);
        this.executionOfPid.set(query.pid, exec);
        this.append({ exec: exec.id, kind: "replayed", tag });
        return exec;
      }
      onSignalSent(ev) {
        const sender = this.executionOfPid.get(ev.pid);
        if (!sender) return;
        const target = ev.kind === 1 ? this.endedIn(ev.value) : this.executionOfPid.get(ev.value);
        if (!target) {
          pushUnique(sender.flags, "signal-outside");
          return;
        }
        if (!sender.signalled.some((s) => s.to === target.id && s.signal === ev.op)) sender.signalled.push({ signal: ev.op, to: target.id });
        if (ev.op === 0 || ev.kind === 1) return;
        const sent = this.sentTo.get(ev.value);
        if (sent) sent.push({ pid: ev.pid, signal: ev.op, exec: sender.id });
        else this.sentTo.set(ev.value, [{ pid: ev.pid, signal: ev.op, exec: sender.id }]);
      }
      /**
       * The execution that sent receiver a signal, as the tracer saw it sent: the sender may have
       * ended by the delivery (its pid then names no one, or someone else). A sender the tracer did
       * not see send it is looked up by its pid, and null when that is not a live process of the
       * command.
       */
      senderOf(receiver, senderPid, signal) {
        const sent = this.sentTo.get(receiver) ?? [];
        const at = sent.findIndex((s) => s.pid === senderPid && s.signal === signal);
        if (at >= 0) return sent.splice(at, 1)[0].exec;
        return this.executionOfPid.get(senderPid)?.id ?? null;
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
        this.programsOfPid.delete(ev.pid);
        this.sentTo.delete(ev.pid);
        this.livePids.delete(ev.pid);
        this.vforked.delete(ev.pid);
        this.execEnv.delete(ev.pid);
        this.cdWalks.forget(ev.pid);
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
      /** The outermost of the executions process pid ran (an exec chain shares a pid), if it has ended. */
      endedIn(pid) {
        for (let i = this.executions.length - 1; i >= 0; i--) {
          let e = this.executions[i];
          if (e.pid !== pid) continue;
          if (e.endMs === null) return null;
          for (let up = e.parent === null ? void 0 : this.executions[e.parent]; up?.pid === pid; up = up.parent === null ? void 0 : this.executions[up.parent]) e = up;
          return e;
        }
        return null;
      }
      /** The programs exec's process went on to exec in its own pid, in order (an exec chain: `bash -c
       * '...; cmd'` runs its last command so). */
      execChainAfter(exec) {
        const chain = [];
        let next = this.childrenOf(exec).find((c) => c.pid === exec.pid);
        while (next) {
          chain.push(next);
          next = this.childrenOf(next).find((c) => c.pid === exec.pid);
        }
        return chain;
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
        if (text?.startsWith(PACKET_MODE_FLAG)) this.packetMode = true;
        if (exec && text) pushUnique(exec[field], text);
      }
      onAccess(ev) {
        const exec = this.executionOfPid.get(ev.pid);
        const op = ACCESS_OPS[ev.op];
        if (!exec || !op) return;
        const [path, second, ...rest] = payloadStrings(ev.payload);
        const access = { op, result: errnoName(ev.value) };
        if (path !== void 0 && op !== "stdin" && op !== "dup") access.path = path;
        if (access.path) this.procRead(exec, access.path, ev.pid);
        switch (op) {
          case "xattr":
            if (ev.kind & PROBE_NOFOLLOW) access.nofollow = true;
            break;
          case "chmod":
            if (second !== void 0) access.seen = second;
            break;
          case "utime":
            if (second !== void 0) access.seen = second;
            if (ev.kind & PROBE_NOFOLLOW) access.nofollow = true;
            break;
          case "probe": {
            const type = FILE_TYPES[ev.kind & 255];
            if (type) access.type = type;
            if (ev.kind & PROBE_NOFOLLOW) access.nofollow = true;
            if (ev.kind & PROBE_ACCESS) access.checks = true;
            if (second !== void 0) {
              access.seen = second;
              access.atMs = nsToMs(ev.timeNs);
            }
            break;
          }
          case "read": {
            if (second !== void 0) access.seen = second;
            if (path !== void 0 && FDINFO.test(path)) pushUnique(exec.flags, "unmodelled: it reads where its open files stand (/proc/PID/fdinfo)");
            if (path !== void 0 && this.readsAStream(exec, path, FILE_TYPES[ev.kind & 255])) return;
            if (path !== void 0 && isSystemState(path)) pushUnique(exec.nondeterminism, path);
            if (path !== void 0 && OWN_STATUS.test(path)) pushUnique(exec.observed, "affinity");
            if (path?.startsWith("/proc/")) this.ownEntryRead(exec, path, ev.pid);
            break;
          }
          case "write":
          case "truncate": {
            if (second !== void 0) access.seen = second;
            if (op === "write" && ev.kind & OPEN_APPENDS) access.appends = true;
            if (op === "truncate" && ev.kind & TRUNCATE_CALL) access.keepsPrefix = true;
            const type = second === void 0 ? void 0 : FILE_TYPES[(parseInt(second.slice(0, second.indexOf(":")), 16) & 61440) >> 12];
            if (type === "fifo" || type === "socket") pushUnique(exec.flags, `fifo: it writes to ${path} by path, for another process to read`);
            break;
          }
          case "list": {
            const key = `${exec.id}\0${path}`;
            const entries = /* @__PURE__ */ new Map();
            const earlier = ev.kind & LIST_GOES_ON ? this.listings.get(key) : void 0;
            if (earlier) earlier.names.forEach((n, i) => entries.set(n, earlier.types?.[i] ?? "?"));
            for (const typed of [second, ...rest]) if (typed) entries.set(typed.slice(1), typed[0]);
            const names = [...entries.keys()].sort();
            const types = names.map((n) => entries.get(n)).join("");
            if (earlier) {
              earlier.names = names;
              earlier.types = types;
              return;
            }
            access.names = names;
            access.types = types;
            this.listings.set(key, access);
            break;
          }
          case "rename":
          case "link":
            if (second !== void 0) access.to = second;
            if (op === "rename" && ev.kind & RENAME_NOREPLACE) access.noReplace = true;
            if (op === "rename" && RENAME_DESTS[ev.kind >> 8 & 255]) access.destBefore = RENAME_DESTS[ev.kind >> 8 & 255];
            break;
          case "symlink":
          case "readlink":
            if (second !== void 0) access.target = second;
            if (op === "readlink" && path?.startsWith("/proc/") && second !== void 0) this.ownStdioLink(exec, path, second, ev.pid);
            break;
          case "dup":
            access.fd = ev.kind;
            access.to = ev.aux;
            break;
          case "create":
            if (ev.kind & OPEN_TRUNCATES) access.truncates = true;
            if (ev.kind & OPEN_EXCL) access.exclusive = true;
            if (ev.kind & OPEN_APPENDS) access.appends = true;
            break;
          default:
            break;
        }
        exec.accesses.push(access);
        this.followPwdWalk(exec, access);
        if (this.bashes.has(exec.id)) this.cdWalks.take(ev.pid, access);
        if (op === "stdin") pushUnique(exec.observed, "stdinKind");
        const at = this.append({ exec: exec.id, kind: "access", access });
        this.onAccessSeen?.(access, exec.id, at, ev.aux > 0 && op !== "dup" ? Number(ev.timeNs) - ev.aux * 1e3 : void 0, Number(ev.timeNs), ev.pid);
      }
      /** Feeds bash's check of $PWD as it starts (trace/pwd-walk.ts); a script's interpreter's exec
       * starts one for the script's execution. */
      followPwdWalk(exec, access) {
        if (access.op === "exec" && access.path && exec.accesses.length === 2) this.startBash(exec, access.path, this.scriptEnv.get(exec.id));
        this.scriptEnv.delete(exec.id);
        const walk = this.pwdWalks.get(exec.id);
        if (walk && !walk.follow(access)) this.pwdWalks.delete(exec.id);
      }
      /** When program (exec'd, or a script's interpreter) is bash: follows its walks; says whether. */
      startBash(exec, program, env) {
        if (!walksPwd(program)) return false;
        this.bashes.add(exec.id);
        const walk = PwdWalk.forBash(exec.cwd, env);
        if (walk) this.pwdWalks.set(exec.id, walk);
        return true;
      }
      /** A look at /proc/N of another process: its state is no file's content (hunt 29: an outside
       * process renamed itself, and `cat /proc/N/comm` was replayed). Its own entries are its own. */
      procRead(exec, path, reader) {
        const m = PROC_PID.exec(path);
        if (!m) return;
        const pid = Number(m[1]);
        if (pid === reader || this.processOfThread.get(pid) === reader) return;
        const entry = ownEntryOf(path, () => true);
        if (entry && (entry.use === "selfstate" || entry.use === "unkeyed" || /^fd(?:info)?\//.test(entry.entry))) {
          pushUnique(exec.flags, `unmodelled: it reads ${entry.entry} of another process (/proc/${pid}), which no input keys`);
        }
        if (exec.procReads.some((r) => r.pid === pid)) return;
        exec.procReads.push({ pid, from: this.executionOfPid.get(pid)?.id ?? null });
      }
      isOwnPid(pid, reader) {
        return pid === reader || this.processOfThread.get(pid) === reader;
      }
      /** A read of its own /proc entry: keyed already, the moment's state, an observed setting, or
       * nothing any input holds (own-proc.ts). */
      ownEntryRead(exec, path, reader) {
        const own = ownEntryOf(path, (pid) => this.isOwnPid(pid, reader));
        if (!own) return;
        if (own.use === "moment") pushUnique(exec.nondeterminism, path);
        else if (own.use === "selfstate") pushUnique(exec.observed, "selfstate");
        else if (own.use === "unkeyed") pushUnique(exec.flags, `unmodelled: it reads ${own.entry} in its own /proc entry, which no input keys`);
      }
      /**
       * Where its stdin, stdout or stderr leads (readlink /proc/self/fd/N: `tty`, `realpath
       * /dev/stdout`): the key holds only what kind of file each is (hunt 31 replayed `out1` into a
       * run writing to `plain2`). A pipe or socket's name is its inode number, another every run: the
       * moment's, as the clock is. An inherited fd above 2 is keyed by its path already.
       */
      ownStdioLink(exec, path, target, reader) {
        const own = ownEntryOf(path, (pid) => this.isOwnPid(pid, reader));
        const fd = own && /^fd\/([0-2])$/.exec(own.entry)?.[1];
        if (!fd || target === "/dev/null") return;
        if (/^(?:pipe|socket|anon_inode):/.test(target)) pushUnique(exec.nondeterminism, path);
        else pushUnique(exec.flags, `unmodelled: it reads which file its fd ${fd} is (readlink ${path}), which no input keys`);
      }
      onStdinData(ev) {
        const exec = this.executionOfPid.get(ev.pid);
        if (!exec) return;
        let read2 = this.stdinReads.get(exec.id);
        if (!read2) this.stdinReads.set(exec.id, read2 = new StdinRead());
        read2.add(ev.value, ev.op === 0 && !this.threaded.has(ev.pid) ? ev.payload : null);
      }
      /**
       * A read of something that is no file's content: stdin opened again by path is stdin; another
       * fd, a FIFO, a socket or a device holds bytes some other process sends, which a replay cannot
       * know. Returns true when the read was turned into a stdin access (already logged).
       */
      readsAStream(exec, path, type) {
        const fd = fdOfPath(path);
        if (fd === 0) {
          if (!this.stdinReads.has(exec.id)) this.stdinReads.set(exec.id, new StdinRead());
          this.stdinReads.get(exec.id).add(0, null);
          const access = { op: "stdin", result: "ok" };
          exec.accesses.push(access);
          pushUnique(exec.observed, "stdinKind");
          this.append({ exec: exec.id, kind: "access", access });
          return true;
        }
        if (fd !== null) pushUnique(exec.flags, `fd-by-path: it opens its fd ${fd} by path (${path})`);
        else if (type === "fifo" || type === "socket") pushUnique(exec.flags, `fifo: it reads ${path}, whose bytes another process sends`);
        else if ((type === "char" || type === "block") && !QUIET_DEVICES.has(path) && !path.startsWith("/dev/tty") && !path.startsWith("/dev/pts/")) {
          pushUnique(exec.flags, `device: it reads the device ${path}`);
        }
        return false;
      }
      /** Now, on the tracer's clock (null when the tracer did not say when it started). */
      nowNs() {
        return this.tracerStartNs === null ? null : Number(process.hrtime.bigint() - this.tracerStartNs);
      }
    };
    StdinRead = class {
      hash = (0, import_node_crypto.createHash)("sha256");
      digest;
      /** it read up to the end (a read returned nothing: no writer is left) */
      ended = false;
      /** it read there in a way whose bytes were not taken, or read on after the end */
      unseen = false;
      /** the threads that read */
      tids = /* @__PURE__ */ new Set();
      /** data null: a read whose bytes are not known */
      add(tid, data) {
        if (data === null || this.digest !== void 0) {
          this.unseen = true;
          return;
        }
        this.tids.add(tid);
        if (data.length === 0) this.ended = true;
        else if (this.ended) this.unseen = true;
        else this.hash.update(data);
      }
      /** The bytes' hash, when they are all of what the pipe delivered, read by one thread alone. */
      wholeSha256() {
        if (!this.ended || this.unseen || this.tids.size !== 1) return null;
        return this.digest ??= this.hash.digest("hex");
      }
    };
  }
});

// src/trace/fdinfo.ts
function fdFlags(pid, fd) {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec((0, import_node_fs2.readFileSync)(`/proc/${pid}/fdinfo/${fd}`, "utf8"))?.[1];
    return flags === void 0 ? null : parseInt(flags, 8);
  } catch {
    return null;
  }
}
var import_node_fs2;
var init_fdinfo = __esm({
  "src/trace/fdinfo.ts"() {
    "use strict";
    import_node_fs2 = require("node:fs");
  }
});

// src/trace/launch.ts
function isOpen(fd) {
  try {
    (0, import_node_fs3.fstatSync)(fd);
    return true;
  } catch {
    return false;
  }
}
function mask(word) {
  return word && /^[0-9a-f]{1,16}$/i.test(word) ? BigInt(`0x${word}`) : 0n;
}
function parseLaunch(value) {
  const [ignored, blocked, fds, shell] = value.split(" ");
  const numbers = (fds ?? "").split(",").filter((f) => /^\d+$/.test(f)).map(Number);
  let sigIgnored = mask(ignored);
  if (shell === "bash") sigIgnored &= ~SIGQUIT_BIT;
  return { sigIgnored, sigBlocked: mask(blocked), fds: ascending(numbers.filter((fd) => fd >= 3)) };
}
function ascending(fds) {
  return [...new Set(fds)].sort((a, b) => a - b);
}
function inheritableFds() {
  const fds = [];
  try {
    for (const name of (0, import_node_fs3.readdirSync)("/proc/self/fd")) {
      const fd = Number(name);
      if (fd < 3) continue;
      const flags = fdFlags("self", fd);
      if (flags !== null && (flags & O_CLOEXEC) === 0) fds.push(fd);
    }
  } catch {
  }
  return ascending(fds);
}
function callerLaunch() {
  if (captured) return captured;
  const value = process.env[LAUNCH_ENV];
  delete process.env[LAUNCH_ENV];
  const launch = value === void 0 ? { sigIgnored: 0n, sigBlocked: 0n, fds: inheritableFds() } : parseLaunch(value);
  captured = { ...launch, fds: launch.fds.filter(isOpen) };
  return captured;
}
var import_node_fs3, LAUNCH_ENV, O_CLOEXEC, SIGQUIT_BIT, captured;
var init_launch = __esm({
  "src/trace/launch.ts"() {
    "use strict";
    import_node_fs3 = require("node:fs");
    init_fdinfo();
    LAUNCH_ENV = "PROCESSCACHE_LAUNCH";
    O_CLOEXEC = 524288;
    SIGQUIT_BIT = 1n << 2n;
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
  const here = (0, import_node_path2.dirname)((0, import_node_url.fileURLToPath)(__pcMetaUrl));
  const candidates = [
    process.env.PROCESSCACHE_NATIVE_DIR,
    (0, import_node_path2.join)(here, "native", arch2),
    (0, import_node_path2.join)(here, "..", "..", "native", "build", arch2),
    (0, import_node_path2.join)(here, "..", "native", "build", arch2)
  ].filter((c) => Boolean(c));
  const found = candidates.find((dir) => (0, import_node_fs4.existsSync)((0, import_node_path2.join)(dir, "libpctrace.so")));
  if (!found) {
    throw new NativeError(`the native tracer is not built (looked in ${candidates.join(", ")}); run \`npm run build\``);
  }
  return found;
}
function errnoMessage(code, what) {
  return new NativeError(`${what} failed: errno ${-code}`);
}
function nativeLibrary() {
  if (library) return library;
  const dir = findNativeDir();
  const path = (0, import_node_path2.join)(dir, "libpctrace.so");
  const lib = import_koffi.default.load(path);
  const abi = lib.func("int pct_abi_version(void)");
  if (abi() >>> 0 !== SPEC_MAGIC) throw new NativeError(`${path} is from another version; run \`npm run build\``);
  library = { lib, dir, path };
  return library;
}
function loadNative() {
  if (cached) return cached;
  const { lib, dir, path: libraryPath } = nativeLibrary();
  const forkTracer = lib.func("int pct_fork_tracer(_Out_ int *channel, const int *inherit, int ninherit)");
  const listen = lib.func("int pct_listen(const char *path)");
  const accept = lib.func("int pct_accept_tracer(int listener, int timeout_ms, const int *inherit, int ninherit)");
  const close = lib.func("int pct_close(int fd)");
  const reap = lib.func("int pct_reap(int pid, int nohang)");
  cached = {
    libraryPath,
    helperPath: (0, import_node_path2.join)(dir, "pctrace"),
    forkTracer(inherit) {
      const out = [0];
      const pid = forkTracer(out, Int32Array.from(inherit), inherit.length);
      if (pid < 0) throw errnoMessage(pid, "starting the tracer");
      return { pid, channel: out[0] };
    },
    listen(path) {
      const fd = listen(path);
      if (fd < 0) throw errnoMessage(fd, `listening on ${path}`);
      return fd;
    },
    acceptTracer(listener, timeoutMs, inherit) {
      const fds = Int32Array.from(inherit);
      return new Promise((resolveFd, reject) => {
        accept.async(listener, timeoutMs, fds, fds.length, (err, fd) => {
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
var import_node_fs4, import_node_path2, import_node_url, import_koffi, NativeError, PASS_FDS_MAX, cached, library;
var init_native = __esm({
  "src/trace/native.ts"() {
    "use strict";
    import_node_fs4 = require("node:fs");
    import_node_path2 = require("node:path");
    import_node_url = require("node:url");
    import_koffi = __toESM(require_koffi_addon(), 1);
    init_protocol();
    NativeError = class extends Error {
    };
    PASS_FDS_MAX = 253;
  }
});

// src/trace/proc-stat.ts
function procStatFields(pid) {
  try {
    const stat = (0, import_node_fs5.readFileSync)(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}
var import_node_fs5;
var init_proc_stat = __esm({
  "src/trace/proc-stat.ts"() {
    "use strict";
    import_node_fs5 = require("node:fs");
  }
});

// src/trace/signals.ts
function inTerminalForeground(pid) {
  const fields = procStatFields(pid);
  if (!fields) return false;
  const pgrp = Number(fields[2]);
  const tpgid = Number(fields[5]);
  return tpgid > 0 && tpgid === pgrp;
}
function forwardSignals() {
  let root = null;
  let last = null;
  const early = [];
  const send = (pid, sig) => {
    if (FROM_TERMINAL.has(sig) && inTerminalForeground(pid)) return;
    try {
      process.kill(pid, sig);
    } catch {
    }
  };
  const handler = (sig) => {
    last = sig;
    if (root === null) early.push(sig);
    else send(root, sig);
  };
  for (const sig of FORWARDED) process.on(sig, handler);
  return {
    started(pid) {
      if (root !== null) return;
      root = pid;
      for (const sig of early.splice(0)) send(pid, sig);
    },
    ended(leftovers) {
      if (last === null) return;
      for (const pid of leftovers) {
        try {
          process.kill(pid, last);
        } catch {
        }
      }
    },
    remove() {
      for (const sig of FORWARDED) process.off(sig, handler);
    }
  };
}
var FORWARDED, FROM_TERMINAL;
var init_signals = __esm({
  "src/trace/signals.ts"() {
    "use strict";
    init_proc_stat();
    FORWARDED = ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"];
    FROM_TERMINAL = /* @__PURE__ */ new Set(["SIGINT", "SIGQUIT"]);
  }
});

// src/trace/session.ts
function resolveProgram(name, env, cwd) {
  const executable = (p) => {
    try {
      (0, import_node_fs6.accessSync)(p, import_node_fs6.constants.X_OK);
      return (0, import_node_fs6.statSync)(p).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes("/")) {
    const full = (0, import_node_path3.resolve)(cwd, name);
    if (!executable(full)) throw new TraceError(`${name}: no such executable file`);
    return full;
  }
  const dirs = (env.PATH ?? "/usr/local/bin:/usr/bin:/bin").split(import_node_path3.delimiter);
  for (const dir of dirs) {
    const full = (0, import_node_path3.resolve)(cwd, dir || ".", name);
    if (executable(full)) return full;
  }
  throw new TraceError(`${name}: command not found in PATH`);
}
function writeParts(socket, parts) {
  socket.cork();
  for (const part of parts) socket.write(part);
  socket.uncork();
}
function envList(env) {
  return Object.entries(env).filter((e) => e[1] !== void 0 && e[0] !== LAUNCH_ENV).map(([k, v]) => `${k}=${v}`);
}
function currentUmask() {
  const mask2 = process.umask(18);
  process.umask(mask2);
  return mask2;
}
function hasPasswordlessSudo() {
  const r = (0, import_node_child_process.spawnSync)("sudo", ["-n", "true"], { stdio: "ignore", timeout: 1e4 });
  return r.status === 0;
}
function startForked(native, inherit) {
  const { pid, channel } = native.forkTracer(inherit);
  const socket = new import_node_net.Socket({ fd: channel, readable: true, writable: true });
  return {
    socket,
    privileged: false,
    program: false,
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
async function startProgram(native, program, sudo, inherit) {
  const dir = (0, import_node_fs6.mkdtempSync)((0, import_node_path3.join)((0, import_node_os2.tmpdir)(), "processcache-"));
  const path = (0, import_node_path3.join)(dir, "tracer.sock");
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
    channel = await native.acceptTracer(listener, 15e3, inherit);
  } catch (e) {
    child.kill();
    throw new TraceError(`the tracer program did not start${sudo ? " through sudo" : ""}: ${stderr.trim() || e.message}`);
  } finally {
    native.close(listener);
    (0, import_node_fs6.rmSync)(dir, { recursive: true, force: true });
  }
  return {
    socket: new import_node_net.Socket({ fd: channel, readable: true, writable: true }),
    privileged: sudo,
    program: true,
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
  const cwd = (0, import_node_path3.resolve)(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const exe = resolveProgram(program, env, cwd);
  const native = loadNative();
  const launch = options.launch ?? callerLaunch();
  const passable = launch.fds.slice(0, PASS_FDS_MAX - 3);
  const started = options.tracerProgram ? await startProgram(native, options.tracerProgram, false, passable) : decide(options) ? await startProgram(native, native.helperPath, true, passable) : startForked(native, launch.fds);
  const inherited = started.program ? passable : launch.fds;
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
    fds: inherited,
    sigIgnored: launch.sigIgnored,
    sigBlocked: launch.sigBlocked,
    pipeWaitMs: options.decideExec ? options.pipeWaitMs ?? DEFAULT_PIPE_WAIT_MS : 0,
    flags: (started.privileged ? SPEC_DROP_PRIVILEGES : isRoot ? 0 : SPEC_NO_NEW_PRIVS) | (process.env.PROCESSCACHE_NOTIFY === "0" ? SPEC_NO_NOTIFY : 0) | (options.decideExec ? SPEC_DECIDE_EXEC : 0) | (options.decideExec && process.env.PROCESSCACHE_LAZY_WRITES !== "0" ? SPEC_LAZY_WRITES : 0)
  });
  const t0 = performance.now();
  const builder = options.builder ?? new TraceBuilder();
  const decoder = new EventDecoder();
  const forwarders = forwardSignals();
  try {
    await new Promise((resolveDone, reject) => {
      const { socket } = started;
      const decideExec = options.decideExec;
      let decisions = Promise.resolve();
      const onQuery = (ev) => {
        if (!decideExec) return;
        const query = decodeExecQuery(ev);
        builder.noteQuery(query);
        decisions = decisions.then(async () => {
          let decision;
          try {
            decision = await decideExec(query);
          } catch {
            decision = { skip: false };
          }
          if (decision.skip) builder.addSkipped(query, decision.exitCode, decision.output, Number(ev.timeNs) / 1e6, decision.tag);
          writeParts(socket, encodeExecReply(decision));
        });
      };
      const onReaped = (ev) => {
        decisions = decisions.then(() => {
          try {
            options.reaped?.(ev.value);
          } catch {
          }
          writeParts(socket, encodeExecReply({ skip: false }));
        });
      };
      socket.on("data", (chunk) => {
        try {
          for (const ev of decoder.push(chunk)) {
            if (ev.type === EventType.execQuery || ev.type === EventType.execQueryLast) onQuery(ev);
            else if (ev.type === EventType.reaped) onReaped(ev);
            else builder.add(ev);
          }
          if (builder.rootPid) forwarders.started(builder.rootPid);
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
    forwarders.ended(builder.livePids);
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
  const lost = launch.fds.slice(inherited.length);
  if (lost.length > 0) warnings.push(`the tracer program receives ${PASS_FDS_MAX} fds at most: the command did not inherit fds ${lost.join(", ")}`);
  if (!started.privileged && !isRoot) warnings.push(...setuidWarnings(trace));
  return { trace, status, builder, warnings, tracerExit: started.exit };
}
function exitCodeOf(status) {
  if (status.signal !== null) return 128 + status.signal;
  return status.exitCode ?? 1;
}
function setuidWarnings(trace) {
  const out = [];
  for (const exec of trace.executions) {
    try {
      if ((0, import_node_fs6.statSync)(exec.exe).mode & 2048) {
        out.push(`${exec.exe} is setuid, but the tracer runs without privileges, so it ran without them. Give this user passwordless sudo (the tracer then runs privileged and the command as you) or run processcache as root.`);
      }
    } catch {
    }
  }
  return [...new Set(out)];
}
var import_node_child_process, import_node_fs6, import_node_net, import_node_os2, import_node_path3, TraceError, DEFAULT_PIPE_WAIT_MS;
var init_session = __esm({
  "src/trace/session.ts"() {
    "use strict";
    import_node_child_process = require("node:child_process");
    import_node_fs6 = require("node:fs");
    import_node_net = require("node:net");
    import_node_os2 = require("node:os");
    import_node_path3 = require("node:path");
    init_builder();
    init_launch();
    init_native();
    init_protocol();
    init_signals();
    TraceError = class extends Error {
    };
    DEFAULT_PIPE_WAIT_MS = 0;
  }
});

// src/fingerprint/hash.ts
function sha256(data) {
  return (0, import_node_crypto2.createHash)("sha256").update(data).digest("hex");
}
function racyWindow(st) {
  return st.mtimeNs % 1000000000n === 0n && st.ctimeNs % 1000000000n === 0n ? RACY_COARSE_NS : RACY_FINE_NS;
}
function scratchBuffer() {
  return scratch ??= Buffer.allocUnsafe(1 << 20);
}
function digestFd(fd, limit) {
  if (!limit) return digestRest(fd).digest;
  const buf = scratchBuffer();
  const h = (0, import_node_crypto2.createHash)("sha256");
  let left = limit.bytes;
  for (let got; left > 0 && (got = (0, import_node_fs7.readSync)(fd, buf, 0, Math.min(buf.length, left), limit.from + limit.bytes - left)) > 0; ) {
    h.update(buf.subarray(0, got));
    left -= got;
  }
  return left === 0 ? h.digest("hex") : null;
}
function digestRest(fd) {
  const buf = scratchBuffer();
  const h = (0, import_node_crypto2.createHash)("sha256");
  let bytes = 0;
  for (let n; (n = (0, import_node_fs7.readSync)(fd, buf, 0, buf.length, null)) > 0; bytes += n) h.update(buf.subarray(0, n));
  return { digest: h.digest("hex"), bytes };
}
async function digestChunked(file) {
  const h = (0, import_node_crypto2.createHash)("sha256");
  const buf = Buffer.allocUnsafe(1 << 20);
  for (let n; (n = (await file.read(buf, 0, buf.length, null)).bytesRead) > 0; ) h.update(buf.subarray(0, n));
  return h.digest("hex");
}
function readStatCache(file) {
  try {
    const rows = JSON.parse((0, import_node_fs7.readFileSync)(file, "utf8"));
    if (Array.isArray(rows)) return rows.filter((e) => Array.isArray(e) && e.length === 3 && e.every((x) => typeof x === "string"));
  } catch {
  }
  return [];
}
var import_node_crypto2, import_node_fs7, RACY_FINE_NS, RACY_COARSE_NS, AT_ONCE_MAX, scratch, MADE_UP_FS, KEEP, FileHasher;
var init_hash = __esm({
  "src/fingerprint/hash.ts"() {
    "use strict";
    import_node_crypto2 = require("node:crypto");
    import_node_fs7 = require("node:fs");
    RACY_FINE_NS = 20000000n;
    RACY_COARSE_NS = 2000000000n;
    AT_ONCE_MAX = 4n << 20n;
    MADE_UP_FS = /* @__PURE__ */ new Set([40864, 1650812274, 2613483, 1667723888, 1684170528, 1953653091, 1935894131, 1650812272, 3730735588, 3405662737]);
    KEEP = 2e5;
    FileHasher = class _FileHasher {
      known = /* @__PURE__ */ new Map();
      /** per device: whether its files' stat tells when their content changed (not MADE_UP_FS) */
      statTells = /* @__PURE__ */ new Map();
      /** paths looked up or added by this run, in the order they were */
      used = /* @__PURE__ */ new Set();
      dirty = false;
      /** a file's extended attributes as an input value: the native library reads them (the CLI
       * sets trace/xattrs.ts's reader); without one, a value no recording holds, so a miss */
      xattrs = () => "xattrs:unknown";
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
          st = (0, import_node_fs7.statSync)(path, { bigint: true, throwIfNoEntry: false });
        } catch {
          return "not-a-file";
        }
        if (!st?.isFile()) return "not-a-file";
        return this.cached(path, st) ?? st;
      }
      hashContent(path) {
        let fd;
        try {
          fd = (0, import_node_fs7.openSync)(path, "r");
        } catch {
          return null;
        }
        try {
          const before = (0, import_node_fs7.fstatSync)(fd, { bigint: true });
          if (!before.isFile()) return null;
          const digest = digestFd(fd);
          this.remember(path, before, digest);
          return digest;
        } catch {
          return null;
        } finally {
          (0, import_node_fs7.closeSync)(fd);
        }
      }
      /**
       * The sha256 of the file at path, read through the shared buffer (no fresh pages to fault in),
       * if it is still the file `seen` stat'ed (same device and inode), and the bytes it hashed.
       */
      digestOf(path, seen) {
        let fd;
        try {
          fd = (0, import_node_fs7.openSync)(path, import_node_fs7.constants.O_RDONLY | import_node_fs7.constants.O_NOFOLLOW);
        } catch {
          return null;
        }
        try {
          const opened = (0, import_node_fs7.fstatSync)(fd, { bigint: true });
          if (!opened.isFile() || opened.dev !== seen.dev || opened.ino !== seen.ino) return null;
          const { digest, bytes } = digestRest(fd);
          if (bytes === Number(opened.size)) this.remember(path, opened, digest);
          return { digest, size: bytes };
        } catch {
          return null;
        } finally {
          (0, import_node_fs7.closeSync)(fd);
        }
      }
      /** The digest known for the file at path, as lstat or stat saw it, if any: no read needed. */
      cached(path, st) {
        const known = this.known.get(path);
        if (!known || known.identity !== _FileHasher.identity(st) || !this.statTellsChanges(path, st)) return void 0;
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
      /** The sha256 of a file's first n bytes (what it held before an append), or null when it is shorter. */
      hashPrefix(path, n) {
        let fd;
        try {
          fd = (0, import_node_fs7.openSync)(path, "r");
        } catch {
          return null;
        }
        try {
          return digestFd(fd, { from: 0, bytes: n });
        } catch {
          return null;
        } finally {
          (0, import_node_fs7.closeSync)(fd);
        }
      }
      /** A file's bytes and their sha256, remembered for the file as it was when opened. */
      read(path) {
        const fd = (0, import_node_fs7.openSync)(path, "r");
        try {
          const st = (0, import_node_fs7.fstatSync)(fd, { bigint: true });
          const data = (0, import_node_fs7.readFileSync)(fd);
          const digest = sha256(data);
          this.remember(path, st, digest);
          return { data, digest };
        } finally {
          (0, import_node_fs7.closeSync)(fd);
        }
      }
      /** Keeps digest for the file as stat saw it, unless it changed too recently to tell a later change. */
      /** Does the stat of a file on this one's device change with its content? Not on proc and the
       * like; unknown counts as not. */
      statTellsChanges(path, st) {
        let tells = this.statTells.get(st.dev);
        if (tells === void 0) {
          try {
            tells = !MADE_UP_FS.has(Number((0, import_node_fs7.statfsSync)(path).type) >>> 0);
          } catch {
            tells = false;
          }
          this.statTells.set(st.dev, tells);
        }
        return tells;
      }
      remember(path, st, digest) {
        const now = BigInt(Date.now()) * 1000000n;
        const window = racyWindow(st);
        if (now - st.mtimeNs <= window || now - st.ctimeNs <= window || !this.statTellsChanges(path, st)) return;
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

// src/trace/xattrs.ts
function xattrsValue(path, nofollow) {
  read ??= nativeLibrary().lib.func("long pct_xattrs(const char *path, int nofollow, uint8_t *buf, long cap)");
  for (let cap = 4096; cap <= 64 << 20; cap *= 16) {
    const buf = Buffer.alloc(cap);
    const n = read(path, nofollow ? 1 : 0, buf, cap);
    if (n >= 0) return `xattrs:${sha256(buf.subarray(0, n))}`;
    if (n === -ENOENT || n === -ENOTDIR) return "absent";
    if (n !== -ERANGE) return `xattrs:unreadable:${-n}`;
  }
  return "xattrs:unreadable:too-large";
}
var read, ENOENT, ENOTDIR, ERANGE;
var init_xattrs = __esm({
  "src/trace/xattrs.ts"() {
    "use strict";
    init_native();
    init_hash();
    read = null;
    ENOENT = 2;
    ENOTDIR = 20;
    ERANGE = 34;
  }
});

// src/trace/index.ts
var init_trace = __esm({
  "src/trace/index.ts"() {
    "use strict";
    init_session();
    init_proc_stat();
    init_native();
    init_xattrs();
    init_fdinfo();
    init_launch();
    init_builder();
    init_process_attrs();
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

// src/observe/seen.ts
function typeOfMode(mode) {
  return TYPES[mode & S_IFMT] ?? "other";
}
function parseSeen(text) {
  const f = text.split(":");
  if (f.length !== 11 || f.some((x) => !/^[0-9a-f]{1,16}$/.test(x))) return null;
  const big = f.map((x) => BigInt(`0x${x}`));
  const ns = (s, n) => s * 1000000000n + n;
  return {
    mode: Number(big[0]),
    size: Number(big[1]),
    mtimeNs: ns(big[2], big[3]),
    ctimeNs: ns(big[4], big[5]),
    ino: big[6],
    dev: big[7],
    nlink: Number(big[8]),
    uid: Number(big[9]),
    gid: Number(big[10])
  };
}
function identityOf(s) {
  return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}
function openFileOf(s) {
  return ((s.dev << 40n ^ s.ino ^ 1n) & 0xffffffffffffffffn).toString(16);
}
var S_IFMT, TYPES;
var init_seen = __esm({
  "src/observe/seen.ts"() {
    "use strict";
    S_IFMT = 61440;
    TYPES = {
      4096: "fifo",
      8192: "char",
      16384: "dir",
      24576: "block",
      32768: "file",
      40960: "symlink",
      49152: "socket"
    };
  }
});

// src/observe/mtime-use.ts
function mtimeUse(exe, argv) {
  const name = (0, import_node_path4.basename)(exe).replace(/^(?:[a-z0-9_]+-linux-gnu-)/, "").replace(/-[0-9.]+$/, "");
  const rule = BY_NAME.get(name);
  if (!rule) return "absolute";
  for (const [when, use] of rule.unless ?? []) if (argv.slice(1).some((a) => when.test(a))) return use;
  for (const [when, use] of rule.unlessJoined ?? []) if (when.test(argv.slice(1).join("\0"))) return use;
  return rule.use;
}
function stronger(a, b) {
  if (a === void 0) return b;
  if (b === void 0) return a;
  return STRENGTH[a] >= STRENGTH[b] ? a : b;
}
var import_node_path4, COMPILERS, TEXT_TOOLS, MTIME_RULES, BY_NAME, STRENGTH;
var init_mtime_use = __esm({
  "src/observe/mtime-use.ts"() {
    "use strict";
    import_node_path4 = require("node:path");
    COMPILERS = [
      "gcc",
      "g++",
      "cc",
      "c++",
      "cpp",
      "cc1",
      "cc1plus",
      "cc1obj",
      "lto1",
      "lto-wrapper",
      "collect2",
      "as",
      "ld",
      "ld.bfd",
      "ld.gold",
      "ld.lld",
      "clang",
      "clang++",
      "ranlib",
      "strip",
      "objcopy",
      "objdump",
      "nm",
      "readelf",
      "size",
      "m4",
      "bison",
      "flex",
      "yacc",
      "lex"
    ];
    TEXT_TOOLS = [
      "sed",
      "grep",
      "egrep",
      "fgrep",
      "cat",
      "head",
      "tail",
      "sort",
      "uniq",
      "wc",
      "tr",
      "cut",
      "paste",
      "join",
      "awk",
      "gawk",
      "mawk",
      "expr",
      "rm",
      "mkdir",
      "rmdir",
      "ln",
      "chmod",
      "echo",
      "printf",
      "true",
      "false",
      "basename",
      "dirname",
      "env",
      "sleep",
      "tee",
      "xargs",
      "cmp",
      "patch",
      "readlink",
      "realpath",
      "mktemp",
      "seq",
      "od",
      "xxd",
      "sha256sum",
      "md5sum",
      "xz",
      "bzip2"
    ];
    MTIME_RULES = [
      { exe: COMPILERS, use: "none" },
      { exe: TEXT_TOOLS, use: "none" },
      { exe: ["sh", "dash", "bash", "test", "["], use: "order" },
      // make -p prints the dates; it also compares archive members' dates with what the archive keeps
      // (lib.a(m.o)) and warns of mtimes in the future, which the order cannot tell
      { exe: ["make", "gmake"], use: "order", unless: [[/^-[^-]*p|^--print-data-base/, "absolute"]] },
      { exe: ["find"], use: "order", unless: [[/^-(printf|fprintf|ls|fls|[acm](time|min)|used|newer[acmB]t)$/, "absolute"]] },
      // ar's U modifier keeps members' dates (Debian's default, D, does not)
      { exe: ["ar"], use: "none", unless: [[/^-?[a-zA-Z]*U[a-zA-Z]*$/, "absolute"]] },
      // unified and context diffs print both files' dates; gzip keeps the mtime unless -n
      { exe: ["diff"], use: "none", unless: [[/^-[^-]*[uc]|^--(unified|context)/, "absolute"]] },
      { exe: ["gzip"], use: "absolute", unless: [[/^-[^-]*n|^--no-name/, "none"]] },
      { exe: ["ls"], use: "none", unless: [[/^-[^-]*[lgon]|^--(full-time|time-style|format=(long|verbose))/, "absolute"], [/^-[^-]*t|^--(sort=time|time)/, "order"]] },
      { exe: ["cp", "mv", "install"], use: "none", unless: [[/^-[^-]*[pa]|^--(preserve|archive)/, "absolute"], [/^-[^-]*u|^--update/, "order"]] },
      // the helpers CMake's Makefiles run between compiles: cmake_depends compares the dependency
      // files' dates with the sources'; the others print, link and make directories. cmake itself
      // (configure, `file(TIMESTAMP)`) and `cmake -E tar` or `touch` keep the mtime as it is
      { exe: ["cmake"], use: "absolute", unlessJoined: [[/^-E\0(?:cmake_echo_color|cmake_depends|cmake_link_script|cmake_progress_start|cmake_progress_report|echo|echo_append|make_directory|remove|remove_directory|rm|compare_files|copy_if_different)(?:\0|$)/, "order"]] }
    ];
    BY_NAME = new Map(MTIME_RULES.flatMap((r) => r.exe.map((e) => [e, r])));
    STRENGTH = { none: 0, order: 1, absolute: 2 };
  }
});

// src/observe/types.ts
function readAtRecording(spec) {
  return spec.kind === "perms" || spec.kind === "stat" && spec.mode < 0;
}
var NO_XATTRS;
var init_types = __esm({
  "src/observe/types.ts"() {
    "use strict";
    NO_XATTRS = "xattrs:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  }
});

// src/observe/summary.ts
function describesSelf(path) {
  return /^\/proc\/(self|thread-self|\d+)(\/|$)/.test(path);
}
function ownMtimeOf(spec) {
  const out = { ...spec, mtimeOwn: true };
  delete out.mtimeNs;
  return out;
}
function probeSpec(path, result, type) {
  if (ABSENT.has(result)) return { path, kind: "absent" };
  return type ? { path, kind: "exists", type } : { path, kind: "exists" };
}
function failedChange(path, result) {
  return ABSENT.has(result) ? { path, kind: "absent" } : { path, kind: "exists", nofollow: true };
}
function statSpec(path, a, mtimes) {
  const seen = a.seen ? parseSeen(a.seen) : null;
  if (!seen) return probeSpec(path, a.result, a.type);
  const type = typeOfMode(seen.mode);
  const spec = { path, kind: "stat", type, mode: seen.mode & 4095, uid: seen.uid, gid: seen.gid };
  if (type === "file") {
    spec.size = seen.size;
    spec.nlink = seen.nlink;
  }
  spec.mtimeNs = seen.mtimeNs;
  if (a.atMs !== void 0) spec.seenAtMs = a.atMs;
  if (mtimes !== "none") spec.mtime = mtimes;
  if (a.nofollow) spec.nofollow = true;
  return spec;
}
function keptFile(path, a) {
  const seen = a.seen ? parseSeen(a.seen) : null;
  if (!seen) return null;
  return { path, kind: "stat", type: typeOfMode(seen.mode), mode: seen.mode & 4095, uid: seen.uid, gid: seen.gid, nlink: seen.nlink, nofollow: true };
}
function followsLast(a) {
  switch (a.op) {
    case "read":
    case "exec":
    case "write":
    case "truncate":
    case "chmod":
    case "chdir":
    case "list":
      return true;
    case "utime":
      return !a.nofollow;
    case "create":
      return !a.exclusive;
    case "probe":
    case "xattr":
      return !a.nofollow;
    default:
      return false;
  }
}
function parentOf(s, path, names = false) {
  const dir = (0, import_node_path5.dirname)(path);
  if (dir === path) return;
  s.input({ path: dir, kind: "exists", type: "dir" });
  if (!names) return;
  s.input({ path: dir, kind: "stat", type: "dir", mode: -1, uid: -1, gid: -1 });
  s.input({ path: dir, kind: "xattrs" });
}
function contentSpec(path, a, pinned) {
  const seen = a.seen ? parseSeen(a.seen) : null;
  if (seen && typeOfMode(seen.mode) === "dir") return { path, kind: "exists", type: "dir" };
  const spec = a.seen ? { path, kind: "content", seen: a.seen } : { path, kind: "content" };
  if (pinned && pinned.path === a.path) {
    spec.known = pinned.value;
    spec.pinned = pinned;
  }
  return spec;
}
function throughProcLink(spelled, links, real) {
  if (links.length === 0 || /^\/(?:proc|dev)(?:\/|$)/.test(spelled)) return null;
  const link = links.find((l) => /^\/proc(?:\/|$)/.test(l));
  if (!link) return null;
  if (ownEntryOf(real, (pid) => pid === process.pid)?.use === "moment") return null;
  return `${spelled} leads through a symlink into /proc (${link}), whose entries are the reading process's own: not modelled`;
}
function permissionsOf(s, a, walker, path, links) {
  for (const p of [path, ...links]) s.searched(p);
  const ok = a.result === "ok";
  const target = REFUSED.has(a.result) || ok && (TARGET_PERMS.has(a.op) || NAME_CHANGES.has(a.op) || a.op === "probe" && a.checks === true);
  const seen = ok && SEEN_AT_CALL.has(a.op) && a.seen ? parseSeen(a.seen) : null;
  if (a.op === "chmod" && ok) s.perms(path, seen, true);
  else if (target) s.perms(path, seen);
  if (!NAME_CHANGES.has(a.op)) return;
  s.perms((0, import_node_path5.dirname)(path));
  if (typeof a.to !== "string") return;
  const to = walker.walk(a.to, false);
  for (const p of [to.real, ...to.links]) s.searched(p);
  s.perms((0, import_node_path5.dirname)(to.real));
  if (!ok) s.perms(to.real);
}
function applyAccess(s, a, walker, mtimes, pinned, unprivileged = false) {
  if (a.op === "stdin" || a.op === "dup") return null;
  if (!a.path) return null;
  const ok = a.result === "ok";
  const { links, real: path } = walker.walk(a.path, followsLast(a));
  const intoProc = throughProcLink(a.path, links, path);
  if (intoProc) return intoProc;
  for (const link of links) s.through(link);
  if (unprivileged) {
    permissionsOf(s, a, walker, path, links);
    if (a.result === "EACCES") return null;
  }
  switch (a.op) {
    case "exec":
      if (!ok) {
        s.input(probeSpec(path, a.result));
        if (a.result === "EACCES") s.input({ path: a.path, kind: "stat", type: "file", mode: -1, uid: -1, gid: -1 });
        return null;
      }
      s.input({ path: a.path, kind: "content" });
      s.input({ path: a.path, kind: "stat", type: "file", mode: -1, uid: -1, gid: -1 });
      s.input({ path: a.path, kind: "xattrs" });
      return null;
    case "read":
      s.input(ok ? contentSpec(path, a, pinned) : probeSpec(path, a.result));
      return null;
    // bash's walk up its $PWD as it starts compares no mtime, and an ancestor's changes with
    // anything done there (trace/pwd-walk.ts)
    case "probe":
      s.input(ok ? statSpec(path, a, a.pwdWalk ? "none" : mtimes) : probeSpec(path, a.result, a.type));
      return null;
    // a directory, as lstat says: getcwd would tell a symlink standing there now
    case "chdir":
      s.input(ok ? { path, kind: "exists", type: "dir", nofollow: true } : probeSpec(path, a.result));
      return null;
    case "readlink":
      s.input(ok ? { path, kind: "link" } : probeSpec(path, a.result));
      return null;
    // no such attribute (ENODATA), a buffer too small, or none possible here: the attributes
    // still answered; only a path that leads nowhere is a probe's failure
    case "xattr":
      s.input(ok || XATTR_ANSWERS.has(a.result) ? { path, kind: "xattrs", ...a.nofollow ? { nofollow: true } : {} } : probeSpec(path, a.result));
      return null;
    case "list":
      s.input({ path, kind: "listing", ...s.before(path, a.names ?? [], a.types) });
      return null;
    case "write":
    case "chmod":
    case "utime": {
      if (!ok) {
        s.input(failedChange(path, a.result));
        return null;
      }
      if (a.op === "chmod") s.permsChanged(path);
      if (a.op === "utime") {
        const kept = keptFile(path, a);
        if (kept) s.input(kept);
      }
      if (a.op === "write" && WRITE_SINKS.has(path)) {
        s.input(probeSpec(path, a.result));
        return null;
      }
      parentOf(s, path);
      if (a.op === "write") return inPlace(s, path, a);
      s.output(path, a.op === "utime" && a.nofollow ? { path, kind: "link" } : { path, kind: "content" });
      return null;
    }
    case "truncate":
      if (ok && WRITE_SINKS.has(path)) {
        s.input(probeSpec(path, a.result));
        return null;
      }
      if (!ok) {
        s.input(failedChange(path, a.result));
        return null;
      }
      parentOf(s, path);
      if (a.keepsPrefix) {
        s.output(path, { path, kind: "content" });
        s.lose(`it truncates ${path} in place: what it held before is lost`);
        return null;
      }
      s.output(path, keptFile(path, a));
      return null;
    case "create":
    case "mkdir":
    case "symlink":
    case "mknod":
      if (!ok) {
        s.input(failedChange(path, a.result));
        return null;
      }
      parentOf(s, path, true);
      s.markCreated(path);
      s.output(path, { path, kind: a.op === "create" && a.truncates ? "replaceable" : "vacant" });
      s.entryChanged(path, true);
      return null;
    case "delete":
    case "rmdir":
      if (!ok) {
        s.input(failedChange(path, a.result));
        return null;
      }
      if (a.op === "rmdir") s.input({ path, kind: "exists", type: "dir", nofollow: true });
      s.output(path, a.op === "rmdir" ? { path, kind: "listing", names: s.before(path, []).names } : { path, kind: "exists" }, true);
      s.entryChanged(path, false);
      return null;
    case "link":
    case "rename": {
      const spelledTo = typeof a.to === "string" ? a.to : void 0;
      if (!spelledTo) return null;
      const { links: toLinks, real: to } = walker.walk(spelledTo, false);
      if (!ok && a.result === "EEXIST") {
        for (const link of toLinks) s.through(link);
        s.input({ path: to, kind: "exists", nofollow: true });
        return null;
      }
      if (!ok) {
        s.input(failedChange(path, a.result));
        return a.op === "rename" ? renameDestination(s, to, a) : null;
      }
      for (const link of toLinks) s.through(link);
      parentOf(s, to);
      if (a.op === "rename" && path === to) {
        s.input({ path, kind: "exists", nofollow: true });
        return null;
      }
      if (a.op === "rename") {
        const unknown = a.noReplace ? (s.input({ path: to, kind: "vacant" }), null) : renameDestination(s, to, a);
        if (unknown) return unknown;
        s.moved(path, to);
        s.entryChanged(path, false);
      } else {
        const read2 = !s.isChanged(path);
        s.input({ path, kind: "content" });
        s.output(to, { path: to, kind: "vacant" });
        if (read2) s.tookLink(to, path);
        else s.carryLink(path, to);
      }
      s.entryChanged(to, true);
      return null;
    }
    default:
      return `an access the model does not know: ${String(a.op)}`;
  }
}
function renameDestination(s, to, a) {
  switch (a.destBefore) {
    case "absent":
      s.input({ path: to, kind: "vacant" });
      return null;
    case "file":
    case "symlink":
    case "other":
      s.input({ path: to, kind: "exists", type: a.destBefore, nofollow: true });
      return null;
    case "empty-dir":
      s.input({ path: to, kind: "listing", names: [], types: "" });
      return null;
    // an ancestor cannot know it either: unmodelled, for the whole tree
    case "full-dir":
      return `a rename onto ${to}, a directory that holds files (what they were is not known)`;
    default:
      return `a rename onto ${to}, where what stood was not seen`;
  }
}
function inPlace(s, path, a) {
  const kept = keptFile(path, a);
  if (kept) s.input(kept);
  const seen = a.seen ? parseSeen(a.seen) : null;
  if (seen && typeOfMode(seen.mode) === "file" && a.appends) {
    s.appended(path, seen.size);
    return null;
  }
  s.output(path, { path, kind: "content" });
  if (!seen || typeOfMode(seen.mode) === "file") s.lose(`it writes into ${path} in place: what it held before is lost`);
  return null;
}
function summarize(steps, walker = AS_SPELLED, since, until) {
  const s = new PathStates(since, until);
  let reason = null;
  for (const step of steps) {
    s.asUser = step.kind === "access" && step.unprivileged === true && step.ownUser === true;
    if (step.kind === "replayed") {
      for (const input of step.inputs) {
        if (input.kind === "link") s.through(input.path);
        else s.input(input.kind === "listing" ? { ...input, ...s.before(input.path, input.names, input.types) } : input);
      }
      for (const path of step.created) s.markCreated(path);
      const removed = new Set(step.removed);
      for (const path of step.permsChanged ?? step.outputs.filter((o) => !removed.has(o))) s.permsChanged(path);
      const read2 = new Set(step.inputs.map((i) => i.path));
      const moves = (step.moved ?? []).filter(([, from]) => !s.isChanged(from));
      const links = (step.hardLinked ?? []).filter(([, from]) => !s.isChanged(from));
      const relinks = [...step.moved ?? [], ...step.hardLinked ?? []].filter(([, from]) => s.isChanged(from));
      for (const out of step.outputs) s.output(out, null, removed.has(out), read2.has(out));
      for (const path of step.renewed) s.renewed.add(path);
      for (const [path, change] of step.entryChanges) s.entryChanged(path, change === "added");
      for (const [to, from] of moves) s.tookMove(to, from);
      for (const [to, from] of links) s.tookLink(to, from);
      for (const [to, from] of relinks) s.carryLink(from, to);
      continue;
    }
    reason ??= applyAccess(s, step.access, walker, step.mtimes ?? "absolute", step.pinned, step.unprivileged === true);
  }
  reason ??= s.unmodelled;
  const unmodelled = reason;
  reason ??= s.lostInput;
  return {
    cacheable: !reason,
    ...reason ? { reason } : {},
    ...unmodelled ? { unmodelled } : {},
    inputs: s.inputs,
    outputs: [...s.outputs],
    created: [...s.created],
    removed: [...s.gone],
    renewed: [...s.renewed],
    entryChanges: s.entryChangeList(),
    permsChanged: [...s.modes],
    moved: s.movedList(),
    hardLinked: s.linkedList()
  };
}
var import_node_path5, AS_SPELLED, PSEUDO_INPUTS, ABSENT, PathStates, WRITE_SINKS, XATTR_ANSWERS, TARGET_PERMS, SEEN_AT_CALL, NAME_CHANGES, REFUSED;
var init_summary = __esm({
  "src/observe/summary.ts"() {
    "use strict";
    import_node_path5 = require("node:path");
    init_own_proc();
    init_system_state();
    init_seen();
    init_mtime_use();
    init_types();
    AS_SPELLED = { walk: (path) => ({ links: [], real: path }) };
    PSEUDO_INPUTS = /* @__PURE__ */ new Set(["/dev/null", "/dev/zero", "/dev/full", "/dev/urandom", "/dev/random"]);
    ABSENT = /* @__PURE__ */ new Set(["ENOENT", "ENOTDIR"]);
    PathStates = class {
      /** since, until: when the subtree began and ended (ns since the epoch), when known: a directory
       * dated after its end was not made so by it (hunt 34: one dated tomorrow) */
      constructor(since, until) {
        this.since = since;
        this.until = until;
      }
      since;
      until;
      inputs = [];
      outputs = /* @__PURE__ */ new Set();
      /** paths whose first change by the subtree brought them into existence */
      created = /* @__PURE__ */ new Set();
      /** paths the subtree has changed: what it reads there afterwards is its own doing */
      changed = /* @__PURE__ */ new Set();
      /** outputs whose last change by the subtree removed them */
      gone = /* @__PURE__ */ new Set();
      /** outputs the subtree made, removed or replaced at some time: what ends there is a new file,
       * not one that kept other names (hunt 39: `rm g; printf x > g` with g linked to o/f) */
      renewed = /* @__PURE__ */ new Set();
      /** input facts already recorded, by kind and path: a probe and a read of one file are two */
      known = /* @__PURE__ */ new Map();
      /** stat inputs by (l)stat and path: a later stat by a program that copies mtimes makes the mtime itself the input */
      stats = /* @__PURE__ */ new Map();
      /** per directory, the first change the subtree made to each name: added or removed */
      changes = /* @__PURE__ */ new Map();
      /** why the subtree's inputs cannot be told from what it left: the first such change */
      lostInput = null;
      /** files whose first access read their content, and no hash was taken of what it read: a
       * change by the subtree afterwards leaves nothing to read it from */
      readFirst = /* @__PURE__ */ new Set();
      /** symlinks the subtree went through: changing one afterwards hides where it went */
      walked = /* @__PURE__ */ new Set();
      /** files whose input is the part before the subtree's appends: any other change loses it */
      appendedTo = /* @__PURE__ */ new Set();
      /** where the subtree moved files it had not read (what they held is read there at the
       * recording), and from where */
      movedFrom = /* @__PURE__ */ new Map();
      /** the stat input of each of those, by where it went, or of a file it linked to one */
      movedInputs = /* @__PURE__ */ new Map();
      /** hard links the subtree made to files it had not changed, by the new name */
      linkedFrom = /* @__PURE__ */ new Map();
      /** a look the model cannot key, which no ancestor can either */
      unmodelled = null;
      /** permission inputs to be read at the recording (no access saw them): a change by the subtree
       * before then would be read instead */
      pendingPerms = /* @__PURE__ */ new Map();
      /** paths whose permission bits or ACL an input reads at the recording: a perms input (its ACL
       * at least), an exec's mode */
      readLater = /* @__PURE__ */ new Set();
      /** paths whose permissions the subtree changed */
      modes = /* @__PURE__ */ new Set();
      /** A rename of path to `to`: what path held is what `to` holds at the end, if nothing changes it after. */
      moved(path, to) {
        const read2 = !this.changed.has(path);
        if (!read2) this.carryLink(path, to);
        if (read2) this.input({ path, kind: "stat", type: "file", mode: -1, uid: -1, gid: -1, nlink: 1, nofollow: true, readAt: to });
        if (read2) this.mustHaveNoXattrs(path);
        this.output(path, { path, kind: "content", movedTo: to }, true);
        this.output(to, null);
        this.replaced(to);
        this.renewed.add(to);
        if (read2) this.tookMove(to, path);
      }
      /** `to` holds, unchanged so far, the file the subtree (or a child, folded) moved from `from`,
       * which it had not changed: a later change there loses the summary, a look at its mtime is a
       * look at the moved input's. */
      tookMove(to, from) {
        this.movedFrom.set(to, from);
        const input = this.stats.get(`lstat${from}`);
        if (input) this.movedInputs.set(to, input);
      }
      /** What tookMove() holds, for a parent's fold. */
      movedList() {
        return [...this.movedFrom];
      }
      /** `to` was made a hard link to `from`, which the subtree had not changed: it is that file, with
       * its mtime, which no input keyed (hunt 76: `ln f g; [ g -nt ref ]` replayed stale): a later
       * look at its mtime is a look at `from`'s. */
      tookLink(to, from) {
        this.linkedFrom.set(to, from);
      }
      /** A rename or a new link of `from`, a hard link the subtree made to an unchanged file, as `to`:
       * `to` is that file. */
      carryLink(from, to) {
        const linked = this.linkedFrom.get(from);
        if (linked !== void 0) this.linkedFrom.set(to, linked);
        const moved = this.movedInputs.get(from);
        if (moved) this.movedInputs.set(to, moved);
      }
      /** What tookLink() holds, for a parent's fold. */
      linkedList() {
        return [...this.linkedFrom];
      }
      isChanged(path) {
        return this.changed.has(path);
      }
      /** the step being applied is an access of an unprivileged process running as processcache's user */
      asUser = false;
      input(spec) {
        if (this.changed.has(spec.path)) {
          if (spec.kind === "stat") this.lookAtMoved(spec);
          return;
        }
        if (spec.kind === "absent" && this.asUser) spec = { ...spec, asUser: true };
        if (spec.kind === "stat" && this.ownMtime(spec)) spec = ownMtimeOf(spec);
        const kind = spec.kind === "stat" && spec.nofollow ? "lstat" : spec.kind === "xattrs" && spec.known === NO_XATTRS ? "no-xattrs" : spec.kind;
        let known = this.known.get(kind);
        if (!known) this.known.set(kind, known = /* @__PURE__ */ new Set());
        if (known.has(spec.path)) {
          if (spec.kind === "stat") this.restat(spec);
          return;
        }
        known.add(spec.path);
        if (PSEUDO_INPUTS.has(spec.path) || describesSelf(spec.path) || isSystemState(spec.path)) return;
        if (spec.kind === "content" && spec.known === void 0) this.readFirst.add(spec.path);
        if (spec.kind === "stat") this.stats.set(kind + spec.path, spec);
        if (readAtRecording(spec) && !(spec.kind === "perms" && spec.owner)) this.readLater.add(spec.path);
        this.inputs.push(spec);
      }
      /**
       * A directory's mtime seen after the subtree made or removed names in it, and newer than the
       * subtree's start: the subtree's own doing, as a file's content after it wrote it (configure
       * writes config.log in `.`, then its shells stat `.`). Its order among the stat'ed files would
       * otherwise key the subtree on the instant of its own change: it is ordered as the subtree's
       * start instead, and at a lookup as the lookup's now (a file dated in the future is newer than
       * both: hunt 13).
       */
      ownMtime(spec) {
        return spec.type === "dir" && spec.mtime !== void 0 && spec.mtimeNs !== void 0 && this.since !== void 0 && spec.mtimeNs >= this.since && (this.until === void 0 || spec.mtimeNs <= this.until) && this.changes.has(spec.path);
      }
      /**
       * A stat of where the subtree moved a file it had not changed: the file there is still the one
       * moved (any change to it there loses the summary), and rename keeps its mtime, so a look at
       * that mtime is a look at the moved input's (hunt 75: `mv f f2; [ f2 -nt ref ]` was keyed on
       * nothing, and replayed its first answer once f turned newer). A look that follows a symlink
       * moved there sees its target's mtime: not told apart.
       */
      lookAtMoved(spec) {
        if (spec.mtime === void 0) return;
        const linked = this.linkedFrom.get(spec.path);
        if (linked !== void 0) {
          if (!this.changed.has(linked)) this.input({ ...spec, path: linked, nlink: void 0 });
          else this.unmodelled ??= `it looks at the mtime of ${spec.path}, a hard link it made to ${linked}, which it changed since`;
        }
        const moved = this.movedInputs.get(spec.path);
        if (!moved) return;
        moved.mtime = stronger(moved.mtime, spec.mtime);
        if (moved.mtimeNs === void 0) {
          moved.mtimeNs = spec.mtimeNs;
          moved.seenAtMs = spec.seenAtMs;
          moved.seenAtNs = spec.seenAtNs;
        }
      }
      /** Another stat of a file: one program in the subtree orders or prints its mtime, and the subtree depends on it that way. */
      restat(spec) {
        const known = this.stats.get((spec.nofollow ? "lstat" : "stat") + spec.path);
        if (!known) return;
        if (spec.mtimeOwn && known.mtime !== void 0) return;
        const use = stronger(known.mtime, spec.mtime);
        if (use && use !== "none" && known.mtime === void 0 && spec.mtimeOwn) known.mtimeOwn = true;
        if (use && use !== "none") known.mtime = use;
        if (known.mtimeNs === void 0) {
          known.mtimeNs = spec.mtimeNs;
          known.seenAtMs = spec.seenAtMs;
          known.seenAtNs = spec.seenAtNs;
        }
      }
      /** A file that was there and that the subtree changed in place: it keeps its extended
       * attributes (an ACL), and a restore, which writes a new file, would not, so it must have none. */
      mustHaveNoXattrs(path) {
        this.input({ path, kind: "xattrs", nofollow: true, known: NO_XATTRS });
      }
      /**
       * Who may reach path, for a process without CAP_DAC_OVERRIDE (seen: what the tracer's stat at
       * the access said). The first look at it is the input, as for any other fact.
       */
      perms(path, seen, ownerOnly = false) {
        const spec = seen ? { path, kind: "perms", mode: seen.mode & 4095, uid: seen.uid, gid: seen.gid } : { path, kind: "perms" };
        if (ownerOnly) spec.owner = true;
        const before = this.inputs.length;
        this.input(spec);
        if (!seen && this.inputs.length > before) this.pendingPerms.set(path, spec);
      }
      /** Every directory a lookup of path searched (the kernel needs search permission on each). */
      searched(path) {
        for (let dir = (0, import_node_path5.dirname)(path); ; dir = (0, import_node_path5.dirname)(dir)) {
          this.perms(dir);
          if (dir === "/" || dir === ".") return;
        }
      }
      /** chmod, or an ACL set: a permission input or an exec's mode, whose bits or ACL are read at the
       * recording, would read the subtree's own doing (hunt 58: `./s; chmod -x s`, `cat f; setfacl -b f`). */
      permsChanged(path) {
        this.modes.add(path);
        if (this.readLater.has(path) && !this.changed.has(path)) {
          this.lose(`it is let through ${path} and then changes its permissions: what they were is lost`);
        }
      }
      /**
       * A path the subtree removed or replaced with another file: a permission input still to be read
       * would read the new file, or nothing, and never match again. It goes; the subtree's own
       * removal or rename needed its parent's permissions, which stay (a change of its own bits
       * between runs that would have stopped the subtree is not seen: README, "Not modelled").
       */
      replaced(path) {
        const spec = this.pendingPerms.get(path);
        if (!spec) return;
        this.pendingPerms.delete(path);
        this.readLater.delete(path);
        const at = this.inputs.indexOf(spec);
        if (at >= 0) this.inputs.splice(at, 1);
      }
      /** A symlink on the way to an access: where it leads is an input. */
      through(link) {
        this.input({ path: link, kind: "link" });
        this.walked.add(link);
      }
      /** path did not exist before this change: only its first change can say so */
      markCreated(path) {
        if (!this.changed.has(path)) {
          this.created.add(path);
          this.replaced(path);
        }
        this.renewed.add(path);
      }
      /**
       * A change to path; `prior` is what its first access learns, when it is the first. ownPrior: a
       * replayed child's own change to what it read first (its entry holds what it read).
       */
      output(path, prior, removes = false, ownPrior = false) {
        if (this.movedFrom.has(path)) this.lose(`it moves a file to ${path} and then changes it: what it moved is lost`);
        if (!this.changed.has(path)) {
          if (this.readFirst.has(path) && !ownPrior) this.lose(`it reads ${path} and then changes it, before what it read could be hashed`);
          if (this.walked.has(path)) this.lose(`it goes through the symlink ${path} and then changes it`);
          if (prior) this.input(prior);
          if (prior && (prior.kind === "stat" || prior.kind === "content") && !removes) this.mustHaveNoXattrs(path);
          if (prior?.kind === "content" && prior.prefix !== void 0) this.appendedTo.add(path);
        } else if (this.appendedTo.has(path)) {
          this.lose(`it appends to ${path} and then changes it otherwise: what it held before is lost`);
        }
        if (prior?.kind === "vacant") this.replaced(path);
        this.changed.add(path);
        this.outputs.add(path);
        if (removes) {
          this.replaced(path);
          this.gone.add(path);
          this.renewed.add(path);
        } else {
          this.gone.delete(path);
        }
      }
      /** An append to path, which keeps what it held before; one after other changes is one more change. */
      appended(path, sizeBefore) {
        if (this.changed.has(path) && this.appendedTo.has(path)) {
          this.changed.add(path);
          return;
        }
        this.output(path, { path, kind: "content", prefix: sizeBefore });
      }
      lose(reason) {
        this.lostInput ??= reason;
      }
      entryChanged(path, added) {
        const dir = (0, import_node_path5.dirname)(path);
        const names = this.changes.get(dir) ?? /* @__PURE__ */ new Map();
        if (!names.has((0, import_node_path5.basename)(path))) names.set((0, import_node_path5.basename)(path), added ? "added" : "removed");
        this.changes.set(dir, names);
      }
      entryChangeList() {
        const out = [];
        for (const [dir, names] of this.changes) for (const [name, change] of names) out.push([(0, import_node_path5.join)(dir, name), change]);
        return out;
      }
      /** What a directory held before the subtree changed it, from what a listing saw (types: '?' for names it removed). */
      before(dir, seen, types) {
        const changed = this.changes.get(dir);
        if (!changed) return types === void 0 ? { names: seen } : { names: seen, types };
        const entries = /* @__PURE__ */ new Map();
        seen.forEach((n, i) => {
          if (changed.get(n) !== "added") entries.set(n, types?.[i] ?? "?");
        });
        for (const [n, first] of changed) if (first === "removed") entries.set(n, "?");
        const names = [...entries.keys()].sort();
        return types === void 0 ? { names } : { names, types: names.map((n) => entries.get(n)).join("") };
      }
    };
    WRITE_SINKS = /* @__PURE__ */ new Set(["/dev/null"]);
    XATTR_ANSWERS = /* @__PURE__ */ new Set(["ENODATA", "ERANGE", "ENOTSUP", "EOPNOTSUPP"]);
    TARGET_PERMS = /* @__PURE__ */ new Set(["read", "list", "chdir", "exec", "xattr", "chmod", "utime"]);
    SEEN_AT_CALL = /* @__PURE__ */ new Set(["read", "chmod", "utime", "probe"]);
    NAME_CHANGES = /* @__PURE__ */ new Set(["delete", "rmdir", "rename", "link"]);
    REFUSED = /* @__PURE__ */ new Set(["EACCES", "EPERM"]);
  }
});

// src/observe/index.ts
var init_observe = __esm({
  "src/observe/index.ts"() {
    "use strict";
    init_summary();
    init_types();
    init_seen();
    init_mtime_use();
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
function existence(path, recordedType, nofollow = false) {
  try {
    const st = nofollow || recordedType === "symlink" ? (0, import_node_fs8.lstatSync)(path, { throwIfNoEntry: false }) : (0, import_node_fs8.statSync)(path, { throwIfNoEntry: false });
    if (!st) return "absent";
    return recordedType ? `type:${typeOf(st)}` : "exists";
  } catch (e) {
    return e.code === "EACCES" ? "exists" : "absent";
  }
}
function vacancy(path) {
  try {
    return (0, import_node_fs8.lstatSync)(path, { throwIfNoEntry: false }) ? "taken" : "absent";
  } catch {
    return "absent";
  }
}
function replaceable(path, hasher) {
  try {
    const st = (0, import_node_fs8.lstatSync)(path, { throwIfNoEntry: false });
    if (!st) return null;
    if (!(st.isFile() && st.nlink === 1 && (st.mode & 128) !== 0) || hasher.xattrs(path, true) !== NO_XATTRS) return "taken";
    return `replaceable:${(st.mode & 4095).toString(8)}:${st.uid}:${st.gid}`;
  } catch {
    return "taken";
  }
}
function namesFingerprint(names, types) {
  if (types === void 0) return `names:${sha256(names.join("\0"))}`;
  return `entries:${sha256(names.map((n, i) => `${types[i] ?? "?"}${n}`).join("\0"))}`;
}
function direntType(d) {
  for (const [is, letter] of DIRENT_TYPES) if (is(d)) return letter;
  return "?";
}
function listingValue(spec) {
  try {
    if (spec.types === void 0) return namesFingerprint((0, import_node_fs8.readdirSync)(spec.path).sort());
    const unknown = new Set(spec.names.filter((_, i) => spec.types[i] === "?"));
    const entries = (0, import_node_fs8.readdirSync)(spec.path, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    return namesFingerprint(entries.map((d) => d.name), entries.map((d) => unknown.has(d.name) ? "?" : direntType(d)).join(""));
  } catch {
    return "absent";
  }
}
function statBase(spec, st) {
  if (!st) return "absent";
  const type = typeOfMode(st.mode);
  const head2 = `${spec.nofollow ? "lstat" : "stat"}:${type}:${(st.mode & 4095).toString(8)}:${st.uid}:${st.gid}`;
  if (type !== "file") return head2;
  return `${head2}${spec.size === void 0 ? "" : `:s${st.size}`}${spec.nlink === void 0 ? "" : `:n${st.nlink}`}`;
}
function statFields(st) {
  return { mode: Number(st.mode), uid: Number(st.uid), gid: Number(st.gid), size: Number(st.size), nlink: Number(st.nlink) };
}
function statNow(path, nofollow) {
  try {
    return (nofollow ? import_node_fs8.lstatSync : import_node_fs8.statSync)(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return void 0;
  }
}
function permsValue(path, hasher, known, ownerOnly = false) {
  const st = known ?? statNow(path, false);
  if (!st) return existence(path, void 0) === "exists" ? "perms:unreachable" : "absent";
  if (ownerOnly) return `owner:${st.uid}:${st.gid}`;
  const xattrs = hasher.xattrs(path, false);
  const extra = xattrs === NO_XATTRS || xattrs === "absent" ? "" : `:${xattrs}`;
  return `perms:${(Number(st.mode) & 4095).toString(8)}:${st.uid}:${st.gid}${extra}`;
}
function refused(path, mode) {
  try {
    (0, import_node_fs8.accessSync)(path, mode);
    return false;
  } catch (e) {
    return e.code === "EACCES";
  }
}
function currentValue(spec, hasher) {
  switch (spec.kind) {
    case "content": {
      const h = hasher.hash(spec.path);
      return h ? `sha256:${h}` : refused(spec.path, import_node_fs8.constants.R_OK) ? UNREADABLE : existence(spec.path, void 0);
    }
    case "absent":
      return existence(spec.path, void 0);
    case "exists":
      return existence(spec.path, spec.type, spec.nofollow === true);
    case "vacant":
      return vacancy(spec.path);
    case "replaceable":
      return replaceable(spec.path, hasher) ?? "replaceable:";
    case "stat": {
      const st = statNow(spec.path, spec.nofollow);
      return statBase(spec, st ? statFields(st) : void 0);
    }
    case "listing":
      return listingValue(spec);
    case "xattrs":
      return hasher.xattrs(spec.path, spec.nofollow === true);
    case "perms":
      return permsValue(spec.path, hasher, void 0, spec.owner === true);
    case "link":
      try {
        return `link:${(0, import_node_fs8.readlinkSync)(spec.path)}`;
      } catch (e) {
        return e.code === "EACCES" ? UNREADABLE : existence(spec.path, void 0);
      }
  }
}
function toInput(spec, value, storedPath = spec.path) {
  const input = { path: storedPath, kind: spec.kind, value };
  if (spec.kind === "exists" && spec.type) input.type = spec.type;
  if ((spec.kind === "exists" || spec.kind === "xattrs") && spec.nofollow) input.nofollow = true;
  if (spec.kind === "absent" && spec.asUser) input.asUser = true;
  if (spec.kind === "listing") {
    input.names = spec.names;
    if (spec.types !== void 0) input.types = spec.types;
  }
  return input;
}
var import_node_fs8, DIRENT_TYPES, UNREADABLE;
var init_inputs = __esm({
  "src/fingerprint/inputs.ts"() {
    "use strict";
    import_node_fs8 = require("node:fs");
    init_observe();
    init_hash();
    DIRENT_TYPES = [
      [(d) => d.isFile(), "f"],
      [(d) => d.isDirectory(), "d"],
      [(d) => d.isSymbolicLink(), "l"],
      [(d) => d.isFIFO(), "p"],
      [(d) => d.isSocket(), "s"],
      [(d) => d.isCharacterDevice(), "c"],
      [(d) => d.isBlockDevice(), "b"]
    ];
    UNREADABLE = "unreadable";
  }
});

// src/fingerprint/links.ts
var import_node_fs9, MAX_HOPS, NO_LINKS, LinkWalker;
var init_links = __esm({
  "src/fingerprint/links.ts"() {
    "use strict";
    import_node_fs9 = require("node:fs");
    MAX_HOPS = 40;
    NO_LINKS = [];
    LinkWalker = class {
      /** path -> its symlink's target, or null when it is no symlink (or absent) */
      targets = /* @__PURE__ */ new Map();
      /** whole walks, keyed by follow flag and path */
      walks = /* @__PURE__ */ new Map();
      /** paths walked through as a directory or a link: a change there reshapes what lies below */
      passed = /* @__PURE__ */ new Set();
      walk(path, followLast) {
        const key = (followLast ? "1" : "0") + path;
        let w = this.walks.get(key);
        if (!w) this.walks.set(key, w = this.resolve(path, followLast));
        return w;
      }
      targetOf(path) {
        let t = this.targets.get(path);
        if (t === void 0) {
          try {
            const st = (0, import_node_fs9.lstatSync)(path, { throwIfNoEntry: false });
            t = st?.isSymbolicLink() ? (0, import_node_fs9.readlinkSync)(path) : null;
          } catch {
            t = null;
          }
          this.targets.set(path, t);
        }
        return t;
      }
      resolve(path, followLast) {
        let links = NO_LINKS;
        const queue = path.split("/").reverse();
        let real = "";
        for (let hops = 0; queue.length; ) {
          const name = queue.pop();
          if (name === "" || name === ".") continue;
          if (name === "..") {
            real = real.slice(0, Math.max(0, real.lastIndexOf("/")));
            continue;
          }
          const next = `${real}/${name}`;
          const last = !queue.some((n) => n !== "" && n !== ".");
          const target = last && !followLast ? null : this.targetOf(next);
          if (target === null) {
            if (!last) this.passed.add(next);
            real = next;
            continue;
          }
          if (links === NO_LINKS) links = [];
          links.push(next);
          this.passed.add(next);
          if (++hops > MAX_HOPS) return { links, real: path };
          for (const part of target.split("/").reverse()) queue.push(part);
          if (target.startsWith("/")) real = "";
        }
        return { links, real: real || "/" };
      }
      /** A rename, removal or new link at path: what leads where at or below it is looked at again. */
      reshaped(path) {
        this.targets.delete(path);
        this.walks.delete(`1${path}`);
        this.walks.delete(`0${path}`);
        if (!this.passed.has(path)) return;
        this.targets.clear();
        this.walks.clear();
        this.passed.clear();
      }
    };
  }
});

// src/fingerprint/weak.ts
function filterEnv(env, ignored) {
  return env.filter((kv) => !ignored.has(kv.slice(0, Math.max(0, kv.indexOf("="))))).sort();
}
function stdioForKey(stdio) {
  return [stdio[0] === "tty" || stdio[0] === "closed" ? stdio[0] : "not-tty", stdio[1] ?? "", stdio[2] ?? ""];
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
    umask: parts.umask,
    process: parts.process
  }));
}
var import_node_os3, PER_RUN_ENV;
var init_weak = __esm({
  "src/fingerprint/weak.ts"() {
    "use strict";
    import_node_os3 = require("node:os");
    init_hash();
    PER_RUN_ENV = [
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
      "PROCESSCACHE_ENV_INPUTS",
      "PROCESSCACHE_PIPE_WAIT_MS",
      "PROCESSCACHE_EXEC_WAIT_MS",
      // the Node the Action runs on (a path with the runner's version in it)
      "PROCESSCACHE_NODE",
      // the files of GitHub's workflow commands, named anew for every step; a program that writes to
      // one writes outside the root, and is not cached for it
      "GITHUB_ENV",
      "GITHUB_OUTPUT",
      "GITHUB_STATE",
      "GITHUB_PATH",
      "GITHUB_STEP_SUMMARY",
      // the invoking shell's record of the program it ran: differs with how processcache was started
      "_",
      // what processcache's launcher saw of its caller (LAUNCH_ENV in src/trace/launch.ts); the command
      // never gets it, but a processcache run inside the command does
      "PROCESSCACHE_LAUNCH"
    ];
  }
});

// src/fingerprint/context-env.ts
function needleOf(match, value) {
  if (match === "commit" && COMMIT_ID.test(value)) {
    const abbrev = value.slice(0, ABBREV);
    const forms = [.../* @__PURE__ */ new Set([abbrev.toLowerCase(), abbrev.toUpperCase()])].map((f) => Buffer.from(f));
    return { key: `commit:${abbrev.toLowerCase()}`, forms, border: "none" };
  }
  if (value.length < MIN_SEARCHED) return null;
  const border = value.length >= TOKEN_BELOW ? "none" : DIGITS.test(value) ? "digit" : "word";
  return { key: `${border}:${value}`, forms: [Buffer.from(value)], border };
}
function continues(byte, border) {
  if (byte === void 0 || border === "none") return false;
  const digit = byte >= 48 && byte <= 57;
  if (border === "digit") return digit;
  return digit || byte >= 65 && byte <= 90 || byte >= 97 && byte <= 122;
}
function holds(data, needle) {
  for (const form of needle.forms) {
    for (let at = data.indexOf(form); at >= 0; at = data.indexOf(form, at + 1)) {
      if (!continues(data[at - 1], needle.border) && !continues(data[at + form.length], needle.border)) return true;
    }
  }
  return false;
}
function holdsInChunks(chunks, needle) {
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i];
    for (const form of needle.forms) {
      for (let at = c.indexOf(form); at >= 0; at = c.indexOf(form, at + 1)) {
        const prev = at > 0 ? c[at - 1] : tail(chunks, i, 1)[0];
        const next = at + form.length < c.length ? c[at + form.length] : head(chunks, i + 1, 1)[0];
        if (!continues(prev, needle.border) && !continues(next, needle.border)) return true;
      }
    }
  }
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
function tail(chunks, i, n) {
  const parts = [];
  for (let j = i - 1, left = n; j >= 0 && left > 0; j--) {
    const c = chunks[j];
    parts.unshift(c.subarray(Math.max(0, c.length - left)));
    left -= Math.min(left, c.length);
  }
  return Buffer.concat(parts);
}
function head(chunks, i, n) {
  const parts = [];
  for (let j = i, left = n; j < chunks.length && left > 0; j++) {
    const c = chunks[j];
    parts.push(c.subarray(0, left));
    left -= Math.min(left, c.length);
  }
  return Buffer.concat(parts);
}
function contextValues(env, searched) {
  const out = [];
  for (const kv of env) {
    if (!kv.startsWith("GITHUB_")) continue;
    const eq = kv.indexOf("=");
    const name = kv.slice(0, eq);
    const match = CONTEXT_ENV[name];
    const value = kv.slice(eq + 1);
    if (eq < 0 || !match || !value || !searched.has(name)) continue;
    out.push({ name, value, needle: needleOf(match, value) });
  }
  return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
function validContext(context) {
  if (context === void 0) return true;
  if (!Array.isArray(context) || context.length > Object.keys(CONTEXT_ENV).length) return false;
  const names = /* @__PURE__ */ new Set();
  for (const c of context) {
    const { name, value } = c ?? {};
    if (typeof name !== "string" || !Object.hasOwn(CONTEXT_ENV, name) || names.has(name)) return false;
    if (typeof value !== "string" || value.length === 0 || value.length > MAX_VALUE) return false;
    names.add(name);
  }
  return true;
}
var CONTEXT_ENV, MIN_SEARCHED, TOKEN_BELOW, ABBREV, COMMIT_ID, DIGITS, MAX_VALUE;
var init_context_env = __esm({
  "src/fingerprint/context-env.ts"() {
    "use strict";
    CONTEXT_ENV = {
      // per commit
      GITHUB_SHA: "commit",
      GITHUB_WORKFLOW_SHA: "commit",
      // per branch, tag or pull request; REF_TYPE and REF_PROTECTED differ between a push to main and a
      // pull request's merge ref, and keyed they would stop a pull request from reusing main's entries
      GITHUB_REF: "exact",
      GITHUB_REF_NAME: "exact",
      GITHUB_HEAD_REF: "exact",
      GITHUB_BASE_REF: "exact",
      GITHUB_REF_TYPE: "exact",
      GITHUB_REF_PROTECTED: "exact",
      GITHUB_WORKFLOW_REF: "exact",
      GITHUB_EVENT_NAME: "exact",
      // per person
      GITHUB_ACTOR: "exact",
      GITHUB_ACTOR_ID: "exact",
      GITHUB_TRIGGERING_ACTOR: "exact",
      // per run
      GITHUB_RUN_ID: "exact",
      GITHUB_RUN_NUMBER: "exact",
      GITHUB_RUN_ATTEMPT: "exact",
      GITHUB_JOB_ID: "exact"
    };
    MIN_SEARCHED = 3;
    TOKEN_BELOW = 8;
    ABBREV = 7;
    COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
    DIGITS = /^[0-9]+$/;
    MAX_VALUE = 4096;
  }
});

// src/fingerprint/aliases.ts
function under(path, top) {
  return path === top || path.startsWith(top) && path.charCodeAt(top.length) === 47;
}
var import_node_fs10, PathAliases;
var init_aliases = __esm({
  "src/fingerprint/aliases.ts"() {
    "use strict";
    import_node_fs10 = require("node:fs");
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
            real = import_node_fs10.realpathSync.native(dir);
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
var import_node_path6, ChangeLog;
var init_changes = __esm({
  "src/fingerprint/changes.ts"() {
    "use strict";
    import_node_path6 = require("node:path");
    ChangeLog = class {
      byPath = /* @__PURE__ */ new Map();
      /** changes to a directory's entries, for listings */
      byDir = /* @__PURE__ */ new Map();
      note(path, change) {
        push(this.byPath, path, change);
        push(this.byDir, (0, import_node_path6.dirname)(path), change);
      }
      /** Every path the run changed. */
      paths() {
        return this.byPath.keys();
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
function identityOf2(path) {
  try {
    const st = (0, import_node_fs11.lstatSync)(path, { bigint: true, throwIfNoEntry: false });
    return st?.isFile() ? FileHasher.identity(st) : void 0;
  } catch {
    return void 0;
  }
}
function lstatQuiet(path) {
  try {
    return (0, import_node_fs11.lstatSync)(path, { throwIfNoEntry: false });
  } catch {
    return void 0;
  }
}
function leadsTo(path) {
  try {
    return import_node_fs11.realpathSync.native(path);
  } catch {
    try {
      return (0, import_node_path7.resolve)((0, import_node_path7.dirname)(path), (0, import_node_fs11.readlinkSync)(path));
    } catch {
      return path;
    }
  }
}
function manyLinks(stamp) {
  const own = stamp.split(">")[0].split(":");
  return own.length === 7 && (Number(own[2]) & 61440) !== 16384 && Number(own[6]) > 1;
}
function stampOf(path) {
  const l = statNow(path, true);
  if (!l) return "-";
  const own = `${l.dev}:${l.ino}:${l.mode}:${l.size}:${l.mtimeNs}:${l.ctimeNs}:${l.nlink}`;
  if (!l.isSymbolicLink()) return own;
  const t = statNow(path, false);
  return t ? `${own}>${t.dev}:${t.ino}:${t.mode}:${t.size}:${t.mtimeNs}:${t.ctimeNs}:${t.nlink}` : `${own}>-`;
}
var import_node_fs11, import_node_path7, CHANGE_OPS, OWN_FD, FsView;
var init_view = __esm({
  "src/fingerprint/view.ts"() {
    "use strict";
    import_node_fs11 = require("node:fs");
    import_node_path7 = require("node:path");
    init_aliases();
    init_changes();
    init_hash();
    init_inputs();
    CHANGE_OPS = /* @__PURE__ */ new Set(["write", "create", "truncate", "rename", "delete", "mkdir", "rmdir", "symlink", "link", "chmod", "utime", "mknod"]);
    OWN_FD = /^\/(?:dev\/(?:fd\/|std(?:in|out|err)$)|proc\/[^/]+\/(?:task\/[^/]+\/)?fd\/)/;
    FsView = class {
      constructor(hasher) {
        this.hasher = hasher;
      }
      hasher;
      memo = /* @__PURE__ */ new Map();
      existsMemo = /* @__PURE__ */ new Map();
      /** paths seen changed by a name the run did not report (a stamp that moved): never remembered again */
      moved = /* @__PURE__ */ new Set();
      /** counts the run's changes that may have reached a remembered file by another name: through a
       * symlink, a hard link, a symlinked directory, or a rename, removal or link at or above a
       * remembered path (remembered values are checked again after one; a build's own writes into
       * its plain files, and its compilers' removals of their temporary files, are none) */
      epoch = 0;
      /** a file was opened for writing through /dev/fd/N or /proc/.../fd/N, which names no path: no
       * remembered value holds for the rest of the run */
      blind = false;
      /** the real paths remembered symlinks lead to: a change there, or in there, reaches them */
      linkedTo = /* @__PURE__ */ new Set();
      /** remembered paths and every directory above them: a rename, removal or link there moves them */
      above = /* @__PURE__ */ new Set();
      settled = /* @__PURE__ */ new Map();
      /** every change the run made, by whom and when */
      changes = new ChangeLog();
      aliases = new PathAliases();
      value(spec) {
        if (spec.kind === "content" || spec.kind === "absent" || spec.kind === "link") return this.valueAt(spec.kind, spec.path);
        if (this.volatile(spec.path) || spec.kind === "xattrs" || spec.kind === "perms") return currentValue(spec, this.hasher);
        return this.recall(this.memoFor(spec), spec.path, () => currentValue(spec, this.hasher));
      }
      /** value() for the kinds a path alone describes, with no spec to build: a hit's lookups are mostly these. */
      valueAt(kind, path) {
        if (this.volatile(path)) return kind === "content" && this.settledContent(path) || currentValue({ path, kind }, this.hasher);
        let memo = this.memo.get(kind);
        if (!memo) this.memo.set(kind, memo = /* @__PURE__ */ new Map());
        return this.recall(memo, path, () => currentValue({ path, kind }, this.hasher));
      }
      /** Is path to be looked at afresh: changed by the run under this name, or seen changed under another? */
      volatile(path) {
        return this.blind || this.changes.touched(path) || this.moved.has(path);
      }
      /** A directory renamed: what was looked at afresh below its old name is so below the new one
       * too (hunt 54: a file open for writing at d/f writes on, unseen, after `mv d e`). */
      renamed(from, to) {
        for (const path of [...this.changes.paths(), ...this.moved]) {
          if (path.startsWith(`${from}/`)) this.moved.add(to + path.slice(from.length));
        }
      }
      /** What memo remembers of path while its stamp holds, or undefined; a stamp that moved (a
       * change by a name the run did not report) has the path looked at afresh from now on. */
      recalled(memo, path) {
        const known = memo.get(path);
        if (!known) return void 0;
        const now = this.epoch;
        if (known.checked === now) return known.value;
        if (known.stamp === stampOf(path)) {
          known.checked = now;
          return known.value;
        }
        this.moved.add(path);
        memo.delete(path);
        return void 0;
      }
      remember(memo, path, value, stamp, checked) {
        if (this.volatile(path) || manyLinks(stamp)) return;
        memo.set(path, { value, stamp, checked });
        this.aliases.looked(path);
        const names = [path, this.aliases.real(path)];
        if (stamp.includes(">")) {
          const target = leadsTo(path);
          this.linkedTo.add(target);
          names.push(target);
        }
        for (const name of names) for (let p = name; p.length > 1 && !this.above.has(p); p = (0, import_node_path7.dirname)(p)) this.above.add(p);
      }
      /** Does path reach a process's own fd by path: spelled so, through a symlinked directory, or
       * through symlinks (hunt 56: `ln -s /dev/fd/4 l; exec 5>>l`)? Read lexically: resolved here,
       * /dev/fd would name this process's fds. */
      ownFd(path, st) {
        if (OWN_FD.test(path) || OWN_FD.test(this.aliases.real(path))) return true;
        if (!st?.isSymbolicLink()) return false;
        let at = path;
        for (let hop = 0; hop < 40; hop++) {
          try {
            at = (0, import_node_path7.resolve)((0, import_node_path7.dirname)(at), (0, import_node_fs11.readlinkSync)(at));
          } catch {
            return false;
          }
          if (OWN_FD.test(at) || OWN_FD.test(this.aliases.real(at))) return true;
        }
        return true;
      }
      /** May a change at path (st: what lstat says of it now) reach a remembered file under another name? */
      mayAlias(path, st) {
        if (st && (st.isSymbolicLink() || !st.isDirectory() && st.nlink > 1)) return true;
        return this.aliases.real(path) !== path || this.linkedTo.has(path) || this.linkedTo.has((0, import_node_path7.dirname)(path));
      }
      /** What memo remembers of path while its stamp holds; else what compute says now, remembered. */
      recall(memo, path, compute) {
        const known = this.recalled(memo, path);
        if (known !== void 0) return known;
        const checked = this.epoch;
        const stamp = stampOf(path);
        const value = compute();
        this.remember(memo, path, value, stamp, checked);
        return value;
      }
      /**
       * A file the run itself wrote whole (a restore: temporary file, then rename) holds what was
       * written until its next change: no need to read it back when a later lookup or recording asks.
       */
      settle(path, digest) {
        const identity = identityOf2(path);
        if (identity) this.settled.set(path, { changes: this.changes.count(path), identity, digest });
      }
      /**
       * The digest settle() gave path, while no change has come since: none under this path, and
       * the file still the one written (a change through another name for it, a symlinked
       * directory on the way, alters what stat says).
       */
      settledDigest(path) {
        const s = this.settled.get(path);
        return s && s.changes === this.changes.count(path) && identityOf2(path) === s.identity ? s.digest : void 0;
      }
      /** settledDigest() as a content value. */
      settledContent(path) {
        const digest = this.settledDigest(path);
        return digest === void 0 ? void 0 : `sha256:${digest}`;
      }
      /** A path's mtime now (stat, or lstat for nofollow), null when nothing is there: one stat,
       * which any remembered value would cost to check. */
      mtimeOf(path, nofollow) {
        return statNow(path, nofollow)?.mtimeNs ?? null;
      }
      /** A map per kind of fact, keyed by path alone: a hit costs no new string. */
      memoFor(spec) {
        const [table, key] = spec.kind === "exists" ? [this.existsMemo, spec.type ?? ""] : spec.kind === "stat" ? [this.existsMemo, `stat${spec.nofollow ? "l" : ""}${spec.size === void 0 ? "" : "s"}`] : [this.memo, spec.kind];
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
        const volatile = this.volatile(spec.path);
        const known = volatile ? void 0 : this.recalled(memo, spec.path);
        if (known !== void 0) return known;
        const checked = this.epoch;
        const stamp = volatile ? "" : stampOf(spec.path);
        const keep = (digest2) => {
          const v = digest2 ? `sha256:${digest2}` : currentValue(spec, this.hasher);
          if (!volatile) this.remember(memo, spec.path, v, stamp, checked);
          return v;
        };
        const digest = this.hasher.hashSoon(spec.path);
        return digest instanceof Promise ? digest.then(keep) : keep(digest);
      }
      /** A path the command (or a restore) changed, under every name the run looked at it by; those
       * names are returned (path first). */
      changed(path, change) {
        const st = lstatQuiet(path);
        const names = [path];
        if (this.ownFd(path, st)) {
          this.epoch++;
          this.blind = true;
        } else if (this.mayAlias(path, st)) {
          this.epoch++;
          const real = leadsTo(path);
          this.moved.add(real);
          if (real !== path) names.push(real);
        }
        names.push(...this.aliases.othersOf(path), ...this.hardLinksOf(path));
        for (const name of names) this.changes.note(name, change);
        return names;
      }
      /**
       * The remembered paths that are hard links to path's file. Rare enough to look for the hard
       * way: only a file with more than one link is matched, by device and inode, against them.
       */
      hardLinksOf(path) {
        const st = lstatQuiet(path);
        if (!st?.isFile() || st.nlink < 2) return [];
        const found = [];
        for (const known of this.memo.get("content")?.keys() ?? []) {
          if (known === path) continue;
          const other = lstatQuiet(known);
          if (other && other.ino === st.ino && other.dev === st.dev) found.push(known);
        }
        return found;
      }
      /** A rename, removal or link at path: what leads where through symlinks is looked at again. */
      reshaped(path) {
        if (this.above.has(path) || this.mayAlias(path, lstatQuiet(path))) this.epoch++;
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
    init_links();
    init_weak();
    init_context_env();
    init_view();
  }
});

// src/cli/common.ts
function nameList(fromArgs, variable) {
  return [...fromArgs ?? [], process.env[variable] ?? ""].flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
}
function forcedEnv(fromArgs) {
  return new Set(nameList(fromArgs, "PROCESSCACHE_ENV_INPUTS"));
}
function ignoredEnv(fromArgs, forced = /* @__PURE__ */ new Set()) {
  const all = [...PER_RUN_ENV, ...Object.keys(CONTEXT_ENV), ...nameList(fromArgs, "PROCESSCACHE_IGNORE_ENV")];
  return new Set(all.filter((name) => !forced.has(name)));
}
function pipeWaitMs(warn2) {
  return msSetting("PROCESSCACHE_PIPE_WAIT_MS", warn2);
}
function execWaitMs(warn2) {
  return msSetting("PROCESSCACHE_EXEC_WAIT_MS", warn2);
}
function msSetting(name, warn2) {
  const raw = process.env[name];
  if (raw === void 0 || raw === "") return void 0;
  const ms = Number(raw);
  if (Number.isInteger(ms) && ms >= 0 && ms <= 6e4) return ms;
  warn2(`${name}=${raw} is not a whole number of milliseconds from 0 to 60000; using the default`);
  return void 0;
}
function workingDir() {
  try {
    return process.cwd();
  } catch {
    return null;
  }
}
function isCwdGone(e) {
  return e instanceof Error && e.syscall === "uv_cwd";
}
function notUtf8() {
  const bad = (raw) => !Buffer.from(raw.toString("utf8"), "utf8").equals(raw);
  const split = (file) => {
    try {
      const data = (0, import_node_fs12.readFileSync)(file);
      const parts = [];
      for (let at = 0; at < data.length; ) {
        const end = data.indexOf(0, at);
        parts.push(data.subarray(at, end < 0 ? data.length : end));
        at = end < 0 ? data.length : end + 1;
      }
      return parts;
    } catch {
      return [];
    }
  };
  const args = split("/proc/self/cmdline");
  const arg = args.findIndex(bad);
  if (arg >= 0) return `argument ${JSON.stringify(args[arg].toString("latin1"))}`;
  const variable = split("/proc/self/environ").find(bad);
  if (variable) return `the environment variable ${variable.subarray(0, Math.max(0, variable.indexOf(61))).toString("latin1")}`;
  return null;
}
function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
var import_node_fs12, VERSION, CWD_GONE;
var init_common = __esm({
  "src/cli/common.ts"() {
    "use strict";
    import_node_fs12 = require("node:fs");
    init_fingerprint();
    VERSION = true ? "0.1.0" : "dev";
    CWD_GONE = "the working directory no longer exists (it was deleted)";
  }
});

// src/store/atomic.ts
function tempFor(path) {
  const dir = (0, import_node_path8.dirname)(path);
  if (!madeDirs.has(dir)) {
    (0, import_node_fs13.mkdirSync)(dir, { recursive: true });
    madeDirs.add(dir);
  }
  return `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
}
function atomicWrite(path, data) {
  const tmp = tempFor(path);
  try {
    (0, import_node_fs13.writeFileSync)(tmp, data);
    (0, import_node_fs13.renameSync)(tmp, path);
  } catch (e) {
    (0, import_node_fs13.rmSync)(tmp, { force: true });
    throw e;
  }
}
async function atomicWriteAsync(path, data) {
  const tmp = tempFor(path);
  try {
    await writeFileCb(tmp, data);
    await renameCb(tmp, path);
  } catch (e) {
    (0, import_node_fs13.rmSync)(tmp, { force: true });
    throw e;
  }
}
var import_node_fs13, import_node_path8, import_node_util, writeFileCb, renameCb, madeDirs, TEMP_NAME;
var init_atomic = __esm({
  "src/store/atomic.ts"() {
    "use strict";
    import_node_fs13 = require("node:fs");
    import_node_path8 = require("node:path");
    import_node_util = require("node:util");
    writeFileCb = (0, import_node_util.promisify)(import_node_fs13.writeFile);
    renameCb = (0, import_node_util.promisify)(import_node_fs13.rename);
    madeDirs = /* @__PURE__ */ new Set();
    TEMP_NAME = /\.tmp-(\d+)-[0-9a-z]*$/;
  }
});

// src/store/local.ts
function defaultStoreDir(env = process.env) {
  if (env.PROCESSCACHE_STORE) return env.PROCESSCACHE_STORE;
  const base = env.XDG_CACHE_HOME || (0, import_node_path9.join)((0, import_node_os4.homedir)(), ".cache");
  return (0, import_node_path9.join)(base, "processcache");
}
function parseEntry(text) {
  let e;
  try {
    e = JSON.parse(text);
  } catch {
    return null;
  }
  return entryFrom(e);
}
function blobsOf(entry) {
  const blobs = entry.outputs.flatMap((o) => o.type === "file" ? [o.blob] : []);
  return entry.stream ? [...blobs, entry.stream.blob] : blobs;
}
function isInput(v) {
  if (typeof v !== "object" || v === null) return false;
  const i = v;
  return typeof i.path === "string" && typeof i.kind === "string" && typeof i.value === "string";
}
function entryFrom(e) {
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
    if (o.type === "file" && o.linkOf !== void 0 && typeof o.linkOf !== "string") return null;
    if (o.type === "file" && o.order !== void 0 && !(Number.isInteger(o.order) && o.order >= 0)) return null;
    if (o.type === "file" && o.newFile !== void 0 && o.newFile !== true) return null;
    if (o.type === "file" && o.movedFrom !== void 0 && typeof o.movedFrom !== "string") return null;
    if (!["file", "symlink", "dir", "absent"].includes(o.type)) return null;
  }
  if (!entry.inputs.every(isInput)) return null;
  if (entry.stream) {
    const { blob, chunks } = entry.stream;
    if (!(typeof blob === "string" && HEX64.test(blob) && Array.isArray(chunks))) return null;
    if (!chunks.every((c) => (c.fd === 1 || c.fd === 2) && Number.isInteger(c.bytes) && c.bytes >= 0)) return null;
  }
  if (!validContext(entry.context)) return null;
  if (entry.dirOrder !== void 0 && !(Array.isArray(entry.dirOrder) && entry.dirOrder.every((d) => typeof d?.path === "string" && Number.isInteger(d.order) && d.order >= 0))) return null;
  if (!Array.isArray(entry.children)) entry.children = [];
  return entry;
}
function listLocal(dir) {
  const entries = [];
  const root = (0, import_node_path9.join)(dir, "entries");
  for (const rel of (0, import_node_fs14.readdirSync)(root, { recursive: true }).map(String)) {
    if (!rel.endsWith(".json")) continue;
    const path = (0, import_node_path9.join)(root, rel);
    try {
      const st = (0, import_node_fs14.statSync)(path);
      const entry = parseEntry((0, import_node_fs14.readFileSync)(path, "utf8"));
      if (entry) entries.push({ entry, lastUsedMs: st.mtimeMs, bytes: st.size, remove: () => (0, import_node_fs14.rmSync)(path, { force: true }) });
      else (0, import_node_fs14.rmSync)(path, { force: true });
    } catch {
    }
  }
  const blobs = [];
  const blobRoot = (0, import_node_path9.join)(dir, "blobs");
  for (const rel of (0, import_node_fs14.readdirSync)(blobRoot, { recursive: true }).map(String)) {
    const hash = rel.replace("/", "");
    if (!HEX64.test(hash)) continue;
    const path = (0, import_node_path9.join)(blobRoot, rel);
    try {
      const st = (0, import_node_fs14.statSync)(path);
      blobs.push({ hash, bytes: st.size, mtimeMs: st.mtimeMs, path });
    } catch {
    }
  }
  return { entries, blobs };
}
var import_node_crypto3, import_node_fs14, import_node_os4, import_node_path9, HEX64, REMOTE_FILLED, LocalStore;
var init_local = __esm({
  "src/store/local.ts"() {
    "use strict";
    import_node_crypto3 = require("node:crypto");
    import_node_fs14 = require("node:fs");
    init_fingerprint();
    init_atomic();
    import_node_os4 = require("node:os");
    import_node_path9 = require("node:path");
    HEX64 = /^[0-9a-f]{64}$/;
    REMOTE_FILLED = "remote-filled";
    LocalStore = class {
      /** warn: told once when a write fails (a full or read-only store), since every write would fail alike */
      constructor(dir, writable = true, warn2) {
        this.dir = dir;
        this.writable = writable;
        this.warn = warn2;
        (0, import_node_fs14.mkdirSync)((0, import_node_path9.join)(dir, "blobs"), { recursive: true });
        (0, import_node_fs14.mkdirSync)((0, import_node_path9.join)(dir, "entries"), { recursive: true });
        this.trusted = !(0, import_node_fs14.existsSync)((0, import_node_path9.join)(dir, REMOTE_FILLED));
      }
      dir;
      writable;
      warn;
      /** blobs this run wrote or found, by size */
      present = /* @__PURE__ */ new Map();
      writeFailureSaid = false;
      /** its entries are what runs on this machine recorded (--store names a directory its user
       * chose), unless a remote filled it (markRemoteFilled): those are anybody's */
      trusted;
      /** Says, for every later run on this store, that a remote's entries are in it: no restore from
       * it keeps a setuid or setgid bit (src/memo/restore.ts keepsSetId). Written before the first
       * entry arrives. */
      markRemoteFilled() {
        (0, import_node_fs14.writeFileSync)((0, import_node_path9.join)(this.dir, REMOTE_FILLED), "entries from a remote cache were written here: restores keep no setuid or setgid bit\n");
      }
      /** Says once, on stderr, that the store cannot be written and what to do; the run goes on without recording. */
      writeFailed(e) {
        if (this.writeFailureSaid || !this.warn) return;
        this.writeFailureSaid = true;
        const why = e instanceof Error ? e.message.split(",")[0] : String(e);
        this.warn(`the store at ${this.dir} cannot be written (${why}): this run's results are not cached; free space or make it writable, or pass --store DIR for another one (--read-only uses it without writing)`);
      }
      blobPath(hash) {
        return (0, import_node_path9.join)(this.dir, "blobs", hash.slice(0, 2), hash.slice(2));
      }
      /** 256 buckets of "<weak>.<strong>.json" files: creating a directory per command costs more
       * than listing a bucket (a quarter millisecond each on the CI machines' disks). */
      entryDir(weak) {
        return (0, import_node_path9.join)(this.dir, "entries", weak.slice(0, 2));
      }
      entryPath(entry) {
        return (0, import_node_path9.join)(this.entryDir(entry.weak), `${entry.weak}.${entry.strong}.json`);
      }
      /** Locally the index is the entry buckets themselves, each read when a command first needs it. */
      async openIndex() {
        return { candidates: (weak) => this.candidates(weak) };
      }
      candidates(weak) {
        const dir = this.entryDir(weak);
        let names;
        try {
          names = (0, import_node_fs14.readdirSync)(dir).filter((n) => n.startsWith(`${weak}.`) && n.endsWith(".json"));
        } catch {
          return [];
        }
        const found = [];
        for (const name of names) {
          const path = (0, import_node_path9.join)(dir, name);
          try {
            const entry = parseEntry((0, import_node_fs14.readFileSync)(path, "utf8"));
            if (entry && entry.weak === weak) found.push({ entry, used: names.length > 1 ? (0, import_node_fs14.statSync)(path).mtimeMs : 0 });
          } catch {
          }
        }
        return found.sort((a, b) => b.used - a.used).map((f) => f.entry);
      }
      async putEntry(entry) {
        if (!this.writable) return;
        try {
          await atomicWriteAsync(this.entryPath(entry), JSON.stringify(entry));
        } catch (e) {
          this.writeFailed(e);
        }
      }
      /** Writes an entry fetched from a remote (already parsed) with its last use as the file's mtime. */
      async putEntryUsedAt(entry, usedAtMs) {
        await atomicWriteAsync(this.entryPath(entry), JSON.stringify(entry));
        const t = new Date(usedAtMs);
        (0, import_node_fs14.utimesSync)(this.entryPath(entry), t, t);
      }
      /** Where a blob the store holds is, for packing it; null when it holds none of that size. */
      blobFile(hash, bytes) {
        if (!HEX64.test(hash)) return null;
        const st = (0, import_node_fs14.statSync)(this.blobPath(hash), { throwIfNoEntry: false });
        return st?.isFile() && (bytes === void 0 || st.size === bytes) ? this.blobPath(hash) : null;
      }
      /** Moves a file that should hold the blob hash into the store, after checking it does; false when it does not. */
      adoptBlob(hash, file) {
        if (!HEX64.test(hash)) return false;
        const data = (0, import_node_fs14.readFileSync)(file);
        if ((0, import_node_crypto3.createHash)("sha256").update(data).digest("hex") !== hash) return false;
        (0, import_node_fs14.mkdirSync)((0, import_node_path9.dirname)(this.blobPath(hash)), { recursive: true });
        (0, import_node_fs14.renameSync)(file, this.blobPath(hash));
        this.present.set(hash, data.length);
        return true;
      }
      async removeEntry(entry) {
        if (!this.writable) return;
        (0, import_node_fs14.rmSync)(this.entryPath(entry), { force: true });
      }
      async touchEntry(entry) {
        if (!this.writable) return;
        const now = /* @__PURE__ */ new Date();
        try {
          (0, import_node_fs14.utimesSync)(this.entryPath(entry), now, now);
        } catch {
        }
      }
      async getBlob(hash) {
        if (!HEX64.test(hash)) return null;
        let data;
        try {
          data = (0, import_node_fs14.readFileSync)(this.blobPath(hash));
        } catch {
          return null;
        }
        if ((0, import_node_crypto3.createHash)("sha256").update(data).digest("hex") !== hash) {
          if (this.writable) {
            try {
              (0, import_node_fs14.rmSync)(this.blobPath(hash), { force: true });
            } catch (e) {
              this.writeFailed(e);
            }
          }
          return null;
        }
        this.present.set(hash, data.length);
        return data;
      }
      async hasBlob(hash, bytes) {
        if (this.present.get(hash) === bytes) return true;
        const there = (0, import_node_fs14.statSync)(this.blobPath(hash), { throwIfNoEntry: false })?.size === bytes;
        if (there) this.present.set(hash, bytes);
        return there;
      }
      async putBlob(hash, data) {
        if (!this.writable || await this.hasBlob(hash, data.length)) return;
        try {
          await atomicWriteAsync(this.blobPath(hash), data);
        } catch (e) {
          this.writeFailed(e);
          throw e;
        }
        this.present.set(hash, data.length);
      }
    };
  }
});

// src/store/runs.ts
function procStartOf(pid) {
  try {
    const stat = (0, import_node_fs15.readFileSync)(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}
function overlapping(a, b) {
  return a.some((x) => b.some((y) => x === y || x.startsWith(under2(y)) || y.startsWith(under2(x))));
}
function describeOtherRun(r, root) {
  const where = r.dirs[0] === root ? "in the same root" : `in ${r.dirs[0]}, which shares directories with this root`;
  return `another processcache run (pid ${r.pid}) ${where} was active while it ran: what it wrote could be in this entry`;
}
function listRuns(dir, dirsOf) {
  const runs = [];
  let unread = false;
  for (const name of (0, import_node_fs15.readdirSync)(dir)) {
    const m = LIVE.exec(name) ?? ENDED.exec(name);
    if (!m) continue;
    const key = `${m[1]}.${m[2]}.${m[3]}`;
    let dirs = dirsOf.get(key);
    if (!dirs) {
      try {
        const parsed = JSON.parse((0, import_node_fs15.readFileSync)((0, import_node_path10.join)(dir, name), "utf8"));
        dirs = Array.isArray(parsed) && parsed.every((d) => typeof d === "string") ? parsed : ["/"];
        dirsOf.set(key, dirs);
      } catch {
        dirs = ["/"];
        unread = true;
      }
    }
    runs.push({ name, key, dirs, pid: Number(m[1]), procStart: m[2], startMs: Number(m[3]), endMs: m[4] === void 0 ? null : Number(m[4]) });
  }
  return { runs, unread };
}
function endKilled(dir, r) {
  r.endMs = Date.now();
  try {
    (0, import_node_fs15.renameSync)((0, import_node_path10.join)(dir, r.name), (0, import_node_path10.join)(dir, `${r.key}.${r.endMs}.end`));
    return true;
  } catch {
    return false;
  }
}
function pruneRuns(store, dirsOf = /* @__PURE__ */ new Map()) {
  const dir = (0, import_node_path10.join)(store, "runs");
  let runs;
  try {
    ({ runs } = listRuns(dir, dirsOf));
  } catch {
    return [];
  }
  const killed = [];
  for (const r of runs) {
    if (r.endMs === null && procStartOf(r.pid) !== r.procStart && endKilled(dir, r)) killed.push(r.pid);
  }
  const firstStart = Math.min(...runs.filter((r) => r.endMs === null).map((r) => r.startMs));
  for (const r of runs) {
    if (r.endMs !== null && r.endMs < firstStart - MARGIN_MS) (0, import_node_fs15.rmSync)((0, import_node_path10.join)(dir, `${r.key}.${r.endMs}.end`), { force: true });
  }
  return killed;
}
var import_node_fs15, import_node_path10, LIVE, ENDED, MARGIN_MS, SETTLE_MS, under2, RunRegistry;
var init_runs = __esm({
  "src/store/runs.ts"() {
    "use strict";
    import_node_fs15 = require("node:fs");
    import_node_path10 = require("node:path");
    init_atomic();
    LIVE = /^(\d+)\.(\d+)\.(\d+)$/;
    ENDED = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.end$/;
    MARGIN_MS = 5;
    SETTLE_MS = 20;
    under2 = (dir) => dir.endsWith("/") ? dir : `${dir}/`;
    RunRegistry = class _RunRegistry {
      constructor(store, dirs) {
        this.store = store;
        this.dirs = dirs;
        this.dir = (0, import_node_path10.join)(store, "runs");
        this.startMs = Date.now();
        const pid = process.pid;
        this.key = `${pid}.${procStartOf(pid) ?? 0}.${this.startMs}`;
      }
      store;
      dirs;
      dir;
      key;
      startMs;
      /** the directory's mtime at the last listing, and whether it was old enough to trust */
      listedNs = -1n;
      settled = false;
      /** the other runs whose directories overlap ours, as last listed */
      others = [];
      /** directories by registration key: a registration's content never changes */
      dirsOf = /* @__PURE__ */ new Map();
      /** pids of runs found killed (their registration left behind): their temporary files are litter */
      killed = [];
      closed = false;
      /** Registers this process as a run that may write dirs; throws when the store cannot be written. */
      static open(store, dirs) {
        const r = new _RunRegistry(store, dirs);
        (0, import_node_fs15.mkdirSync)(r.dir, { recursive: true });
        atomicWrite((0, import_node_path10.join)(r.dir, r.key), JSON.stringify(dirs));
        r.killed.push(...pruneRuns(store, r.dirsOf));
        return r;
      }
      /**
       * Another run writing in our directories that was running at some moment since sinceMs
       * (wall clock), or null. One stat of the runs directory per call; a listing only when it
       * changed, and a look at /proc for each overlapping run still registered.
       */
      otherSince(sinceMs) {
        this.refresh();
        for (const r of this.others) {
          if (r.endMs !== null) {
            if (r.endMs >= sinceMs - MARGIN_MS) return r;
            continue;
          }
          if (procStartOf(r.pid) !== r.procStart && endKilled(this.dir, r)) this.killed.push(r.pid);
          return r;
        }
        return null;
      }
      /** Ends the registration: kept as an ended run for as long as a live one may need it. */
      close() {
        if (this.closed) return;
        this.closed = true;
        try {
          (0, import_node_fs15.renameSync)((0, import_node_path10.join)(this.dir, this.key), (0, import_node_path10.join)(this.dir, `${this.key}.${Date.now()}.end`));
          pruneRuns(this.store, this.dirsOf);
        } catch {
        }
      }
      /** When the registration started (wall clock): no execution of this run started earlier. */
      get since() {
        return this.startMs;
      }
      refresh() {
        const st = (0, import_node_fs15.statSync)(this.dir, { bigint: true });
        if (st.mtimeNs === this.listedNs && this.settled) return;
        this.listedNs = st.mtimeNs;
        this.settled = Date.now() - Number(st.mtimeNs / 1000000n) > SETTLE_MS;
        const { runs, unread } = listRuns(this.dir, this.dirsOf);
        if (unread) this.settled = false;
        this.others = runs.filter((r) => r.key !== this.key && overlapping(r.dirs, this.dirs));
      }
    };
  }
});

// src/store/temps.ts
function pidAlive(pid) {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}
function subdirs(dir) {
  try {
    return (0, import_node_fs16.readdirSync)(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => (0, import_node_path11.join)(dir, d.name));
  } catch {
    return [];
  }
}
function sweepTemps(store, now = Date.now(), alive = pidAlive) {
  const dirs = [store, (0, import_node_path11.join)(store, "runs"), ...subdirs((0, import_node_path11.join)(store, "blobs")), ...subdirs((0, import_node_path11.join)(store, "entries"))];
  const aliveOf = /* @__PURE__ */ new Map();
  let removed = 0;
  for (const dir of dirs) {
    let names;
    try {
      names = (0, import_node_fs16.readdirSync)(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = TEMP_NAME.exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      if (!aliveOf.has(pid)) aliveOf.set(pid, alive(pid));
      const path = (0, import_node_path11.join)(dir, name);
      try {
        if (aliveOf.get(pid) && now - (0, import_node_fs16.statSync)(path).mtimeMs < ABANDONED_MS) continue;
        (0, import_node_fs16.rmSync)(path);
        removed++;
      } catch {
      }
    }
  }
  return removed;
}
var import_node_fs16, import_node_path11, ABANDONED_MS;
var init_temps = __esm({
  "src/store/temps.ts"() {
    "use strict";
    import_node_fs16 = require("node:fs");
    import_node_path11 = require("node:path");
    init_atomic();
    ABANDONED_MS = 60 * 60 * 1e3;
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
  pruneRuns(dir);
  const tempsRemoved = sweepTemps(dir, now);
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
    else (0, import_node_fs17.rmSync)(b.path, { force: true });
  }
  return { entriesBefore: entries.length, entriesRemoved: removed, bytesBefore, bytesAfter, tempsRemoved };
}
var import_node_fs17, GRACE_MS;
var init_gc = __esm({
  "src/store/gc.ts"() {
    "use strict";
    import_node_fs17 = require("node:fs");
    init_local();
    init_runs();
    init_temps();
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
    init_runs();
    init_temps();
  }
});

// src/memo/paths.ts
function isNormalAbsolute(p) {
  return p.startsWith("/") && !p.includes("//") && !/\/\.\.?(\/|$)/.test(p) && (p.length === 1 || !p.endsWith("/"));
}
function isNormalRelative(p) {
  return p !== "" && !p.includes("//") && !p.endsWith("/") && !/(^|\/)\.\.?(\/|$)/.test(p);
}
function isNormalStored(stored) {
  if (stored.includes("\0")) return false;
  return stored === "." || (stored.startsWith("/") ? isNormalAbsolute(stored) : isNormalRelative(stored));
}
var import_node_path13, under3, Roots;
var init_paths = __esm({
  "src/memo/paths.ts"() {
    "use strict";
    import_node_path13 = require("node:path");
    under3 = (dir) => dir.endsWith(import_node_path13.sep) ? dir : dir + import_node_path13.sep;
    Roots = class {
      root;
      allowed;
      rootPrefix;
      allowedPrefixes;
      constructor(root, extra = []) {
        this.root = (0, import_node_path13.resolve)(root);
        this.allowed = [this.root, ...extra.map((d) => (0, import_node_path13.resolve)(d))];
        this.rootPrefix = under3(this.root);
        this.allowedPrefixes = this.allowed.map(under3);
      }
      /** How an absolute (normalized, as the tracer reports) path is stored: relative under the root, absolute elsewhere. */
      store(path) {
        if (path === this.root) return ".";
        return path.startsWith(this.rootPrefix) ? path.slice(this.rootPrefix.length) : path;
      }
      /** The absolute path a stored path names now. */
      load(stored) {
        if ((0, import_node_path13.isAbsolute)(stored)) return stored;
        return isNormalRelative(stored) ? this.rootPrefix + stored : (0, import_node_path13.join)(this.root, stored);
      }
      /** The deepest allowed directory holding the normal absolute path, and the path relative to it
       * ('' for the directory itself); null outside them. The deepest, because a declared directory
       * is trusted by its path, symlinks on the way included, and a restore walks below it. */
      within(path) {
        let best = -1;
        for (let i = 0; i < this.allowed.length; i++) {
          const dir2 = this.allowed[i];
          const inside = path === dir2 || path.startsWith(this.allowedPrefixes[i]);
          if (inside && (best < 0 || dir2.length > this.allowed[best].length)) best = i;
        }
        if (best < 0) return null;
        const dir = this.allowed[best];
        return { dir, rel: path === dir ? "" : path.slice(this.allowedPrefixes[best].length) };
      }
      /** Is the (absolute) path inside one of the allowed directories, once "." and ".." are resolved? */
      allows(path) {
        const p = isNormalAbsolute(path) ? path : (0, import_node_path13.resolve)(path);
        return this.allowed.some((dir, i) => p === dir || p.startsWith(this.allowedPrefixes[i]));
      }
    };
  }
});

// src/memo/safe-fs.ts
function check(r, what, at) {
  if (r >= 0) return r;
  const code = ERRNO_NAMES2.get(-r) ?? `errno ${-r}`;
  throw new SafeFsError(`${what}: ${code}`, code, at);
}
function safeFs() {
  if (bound) return bound;
  const { lib, path } = nativeLibrary();
  try {
    bound = bind(lib);
  } catch (e) {
    throw new NativeError(`${path} lacks the restore's functions (${e.message}); run \`npm run build\``);
  }
  return bound;
}
function bind(lib) {
  const dirOpen = lib.func("int pct_dir_open(const char *path)");
  const dirWalk = lib.func("int pct_dir_walk(int dirfd, const char *rel, int create, _Out_ int *failed_end)");
  const kindAt = lib.func("int pct_kind_at(int dirfd, const char *name)");
  const remove = lib.func("int pct_remove(int dirfd, const char *name)");
  const putFile = lib.func("int pct_put_file(int dirfd, const char *name, const char *tmp, const uint8_t *data, size_t len, int mode)");
  const chmodIfSame = lib.func("int pct_chmod_if_same(int dirfd, const char *name, const uint8_t *data, size_t len, int mode, int lone_only)");
  const putSymlink = lib.func("int pct_put_symlink(int dirfd, const char *name, const char *tmp, const char *target)");
  const putLink = lib.func("int pct_put_link(int from_dir, const char *from_name, int dirfd, const char *name, const char *tmp)");
  const putDir = lib.func("int pct_put_dir(int dirfd, const char *name, int mode)");
  const setTime = lib.func("int pct_set_time(int dirfd, const char *name, double ms)");
  const close = lib.func("int pct_close(int fd)");
  return {
    openDir: (path) => check(dirOpen(path), `opening ${path}`),
    walk(dirFd, rel, create) {
      const end = [0];
      const r = dirWalk(dirFd, rel, create ? 1 : 0, end);
      return check(r, `reaching ${rel}`, r < 0 ? Buffer.from(rel).subarray(0, end[0]).toString() : void 0);
    },
    kindAt: (dirFd, name) => KINDS[check(kindAt(dirFd, name), `looking at ${name}`)] ?? "other",
    remove: (dirFd, name) => check(remove(dirFd, name), `removing ${name}`) === 1,
    putFile: (dirFd, name, tmp, data, mode) => check(putFile(dirFd, name, tmp, data, data.length, mode), `writing ${name}`) === 1,
    chmodIfSame: (dirFd, name, data, mode, loneOnly) => check(chmodIfSame(dirFd, name, data, data.length, mode, loneOnly ? 1 : 0), `setting the mode of ${name}`) === 1,
    putSymlink: (dirFd, name, tmp, target) => check(putSymlink(dirFd, name, tmp, target), `making the symlink ${name}`) === 1,
    putLink: (fromDir, fromName, dirFd, name, tmp) => check(putLink(fromDir, fromName, dirFd, name, tmp), `linking ${name} to ${fromName}`) === 1,
    putDir(dirFd, name, mode) {
      check(putDir(dirFd, name, mode), `making the directory ${name}`);
    },
    setTime(dirFd, name, ms) {
      check(setTime(dirFd, name, ms), `setting the times of ${name}`);
    },
    close(fd) {
      close(fd);
    }
  };
}
var import_node_os5, KINDS, ERRNO_NAMES2, SafeFsError, bound;
var init_safe_fs = __esm({
  "src/memo/safe-fs.ts"() {
    "use strict";
    import_node_os5 = require("node:os");
    init_trace();
    KINDS = ["absent", "dir", "file", "symlink", "other"];
    ERRNO_NAMES2 = new Map(Object.entries(import_node_os5.constants.errno).map(([name, n]) => [n, name]));
    SafeFsError = class extends Error {
      /** code: the errno's name (ELOOP, ENOTEMPTY ...); at: for a walk, the part of the relative
       * path up to the component that failed */
      constructor(message, code, at) {
        super(message);
        this.code = code;
        this.at = at;
      }
      code;
      at;
    };
  }
});

// src/memo/restore.ts
function keepsSetId(trustedSource, euid = process.geteuid?.() ?? 0) {
  return trustedSource && euid !== 0;
}
function tmpName(name) {
  return `.${name}.pc-${process.pid}-${Math.random().toString(36).slice(2)}`;
}
function order(outputs) {
  const depth = (o) => o.path.split("/").length;
  const dirs = outputs.filter((o) => o.type === "dir").sort((a, b) => depth(a) - depth(b));
  const files = outputs.filter((o) => o.type === "file" && !o.linkOf || o.type === "symlink");
  const links = outputs.filter((o) => o.type === "file" && o.linkOf !== void 0);
  const gone = outputs.filter((o) => o.type === "absent").sort((a, b) => depth(b) - depth(a));
  return [...dirs, ...files, ...links, ...gone];
}
async function fetchBlobs(entry, store) {
  const wanted = new Set(blobsOf(entry));
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
function vet(entry, roots, blobs) {
  const symlinks = new Set(entry.outputs.filter((o) => o.type === "symlink").map((o) => roots.load(o.path)));
  const inside = (stored, what) => {
    if (typeof stored !== "string" || !isNormalStored(stored)) throw new RestoreError(`the entry ${what} ${JSON.stringify(stored)}, which is no normal path`);
    const path = roots.load(stored);
    if (!roots.allows(path)) throw new RestoreError(`the entry ${what} ${stored}, outside the allowed directories`);
    for (let up = parentOf2(path); up.length > 1; up = parentOf2(up)) {
      if (symlinks.has(up)) throw new RestoreError(`the entry ${what} ${stored}, beneath ${up}, which it makes a symlink`);
    }
  };
  for (const o of entry.outputs) {
    inside(o.path, "writes");
    const atRoot = roots.within(roots.load(o.path))?.rel === "";
    if (atRoot && o.type !== "dir") throw new RestoreError(`the entry replaces ${o.path}, an allowed directory itself`);
    if ((o.type === "file" || o.type === "dir") && !(Number.isInteger(o.mode) && o.mode >= 0)) throw new RestoreError(`the entry gives ${o.path} the mode ${String(o.mode)}`);
    if (o.type === "file" && !blobs.has(o.blob)) throw new RestoreError(`the blob of ${o.path} was not fetched`);
    if (o.type === "file" && o.linkOf !== void 0) inside(o.linkOf, `links ${o.path} to`);
    if (o.type === "symlink" && (typeof o.target !== "string" || o.target === "" || o.target.includes("\0"))) throw new RestoreError(`the entry makes ${o.path} a symlink to ${JSON.stringify(o.target)}`);
    if (!["file", "dir", "symlink", "absent"].includes(o.type)) throw new RestoreError(`the entry leaves ${o.path} as a ${String(o.type)}`);
  }
}
var import_node_path14, import_node_fs19, RestoreError, SET_ID, parentOf2, Dirs, WalkError, Restorer;
var init_restore = __esm({
  "src/memo/restore.ts"() {
    "use strict";
    import_node_path14 = require("node:path");
    import_node_fs19 = require("node:fs");
    init_store();
    init_paths();
    init_safe_fs();
    RestoreError = class extends Error {
    };
    SET_ID = 3072;
    parentOf2 = (path) => path.slice(0, Math.max(1, path.lastIndexOf("/")));
    Dirs = class {
      constructor(fs, roots) {
        this.fs = fs;
        this.roots = roots;
      }
      fs;
      roots;
      fds = /* @__PURE__ */ new Map();
      /** The directory of the normal absolute path, reached without following a symlink. */
      place(path, create) {
        const base = this.roots.within(path);
        if (!base) throw new RestoreError(`${path} is outside the allowed directories`);
        const rootFd = this.open(base.dir, () => this.openAllowed(base.dir, create));
        if (base.rel === "") return { dirFd: rootFd, name: "." };
        const name = path.slice(path.lastIndexOf("/") + 1);
        const dir = parentOf2(path);
        return { dirFd: dir.length <= base.dir.length ? rootFd : this.reach(dir, base.dir, rootFd, create), name };
      }
      /** An allowed directory, by its configured path; an --allow directory not there yet is made,
       * as the recorded program made it. */
      openAllowed(dir, create) {
        try {
          return this.fs.openDir(dir);
        } catch (e) {
          if (!(e instanceof SafeFsError) || e.code !== "ENOENT") throw e;
          if (!create) throw new WalkError("ENOENT", dir);
        }
        (0, import_node_fs19.mkdirSync)(dir, { recursive: true });
        return this.fs.openDir(dir);
      }
      /** dir's fd, walked from the nearest directory on the way already open */
      reach(dir, rootDir, rootFd, create) {
        const known = this.fds.get(dir);
        if (known !== void 0) return known;
        let from = parentOf2(dir);
        while (from.length > rootDir.length && !this.fds.has(from)) from = parentOf2(from);
        const fromFd = from.length > rootDir.length ? this.fds.get(from) : rootFd;
        const start = from.length > rootDir.length ? from : rootDir;
        const rel = dir.slice(start === "/" ? 1 : start.length + 1);
        try {
          return this.open(dir, () => this.fs.walk(fromFd, rel, create));
        } catch (e) {
          if (!(e instanceof SafeFsError) || e.at === void 0) throw e;
          throw new WalkError(e.code, `${start === "/" ? "" : start}/${e.at}`);
        }
      }
      open(dir, how) {
        let fd = this.fds.get(dir);
        if (fd === void 0) this.fds.set(dir, fd = how());
        return fd;
      }
      /** A directory was removed: an fd on it or below names a deleted one (the roots' stay). */
      forget() {
        for (const [dir, fd] of this.fds) {
          if (this.roots.allowed.includes(dir)) continue;
          this.fs.close(fd);
          this.fds.delete(dir);
        }
      }
      close() {
        for (const fd of this.fds.values()) this.fs.close(fd);
        this.fds.clear();
      }
    };
    WalkError = class extends RestoreError {
      constructor(code, at) {
        super(code === "ELOOP" ? `${at} is a symlink, and a restore never writes through one` : code === "ENOTDIR" ? `${at} is not a directory` : `${at} cannot be reached (${code})`);
        this.code = code;
        this.at = at;
      }
      code;
      at;
    };
    Restorer = class {
      /** keepSetId: keepsSetId() for the store the entries come from */
      constructor(roots, options) {
        this.roots = roots;
        this.setIdMask = options.keepSetId ? 4095 : 4095 & ~SET_ID;
      }
      roots;
      setIdMask;
      /** Applies the outputs of entry; every blob they need must be in blobs, checked. */
      restore(entry, blobs) {
        vet(entry, this.roots, blobs);
        const fs = safeFs();
        const dirs = new Dirs(fs, this.roots);
        try {
          const existed = this.lookAround(entry, dirs, fs);
          const done = { bytes: 0, created: [], removed: [] };
          for (const o of order(entry.outputs)) {
            const path = this.roots.load(o.path);
            try {
              done.bytes += this.apply(o, path, dirs, fs, blobs);
            } catch (e) {
              if (e instanceof SafeFsError && e.code === "ENOTEMPTY") throw new RestoreError(`${path} is a directory that is not empty: restoring would delete what is in it`);
              throw e;
            }
            if (o.type === "absent" && existed.get(o.path)) done.removed.push(path);
            if (o.type !== "absent" && !existed.get(o.path)) done.created.push(path);
          }
          this.keepOrder(entry.outputs, entry.dirOrder ?? [], dirs, fs);
          return done;
        } catch (e) {
          if (e instanceof SafeFsError) throw new RestoreError(e.message);
          throw e;
        } finally {
          dirs.close();
        }
      }
      /**
       * Which outputs exist now. Refuses the entry before it writes anything when a directory on the
       * way to an output is a symlink or a file that the entry does not replace itself: the restore
       * would stop there half-way.
       */
      lookAround(entry, dirs, fs) {
        const own = new Set(entry.outputs.map((o) => this.roots.load(o.path)));
        const existed = /* @__PURE__ */ new Map();
        for (const o of entry.outputs) {
          let kind = "absent";
          try {
            const { dirFd, name } = dirs.place(this.roots.load(o.path), false);
            kind = fs.kindAt(dirFd, name);
          } catch (e) {
            if (!(e instanceof WalkError)) throw e;
            if (e.code !== "ENOENT" && !own.has(e.at)) throw e;
          }
          existed.set(o.path, kind !== "absent");
        }
        return existed;
      }
      /**
       * Why restoring the entry would stop half-way or leave what the run did not, or null: a
       * directory it removes that holds a name it does not remove too (the recording could only
       * remove it empty: `mv d/b d/c` recorded with d/b empty, looked up with d/b full); a file whose
       * setuid or setgid bit this restore may not set (as root, or from a store a remote filled: the
       * run would leave the bit, and a program run next, or `stat`, would see it missing: hunt 42).
       * A miss, decided before anything is written.
       */
      obstacle(entry) {
        const setId = entry.outputs.find((o) => o.type === "file" && (o.mode & SET_ID & ~this.setIdMask) !== 0);
        if (setId) return `${this.roots.load(setId.path)} has a setuid or setgid bit, which a restore does not set as root or from a store a remote filled`;
        const removes = new Set(entry.outputs.filter((o) => o.type === "absent").map((o) => this.roots.load(String(o.path))));
        for (const dir of removes) {
          let names;
          try {
            if (!(0, import_node_fs19.lstatSync)(dir).isDirectory()) continue;
            names = (0, import_node_fs19.readdirSync)(dir);
          } catch {
            continue;
          }
          const kept = names.find((n) => !removes.has(`${dir}/${n}`));
          if (kept !== void 0) return `${dir} holds ${kept}, which a restore would have to remove with the directory`;
        }
        return this.unwritable(entry);
      }
      /**
       * A directory where a restore would make, replace or remove a name, and that processcache's
       * user may not write: found before anything is written, since a restore that fails half-way
       * leaves the other outputs restored and the program then runs on top of them (hunt 62: a
       * `sudo sh -c 'echo x >> log; rm d/f'` replayed as a user appended twice).
       */
      unwritable(entry) {
        if (process.geteuid?.() === 0) return null;
        const checked = /* @__PURE__ */ new Set();
        for (const o of entry.outputs) {
          const dir = (0, import_node_path14.dirname)(this.roots.load(String(o.path)));
          if (checked.has(dir)) continue;
          checked.add(dir);
          try {
            (0, import_node_fs19.accessSync)(dir, import_node_fs19.constants.W_OK | import_node_fs19.constants.X_OK);
          } catch (e) {
            const code = e.code;
            if (code === "EACCES" || code === "EPERM" || code === "EROFS") return `${dir} cannot be written by processcache's user (${code}): a restore there would stop half-way`;
          }
        }
        return null;
      }
      /**
       * The files' mtimes in the order the recording saw them, a millisecond apart and the newest now:
       * written in one instant, a linked program could look older than its objects to the next make.
       * The directories they are in go in the same order, last (the restore's own changes moved them):
       * a directory the subtree changed after writing a file must stay newer than the file.
       */
      keepOrder(outputs, dirOrder, dirs, fs) {
        const ordered = outputs.filter((o) => o.type === "file" && o.order !== void 0 && !o.linkOf);
        if (!ordered.length && !dirOrder.length) return;
        const newest = Math.max(...ordered.map((o) => o.order), ...dirOrder.map((d) => d.order));
        const now = Date.now();
        for (const o of ordered) {
          const { dirFd, name } = dirs.place(this.roots.load(o.path), false);
          fs.setTime(dirFd, name, now - (newest - o.order));
        }
        for (const d of dirOrder) {
          try {
            const { dirFd, name } = dirs.place(this.roots.load(d.path), false);
            if (fs.kindAt(dirFd, name) === "dir") fs.setTime(dirFd, name, now - (newest - d.order));
          } catch {
          }
        }
      }
      apply(o, path, dirs, fs, blobs) {
        let place;
        try {
          place = dirs.place(path, o.type !== "absent");
        } catch (e) {
          if (o.type === "absent" && e instanceof WalkError && e.code === "ENOENT") return 0;
          throw e;
        }
        const { dirFd, name } = place;
        switch (o.type) {
          case "file": {
            if (o.linkOf !== void 0) return this.link(o.linkOf, path, place, dirs, fs);
            const data = blobs.get(o.blob);
            const mode = o.mode & this.setIdMask;
            if (fs.chmodIfSame(dirFd, name, data, mode, o.newFile === true)) return 0;
            if (fs.putFile(dirFd, name, tmpName(name), data, mode)) dirs.forget();
            return data.length;
          }
          case "symlink":
            if (fs.putSymlink(dirFd, name, tmpName(name), o.target)) dirs.forget();
            return 0;
          case "dir":
            fs.putDir(dirFd, name, o.mode & (this.setIdMask | 1024));
            return 0;
          case "absent":
            if (fs.remove(dirFd, name)) dirs.forget();
            return 0;
        }
      }
      /** A hard link to the name linkOf (stored form), which the lookup or this restore vouched for. */
      link(linkOf, path, at, dirs, fs) {
        const source = this.roots.load(linkOf);
        const from = dirs.place(source, false);
        try {
          if (fs.putLink(from.dirFd, from.name, at.dirFd, at.name, tmpName(at.name))) dirs.forget();
        } catch (e) {
          if (!(e instanceof SafeFsError) || !["EINVAL", "ENOENT"].includes(e.code)) throw e;
          throw new RestoreError(`${source}, which ${path} is a hard link to, is not a file`);
        }
        return 0;
      }
    };
  }
});

// src/memo/recent-blobs.ts
var RecentBlobs;
var init_recent_blobs = __esm({
  "src/memo/recent-blobs.ts"() {
    "use strict";
    RecentBlobs = class {
      constructor(store, budget = 64 * 1024 * 1024) {
        this.store = store;
        this.budget = budget;
      }
      store;
      budget;
      kept = /* @__PURE__ */ new Map();
      bytes = 0;
      async getBlob(hash) {
        const known = this.kept.get(hash);
        if (known) {
          this.kept.delete(hash);
          this.kept.set(hash, known);
          return known;
        }
        const data = await this.store.getBlob(hash);
        if (data && data.length <= this.budget / 4) this.keep(hash, data);
        return data;
      }
      keep(hash, data) {
        this.kept.set(hash, data);
        this.bytes += data.length;
        for (const [old, buf] of this.kept) {
          if (this.bytes <= this.budget) break;
          this.kept.delete(old);
          this.bytes -= buf.length;
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

// src/memo/attributes.ts
function holdsOverride(mask2) {
  if (mask2 === void 0 || !/^[0-9a-f]{1,16}$/i.test(mask2)) return false;
  const bits = BigInt(`0x${mask2}`);
  return OVERRIDES.every((bit) => (bits >> bit & 1n) === 1n);
}
function sameCredentials(p) {
  const fsuid = (p.uid ?? "").split(" ")[3], fsgid = (p.gid ?? "").split(" ")[3];
  if (fsuid !== String(process.geteuid?.() ?? -1) || fsgid !== String(process.getegid?.() ?? -1)) return false;
  const mine = new Set((process.getgroups?.() ?? []).map(String));
  const theirs = (p.groups ?? "").split(" ").filter(Boolean);
  return theirs.every((g) => mine.has(g));
}
function keepsPermissionOverride(p, exe) {
  const uids = (p.uid ?? "").split(" ");
  if (uids.length !== 4 || uids.some((u) => u !== "0") || !holdsOverride(p.capeff) || !holdsOverride(p.capbnd)) return false;
  if (p.ns === void 0 || p.ns === "?" || /(?:^| )user:/.test(p.ns)) return false;
  try {
    const st = (0, import_node_fs20.statSync)(exe);
    return (st.mode & S_ISUID) === 0 || st.uid === 0;
  } catch {
    return false;
  }
}
function jobserverOf(env) {
  const flags = env.filter((e) => JOBSERVER_VARS.some((v) => e.startsWith(v))).join(" ");
  const fds = /* @__PURE__ */ new Set();
  for (const m of flags.matchAll(/--jobserver-(?:auth|fds)=(\d+),(\d+)/g)) {
    fds.add(Number(m[1]));
    fds.add(Number(m[2]));
  }
  return { fds, fifo: /--jobserver-auth=fifo:(\S+)/.exec(flags)?.[1] ?? null };
}
function sizeAt(path) {
  try {
    return (0, import_node_fs20.statSync)(path).size;
  } catch {
    return null;
  }
}
function identityAt(path) {
  try {
    const st = (0, import_node_fs20.statSync)(path, { bigint: true });
    return ((st.dev << 40n ^ st.ino ^ 1n) & 0xffffffffffffffffn).toString(16);
  } catch {
    return null;
  }
}
function ownStreams() {
  return [identityAt("/proc/self/fd/1") ?? "", identityAt("/proc/self/fd/2") ?? ""];
}
function useOf(f, jobserver, streams) {
  if (f.kind === "pipe" && (jobserver.fds.has(f.fd) || f.path === jobserver.fifo)) return { key: null };
  const stream = f.identity && f.fd !== 0 ? streams.indexOf(f.identity) : -1;
  if (stream >= 0) return { key: `${f.fd} stream ${stream + 1} ${f.mode}` };
  if (f.kind === "null") return { key: `${f.fd} null ${f.mode}` };
  const inherits = `it inherits fd ${f.fd}`;
  if (f.kind !== "file") return { refused: `${inherits} (${f.path}), ${UNSEEN[f.kind] ?? "an open file the tracer cannot follow"}` };
  if (f.path.endsWith(" (deleted)")) return { refused: `${inherits}, open on a deleted file (${f.path}): what it reads there cannot be looked at again` };
  if (f.mode === "rw") return { refused: `${inherits}, open for reading and writing on ${f.path}: what it does there is not captured` };
  if (!f.path.startsWith("/") || identityAt(f.path) !== f.identity) return { refused: `${inherits}, open on a file no longer at ${f.path}` };
  if (f.mode === "w") {
    const size = sizeAt(f.path);
    if (size === null) return { refused: `${inherits}, open for writing on ${f.path}, which cannot be looked at` };
    return { key: `${f.fd} file w ${f.path}`, write: { path: f.path, pos: f.pos, size } };
  }
  return { key: `${f.fd} file r ${f.pos} ${f.path}`, read: f.path };
}
function viewOf(p, env, execStreams, stdinKind, exe) {
  const streams = [execStreams[0] === "0" ? "" : execStreams[0], execStreams[1] === "0" ? "" : execStreams[1]];
  const view = {
    refused: null,
    key: null,
    reads: [],
    writes: [],
    observed: { stdinKind },
    streamStarts: p.streamStarts ?? [],
    privileged: keepsPermissionOverride(p, exe),
    ownUser: sameCredentials(p)
  };
  for (const name of OBSERVED) {
    const value = p[name];
    if (typeof value === "string") view.observed[name] = value;
  }
  STREAM_START_KEYS.forEach((name, i) => {
    view.observed[name] = String(view.streamStarts.find((s) => s.fd === i + 1)?.pos ?? "not a file");
  });
  const key = {};
  for (const [name, what] of Object.entries(KEYED2)) {
    const value = p[name];
    if (value === void 0) {
      view.refused ??= `its ${what} could not be read at its exec`;
      continue;
    }
    key[name] = value;
  }
  for (const name of KEYED_IF_SHOWN) key[name] = p[name] ?? "-";
  key.selfKept = SELF_KEPT.map((field) => field.exec(p.selfstate ?? "")?.[1] ?? "-");
  if (p.fdsUnknown) view.refused ??= "the fds it inherits could not be listed at its exec";
  const jobserver = jobserverOf(env);
  const fds = [];
  for (const f of p.fds) {
    const use = useOf(f, jobserver, streams);
    if ("refused" in use) {
      view.refused ??= use.refused;
      continue;
    }
    if (use.key) fds.push(use.key);
    if (use.read) view.reads.push({ fd: f.fd, path: use.read, pos: f.pos });
    if (use.write) view.writes.push({ fd: f.fd, ...use.write });
  }
  key.fds = fds;
  key.oneStream = streams[0] !== "" && streams[0] === streams[1];
  view.key = key;
  return view;
}
function recordedAttributes(names, view) {
  const out = [];
  for (const name of [...new Set(names)].sort()) {
    const value = view?.observed[name];
    if (value === void 0) return `it reads its ${name}, which could not be read at its exec`;
    out.push({ name, value });
  }
  return out.length ? out : void 0;
}
function endOffsets(view, ends) {
  const out = [];
  for (const { fd, pos } of view?.reads ?? []) {
    const end = ends?.find((e) => e.fd === fd);
    if (!end) return `where it left the offset of fd ${fd}, which it inherited, is unknown`;
    if (end.others && end.pos !== pos) return `the offset of fd ${fd}, which it inherited, moved while another process that shares the open file read too: which of them moved it is not known`;
    out.push({ fd, pos: end.pos });
  }
  for (const w of view?.writes ?? []) {
    const end = ends?.find((e) => e.fd === w.fd);
    if (!end || end.pos !== w.pos || end.size !== w.size) {
      return `it inherits fd ${w.fd}, open for writing on ${w.path}, and ${end ? "wrote there (or something did while it ran)" : "whether it wrote there is unknown"}: a replay would not`;
    }
  }
  return out.length ? out : void 0;
}
function seeksOf(entry) {
  const offsets = entry.offsets;
  if (offsets === void 0) return [];
  const valid = (o) => {
    const { fd, pos } = o ?? {};
    const seekable = fd === 0 || Number.isInteger(fd) && fd >= 3;
    return seekable && Number.isSafeInteger(pos) && pos >= 0;
  };
  if (!Array.isArray(offsets) || offsets.length > MAX_SEEKS || !offsets.every(valid)) return "its recorded offsets are malformed";
  return offsets;
}
function observedNames(entry) {
  return Array.isArray(entry.attributes) ? entry.attributes.flatMap((a) => typeof a?.name === "string" && OBSERVED.has(a.name) ? [a.name] : []) : [];
}
function attributeDifference(entry, view) {
  const attrs = entry.attributes;
  if (attrs === void 0) return null;
  if (!Array.isArray(attrs)) return "its recorded attributes are malformed";
  for (const a of attrs) {
    const { name, value } = a ?? {};
    if (typeof name !== "string" || typeof value !== "string") return "its recorded attributes are malformed";
    const now = view.observed[name];
    if (now !== value) return `${OBSERVED_TITLES[name] ?? name}: ${value} -> ${now ?? "unknown"}`;
  }
  return null;
}
function unjudgedAttributes(entry) {
  if (!Array.isArray(entry.attributes)) return entry.attributes === void 0 ? [] : ["its recorded attributes are malformed"];
  return entry.attributes.map((a) => `${String(a?.name)}: it ran with ${String(a?.value)}; explain runs nothing and cannot tell what the process would have`);
}
function statusField(status, name) {
  const m = new RegExp(`^${name}:(.*)$`, "m").exec(status);
  return m ? m[1].trim().split(/\s+/).filter(Boolean).join(" ") : void 0;
}
function ownWinsize() {
  const size = (stream) => {
    if (!stream.isTTY) return null;
    const [cols, rows] = stream.getWindowSize();
    return `${rows}x${cols}`;
  };
  const out = size(process.stdout), err = size(process.stderr);
  const input = process.stdin.isTTY ? out ?? err ?? "?" : "-";
  return [input, out ?? "-", err ?? "-"].join(" ");
}
function commandAttrs() {
  const attrs = { fds: [], fdsUnknown: false, ns: "", sigign: "0".repeat(16), sigblk: "0".repeat(16), sigpnd: "0".repeat(16), shdpnd: "0".repeat(16) };
  try {
    const status = (0, import_node_fs20.readFileSync)("/proc/self/status", "utf8");
    attrs.uid = statusField(status, "Uid");
    attrs.gid = statusField(status, "Gid");
    attrs.groups = statusField(status, "Groups");
    attrs.affinity = statusField(status, "Cpus_allowed_list");
    for (const [key, field] of [["capinh", "CapInh"], ["capprm", "CapPrm"], ["capeff", "CapEff"], ["capbnd", "CapBnd"], ["capamb", "CapAmb"], ["thp", "THP_enabled"]]) {
      attrs[key] = statusField(status, field);
    }
    attrs.nnp = process.getuid?.() === 0 ? statusField(status, "NoNewPrivs") : "1";
    const stat = procStatFields(process.pid);
    if (stat) {
      attrs.ctty = stat[4] === "0" ? "no" : "yes";
      attrs.sched = ownSched(stat);
    }
    attrs.winsize = ownWinsize();
    attrs.selfstate = ownSelfState();
    const limits = (0, import_node_fs20.readFileSync)("/proc/self/limits", "utf8").split("\n").slice(1).filter((l) => l.trim());
    attrs.rlimits = limits.map((l) => l.slice(26).trim().split(/\s+/).slice(0, 2).map((v) => v === "unlimited" ? "inf" : v).join(":")).join(",");
  } catch {
  }
  return attrs;
}
function ownSched(fields) {
  const nice = fields[16] ?? "?", rtprio = fields[37] ?? "?", policy = fields[38] ?? "?";
  return `${nice} ${policy} ${rtprio} ${IOPRIO_UNSET} 0 0 0 0 0`;
}
function ownSelfState() {
  return SELF_STATE_FILES.map((name) => {
    let value = "";
    try {
      value = (0, import_node_fs20.readFileSync)(`/proc/self/${name}`, "utf8").replace(/[\n\0]+$/, "").replace(/[ \n]/g, "_");
    } catch {
    }
    return `${name}=${value === "" ? "-" : value}`;
  }).join(" ");
}
function readBack(path, identity, check2) {
  if (identityAt(path) !== identity) return false;
  let fd;
  try {
    fd = (0, import_node_fs20.openSync)(path, import_node_fs20.constants.O_RDONLY | import_node_fs20.constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    return check2(fd);
  } catch {
    return false;
  } finally {
    (0, import_node_fs20.closeSync)(fd);
  }
}
function holds2(path, identity, pieces) {
  return readBack(path, identity, (fd) => {
    for (const { pos, data: chunk } of pieces) {
      let at = pos;
      for (let off = 0; off < chunk.length; ) {
        const piece = scratchBuffer().subarray(0, Math.min(chunk.length - off, 1 << 20));
        const n = (0, import_node_fs20.readSync)(fd, piece, 0, piece.length, at);
        if (n <= 0 || !piece.subarray(0, n).equals(chunk.subarray(off, off + n))) return false;
        off += n;
        at += n;
      }
    }
    return true;
  });
}
function holdsInOrder(path, identity, start, end, pieces) {
  if (end - start > SEARCH_CAP || end <= start) return null;
  const found = new Array(pieces.length);
  const ok = readBack(path, identity, (fd) => {
    const range = Buffer.alloc(end - start);
    let got = 0;
    for (let n; got < range.length && (n = (0, import_node_fs20.readSync)(fd, range, got, range.length - got, start + got)) > 0; ) got += n;
    const held = range.subarray(0, got);
    const claimed = [];
    for (const i of byPosition(pieces)) {
      const { data, pos, until = end, older } = pieces[i];
      let at = held.indexOf(data, Math.max(0, pos - start));
      for (let k = -1; at >= 0; ) {
        if ((k = overlapping2(claimed, at, at + data.length)) >= 0) at = held.indexOf(data, claimed[k][1]);
        else if (older && start + at < older[1] && start + at + data.length > older[0]) at = held.indexOf(data, older[1] - start);
        else break;
      }
      if (at < 0 || start + at + data.length > until) return false;
      found[i] = start + at;
      claimed.splice(insertionPoint(claimed, at), 0, [at, at + data.length]);
    }
    return true;
  });
  return ok ? found : null;
}
function overlapping2(claimed, from, to) {
  const k = insertionPoint(claimed, from);
  if (k > 0 && claimed[k - 1][1] > from) return k - 1;
  if (k < claimed.length && claimed[k][0] < to) return k;
  return -1;
}
function insertionPoint(claimed, from) {
  let lo = 0, hi = claimed.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (claimed[mid][0] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
function byPosition(pieces) {
  return pieces.map((_, i) => i).sort((a, b) => pieces[a].pos - pieces[b].pos || a - b);
}
function holdsApart(path, identity, pieces) {
  let end = -1;
  for (const i of byPosition(pieces)) {
    if (pieces[i].pos < end) return null;
    end = pieces[i].pos + pieces[i].data.length;
  }
  return holds2(path, identity, pieces) ? pieces.map((p) => p.pos) : null;
}
function streamShortfall(view, ends, stream, streams, later, placedAt, meanwhile = () => []) {
  const oneFile = streams[0] !== "" && streams[0] === streams[1];
  for (const start of view?.streamStarts ?? []) {
    const chunks = stream.filter((c) => c.fd === start.fd || oneFile);
    const mine = chunks.map((c) => c.data);
    const written = mine.reduce((n, b) => n + b.length, 0);
    const what = `its output into fd ${start.fd} (a file)`;
    if (written === 0) {
      const end2 = ends?.find((e) => e.fd === start.fd);
      if (end2 && !start.append && end2.pos < start.pos) return `${what}: it moved the offset back (lseek through a copy of it), which a replay would not`;
      continue;
    }
    const identity = streams[start.fd - 1];
    if (later.some((s) => s[start.fd - 1] !== identity)) return `${what}: a program it exec'd had another file there, and where its own output ended is not known`;
    const end = ends?.find((e) => e.fd === start.fd);
    if (!end) return `where ${what} ended is unknown`;
    const moved = end.pos - start.pos;
    const others = meanwhile(identity);
    if (others.length) {
      const before = start.size !== void 0 && start.size > start.pos ? [start.pos, start.size] : void 0;
      const own = chunks.map((c) => ({ pos: c.pos ?? start.pos, data: c.data, until: end.pos, ...before ? { older: before } : {} }));
      const older = [end.pos, Math.max(end.pos, start.size ?? Number.MAX_SAFE_INTEGER)];
      const theirs = others.map((o) => ({ pos: o.pos ?? start.pos, data: o.data, older }));
      const all = [...own, ...theirs];
      const from = all.reduce((n, p) => Math.min(n, p.pos), start.pos);
      const to = all.reduce((n, p) => Math.max(n, p.pos + p.data.length), end.pos) + theirs.reduce((n, t) => n + t.data.length, 0);
      const found2 = holdsInOrder(start.path, identity, from, to, all);
      if (!found2) return `${what}: another process wrote into that file while it ran, and the file does not hold each write of both in a place of its own (a write failed, or was overwritten)`;
      chunks.forEach((c, i) => placedAt?.set(c, found2[i]));
      continue;
    }
    let at = start.pos;
    const inOrder = mine.map((data) => ({ pos: (at += data.length) - data.length, data }));
    if (moved === written && holds2(start.path, identity, inOrder)) continue;
    if (moved !== written) return `${what} does not add up: the offset moved ${moved} bytes, ${written} were seen written, and no other traced process wrote there meanwhile`;
    const placed = chunks.map((c) => ({ pos: c.pos ?? start.pos, data: c.data }));
    const positioned = chunks.every((c) => c.pos !== void 0);
    const found = (positioned ? holdsApart(start.path, identity, placed) : null) ?? holdsInOrder(start.path, identity, start.pos, end.pos, placed);
    if (found) {
      chunks.forEach((c, i) => placedAt?.set(c, found[i]));
      continue;
    }
    if (moved === written) return `${what}: the file does not hold what it wrote there (a write failed while another process wrote there, or it was changed since)`;
    return `${what} does not add up: the offset moved ${moved} bytes, ${written} were seen written, and the file does not hold each write where it went (a write failed or was short, or another process wrote over it)`;
  }
  return null;
}
var import_node_fs20, KEYED2, SELF_KEPT, KEYED_IF_SHOWN, OBSERVED, OBSERVED_TITLES, OVERRIDES, S_ISUID, JOBSERVER_VARS, UNSEEN, MAX_SEEKS, IOPRIO_UNSET, SEARCH_CAP;
var init_attributes = __esm({
  "src/memo/attributes.ts"() {
    "use strict";
    import_node_fs20 = require("node:fs");
    init_fingerprint();
    init_trace();
    init_own_proc();
    KEYED2 = {
      uid: "user ids",
      gid: "group ids",
      groups: "supplementary groups",
      sigign: "ignored signals",
      sigblk: "blocked signals",
      ctty: "controlling terminal",
      rlimits: "resource limits",
      ns: "namespaces"
    };
    SELF_KEPT = ["personality", "timerslack_ns"].map((name) => new RegExp(`(?:^| )${name}=(\\S*)`));
    KEYED_IF_SHOWN = ["capinh", "capprm", "capeff", "capbnd", "capamb", "nnp", "thp", "sched", "sigpnd", "shdpnd"];
    OBSERVED = /* @__PURE__ */ new Set(["affinity", "uname", "winsize", "selfstate", "stdinKind", ...STREAM_START_KEYS]);
    OBSERVED_TITLES = {
      stdoutStart: "where its output starts in its stdout file (a program there looked: fstat or lseek)",
      stderrStart: "where its output starts in its stderr file (a program there looked: fstat or lseek)",
      winsize: "its terminal's size (a program there asked: TIOCGWINSZ)",
      selfstate: "its settings read in its own /proc entry (oom_score_adj, coredump_filter, personality...)",
      stdinKind: "what its stdin was (a program there read it)"
    };
    OVERRIDES = [1n, 3n];
    S_ISUID = 2048;
    JOBSERVER_VARS = ["MAKEFLAGS=", "MFLAGS=", "CARGO_MAKEFLAGS="];
    UNSEEN = {
      pipe: "a pipe: what passes through it is not captured",
      socket: "a socket: what passes through it is not captured",
      dir: "a directory: what it does there through the fd is not modelled",
      tty: "a terminal: what passes through it is not captured",
      char: "a device: what passes through it is not captured"
    };
    MAX_SEEKS = 64;
    IOPRIO_UNSET = 0;
    SEARCH_CAP = 64 << 20;
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

// src/memo/pipe-stdin.ts
function* openEnds(id, pids) {
  const low = /^[0-9a-f]{1,16}$/.test(id) ? (BigInt(`0x${id}`) ^ 1n) & LOW_40 : null;
  for (const pid of pids) {
    let fds;
    try {
      fds = (0, import_node_fs21.readdirSync)(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      const path = `/proc/${pid}/fd/${fd}`;
      let target;
      try {
        target = (0, import_node_fs21.readlinkSync)(path);
      } catch {
        continue;
      }
      if (low !== null && target.startsWith("pipe:[") && (BigInt(target.slice(6, -1)) & LOW_40) !== low) continue;
      if (identityAt(path) === id) yield { pid, fd, flags: fdFlags(pid, fd) };
    }
  }
}
function otherHolder(id, pid, pids) {
  let writer = null;
  for (const { pid: other, fd, flags } of openEnds(id, pids)) {
    if (flags === null) return { why: `process ${other} holds it (fd ${fd}) in a way that cannot be read` };
    if ((flags & 3) !== import_node_fs21.constants.O_RDONLY) {
      if ((flags & import_node_fs21.constants.O_DIRECT) !== 0) return { why: `process ${other} writes into it in packet mode (O_DIRECT, fd ${fd})` };
      const why = `process ${other} can still write into it (fd ${fd})`;
      if (other === pid) return { why };
      writer ??= { why, writers: [] };
      if (!writer.writers.includes(other)) writer.writers.push(other);
      continue;
    }
    if (other !== pid) return { why: `process ${other} reads it too (fd ${fd})`, reader: other };
  }
  return writer;
}
function pipeHolders(id, pids) {
  const out = [];
  for (const { pid, flags } of openEnds(id, pids)) {
    if (flags === null) return null;
    out.push({ pid, writes: (flags & 3) !== import_node_fs21.constants.O_RDONLY });
  }
  return out;
}
function pipeCapacity() {
  try {
    pipeMaxSize ??= Number((0, import_node_fs21.readFileSync)("/proc/sys/fs/pipe-max-size", "utf8")) || 1 << 20;
  } catch {
    pipeMaxSize = 1 << 20;
  }
  return pipeMaxSize;
}
function drain(path, writerHeld = false) {
  const fd = (0, import_node_fs21.openSync)(path, import_node_fs21.constants.O_RDONLY | import_node_fs21.constants.O_NONBLOCK);
  const taken = { parts: [], packets: false };
  try {
    for (let total = 0; ; ) {
      if (total > pipeCapacity()) {
        putBack(path, taken);
        return null;
      }
      const buf = Buffer.alloc(READ_SIZE);
      let n;
      try {
        n = (0, import_node_fs21.readSync)(fd, buf, 0, buf.length, null);
      } catch (e) {
        if (e.code !== "EAGAIN") throw e;
        if (writerHeld) return taken;
        putBack(path, taken);
        return null;
      }
      if (n === 0) return taken;
      if (taken.parts.length && taken.parts[taken.parts.length - 1].length < READ_SIZE) taken.packets = true;
      taken.parts.push(buf.subarray(0, n));
      total += n;
    }
  } finally {
    (0, import_node_fs21.closeSync)(fd);
  }
}
function putBack(path, taken) {
  if (!taken.parts.length) return;
  const fd = (0, import_node_fs21.openSync)(path, import_node_fs21.constants.O_WRONLY | import_node_fs21.constants.O_NONBLOCK);
  try {
    const all = Buffer.concat(taken.parts);
    for (let off = 0; off < all.length; ) off += (0, import_node_fs21.writeSync)(fd, all, off);
  } finally {
    (0, import_node_fs21.closeSync)(fd);
  }
}
function capturePipeStdin(pid, stdinId, pids, pending) {
  const path = `/proc/${pid}/fd/0`;
  try {
    if (!(0, import_node_fs21.readlinkSync)(path).startsWith("pipe:[")) return "its stdin is a named pipe, which any process may open and write";
    if (identityAt(path) !== stdinId) return "its stdin changed after its exec began";
    const flags = fdFlags(pid, 0);
    if (flags === null || (flags & import_node_fs21.constants.O_DIRECT) !== 0) return "its stdin is a pipe in packet mode (O_DIRECT)";
    const holder = otherHolder(stdinId, pid, pids);
    if (pending && holder?.writers?.length === 1 && holder.writers[0] === pending.writer) {
      const taken2 = drain(path, true);
      if (taken2 === null) return "its stdin is a pipe that something still writes into";
      putBack(path, taken2);
      if (taken2.packets) return "its stdin is a pipe written in packet mode (O_DIRECT): its packets are not known";
      const hash = taken2.parts.length ? sha256(Buffer.concat([...taken2.parts, pending.bytes])) : pending.sha256;
      return { id: stdinId, sha256: hash, pending: true };
    }
    if (holder?.reader !== void 0) return { shared: `its stdin is a pipe that ${holder.why}`, reader: holder.reader };
    if (holder?.writers) return { unfinished: `its stdin is a pipe that ${holder.why}`, writers: holder.writers };
    if (holder) return `its stdin is a pipe that ${holder.why}`;
    const taken = drain(path);
    if (taken === null) return { unfinished: "its stdin is a pipe that something still writes into", writers: [] };
    putBack(path, taken);
    if (taken.packets) return "its stdin is a pipe written in packet mode (O_DIRECT): its packets are not known";
    return { id: stdinId, sha256: sha256(Buffer.concat(taken.parts)) };
  } catch (e) {
    return `its stdin (a pipe) could not be read ahead (${e.code ?? e.message})`;
  }
}
var import_node_fs21, LOW_40, READ_SIZE, pipeMaxSize;
var init_pipe_stdin = __esm({
  "src/memo/pipe-stdin.ts"() {
    "use strict";
    import_node_fs21 = require("node:fs");
    init_fingerprint();
    init_trace();
    init_attributes();
    LOW_40 = (1n << 40n) - 1n;
    READ_SIZE = 65536;
  }
});

// src/memo/pipe-replay.ts
function parentOf3(pid) {
  const ppid = procStatFields(pid)?.[1];
  return ppid === void 0 ? null : Number(ppid);
}
function ancestorsOf2(pid, traced) {
  const out = /* @__PURE__ */ new Set();
  for (let p = parentOf3(pid); p !== null && p > 1 && traced.has(p) && !out.has(p); p = parentOf3(p)) out.add(p);
  return out;
}
function notWaitingForInput(pid) {
  const state = procStatFields(pid)?.[0];
  if (state === void 0 || state === "Z" || state === "X") return false;
  if (state !== "S" && state !== "D") return true;
  let call;
  try {
    call = (0, import_node_fs22.readFileSync)(`/proc/${pid}/syscall`, "utf8");
  } catch {
    return false;
  }
  const nr = Number(call.split(" ", 1)[0]);
  return !Number.isInteger(nr) || !(INPUT_WAITS[process.arch]?.has(nr) ?? true);
}
function isShell(pid) {
  try {
    return SHELLS.has((0, import_node_path15.basename)((0, import_node_fs22.readlinkSync)(`/proc/${pid}/exe`)));
  } catch {
    return false;
  }
}
function readerGone(id, traced) {
  const holders = pipeHolders(id, traced);
  return holders !== null && !holders.some((h) => !h.writes);
}
var import_node_fs22, import_node_path15, SHELLS, INPUT_WAITS, ReplayPipes;
var init_pipe_replay = __esm({
  "src/memo/pipe-replay.ts"() {
    "use strict";
    import_node_fs22 = require("node:fs");
    import_node_path15 = require("node:path");
    init_trace();
    init_pipe_stdin();
    SHELLS = /* @__PURE__ */ new Set(["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"]);
    INPUT_WAITS = {
      x64: /* @__PURE__ */ new Set([0, 19, 17, 295, 327, 23, 270, 7, 271, 232, 281, 441, 45, 47]),
      arm64: /* @__PURE__ */ new Set([63, 65, 67, 69, 286, 72, 73, 22, 441, 207, 212])
    };
    ReplayPipes = class {
      constructor(q, traced, vforked) {
        this.q = q;
        this.traced = traced;
        this.vforked = vforked;
      }
      q;
      traced;
      vforked;
      ancestors;
      ancestor(pid) {
        this.ancestors ??= ancestorsOf2(this.q.pid, this.traced);
        return this.ancestors.has(pid);
      }
      /** An ancestor that may wait for the exec before it reads: anything but a shell. */
      waitsForExec(pid) {
        return this.ancestor(pid) && !isShell(pid);
      }
      /**
       * May a replay write into q's pipes more than they hold and wait for a reader? Not when q was
       * made by vfork (its parent is suspended until the exec), nor when an ancestor that is not a
       * shell reads one of them (Python's subprocess reads its exec-error pipe first, then stdout).
       */
      mayBlock() {
        if (this.vforked) return false;
        for (const fd of [1, 2]) {
          if (this.q.stdio[fd] !== "pipe") continue;
          const holders = pipeHolders(this.q.streams[fd - 1], this.traced);
          if (holders === null || holders.some((h) => !h.writes && h.pid !== this.q.pid && this.waitsForExec(h.pid))) return false;
        }
        return true;
      }
      /**
       * The pipe on fd 1 when q's replay may wait there for its reader's exec: a pipe made inside the
       * command (madeInside), one reader, which has not exec'd yet (a shell's fork on its way to the
       * next stage: hasExeced says no), and besides only shells among q's ancestors, which close
       * their copies. Or no reader yet, and one shell ancestor holding the read end: the stage after
       * q is not forked yet (q exec'd first), or the shell reads the pipe itself (a command
       * substitution). That shell is watched (watch): its read or its wait for a child lets the
       * output go, its fork stops the watch (the reader may be on its way). Null otherwise: a reader
       * that runs a program already reads now.
       */
      deferrablePipe(madeInside, hasExeced) {
        if (this.vforked || this.q.stdio[1] !== "pipe") return null;
        const id = this.q.streams[0];
        if (!id || !madeInside(id)) return null;
        const holders = pipeHolders(id, this.traced);
        if (holders === null) return null;
        const readers = [];
        const shellReaders = /* @__PURE__ */ new Set();
        let readEnd = false;
        for (const h of holders) {
          if (h.pid === this.q.pid) continue;
          readEnd ||= !h.writes;
          if (this.ancestor(h.pid)) {
            if (!isShell(h.pid)) return null;
            if (!h.writes) shellReaders.add(h.pid);
            continue;
          }
          if (h.writes) return null;
          if (!readers.includes(h.pid)) readers.push(h.pid);
        }
        if (!readEnd) return null;
        if (!readers.length) return shellReaders.size === 1 ? { pipe: id, watch: [...shellReaders][0] } : null;
        if (readers.length !== 1) return null;
        const reader = readers[0];
        return !hasExeced(reader) && isShell(reader) && notWaitingForInput(reader) ? { pipe: id } : null;
      }
    };
  }
});

// src/memo/context.ts
function bytesIfStill(path, blob) {
  try {
    const data = (0, import_node_fs23.readFileSync)(path);
    return sha256(data) === blob ? data : null;
  } catch {
    return null;
  }
}
function contextOf(entry) {
  return Array.isArray(entry.context) ? entry.context.filter((c) => typeof c?.name === "string" && typeof c.value === "string") : [];
}
function byFd(data, chunks) {
  if (chunks.every((c) => c.fd === chunks[0]?.fd)) return /* @__PURE__ */ new Map([[chunks[0]?.fd ?? 1, data]]);
  const parts = /* @__PURE__ */ new Map();
  let at = 0;
  for (const c of chunks) {
    if (!parts.has(c.fd)) parts.set(c.fd, []);
    parts.get(c.fd).push(data.subarray(at, at + c.bytes));
    at += c.bytes;
  }
  return new Map([...parts].map(([fd, bufs]) => [fd, Buffer.concat(bufs)]));
}
function envValue(env, name) {
  const prefix = `${name}=`;
  return env.find((kv) => kv.startsWith(prefix))?.slice(prefix.length);
}
function cut(value) {
  return value.length > 44 ? `${value.slice(0, 40)}...` : value;
}
function contextDifference(entry, env) {
  const context = entry.context;
  if (context === void 0) return null;
  if (!Array.isArray(context)) return "its recorded context variables are malformed";
  for (const c of context) {
    const { name, value } = c ?? {};
    if (typeof name !== "string" || typeof value !== "string") return "its recorded context variables are malformed";
    const now = envValue(env, name);
    if (now !== value) return `$${name}: ${cut(value)} -> ${now ? cut(now) : "(unset)"}, which the recording depended on (its outputs held the value or it named the variable)`;
  }
  return null;
}
var import_node_fs23, same, ContextSearch, CONTEXT_NAMES, NAME_PREFIX, MAX_SCRIPT_BYTES;
var init_context = __esm({
  "src/memo/context.ts"() {
    "use strict";
    import_node_fs23 = require("node:fs");
    init_fingerprint();
    same = (a, b) => a.name === b.name && a.value === b.value;
    ContextSearch = class {
      /** searched: the names left out of the weak fingerprint (context variables forced in are keyed instead) */
      constructor(searched, read2) {
        this.searched = searched;
        this.read = read2;
      }
      searched;
      read;
      /** per blob, per needle key: whether its bytes hold the needle */
      held = /* @__PURE__ */ new Map();
      /** the needles of every process looked up so far: bytes in memory are searched for them all */
      known = /* @__PURE__ */ new Map();
      /** the values of each `NAME=value` seen, so that a thousand exec queries build one needle */
      valueOf = /* @__PURE__ */ new Map();
      /** per file content read, the context variables' names it holds */
      namesByDigest = /* @__PURE__ */ new Map();
      /** the command's own environment (the first exec query's): what every process inherits is handed on by none */
      inherited = null;
      /** A process's context values at its exec; their needles join those every blob is searched for from now on. */
      valuesOf(env) {
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
      passedOn(values, argv, env, ignored) {
        const inherited = this.inherited ??= new Set(env);
        const searchable = values.filter((v) => v.needle);
        if (!searchable.length) return [];
        const given = env.filter((kv) => !inherited.has(kv) && !ignored.has(kv.slice(0, Math.max(0, kv.indexOf("=")))));
        const text = Buffer.from([...argv, ...given].join("\0"));
        return searchable.filter((v) => holds(text, v.needle)).map(({ name, value }) => ({ name, value }));
      }
      /** While a blob's bytes are in memory: searched for every needle known that it was not yet. */
      scan(blob, data) {
        if (!this.known.size) return;
        let results = this.held.get(blob);
        if (!results) this.held.set(blob, results = /* @__PURE__ */ new Map());
        for (const [key, needle] of this.known) if (!results.has(key)) results.set(key, holds(data, needle));
      }
      /**
       * Which of an execution's values what it left holds: in the paths it read or left, a symlink's
       * target, its stream or a file's bytes (a blob read only when a value is still unfound and its
       * search not yet known); or why that cannot be told. Too short a value is not searched.
       */
      async found(values, left) {
        const out = [];
        let unfound = values.filter((v) => {
          if (!left.below.some((b) => same(b, v))) return v.needle !== null;
          out.push({ name: v.name, value: v.value });
          return false;
        });
        const search = (isIn) => {
          unfound = unfound.filter((v) => {
            if (!isIn(v.needle)) return true;
            out.push({ name: v.name, value: v.value });
            return false;
          });
        };
        if (unfound.length) {
          const names = [...left.inputs.map((i) => i.path), ...left.outputs.flatMap((o) => o.type === "symlink" ? [o.path, o.target] : [o.path])];
          const text = Buffer.from(names.join("\0"));
          search((n) => holds(text, n));
        }
        if (unfound.length && left.stream) {
          for (const [fd, bytes] of byFd(left.stream.data, left.stream.chunks)) {
            const key = `${left.stream.blob}#${fd}`;
            this.scan(key, bytes);
            search(this.heldBy(key));
          }
        }
        for (const o of left.outputs) {
          if (!unfound.length) break;
          if (o.type !== "file") continue;
          if (unfound.some((v) => this.held.get(o.blob)?.get(v.needle.key) === void 0)) {
            const data = await this.read(o.blob, o.path);
            if (!data) return `${o.path}: its bytes could not be read again to search for $${unfound[0].name}`;
            this.scan(o.blob, data);
          }
          search(this.heldBy(o.blob));
        }
        return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      }
      /** The values whose bytes data holds (what flowed through a pipe inside a subtree). */
      inBytes(values, chunks) {
        return values.filter((v) => v.needle && holdsInChunks(chunks, v.needle)).map(({ name, value }) => ({ name, value }));
      }
      /**
       * The values whose variable a process names in its arguments (`bash -c '[ "$GITHUB_EVENT_NAME" =
       * push ]'`): such a program may only test the value, and what it does then shows in no output,
       * or only in its exit status. Short values included. A script it reads is searched when it is
       * recorded (namedInReads), off the exec's path.
       */
      namedInArgs(values, argv) {
        if (!values.length) return [];
        const text = argv.join("\0");
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
      namedInReads(values, inputs, load) {
        if (!values.length) return [];
        const named = /* @__PURE__ */ new Set();
        for (const i of inputs) {
          if (i.kind !== "content" || !i.value.startsWith("sha256:")) continue;
          for (const n of this.namesIn(load(i.path), i.value.slice(7))) named.add(n);
        }
        return values.filter((v) => named.has(v.name)).map(({ name, value }) => ({ name, value }));
      }
      namesIn(path, digest) {
        const known = this.namesByDigest.get(digest);
        if (known) return known;
        let names = [];
        try {
          const st = (0, import_node_fs23.statSync)(path, { throwIfNoEntry: false });
          if (st?.isFile() && st.size <= MAX_SCRIPT_BYTES) {
            const data = (0, import_node_fs23.readFileSync)(path);
            if (sha256(data) === digest) {
              names = data.includes(NAME_PREFIX) ? CONTEXT_NAMES.filter((n) => data.includes(n)) : [];
            }
          }
        } catch {
        }
        this.namesByDigest.set(digest, names);
        return names;
      }
      heldBy(blob) {
        return (n) => this.held.get(blob)?.get(n.key) === true;
      }
    };
    CONTEXT_NAMES = Object.keys(CONTEXT_ENV);
    NAME_PREFIX = "GITHUB_";
    MAX_SCRIPT_BYTES = 1024 * 1024;
  }
});

// src/memo/mtimes.ts
function rankMtimes(mtimes, nowOf) {
  const distinct = [...new Set(mtimes.values())].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  const rankOf = new Map(distinct.map((m, i) => [m, i]));
  const out = /* @__PURE__ */ new Map();
  for (const [key, m] of mtimes) out.set(key, `@r${rankOf.get(m)}${nowOf !== void 0 && m > nowOf(key) ? "f" : ""}`);
  return out;
}
function parseStoredStat(value) {
  const m = STORED.exec(value);
  if (!m) return null;
  const out = { nofollow: m[1] === "lstat", type: m[2], mode: parseInt(m[3], 8), uid: Number(m[4]), gid: Number(m[5]) };
  if (m[6] !== void 0) out.size = Number(m[6]);
  if (m[7] !== void 0) out.links = Number(m[7].slice(2));
  if (m[8]) out.mtime = m[8] === "r" ? "order" : "absolute";
  if (m[9] === "f" && m[8] !== "r") return null;
  if (m[9] === "n") {
    if (m[8] !== "r" && !value.endsWith(OWN_ABSOLUTE)) return null;
    out.own = true;
  }
  return out;
}
var OWN_ABSOLUTE, STORED;
var init_mtimes = __esm({
  "src/memo/mtimes.ts"() {
    "use strict";
    OWN_ABSOLUTE = "@t0n";
    STORED = /^(l?stat):([a-z]+):([0-7]{1,5}):(\d+):(\d+)(?::s(\d+))?(:n\d+)?(?:@([rt])\d+([nf])?)?$/;
  }
});

// src/memo/pins.ts
function racyWindow2(s) {
  return s.mtimeNs % 1000000000n === 0n && s.ctimeNs % 1000000000n === 0n ? RACY_COARSE_NS2 : RACY_FINE_NS2;
}
function sameFile(seen, st) {
  return st.isFile() && st.ino === seen.ino && st.dev === seen.dev && Number(st.size) === seen.size && st.mtimeNs === seen.mtimeNs && st.ctimeNs === seen.ctimeNs;
}
function epochNsOf(tracerStartNs, tracerNs) {
  return BigInt(Date.now()) * 1000000n - (process.hrtime.bigint() - (tracerStartNs + BigInt(Math.round(tracerNs))));
}
var import_node_fs24, RACY_FINE_NS2, RACY_COARSE_NS2, CLOCK_SLACK_NS, PIN_MAX, Pins;
var init_pins = __esm({
  "src/memo/pins.ts"() {
    "use strict";
    import_node_fs24 = require("node:fs");
    init_observe();
    init_fingerprint();
    RACY_FINE_NS2 = 20000000n;
    RACY_COARSE_NS2 = 2000000000n;
    CLOCK_SLACK_NS = 2000000n;
    PIN_MAX = 4 << 20;
    Pins = class {
      constructor(hasher, clock) {
        this.hasher = hasher;
        this.clock = clock;
      }
      hasher;
      clock;
      pinned = /* @__PURE__ */ new WeakMap();
      /** when each read under watch happened, on the tracer's clock */
      readAt = /* @__PURE__ */ new WeakMap();
      /** reads a hold already looked at (pinned or not): an ancestor's hold skips them */
      considered = /* @__PURE__ */ new WeakSet();
      /** one hash per file version within one pass */
      pass = /* @__PURE__ */ new Map();
      /** versions whose timestamps were older than the racy window when hashed: a later change shows */
      settled = /* @__PURE__ */ new Map();
      taken = 0;
      refused = 0;
      of(access) {
        return this.pinned.get(access);
      }
      noteRead(access, timeNs) {
        if (timeNs !== void 0) this.readAt.set(access, timeNs);
      }
      /**
       * Pins a read as its event arrives: the subtree may change the file next, so the hash is what
       * it read only if any change after the read must show in the file's timestamps, that is when
       * they were older than the racy window at the read.
       */
      atRead(access, at) {
        const seen = access.seen && access.path ? parseSeen(access.seen) : null;
        if (!seen || !this.settledAtRead(access, seen)) return;
        if (this.pass.size > 4096) this.endPass();
        this.pin(access, seen, at);
      }
      /**
       * Pins a read at a hold (the parent stopped at its wait, the reader's subtree ended): only a
       * process outside the subtree and its parent can have changed the file since the read, the
       * race a recording's own read has too. When a traced process changed it after the read (the
       * subtree itself), the hash is what was read only as atRead() says.
       */
      atHold(access, at, changedSince) {
        if (this.considered.has(access) || this.pinned.has(access)) return;
        this.considered.add(access);
        const seen = access.seen && access.path ? parseSeen(access.seen) : null;
        if (!seen) return;
        if (changedSince && !this.settledAtRead(access, seen)) return;
        this.pin(access, seen, at);
      }
      /** Whether atHold() may still pin this read (none has pinned it or looked at it yet). */
      mayPinAtHold(access) {
        return !this.considered.has(access) && !this.pinned.has(access);
      }
      /** Hashes within one hold are shared: the same version of a file read by several processes. */
      endPass() {
        this.pass = /* @__PURE__ */ new Map();
      }
      settledAtRead(access, seen) {
        const t = this.readAt.get(access);
        if (t === void 0 || this.clock.tracerStartNs === null) return false;
        const readReal = epochNsOf(this.clock.tracerStartNs, t);
        const latest = seen.mtimeNs > seen.ctimeNs ? seen.mtimeNs : seen.ctimeNs;
        return latest < readReal - racyWindow2(seen) - CLOCK_SLACK_NS;
      }
      pin(access, seen, at) {
        if (typeOfMode(seen.mode) !== "file" || seen.size > PIN_MAX) return;
        const path = access.path;
        const key = `${path}\0${access.seen}`;
        let value = this.settled.get(key) ?? this.pass.get(key);
        if (value === void 0) {
          value = this.hash(path, seen, key);
          this.pass.set(key, value);
        }
        if (value === null) {
          this.refused++;
          return;
        }
        this.taken++;
        this.pinned.set(access, { path, value, at, ns: this.clock.nowNs() });
      }
      /** The file's sha256 if it is the version seen, unchanged while it was read; else null. */
      hash(path, seen, key) {
        let fd;
        try {
          fd = (0, import_node_fs24.openSync)(path, import_node_fs24.constants.O_RDONLY | import_node_fs24.constants.O_NONBLOCK);
        } catch {
          return null;
        }
        try {
          const before = (0, import_node_fs24.fstatSync)(fd, { bigint: true });
          if (!sameFile(seen, before)) return null;
          let digest = this.hasher.cached(path, before);
          if (digest === void 0) {
            digest = digestFd(fd);
            if (!sameFile(seen, (0, import_node_fs24.fstatSync)(fd, { bigint: true }))) return null;
          }
          const now = BigInt(Date.now()) * 1000000n;
          const window = racyWindow2(seen);
          if (now - seen.mtimeNs > window && now - seen.ctimeNs > window) {
            if (this.settled.size > 65536) this.settled.clear();
            this.settled.set(key, `sha256:${digest}`);
          }
          return `sha256:${digest}`;
        } catch {
          return null;
        } finally {
          (0, import_node_fs24.closeSync)(fd);
        }
      }
    };
  }
});

// src/memo/engine.ts
function destOf(e, fd) {
  return e.stdio[fd === 2 ? "2" : "1"] === "null" ? "null" : e.streams[fd - 1] ?? "";
}
function asOwn(e, c) {
  if (c.dest === e.streams[c.fd - 1]) return c;
  if (c.dest === e.streams[0]) return { ...c, fd: 1 };
  if (c.dest === e.streams[1]) return { ...c, fd: 2 };
  return null;
}
function replayWouldWait(entry, q, pipes) {
  let socket = false;
  const bytes = (entry.stream?.chunks ?? []).reduce((n, c) => {
    const kind = q.stdio[c.fd === 2 ? 2 : 1];
    socket ||= kind === "socket";
    return kind === "pipe" || kind === "socket" ? n + c.bytes : n;
  }, 0);
  if (bytes <= PIPE_HOLDS || !socket && pipes.mayBlock()) return null;
  return `its ${bytes} bytes of output are more than a pipe holds: replayed, they could wait for a reader that waits for the exec`;
}
function pipeErrorHidden(entry, q, readerGone2) {
  const masked = [q.process.sigign, q.process.sigblk].some((m) => m !== void 0 && /^[0-9a-f]+$/i.test(m) && (BigInt(`0x${m}`) & SIGPIPE_BIT) !== 0n);
  if (!masked) return null;
  const piped = (entry.stream?.chunks ?? []).reduce((n, c) => ["pipe", "socket"].includes(q.stdio[c.fd === 2 ? 2 : 1]) ? n + c.bytes : n, 0);
  const gone = [1, 2].some((fd) => q.stdio[fd] === "pipe" && entry.stream?.chunks.some((c) => c.fd === fd && c.bytes > 0) && readerGone2(fd));
  return piped > PIPE_HOLDS || gone ? "it ignores or blocks SIGPIPE: replayed into a pipe whose reader is gone, its writes could not fail with EPIPE as the program's would" : null;
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
function lazy(make) {
  let made;
  return { value: () => (made ??= { v: make() }).v };
}
function statKey(path, nofollow) {
  return nofollow ? `l${path}` : `s${path}`;
}
function fileIdentity(path) {
  try {
    const st = (0, import_node_fs25.lstatSync)(path, { throwIfNoEntry: false });
    return st?.isFile() ? { id: `${st.dev}:${st.ino}`, links: st.nlink } : null;
  } catch {
    return null;
  }
}
function lstatType(path) {
  try {
    const st = (0, import_node_fs25.lstatSync)(path, { throwIfNoEntry: false });
    return st ? typeOfMode(st.mode) : void 0;
  } catch {
    return void 0;
  }
}
function typeMode(type) {
  return TYPE_BITS[type] ?? 0;
}
function yieldToIo() {
  return new Promise((resolve8) => setImmediate(resolve8));
}
function short(value) {
  return value.length > 24 ? `${value.slice(0, 20)}...` : value;
}
function ownStream(e, seenText) {
  const seen = parseSeen(seenText);
  const id = seen ? openFileOf(seen) : "";
  return id !== "" && (id === e.streams[0] || id === e.streams[1]);
}
function signalName(signal) {
  return Object.entries(import_node_os6.constants.signals).find(([, n]) => n === signal)?.[0] ?? `signal ${signal}`;
}
function ownUnsafety(e, within) {
  const why = (reason) => ({ exe: e.exe, reason });
  const found = e.flags.slice(0, 1).map(why);
  const outside = (from) => from === null || !within(from);
  const fromOther = (from, reason) => ({ ...why(reason), ...from === null ? {} : { otherExec: from } });
  const signal = e.signals.find((g) => outside(g.from));
  if (signal) {
    const from = signal.from === null ? "from outside the command (a cancelled job, a terminal, another program)" : "from a process outside its subtree";
    found.push(fromOther(signal.from, `it received ${signalName(signal.signal)} ${from}`));
  }
  if (e.signal === import_node_os6.constants.signals.SIGKILL) found.push(why("it was killed by SIGKILL, whose sender cannot be seen (the OOM killer, a kill -9)"));
  const sent = e.signalled.find((g) => !within(g.to));
  if (sent) found.push(fromOther(sent.to, sent.signal === 0 ? "it asks whether a process outside its subtree lives (kill with signal 0)" : `it sends ${signalName(sent.signal)} to a process outside its subtree`));
  const peek = e.procReads.find((r) => outside(r.from));
  if (peek) {
    const whose = peek.from === null ? "a process outside the command" : "a process outside its subtree";
    found.push(fromOther(peek.from, `it reads /proc/${peek.pid}, the state of ${whose}`));
  }
  const reopened = e.accesses.find((a) => (a.op === "write" || a.op === "truncate") && a.seen && !WRITE_SINKS.has(a.path ?? "") && ownStream(e, a.seen));
  if (reopened) found.push(why(`it opens ${reopened.path}, its own stdout or stderr, by path: its writes there would be restored and replayed`));
  if (SEEN_STDIN.has(e.stdio["0"])) return found;
  const pipe = STDIN_CHANNELS.has(e.stdio["0"]) && e.stdinId ? { pipe: e.stdinId } : {};
  if (e.accesses.some((a) => a.op === "stdin")) found.push({ ...why(`it reads stdin (${e.stdio["0"]})`), ...pipe });
  const dup = e.accesses.find((a) => a.op === "dup" && a.fd === 0 && typeof a.to === "number" && a.to < SAVED_FD_MIN);
  if (dup) found.push({ ...why(`it copies its stdin (${e.stdio["0"]}) to fd ${dup.to}, whose reads are not seen`), ...pipe });
  return found;
}
function inFileOrder(stream, placedAt) {
  const slots = stream.flatMap((c, i) => placedAt.has(c) ? [i] : []);
  const sorted = slots.map((i) => stream[i]).sort((a, b) => placedAt.get(a) - placedAt.get(b));
  const out = [...stream];
  slots.forEach((slot, k) => {
    out[slot] = sorted[k];
  });
  return out;
}
function sameStdin(name, descendant, ancestor) {
  return name !== "stdinKind" || descendant.stdinId === ancestor.stdinId;
}
function seenFrom(names, descendant, ancestor, inherited, unsafe) {
  const out = [];
  for (const name of names) {
    if (!sameStdin(name, descendant, ancestor)) continue;
    const at = STREAM_START_KEYS.indexOf(name);
    if (at < 0) {
      out.push(name);
      continue;
    }
    const id = descendant.streams[at];
    if (id === "" || id === "0") continue;
    ancestor.streams.forEach((mine, i) => {
      if (mine === id) out.push(STREAM_START_KEYS[i]);
    });
    if (!ancestor.streams.includes(id) && (inherited === void 0 || inherited.has(id))) {
      addUnsafe(unsafe, { exe: descendant.exe, reason: "it looked (fstat or lseek) at where its output goes in a file its ancestor inherited on another fd, which is not keyed" });
    }
  }
  return out;
}
function addUnsafe(list, u) {
  const liftable = (x) => x.pipe !== void 0 || x.otherExec !== void 0;
  if (list.some((x) => !liftable(x) || u.pipe !== void 0 && x.pipe === u.pipe || u.otherExec !== void 0 && x.otherExec === u.otherExec)) return;
  list.push(u);
}
function foreignOwner(path, st) {
  const uid = process.geteuid?.(), gid = process.getegid?.();
  if (uid === void 0 || gid === void 0) return null;
  const parent = (0, import_node_fs25.statSync)((0, import_node_path16.dirname)(path), { throwIfNoEntry: false });
  const group = parent && (parent.mode & 1024) !== 0 ? parent.gid : gid;
  if (Number(st.uid) === uid && Number(st.gid) === group) return null;
  return `${path} is owned by ${st.uid}:${st.gid}, and a restore would make it ${uid}:${group}'s (a program run as another user made it)`;
}
function lowOnSpace(outputs) {
  const dirs = new Set(outputs.map((p) => (0, import_node_path16.dirname)(p)));
  let looked = 0;
  for (const dir of dirs) {
    if (++looked > LOW_SPACE_DIRS) break;
    try {
      const st = (0, import_node_fs25.statfsSync)(dir);
      const blocks = process.getuid?.() === 0 ? st.bfree : st.bavail;
      if (blocks * st.bsize < LOW_SPACE_BYTES) return `${dir} is on a file system with ${blocks * st.bsize} bytes free: a write there may have failed (ENOSPC), and free space is no input`;
    } catch {
    }
  }
  return null;
}
function uniquePairs(pairs) {
  const seen = /* @__PURE__ */ new Set();
  return pairs.filter((p) => {
    const key = `${p.name}=${p.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
var import_node_fs25, import_node_os6, import_node_path16, CHECK_ORDER, NO_OUTPUT, PIPE_HOLDS, TIME_IS_THEIR_EFFECT, SIGPIPE_BIT, DEFER_MS, DEFAULT_EXEC_WAIT_MS, CHAIN_WAIT_MS, STORED2, TYPE_BITS, REAP_WAIT_MS, OPENS_FOR_WRITING, PIPE_OPENS, STRUCTURAL, SAVED_FD_MIN, STDIN_CHANNELS, SEEN_STDIN, LOW_SPACE_BYTES, LOW_SPACE_DIRS, IN_PLACE_CHANGES, EARLY_ITEMS, MemoEngine;
var init_engine = __esm({
  "src/memo/engine.ts"() {
    "use strict";
    import_node_fs25 = require("node:fs");
    import_node_os6 = require("node:os");
    import_node_path16 = require("node:path");
    init_fingerprint();
    init_observe();
    init_trace();
    init_restore();
    init_recent_blobs();
    init_late_changes();
    init_attributes();
    init_snapshots();
    init_pipe_stdin();
    init_pipe_replay();
    init_context();
    init_mtimes();
    init_pins();
    CHECK_ORDER = [
      (outside, content) => !outside && content,
      (outside, content) => !outside && !content,
      (outside) => outside
    ];
    NO_OUTPUT = [];
    PIPE_HOLDS = 65536;
    TIME_IS_THEIR_EFFECT = /* @__PURE__ */ new Set(["sleep", "usleep"]);
    SIGPIPE_BIT = 1n << 12n;
    DEFER_MS = 300;
    DEFAULT_EXEC_WAIT_MS = 100;
    CHAIN_WAIT_MS = 5e3;
    STORED2 = Promise.resolve(true);
    TYPE_BITS = {
      fifo: 4096,
      char: 8192,
      dir: 16384,
      block: 24576,
      file: 32768,
      symlink: 40960,
      socket: 49152
    };
    REAP_WAIT_MS = 1e3;
    OPENS_FOR_WRITING = /* @__PURE__ */ new Set(["write", "create", "truncate"]);
    PIPE_OPENS = /* @__PURE__ */ new Set(["read", "write", "create", "truncate"]);
    STRUCTURAL = /* @__PURE__ */ new Set(["rename", "delete", "rmdir", "symlink", "link", "mknod"]);
    SAVED_FD_MIN = 10;
    STDIN_CHANNELS = /* @__PURE__ */ new Set(["pipe", "socket"]);
    SEEN_STDIN = /* @__PURE__ */ new Set(["null", "closed", "file"]);
    LOW_SPACE_BYTES = 1 << 20;
    LOW_SPACE_DIRS = 64;
    IN_PLACE_CHANGES = /* @__PURE__ */ new Set(["write", "truncate", "chmod"]);
    EARLY_ITEMS = 64;
    MemoEngine = class {
      constructor(opts, builder) {
        this.opts = opts;
        this.builder = builder;
        this.fs = new FsView(opts.hasher);
        this.recentBlobs = new RecentBlobs(opts.store);
        this.context = new ContextSearch(opts.ignoreEnv, async (blob, path) => bytesIfStill(opts.roots.load(path), blob) ?? await this.recentBlobs.getBlob(blob));
        this.restorer = new Restorer(opts.roots, { keepSetId: keepsSetId(opts.store.trusted) });
        this.stats.deferEnds = builder.deferEnds;
        this.pins = new Pins(opts.hasher, builder);
        builder.onAccessSeen = (access, exec, at, beganNs, timeNs, pid) => {
          if (this.failed) return;
          try {
            this.accessSeen(access, exec, at, beganNs, timeNs, pid);
          } catch (e) {
            this.fail(e);
          }
        };
        builder.onExecutionStart = (exec) => {
          if (this.failed) return;
          try {
            this.started(exec);
          } catch (e) {
            this.fail(e);
          }
        };
        builder.onExecutionEnd = (exec) => {
          if (this.failed) return;
          const endAt = builder.log.length - 0.5;
          const outlived = builder.hasLiveDescendant(exec);
          try {
            if (!exec.skipped && !outlived) this.capture(exec, endAt);
          } catch (e) {
            this.fail(e);
            return;
          }
          const reap = exec.skipped || outlived || exec.pid === builder.rootPid ? void 0 : this.expectReap(exec.pid);
          this.recording = this.recording.then(() => this.failed ? void 0 : this.ended(exec, endAt, outlived, reap)).catch((e) => {
            this.opts.warn(`recording ${exec.exe} failed: ${e.message}`);
          });
        };
      }
      opts;
      builder;
      stats = { ran: 0, reused: 0, savedMs: 0, bytesRestored: 0, hitCostMs: 0, stdinWaits: 0, readBack: 0, deferEnds: { read: 0, deadline: 0, watched: 0 }, executions: [] };
      rows = /* @__PURE__ */ new Map();
      /** what each exec that was let run was told, by pid until the exec is seen, then by execution */
      answerOfPid = /* @__PURE__ */ new Map();
      /** by execution: files with other names it changed in place (noteLinkedChange) */
      linkedChanges = /* @__PURE__ */ new Map();
      /** processes held at their exec (told to wait), and since when (mayWaitAgain) */
      waitingSince = /* @__PURE__ */ new Map();
      answerOf = /* @__PURE__ */ new Map();
      recording = Promise.resolve();
      /** ended processes whose parent's wait has not returned them yet (reaped() has not run), by pid */
      reapWaits = /* @__PURE__ */ new Map();
      writes = [];
      /** each ended execution's subtree, folded: what its parent composes instead of re-reading it */
      folded = /* @__PURE__ */ new Map();
      /** the hits whose replays wrote into files (their stdout or stderr): when (ms on the tracer's
       * clock), the execution their process ran then (its parent's), and what they wrote, by file */
      replayedIntoFiles = [];
      /** stored input paths found changed by a lookup in this run */
      knownDifferent = /* @__PURE__ */ new Set();
      snapshots = new OutputSnapshots();
      /** recorded entries, watching for changes reported after they were recorded */
      late = new LateChanges();
      /** orders snapshots and exec answers (the log's length does not: exits and spawns add nothing) */
      tick = 0;
      /** pipes some process opened by path (/proc/PID/fd/N): a new writer or reader of a pipe whose
       * bytes were read ahead, which the key of its reader does not cover */
      pipesByPath = /* @__PURE__ */ new Set();
      /** the open files the command inherited (a pipe among them has holders outside the trace) */
      outside;
      /** hits whose output into a pipe waits for the exec of the pipe's reader, by pipe */
      deferred = /* @__PURE__ */ new Map();
      /** the processes that opened each path for writing: while one lives, it may hold the file open */
      writingPids = /* @__PURE__ */ new Map();
      /** each rename, by its source path: a file open for writing keeps its writes going to the new name */
      renames = /* @__PURE__ */ new Map();
      fs;
      restorer;
      /** the symlinks on the way to each path the subtrees touched */
      walker = new LinkWalker();
      /** each program's #! interpreter, or null for a binary */
      interpreters = /* @__PURE__ */ new Map();
      /** reads hashed while the file still held what was read */
      pins;
      /** which CI context values what an execution left holds, each blob searched once */
      context;
      /** the blobs hits fetched last, their hashes checked */
      recentBlobs;
      /**
       * What went wrong in the engine's own bookkeeping while the command ran: from then on nothing
       * is looked up or recorded (what it knows may be missing a piece), and the command runs on as
       * without processcache. A cache problem never fails the user's job.
       */
      fail(e) {
        this.failed = e instanceof Error ? e.message : String(e);
        this.opts.warn(`memoization stopped for this run, the command goes on untouched: ${this.failed}`);
      }
      failed = null;
      accessSeen(access, exec, at, beganNs, timeNs, pid) {
        this.notePipeByPath(access);
        if (access.op === "read" && access.result === "ok" && access.seen && access.path) {
          this.pins.noteRead(access, timeNs);
          if (this.opts.roots.allows(access.path)) this.pins.atRead(access, at);
          return;
        }
        if (access.result !== "ok" || !access.path || !CHANGE_OPS.has(access.op) || WRITE_SINKS.has(access.path)) return;
        this.noteLinkedChange(access, exec);
        if (OPENS_FOR_WRITING.has(access.op) && !access.keepsPrefix) {
          const pids = this.writingPids.get(access.path);
          if (pids) pids.add(pid);
          else this.writingPids.set(access.path, /* @__PURE__ */ new Set([pid]));
        }
        const change = beganNs === void 0 ? { at, exec } : { at, exec, beganNs };
        for (const name of this.fs.changed(access.path, change)) this.late.reported(name, change);
        this.walker.reshaped(access.path);
        if (access.op === "rename" && typeof access.to === "string") {
          const moves = this.renames.get(access.path);
          if (moves) moves.push({ to: access.to, at });
          else this.renames.set(access.path, [{ to: access.to, at }]);
        }
        if (typeof access.to === "string") {
          for (const name of this.fs.changed(access.to, change)) this.late.reported(name, change);
          this.walker.reshaped(access.to);
        }
        if (STRUCTURAL.has(access.op)) {
          this.fs.reshaped(access.path);
          if (typeof access.to === "string") this.fs.reshaped(access.to);
          if (access.op === "rename" && typeof access.to === "string" && statNow(access.to, true)?.isDirectory()) this.fs.renamed(access.path, access.to);
        }
      }
      /**
       * The parent of process pid has just been told that it ended (its wait returned it), and waits
       * at that return until this is done: every read in the subtree that ended there is pinned, so
       * that a change the parent makes next (configure rewriting the conftest.c its compiler just
       * read) does not spoil what the recording, which comes later, takes as read.
       */
      reaped(pid) {
        try {
          this.pinAtReap(pid);
        } finally {
          this.reapWaits.get(pid)?.resolve();
        }
      }
      /** A wait for the REAPED of pid, which has just ended; resolved by reaped(pid), or after REAP_WAIT_MS. */
      expectReap(pid) {
        const known = this.reapWaits.get(pid);
        if (known) return known;
        let resolve8;
        const done = new Promise((r) => {
          resolve8 = r;
        });
        const timer = setTimeout(() => wait.resolve(), REAP_WAIT_MS);
        timer.unref();
        const wait = {
          done,
          resolve: () => {
            clearTimeout(timer);
            if (this.reapWaits.get(pid) === wait) this.reapWaits.delete(pid);
            resolve8();
          }
        };
        this.reapWaits.set(pid, wait);
        return wait;
      }
      /** The reads in exec's subtree that a hold may pin, with their places in the log: a file from
       * outside the root that the run never changed is read at the recording, as before. */
      *holdableReads(exec) {
        const stack = [exec];
        for (let e = stack.pop(); e; e = stack.pop()) {
          for (const [pos, item] of this.builder.ownLog(e.id)) {
            const a = item.kind === "access" ? item.access : null;
            if (!a || a.op !== "read" || a.result !== "ok" || !a.seen || !a.path) continue;
            if (this.opts.roots.allows(a.path) || this.fs.changes.touched(a.path)) yield [pos, a];
          }
          stack.push(...this.builder.childrenOf(e));
        }
      }
      /** Whether a hold at the parent's wait would pin a read in exec's subtree not pinned yet. */
      holdWouldPin(exec) {
        for (const [, a] of this.holdableReads(exec)) if (this.pins.mayPinAtHold(a)) return true;
        return false;
      }
      pinAtReap(pid) {
        const top = this.builder.endedIn(pid);
        if (!top || top.skipped) return;
        const at = this.builder.log.length;
        for (const [pos, a] of this.holdableReads(top)) {
          const changedSince = this.fs.changes.foreign({ path: a.path, kind: "content" }, pos, () => false) !== null;
          this.pins.atHold(a, at, changedSince);
        }
        this.pins.endPass();
      }
      /** The weak fingerprint; a query without a umask (explain, an old kernel) is taken to have the root's. */
      /** stdinPipe: what the pipe on its stdin will deliver, when that is known at the exec */
      weakOfQuery(q, view, stdinPipe) {
        return weakKey({
          toolVersion: this.opts.toolVersion,
          exe: q.exe,
          argv: q.argv,
          cwd: q.cwd,
          env: q.env,
          stdio: q.stdio,
          umask: q.umask ?? this.opts.umask,
          process: stdinPipe ? { attrs: view.key, stdin: stdinPipe.sha256 } : view.key
        }, this.opts.ignoreEnv);
      }
      /** The exec hook: a hit restores the outputs and skips the program. A hit's output deferred
       * into this exec's stdin is let go with the answer: dropped when this exec is skipped, keyed on
       * those bytes (its recorded run read them all), else written. */
      decide = async (q) => {
        if (this.failed) return { skip: false };
        const pending = this.pendingInto(q);
        const keyed = { onPending: false };
        const decision = await this.decideExec(q, pending, keyed);
        if (!decision.skip && decision.wait) {
          if (!this.waitingSince.has(q.pid)) this.waitingSince.set(q.pid, performance.now());
        } else {
          this.waitingSince.delete(q.pid);
        }
        if (!pending || !decision.skip && decision.wait) return decision;
        this.deferred.delete(q.stdinId);
        return { ...decision, release: { tid: pending.tid, write: !(decision.skip && keyed.onPending) } };
      };
      /** The deferred output into q's stdin, while its writer is still held for it. */
      pendingInto(q) {
        const pending = q.stdio[0] === "pipe" && q.stdinId ? this.deferred.get(q.stdinId) : void 0;
        if (pending && (this.builder.deferEnded.has(pending.tid) || !this.builder.livePids.has(pending.writer))) {
          this.deferred.delete(q.stdinId);
          return void 0;
        }
        return pending;
      }
      /** keyed.onPending: the answer's lookup was keyed on pending, which a skip then drops */
      async decideExec(q, pending, keyed) {
        const started = performance.now();
        const context = this.context.valuesOf(q.env);
        const passed = [...this.context.passedOn(context, q.argv, q.env, this.opts.ignoreEnv), ...this.context.namedInArgs(context, q.argv)];
        if (q.umask === null) {
          return this.letRun(q, { refused: "its umask could not be read (/proc/PID/status has none before Linux 4.7)", passed });
        }
        if (TIME_IS_THEIR_EFFECT.has((0, import_node_path16.basename)(q.exe))) return this.letRun(q, { refused: "what it does is take time: skipped, it would take none", passed });
        if (q.tid !== q.pid) return this.letRun(q, { refused: "its exec is made by a thread that is not its process's first: a replay there is not modelled", passed });
        const view = viewOf(q.process, q.env, q.streams, q.stdio[0] ?? "", q.exe);
        if (view.refused) return this.letRun(q, { refused: view.refused, passed });
        const readable = this.readableStream(q, view);
        if (readable) return this.letRun(q, { refused: readable, passed });
        const packets = this.packetStream(q);
        if (packets) return this.letRun(q, { refused: packets, passed });
        const piped = this.finishedPipe(q, pending);
        if (piped === "wait" || piped === "waitExec") {
          this.stats.stdinWaits++;
          return { skip: false, wait: true, ...piped === "waitExec" ? { waitMs: this.opts.execWaitMs ?? DEFAULT_EXEC_WAIT_MS } : {} };
        }
        const stdinPipe = piped === "later" ? void 0 : piped;
        keyed.onPending = stdinPipe?.pending === true;
        const weak = this.weakOfQuery(q, view, stdinPipe);
        const pipes = new ReplayPipes(q, this.builder.livePids, this.builder.vforked.has(q.pid));
        let missWhy;
        try {
          const candidates = this.opts.index.candidates(weak);
          const misses = [];
          for (const entry of candidates) {
            const seeks = seeksOf(entry);
            if (typeof seeks === "string") {
              misses.push(seeks);
              continue;
            }
            const parts = this.mtimeParts(entry);
            const differs = attributeDifference(entry, view) ?? contextDifference(entry, q.env) ?? this.firstDifference(entry, parts) ?? replayWouldWait(entry, q, pipes) ?? pipeErrorHidden(entry, q, (fd) => this.readerGone(q, fd)) ?? this.heldOpen(entry) ?? this.restorer.obstacle(entry);
            if (differs) {
              misses.push(differs);
              continue;
            }
            const blobs = await fetchBlobs(entry, this.recentBlobs);
            const change = { at: this.builder.log.length, exec: this.builder.executionOf(q.pid)?.id ?? -1, tick: ++this.tick };
            const paths = entry.outputs.map((o) => this.opts.roots.load(o.path));
            for (const path of paths) {
              this.fs.changed(path, change);
              this.walker.reshaped(path);
            }
            const restored = this.restorer.restore(entry, blobs);
            entry.outputs.forEach((o, i) => {
              if (o.type === "file") this.fs.settle(paths[i], o.blob);
              else this.fs.reshaped(paths[i]);
              const state = { ...o, path: paths[i] };
              this.snapshots.add(paths[i], { at: change.at, taken: ++this.tick, lookedNs: this.builder.nowNs(), exec: change.exec, state, stored: STORED2 });
            });
            await this.opts.store.touchEntry(entry);
            this.stats.reused++;
            this.stats.savedMs += entry.durationMs;
            this.stats.bytesRestored += restored.bytes;
            this.stats.hitCostMs += performance.now() - started;
            const hit = { entry, passed, mtimes: parts.value().mtimes, mtimesAt: parts.value().at, created: restored.created, removed: restored.removed, ...stdinPipe ? { stdinPipe: stdinPipe.id } : {} };
            const output = this.stream(entry, blobs);
            this.noteReplayIntoFiles(q, view, output);
            return { skip: true, exitCode: entry.exitCode, output, tag: hit, seeks, ...this.deferral(q, entry, blobs, pipes) };
          }
          missWhy = misses.length ? `${misses.length} candidate(s), none matches: ${misses.slice(0, 3).join("; ")}` : "never recorded";
        } catch (e) {
          this.opts.warn(`cache lookup for ${q.exe} failed, running it: ${e.message}`);
        }
        const rekey = piped === "later" ? (sha) => this.weakOfQuery(q, view, { id: q.stdinId, sha256: sha }) : void 0;
        return this.letRun(q, { weak, missWhy, view, context, passed, ...stdinPipe ? { stdinPipe: stdinPipe.id } : {}, ...rekey ? { rekey } : {} });
      }
      /**
       * Why the entry's outputs cannot be restored under a running process: a restore replaces a file
       * (or removes it), and a process that opened it for writing and still runs would go on writing
       * into the old one (`exec >log; mv log log2; echo b`, with mv a hit, left `b` in no file).
       */
      heldOpen(entry) {
        for (const o of entry.outputs) {
          const path = this.opts.roots.load(o.path);
          for (const pid of this.writingPids.get(path) ?? []) {
            if (this.builder.livePids.has(pid)) return `${path} may be open for writing in process ${pid}, which still runs: a restore would replace the file under it`;
          }
        }
        return null;
      }
      /** The bytes of the pipe on q's stdin when no process can write into it any more: an input
       * like a file's. Only for a pipe made inside the command, whose holders are all traced. */
      finishedPipe(q, pending) {
        this.outside ??= q.process.fdsUnknown ? "unknown" : /* @__PURE__ */ new Set([q.stdinId, ...q.streams, ...q.process.fds.map((f) => f.identity)]);
        if (q.stdio[0] !== "pipe" || !q.stdinId || this.outside === "unknown" || this.outside.has(q.stdinId)) return void 0;
        if (this.builder.packetMode) return void 0;
        const piped = capturePipeStdin(q.pid, q.stdinId, this.holdersFirst(q.pid), pending);
        if (typeof piped === "string") return void 0;
        if ("shared" in piped) return this.mayWaitAgain(q, [piped.reader]) && this.waitsForExecOf(q.pid, [piped.reader]) ? "waitExec" : void 0;
        if (!("unfinished" in piped)) return piped;
        if (!this.mayWaitAgain(q, piped.writers)) return "later";
        if (this.opts.holdsPipeReaders && this.mayWaitFor(q.pid, piped.writers)) return "wait";
        return this.waitsForExecOf(q.pid, piped.writers) ? "waitExec" : "later";
      }
      /** Has the pipe on q's fd no reader left? Known only for a pipe made inside the command. */
      readerGone(q, fd) {
        const id = q.streams[fd - 1];
        if (!id || this.outside === void 0 || this.outside === "unknown" || this.outside.has(id)) return false;
        return readerGone(id, this.builder.livePids);
      }
      /**
       * May q wait on for these writers? Yes before its deadline; after it (q.last) only while each
       * writer is held at its own exec (for the stage before it: a pipeline's chain, whose stages all
       * began waiting at once) or is a shell's fork waiting for a CPU on its way to its exec (a loaded
       * machine), and for CHAIN_WAIT_MS at most.
       */
      mayWaitAgain(q, writers) {
        if (!q.last) return true;
        const since = this.waitingSince.get(q.pid);
        if (since === void 0 || performance.now() - since > Math.max(CHAIN_WAIT_MS, this.opts.execWaitMs ?? 0)) return false;
        const onItsWay = (w) => this.waitingSince.has(w) || this.forkOfShell(w) && procStatFields(w)?.[0] === "R";
        return writers.length > 0 && writers.every((w) => this.builder.livePids.has(w) && onItsWay(w));
      }
      /** May the reader pid wait at its exec for these shells' forks (none: no) to exec? */
      waitsForExecOf(pid, forks) {
        return (this.opts.execWaitMs ?? DEFAULT_EXEC_WAIT_MS) > 0 && forks.length > 0 && forks.every((f) => this.forkOfShell(f)) && this.mayWaitFor(pid, forks);
      }
      /** Is pid a shell's fork that has not exec'd yet: the stage before a reader, on its way to its
       * program, which its exec answers (skipped: its output may key the reader) in a moment? */
      forkOfShell(pid) {
        const e = this.builder.executionOf(pid);
        return e !== null && e.pid !== pid && SHELLS.has((0, import_node_path16.basename)(e.exe));
      }
      /**
       * A reader whose pipe was still written at its exec is recorded keyed on what it read, as a
       * later run looks it up keyed on a finished pipe's bytes: when it read up to the end, in one
       * process of one thread (another could change a read's buffer before the tracer copies it),
       * through fd 0 or a saved copy (not readv, splice, a copy below 10 or /dev/stdin), and
       * no other process could read there (none held the pipe at its exec: finishedPipe; no
       * descendant got it; nothing opened it by path).
       */
      keyOnReads(exec) {
        const answer = this.answerOf.get(exec.id);
        const pipe = exec.stdinId;
        if (!answer?.rekey || !answer.weak || answer.stdinPipe || !pipe || this.builder.packetMode || this.pipesByPath.has(pipe)) return;
        const sha = this.builder.stdinReads.get(exec.id)?.wholeSha256();
        if (!sha || exec.accesses.some((a) => a.op === "dup" && a.fd === 0)) return;
        const holds3 = (e) => e.stdinId === pipe || this.answerOf.get(e.id)?.inherited?.has(pipe) !== false;
        for (const todo = [...this.builder.childrenOf(exec)]; todo.length; ) {
          const e = todo.pop();
          if (holds3(e)) return;
          todo.push(...this.builder.childrenOf(e));
        }
        this.answerOf.set(exec.id, { ...answer, weak: answer.rekey(sha), stdinPipe: pipe });
      }
      /**
       * Can the reader pid wait at its exec for these writers to end? Not when one of them waits for
       * that exec: a vfork or posix_spawn parent is suspended until it, and a parent that holds the
       * pipe's write end (Python's subprocess, Node's spawn, bash's process substitution) usually
       * reads its exec-error pipe until then. Writers that run beside it (a pipeline's stages, `echo
       * $x | sed`'s subshell) end or fill the pipe; the tracer's deadline bounds the rest.
       */
      mayWaitFor(pid, writers) {
        if (this.builder.vforked.has(pid)) return false;
        const ancestors = /* @__PURE__ */ new Set();
        for (let e = this.builder.executionOf(pid); e; e = e.parent === null ? null : this.builder.executions[e.parent] ?? null) ancestors.add(e.pid);
        return writers.every((w) => !ancestors.has(w));
      }
      /** Why a stream that is a file open for reading too (`1<>log`) cannot be: what the program
       * reads there is not seen, and its size (fstat) is not where its output starts (hunt 9). */
      readableStream(q, view) {
        for (const s of view.streamStarts) {
          const flags = fdFlags(q.pid, s.fd);
          if (flags === null || (flags & 3) === import_node_fs25.constants.O_RDWR) return `its fd ${s.fd} is open for reading too on ${s.path} (1<>file): what it reads there is not seen`;
          if ((flags & 3) === import_node_fs25.constants.O_RDONLY) return `its fd ${s.fd} is open for reading only on ${s.path} (1<file): its writes fail, and what it reads there is not seen`;
          s.append = (flags & import_node_fs25.constants.O_APPEND) !== 0;
        }
        return null;
      }
      /**
       * Whether a hit's output (all into fd 1, a pipe whose reader has yet to exec) waits for that
       * exec: then the reader is keyed on it, and a reader replayed too drops it. The tracer writes
       * it at the deadline if no reader came (a subshell's `while read`, a slow fork).
       */
      deferral(q, entry, blobs, pipes) {
        const stream = entry.stream;
        if (!stream?.chunks.length || stream.chunks.some((c) => c.fd !== 1) || this.builder.packetMode) return {};
        const made = (id) => this.outside !== void 0 && this.outside !== "unknown" && !this.outside.has(id) && !this.deferred.has(id);
        const hasExeced = (pid) => {
          const e = this.builder.executionOf(pid);
          return e === null || e.pid === pid;
        };
        const deferrable = pipes.deferrablePipe(made, hasExeced);
        if (!deferrable) return {};
        this.builder.deferEnded.delete(q.tid);
        const blob = blobs.get(stream.blob);
        const whole = stream.chunks.reduce((n, c) => n + c.bytes, 0) === blob.length;
        const bytes = whole ? blob : Buffer.concat(this.stream(entry, blobs).map((c) => c.data));
        this.deferred.set(deferrable.pipe, { writer: q.pid, tid: q.tid, bytes, sha256: whole ? stream.blob : sha256(bytes) });
        const deferMs = Math.max(DEFER_MS, this.opts.execWaitMs ?? DEFAULT_EXEC_WAIT_MS);
        return deferrable.watch === void 0 ? { deferMs } : { deferMs, deferWatch: deferrable.watch };
      }
      /** Why q's output cannot be replayed as it was written: its fd 1 or 2 is a pipe in packet mode,
       * whose writes are read one by one, and a replay writes the stream in other pieces. Looked at
       * only once a traced process used packet mode. */
      packetStream(q) {
        if (!this.builder.packetMode) return null;
        for (const fd of [1, 2]) {
          if (q.stdio[fd] !== "pipe") continue;
          const flags = fdFlags(q.pid, fd);
          if (flags === null || (flags & import_node_fs25.constants.O_DIRECT) !== 0) return `its fd ${fd} is a pipe in packet mode (O_DIRECT): a replay would not keep its writes apart`;
        }
        return null;
      }
      /** Notes a pipe opened by path, for reading or writing (what stat said at the open). */
      notePipeByPath(access) {
        if (!access.seen || !PIPE_OPENS.has(access.op)) return;
        const seen = parseSeen(access.seen);
        if (seen && typeOfMode(seen.mode) === "fifo") this.pipesByPath.add(openFileOf(seen));
      }
      /** The traced processes, the one q.pid was forked from first: where a shell's copy of a
       * pipeline's pipe is most often still open, so that the look stops at once. */
      *holdersFirst(pid) {
        const parent = this.builder.executionOf(pid)?.pid;
        if (parent !== void 0 && parent !== pid) yield parent;
        for (const other of this.builder.livePids) if (other !== parent) yield other;
      }
      /** The program runs; what it was told is kept for the execution it starts. */
      letRun(q, answer) {
        const inherited = /* @__PURE__ */ new Set([q.stdinId, ...q.streams, ...q.process.fds.map((f) => f.identity)]);
        this.answerOfPid.set(q.pid, { ...answer, exe: q.exe, tick: ++this.tick, inherited: q.process.fdsUnknown ? void 0 : inherited });
        return { skip: false };
      }
      /** A time on the tracer's clock (ms since it started), as ns since the epoch; undefined when unknown. */
      realTimeOf(tracerMs) {
        const start = this.builder.tracerStartNs;
        return start === null ? void 0 : epochNsOf(start, tracerMs * 1e6);
      }
      /** Was the pipe made inside exec's subtree (exec did not inherit it), so that its writers ran there too? */
      /**
       * An attribute a descendant read (its terminal's size, its CPU affinity) that had another
       * value at the descendant's exec than at the ancestor's: it changed while the ancestor ran (a
       * terminal resized, a taskset from outside), and the ancestor's key, which holds the value at
       * its own exec, would replay the descendant's answer to a run that never saw the change.
       */
      changedSinceExec(names, descendant, ancestor) {
        const then = this.answerOf.get(ancestor.id)?.view?.observed;
        const now = this.answerOf.get(descendant.id)?.view?.observed;
        if (!then || !now) return null;
        for (const name of names) {
          if (STREAM_START_KEYS.includes(name)) continue;
          if (!sameStdin(name, descendant, ancestor)) continue;
          if (then[name] !== now[name]) return `its ${name} changed while its ancestor ran (${then[name] ?? "unknown"} -> ${now[name] ?? "unknown"}): a terminal resized, a taskset from outside`;
        }
        return null;
      }
      madeWithin(exec, pipe) {
        const inherited = this.answerOf.get(exec.id)?.inherited;
        return pipe !== "0" && inherited !== void 0 && !inherited.has(pipe);
      }
      /**
       * The first input found that no longer holds what it held, or null when every one does. A miss
       * is decided while the process waits, so the inputs that already differed for an earlier lookup
       * in this run go first (an edited source makes every ancestor miss on it), then the contents of
       * files under the root (the sources), then the rest under the root, then the system's, which
       * change far less often. `explain` lists every difference.
       */
      firstDifference(entry, parts) {
        const unvouched = this.programUnvouched(entry);
        if (unvouched) return unvouched;
        for (const input of entry.inputs) {
          if (typeof input !== "object" || input === null || typeof input.path !== "string") return this.differs(input, parts);
          if (!this.knownDifferent.has(input.path)) continue;
          const d = this.differs(input, parts);
          if (d) return d;
        }
        for (const pass of CHECK_ORDER) {
          for (const input of entry.inputs) {
            if (pass(input.path.startsWith("/"), input.kind === "content")) {
              const d = this.differs(input, parts);
              if (d) return d;
            }
          }
        }
        return null;
      }
      /**
       * The mtime part of each stat input's value as the files are now: their order among the
       * entry's ordered ones, or the mtime itself. Computed once per lookup, when a stat input asks.
       */
      mtimeParts(entry) {
        return lazy(() => {
          const ordered = /* @__PURE__ */ new Map();
          const suffix = /* @__PURE__ */ new Map();
          const mtimes = /* @__PURE__ */ new Map();
          const own = /* @__PURE__ */ new Set();
          const now = BigInt(Date.now()) * 1000000n;
          for (const input of entry.inputs) {
            if (input?.kind !== "stat" || typeof input.path !== "string" || typeof input.value !== "string") continue;
            const stored = parseStoredStat(input.value);
            if (!stored?.mtime) continue;
            const m = this.fs.mtimeOf(this.opts.roots.load(input.path), stored.nofollow);
            if (m === null) {
              suffix.set(statKey(input.path, stored.nofollow), "@gone");
              continue;
            }
            const key = statKey(input.path, stored.nofollow);
            if (stored.own) own.add(key);
            const at = stored.own ? now : m;
            mtimes.set(key, at);
            if (stored.mtime === "order") ordered.set(key, at);
            else suffix.set(key, stored.own ? OWN_ABSOLUTE : `@t${m}`);
          }
          for (const [path, rank] of rankMtimes(ordered, () => now)) suffix.set(path, own.has(path) ? `${rank}n` : rank);
          return { suffix, mtimes, at: now };
        });
      }
      /** How one stored input differs from what its path holds now, or null when it does not. */
      differs(input, parts) {
        const now = this.currentOf(input, parts);
        if (now === void 0) return `${String(input?.path)}: an input of unknown kind`;
        if (now === input.value) return null;
        this.knownDifferent.add(input.path);
        return `${input.path}: ${short(input.value)} -> ${short(now)}`;
      }
      /** What an input's path holds now, in the input's terms; undefined for an input of unknown kind. */
      currentOf(input, parts) {
        if (typeof input !== "object" || input === null) return void 0;
        if (typeof input.path !== "string" || typeof input.value !== "string") return void 0;
        const { kind } = input;
        if (kind === "absent" && input.asUser === true) return this.absentForUser(this.opts.roots.load(input.path));
        if (kind === "content" || kind === "absent" || kind === "link") return this.fs.valueAt(kind, this.opts.roots.load(input.path));
        if (kind === "replaceable") {
          const now = replaceable(this.opts.roots.load(input.path), this.opts.hasher);
          return now === null ? input.value : now;
        }
        const spec = this.specOf(input);
        if (!spec) return void 0;
        const base = this.fs.value(spec);
        return spec.kind === "stat" && spec.mtime && base !== "absent" ? base + (parts.value().suffix.get(statKey(input.path, spec.nofollow)) ?? "") : base;
      }
      /**
       * The inputs that no longer hold what they held (all of them are looked at, for explaining), and
       * the context values its outputs hold that env (explain's own: its children's are taken to be
       * the same) does not have.
       */
      differences(entry, env) {
        const unvouched = this.programUnvouched(entry);
        const parts = this.mtimeParts(entry);
        const context = contextDifference(entry, env);
        return [...unvouched ? [unvouched] : [], ...unjudgedAttributes(entry), ...context ? [context] : [], ...entry.inputs.flatMap((input) => this.differs(input, parts) ?? [])];
      }
      /**
       * Every recording lists the program it ran among its read inputs. An entry that does not
       * (crafted, or damaged: one with no inputs at all would match anything) is never a hit.
       */
      programUnvouched(entry) {
        const lists = entry.inputs.some((i) => i?.kind === "content" && typeof i.path === "string" && this.opts.roots.load(i.path) === entry.exe);
        return lists ? null : `${entry.exe}: the entry does not list its own program among its inputs`;
      }
      /**
       * An absence a process without privileges met, looked at as processcache's user: behind a
       * directory that user may not search (root's /root/.cargo/bin on PATH, under sudo the tracer
       * saw past it), nothing is known here, and the directories' permissions, which the entry keys
       * too, are what decided the process's answer (ENOENT or EACCES alike: not there for it).
       */
      absentForUser(path) {
        const now = this.fs.valueAt("absent", path);
        if (now !== "exists") return now;
        try {
          (0, import_node_fs25.statSync)(path);
          return now;
        } catch (e) {
          return e.code === "EACCES" ? "absent" : now;
        }
      }
      /** An input as stored (untrusted: it may come from a remote) back to what to look at. */
      specOf(input, mtimes) {
        if (typeof input.path !== "string" || typeof input.value !== "string") return null;
        const path = this.opts.roots.load(input.path);
        switch (input.kind) {
          case "absent":
            return input.asUser === true ? { path, kind: "absent", asUser: true } : { path, kind: "absent" };
          case "content":
          case "link":
          case "vacant":
          case "replaceable":
            return { path, kind: input.kind };
          case "stat": {
            if (input.value === "absent") return { path, kind: "exists", nofollow: true };
            const stored = parseStoredStat(input.value);
            if (!stored) return null;
            const spec = { path, kind: "stat", type: stored.type, mode: stored.mode, uid: stored.uid, gid: stored.gid, nofollow: stored.nofollow };
            if (stored.size !== void 0) spec.size = stored.size;
            if (stored.links !== void 0) spec.nlink = stored.links;
            if (stored.mtime) spec.mtime = stored.mtime;
            if (stored.own) spec.mtimeOwn = true;
            const m = mtimes?.get(statKey(input.path, stored.nofollow));
            if (m !== void 0) spec.mtimeNs = m;
            return spec;
          }
          case "exists": {
            const spec = typeof input.type === "string" ? { path, kind: "exists", type: input.type } : { path, kind: "exists" };
            if (input.nofollow === true) spec.nofollow = true;
            return spec;
          }
          case "xattrs":
            return input.nofollow === true ? { path, kind: "xattrs", nofollow: true } : { path, kind: "xattrs" };
          case "perms":
            return input.value.startsWith("owner:") ? { path, kind: "perms", owner: true } : { path, kind: "perms" };
          case "listing": {
            if (!Array.isArray(input.names) || !input.names.every((n) => typeof n === "string")) return null;
            if (input.types === void 0) return { path, kind: "listing", names: input.names };
            return typeof input.types === "string" && input.types.length === input.names.length ? { path, kind: "listing", names: input.names, types: input.types } : null;
          }
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
      /** kept: the snapshots of the outputs, what the subtree left at its end */
      recordedValue(spec, kept) {
        if (spec.known !== void 0) return spec.known;
        switch (spec.kind) {
          case "listing":
            return namesFingerprint(spec.names, spec.types);
          case "absent":
          case "vacant":
            return "absent";
          // what the recording left there is what a later create over it must find; 'taken' (a
          // directory, a link, a file with other names) is recorded as a value nothing matches
          case "replaceable": {
            const left = replaceable(spec.path, this.opts.hasher) ?? "replaceable:";
            return left === "taken" ? "replaceable:none" : left;
          }
          case "exists":
            if (spec.type) return `type:${spec.type}`;
            if (!spec.nofollow) return "exists";
            spec.type = lstatType(spec.path);
            return spec.type ? `type:${spec.type}` : "absent";
          case "stat": {
            if (spec.mode >= 0) {
              return statBase(spec, { mode: typeMode(spec.type) | spec.mode, uid: spec.uid, gid: spec.gid, size: spec.size ?? 0, nlink: spec.nlink ?? 1 });
            }
            const st = statNow(spec.readAt ?? spec.path, spec.nofollow);
            return statBase(spec, st ? statFields(st) : void 0);
          }
          case "perms":
            if (spec.mode === void 0 || spec.uid === void 0 || spec.gid === void 0) return this.fs.valueSoon(spec);
            return permsValue(spec.path, this.opts.hasher, { mode: spec.mode, uid: spec.uid, gid: spec.gid, size: 0, nlink: 1 }, spec.owner === true);
          case "content":
            if (spec.movedTo !== void 0) {
              const left = kept.get(spec.movedTo)?.state;
              if (left?.type === "file") return `sha256:${left.blob}`;
              return this.fs.valueSoon({ path: spec.movedTo, kind: "content" });
            }
            if (spec.prefix !== void 0) {
              const digest = this.opts.hasher.hashPrefix(spec.path, spec.prefix);
              return digest ? `sha256:${digest}` : "lost";
            }
            return this.fs.valueSoon(spec);
          default:
            return this.fs.valueSoon(spec);
        }
      }
      /**
       * The mtime part of each stat input's value: its order among the ordered ones, or itself. A
       * replayed child's stat input carries the mtime its lookup saw; one without is read now.
       */
      mtimeSuffixes(inputs, since, end) {
        const datedAfter = (spec, m) => since !== void 0 && m > since && (spec.type !== "dir" || end !== void 0 && m > end);
        const ordered = /* @__PURE__ */ new Map();
        const out = /* @__PURE__ */ new Map();
        const own = /* @__PURE__ */ new Set();
        let ownDir = null;
        let dated = null;
        for (const spec of inputs) {
          if (spec.kind !== "stat" || !spec.mtime) continue;
          const key = statKey(spec.path, spec.nofollow);
          if (spec.mtimeOwn && since !== void 0) {
            ownDir = spec.path;
            if (spec.mtime === "absolute") out.set(key, OWN_ABSOLUTE);
            else {
              own.add(key);
              ordered.set(key, since);
            }
            continue;
          }
          const m = spec.mtimeNs ?? this.fs.mtimeOf(spec.path, spec.nofollow === true);
          if (m === null) return `${spec.path}: its mtime cannot be read any more`;
          if (datedAfter(spec, m)) dated = spec.path;
          if (spec.mtime === "order") ordered.set(key, m);
          else out.set(key, `@t${m}`);
        }
        if (ownDir && dated) return `${dated} is dated after the run began, and ${ownDir}, which the run changed, is compared with it: which is newer is timing`;
        const seenAt = /* @__PURE__ */ new Map();
        for (const spec of inputs) {
          if (spec.kind !== "stat" || spec.mtime !== "order") continue;
          const at = spec.seenAtNs ?? (spec.seenAtMs === void 0 ? void 0 : this.realTimeOf(spec.seenAtMs));
          if (at !== void 0) seenAt.set(statKey(spec.path, spec.nofollow), at);
        }
        const fallback = end ?? BigInt(Date.now()) * 1000000n;
        for (const [path, rank] of rankMtimes(ordered, (key) => seenAt.get(key) ?? fallback)) out.set(path, own.has(path) ? `${rank}n` : rank);
        return out;
      }
      /**
       * A file read by the subtree must still be the file it opened: a change by a process outside
       * the trace (an editor, another run), or by a traced one whose report has not come in yet,
       * shows as another inode, size, mtime or ctime, and the content hashed now would not be what
       * the program read.
       */
      /**
       * A file with other names whose permissions or mode are read at the recording: a chmod through
       * another name after exec ended is no change under this one (hunt 60: `./s; chmod -x s2`, s2 a
       * hard link). Its ctime, after exec's end, tells that something changed it.
       */
      changedByAnotherName(exec, inputs) {
        const end = exec.endMs === null ? void 0 : this.realTimeOf(exec.endMs);
        if (end === void 0) return null;
        for (const spec of inputs) {
          if (!readAtRecording(spec)) continue;
          const st = statNow(spec.path, false);
          if (!st || st.isDirectory() || st.nlink < 2n || st.ctimeNs <= end) continue;
          return `${spec.path} has other names, and one of them changed it after it ended, before it was recorded`;
        }
        return null;
      }
      readButChanged(inputs) {
        for (const spec of inputs) {
          if (spec.kind !== "content" || !spec.seen || spec.pinned) continue;
          const seen = parseSeen(spec.seen);
          if (seen && typeOfMode(seen.mode) !== "file") continue;
          const now = statNow(spec.path, false);
          if (!seen || !now || identityOf(seen) !== identityOf({ ino: now.ino, size: Number(now.size), mtimeNs: now.mtimeNs, ctimeNs: now.ctimeNs })) {
            return `${spec.path} changed after it was read, by a process outside the trace or one whose report had not come in yet`;
          }
        }
        return null;
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
        for (const [at, item] of this.builder.ownLog(exec.id)) {
          if (item.kind !== "access" || item.access.result !== "ok" || !CHANGE_OPS.has(item.access.op)) continue;
          if (item.access.path) paths.add(item.access.path);
          if (typeof item.access.to === "string") paths.add(item.access.to);
          if (item.access.path && OPENS_FOR_WRITING.has(item.access.op)) for (const to of this.movedAfter(item.access.path, at, endAt)) paths.add(to);
        }
        for (const path of paths) {
          if (!this.opts.roots.allows(path)) continue;
          const now = this.stateNow(path);
          const snapshot = { at: endAt, taken, lookedNs: this.builder.nowNs(), exec: exec.id, ...now };
          this.snapshots.add(path, snapshot);
          const real = this.walker.walk(path, false).real;
          if (real !== path && this.opts.roots.allows(real)) this.snapshots.add(real, snapshot);
        }
      }
      /** Where renames after `from` took path by endAt (`exec >log; ...; mv log log2; echo b`: the
       * shell's fd still writes into what is now log2, which its exit must snapshot). */
      movedAfter(path, from, endAt) {
        const names = [];
        let at = from;
        for (let name = path; ; ) {
          const next = this.renames.get(name)?.find((m) => m.at > at && m.at <= endAt);
          if (!next || names.includes(next.to)) return names;
          names.push(next.to);
          name = next.to;
          at = next.at;
        }
      }
      /**
       * A file output with more than one link is restored as a hard link to another name the entry
       * knows (an input it read, or an output before it); one whose other names the entry does not
       * know cannot be restored as it was (a later write through the other name would show): refused.
       * A link brings back the file as the name linked to holds it then: a change the subtree made
       * through the other name is refused in lostLinkedChange (hunt 42: `cat o/f; echo x >> g`
       * replayed left both names without the x). Making the name linked to an output too, as tried
       * first, restored its recorded mode over a newer one (`ln -f a b` after `chmod 600 a`: hunt 47).
       */
      hardLinks(outputs, inputs) {
        const first = /* @__PURE__ */ new Map();
        const names = /* @__PURE__ */ new Map();
        const know = (id, path) => {
          const known = names.get(id) ?? /* @__PURE__ */ new Set();
          known.add(path);
          names.set(id, known);
        };
        for (const spec of inputs) {
          if (spec.kind !== "content" || !this.opts.roots.allows(spec.path)) continue;
          const k = fileIdentity(spec.path);
          if (!k || k.links < 2) continue;
          if (!first.has(k.id)) first.set(k.id, this.opts.roots.store(spec.path));
          know(k.id, spec.path);
        }
        const byName = new Map(outputs.map((o) => [o.path, o]));
        for (const o of outputs) {
          if (o.type !== "file") continue;
          const path = this.opts.roots.load(o.path);
          const k = fileIdentity(path);
          if (!k || k.links < 2) continue;
          know(k.id, path);
          const name = first.get(k.id);
          if (name === void 0) first.set(k.id, o.path);
          else if (name !== o.path) {
            o.linkOf = name;
            const other = byName.get(name);
            if (other && (other.type !== "file" || other.blob !== o.blob || other.mode !== o.mode)) return `${path} and ${this.opts.roots.load(name)} are one file, and were recorded with different contents or modes`;
          }
        }
        for (const o of outputs) {
          if (o.type !== "file") continue;
          const path = this.opts.roots.load(o.path);
          const k = fileIdentity(path);
          const known = k ? names.get(k.id)?.size ?? 1 : 1;
          if (k && k.links > known) return `${path} has ${k.links} hard links, and the entry knows only ${known} of its names`;
        }
        return null;
      }
      /**
       * Each file output's mtime rank among the entry's: a restore writes them in one instant, and
       * make after a hit must find a.out newer than the z.o it was linked from, as it would have.
       */
      mtimeOrder(outputs) {
        const mtimes = /* @__PURE__ */ new Map();
        for (const o of outputs) {
          if (o.type !== "file") continue;
          const st = (0, import_node_fs25.lstatSync)(this.opts.roots.load(o.path), { bigint: true, throwIfNoEntry: false });
          if (st?.isFile()) mtimes.set(o.path, st.mtimeNs);
        }
        const dirs = /* @__PURE__ */ new Map();
        for (const o of outputs) {
          const dir = (0, import_node_path16.dirname)(o.path);
          if (dir === o.path || dirs.has(dir) || !this.opts.roots.allows(this.opts.roots.load(dir))) continue;
          const st = (0, import_node_fs25.lstatSync)(this.opts.roots.load(dir), { bigint: true, throwIfNoEntry: false });
          if (st?.isDirectory()) dirs.set(dir, st.mtimeNs);
        }
        if (mtimes.size + dirs.size < 2) return [];
        const ranks = rankMtimes(new Map([...mtimes, ...[...dirs].map(([d, m]) => [`dir:${d}`, m])]));
        const rank = (key) => Number(ranks.get(key).slice(2));
        for (const o of outputs) if (o.type === "file" && mtimes.has(o.path)) o.order = rank(o.path);
        return [...dirs.keys()].map((d) => ({ path: d, order: rank(`dir:${d}`) }));
      }
      /** A path's state now, the blob of a file stored (or found stored); a null state when it cannot
       * be told. foreign: why a restore could not leave it so (its owner), when it could not. */
      stateNow(path) {
        try {
          const st = (0, import_node_fs25.lstatSync)(path, { bigint: true, throwIfNoEntry: false });
          if (!st) return { state: { path, type: "absent" }, stored: STORED2 };
          const foreign = foreignOwner(path, st);
          if (foreign) return { state: null, stored: STORED2, foreign };
          const mode = Number(st.mode) & 4095;
          if (st.isSymbolicLink()) return { state: { path, type: "symlink", target: (0, import_node_fs25.readlinkSync)(path) }, stored: STORED2 };
          if (st.isDirectory()) return { state: { path, type: "dir", mode }, stored: STORED2 };
          if (!st.isFile()) return { state: null, stored: STORED2 };
          const cached2 = this.fs.settledDigest(path) ?? this.opts.hasher.cached(path, st);
          const known = cached2 === void 0 ? this.opts.hasher.digestOf(path, st) : { digest: cached2, size: Number(st.size) };
          if (!known) return { state: null, stored: STORED2 };
          const { digest, size } = known;
          const stored = this.opts.store.hasBlob(digest, size).then((has) => has || this.storeIfStill(path, digest)).catch(() => false);
          return { state: { path, type: "file", blob: digest, mode, size }, stored };
        } catch {
          return { state: null, stored: STORED2 };
        }
      }
      /** Stores path's bytes as the blob digest names, if they still hash to it. */
      async storeIfStill(path, digest) {
        const now = this.opts.hasher.read(path);
        if (now.digest !== digest) return false;
        this.context.scan(digest, now.data);
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
      async ended(exec, endAt, outlived, reap) {
        await yieldToIo();
        if (reap && this.holdWouldPin(exec)) await reap.done;
        if (exec.skipped && exec.parent === null) {
          this.row(exec, "hit");
          return;
        }
        const folded = await this.fold(exec, endAt);
        if (outlived) folded.unsafe.push({ exe: exec.exe, reason: "a process it started outlived it" });
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
        const ranges = /* @__PURE__ */ new Map();
        const hitUnsafe = [];
        const mtimes = mtimeUse(this.interpreterOf(exec.exe) ?? exec.exe, exec.argv);
        let savedMs = 0;
        const observed = [...exec.observed];
        const context = [];
        for (const { path } of this.answerOf.get(exec.id)?.view?.reads ?? []) {
          own.push([this.builder.startOf(exec.id), { kind: "access", access: { op: "read", path, result: "ok" } }, NO_OUTPUT]);
        }
        const unprivileged = this.answerOf.get(exec.id)?.view?.privileged !== true;
        const ownUser = this.answerOf.get(exec.id)?.view?.ownUser === true;
        for (const [at, item] of this.builder.ownLog(exec.id)) {
          if (item.kind === "access") {
            const pinned = item.access.op === "read" ? this.pins.of(item.access) : void 0;
            const step = { kind: "access", access: item.access, mtimes };
            if (pinned) step.pinned = pinned;
            if (unprivileged) step.unprivileged = true;
            if (ownUser) step.ownUser = true;
            own.push([at, step, NO_OUTPUT]);
          } else if (item.kind === "output") {
            const chunk = { fd: item.fd, data: item.data, dest: destOf(exec, item.fd), ...item.pos === void 0 ? {} : { pos: item.pos } };
            if (item.range) ranges.set(chunk.dest, chunk);
            else own.push([at, null, [chunk]]);
          } else if (item.kind === "foreign") continue;
          else {
            const [step, chunks] = await this.replayedStep(item.tag);
            own.push([at, step, chunks.map((c) => ({ ...c, dest: destOf(exec, c.fd) }))]);
            savedMs += item.tag.entry.durationMs;
            observed.push(...seenFrom(observedNames(item.tag.entry), this.builder.executions[item.exec], exec, this.answerOf.get(exec.id)?.inherited, hitUnsafe));
            const pipe = item.tag.stdinPipe;
            if (pipe) hitUnsafe.push({ exe: this.builder.executions[item.exec].exe, reason: "it reads stdin (pipe), whose bytes it was reused on", pipe });
            context.push(...contextOf(item.tag.entry), ...item.tag.passed);
          }
        }
        const children = [];
        let childReason = null;
        this.keyOnReads(exec);
        const keyedPipe = this.answerOf.get(exec.id)?.stdinPipe;
        const within = (id) => this.builder.isWithin(this.builder.executions[id], exec.id);
        const liftedPipe = (u) => u.pipe !== void 0 && (u.pipe === keyedPipe || this.madeWithin(exec, u.pipe));
        const unsafe = [];
        const keyedReads = [];
        for (const u of ownUnsafety(exec, within)) (keyedPipe && u.pipe === keyedPipe ? keyedReads : unsafe).push(u);
        for (const u of hitUnsafe) if (!liftedPipe(u)) addUnsafe(unsafe, u);
        if (keyedPipe && this.pipesByPath.has(keyedPipe)) unsafe.push({ exe: exec.exe, reason: "its stdin, a pipe read ahead at its exec, was opened by path meanwhile (/proc/PID/fd): bytes came or went that its key does not hold" });
        for (const child of this.builder.childrenOf(exec)) {
          const f = this.folded.get(child.id);
          if (!f) continue;
          if (f.summary.unmodelled) childReason ??= f.summary.unmodelled;
          for (const u of [...f.unsafe, ...f.keyedReads]) {
            const lifted = liftedPipe(u) || u.otherExec !== void 0 && within(u.otherExec);
            if (!lifted) addUnsafe(unsafe, u);
          }
          savedMs += f.savedMs;
          const changed = this.changedSinceExec(f.observed, child, exec);
          if (changed) addUnsafe(unsafe, { exe: child.exe, reason: changed });
          observed.push(...seenFrom(f.observed, child, exec, this.answerOf.get(exec.id)?.inherited, unsafe));
          context.push(...f.context, ...this.answerOf.get(child.id)?.passed ?? []);
          const s = f.summary;
          const stream2 = [];
          const piped = [];
          for (const c of f.stream) {
            const mine = c.dest === "null" ? null : asOwn(exec, c);
            if (mine) stream2.push(mine);
            else if (c.dest !== "null") piped.push(c.data);
          }
          if (piped.length) context.push(...this.context.inBytes(this.answerOf.get(exec.id)?.context ?? [], piped));
          children.push([f.endAt, { kind: "replayed", inputs: s.inputs, outputs: s.outputs, created: s.created, removed: s.removed, renewed: s.renewed, entryChanges: s.entryChanges, permsChanged: s.permsChanged, ...s.moved?.length ? { moved: s.moved } : {}, ...s.hardLinked?.length ? { hardLinked: s.hardLinked } : {} }, stream2]);
        }
        const parts = mergeByPosition(own, children.sort((a, b) => a[0] - b[0]));
        const steps = [];
        const stream = [];
        for (const [, step, out] of parts) {
          if (step) steps.push(step);
          for (const o of out) if (!ranges.has(o.dest)) stream.push(o);
        }
        stream.push(...ranges.values());
        const summary = summarize(steps, this.walker, this.realTimeOf(exec.startMs), exec.endMs === null ? void 0 : this.realTimeOf(exec.endMs));
        if (childReason && !summary.unmodelled) {
          summary.cacheable = false;
          summary.reason = childReason;
          summary.unmodelled = childReason;
        }
        if (ranges.size) this.stats.readBack++;
        const linked = [...this.linkedChanges.get(exec.id) ?? []];
        this.linkedChanges.delete(exec.id);
        for (const child of this.builder.childrenOf(exec)) linked.push(...this.folded.get(child.id)?.linked ?? []);
        return { summary, unsafe, keyedReads, linked, stream, endAt, savedMs, observed: [...new Set(observed)], context: uniquePairs(context), ...ranges.size ? { ranged: true } : {} };
      }
      /**
       * The interpreter a script names on its #! line (`env` skipped), or null for a binary: a wrapper
       * script called `cc` is a shell, and uses mtimes as one, whatever its name says.
       */
      interpreterOf(exe) {
        let known = this.interpreters.get(exe);
        if (known === void 0) {
          known = null;
          try {
            const fd = (0, import_node_fs25.openSync)(exe, "r");
            try {
              const head2 = Buffer.alloc(256);
              const line = head2.subarray(0, (0, import_node_fs25.readSync)(fd, head2, 0, head2.length, 0)).toString("latin1").split("\n")[0];
              const words = line.startsWith("#!") ? line.slice(2).trim().split(/\s+/) : [];
              known = ((0, import_node_path16.basename)(words[0] ?? "") === "env" ? words.find((w, i) => i > 0 && !w.startsWith("-")) : words[0]) ?? null;
            } finally {
              (0, import_node_fs25.closeSync)(fd);
            }
          } catch {
          }
          this.interpreters.set(exe, known);
        }
        return known;
      }
      /** A child served from cache: what its entry stands for, and its output stream. */
      async replayedStep(hit) {
        const { entry, created, removed } = hit;
        const inputs = entry.inputs.flatMap((i) => {
          const spec = this.specOf(i, hit.mtimes);
          if (!spec) return [];
          if (spec.kind === "stat") spec.seenAtNs = hit.mtimesAt;
          if (spec.kind !== "stat" && spec.kind !== "listing") spec.known = i.value;
          return [spec];
        });
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
          removed: entry.outputs.filter((o) => o.type === "absent").map((o) => this.opts.roots.load(o.path)),
          renewed: [...created, ...entry.outputs.filter((o) => o.type === "file" && o.newFile).map((o) => this.opts.roots.load(o.path))]
        };
        const moved = [];
        const hardLinked = [];
        for (const o of entry.outputs) {
          if (o.type !== "file") continue;
          if (typeof o.movedFrom === "string") moved.push([this.opts.roots.load(o.path), this.opts.roots.load(o.movedFrom)]);
          if (typeof o.linkOf === "string") hardLinked.push([this.opts.roots.load(o.path), this.opts.roots.load(o.linkOf)]);
        }
        if (moved.length) step.moved = moved;
        if (hardLinked.length) step.hardLinked = hardLinked;
        if (!entry.stream) return [step, []];
        const blob = await this.recentBlobs.getBlob(entry.stream.blob);
        if (!blob) throw new Error("a replayed output stream is missing");
        return [step, this.stream(entry, /* @__PURE__ */ new Map([[entry.stream.blob, blob]]))];
      }
      /**
       * A file changed in place (written, truncated, chmod-ed) while it had other names: noted with
       * its inode, since a later rm or mv of this name leaves an entry that restores only this
       * name's end (hunt 38: `echo new > g; rm g` replayed left g's other name with the old bytes).
       * The tracer's stat at the call's exit, while the process is stopped, tells the links (looked
       * at here, later, a chmod'ed name already replaced read as another file: hunt 39); a change
       * through an fd whose file has no name left tells none.
       */
      noteLinkedChange(access, exec) {
        if (!IN_PLACE_CHANGES.has(access.op) || !this.opts.roots.allows(access.path)) return;
        const seen = access.seen ? parseSeen(access.seen) : null;
        if (!seen || typeOfMode(seen.mode) !== "file" || seen.nlink < 2) return;
        const list = this.linkedChanges.get(exec) ?? [];
        list.push({ path: access.path, id: `${seen.dev}:${seen.ino}` });
        this.linkedChanges.set(exec, list);
      }
      /** Why the entry cannot stand for changes made in place to a file with other names: its end
       * at that name is not that file any more (removed, replaced, renamed away); or the subtree read
       * it (or linked to it) under another name, whose content is then read at the recording after
       * the change (hunt 42: `ln t h; python3 -c "open('h', 'r+').write('XY')"` recorded t as read
       * with XY in it). */
      lostLinkedChange(linked, outputs, inputs) {
        for (const change of linked) {
          const out = outputs.find((o) => this.opts.roots.load(o.path) === change.path);
          if (out?.type !== "file" || fileIdentity(change.path)?.id !== change.id) {
            return `${change.path}, a file with other names, was changed in place and then removed or replaced: a restore could not carry the change to its other names`;
          }
          const read2 = inputs.find((spec) => spec.kind === "content" && spec.path !== change.path && fileIdentity(spec.path)?.id === change.id);
          if (read2) return `${read2.path} was read (or linked to), and then changed in place through its other name ${change.path}: what it held when read is lost`;
        }
        return null;
      }
      /** Records exec's entry; returns why it cannot be, or null. */
      async record(exec, folded) {
        const answer = this.answerOf.get(exec.id);
        if (answer?.refused) return answer.refused;
        if (exec.unseen) return exec.unseen;
        if (folded.ranged && this.opts.warnedAt?.some((at) => at <= folded.endAt)) {
          return "processcache printed a warning while it ran, perhaps into the file its output was read back from";
        }
        const weak = answer?.weak;
        if (!weak) return "its exec was not seen";
        if (exec.exitCode === null) return `killed by signal ${exec.signal}`;
        const [unsafe] = folded.unsafe;
        if (unsafe) return unsafe.exe === exec.exe ? unsafe.reason : `${unsafe.exe}: ${unsafe.reason}`;
        const durationMs = (exec.endMs ?? exec.startMs) - exec.startMs;
        if (durationMs < this.opts.minDurationMs) return `shorter than ${this.opts.minDurationMs} ms: a lookup would cost more`;
        const { summary } = folded;
        if (!summary.cacheable) return summary.reason ?? "not modelled";
        const attributes = recordedAttributes(folded.observed, answer?.view);
        if (typeof attributes === "string") return attributes;
        const offsets = endOffsets(answer?.view, exec.inheritedEnds);
        if (typeof offsets === "string") return offsets;
        const placedAt = /* @__PURE__ */ new Map();
        const meanwhile = (identity) => this.writtenMeanwhile(exec, folded.endAt, identity);
        const short2 = streamShortfall(answer?.view, exec.inheritedEnds, folded.stream, exec.streams, this.builder.execChainAfter(exec).map((e) => e.streams), placedAt, meanwhile);
        if (short2) return short2;
        const full = lowOnSpace(summary.outputs);
        if (full) return full;
        if (placedAt.size) folded.stream = inFileOrder(folded.stream, placedAt);
        const kept = /* @__PURE__ */ new Map();
        const within = (id) => this.builder.isWithin(this.builder.executions[id], exec.id);
        for (const path of summary.outputs) {
          const snapshot = this.snapshots.last(path, folded.endAt, within);
          if (snapshot?.foreign) return snapshot.foreign;
          if (snapshot?.state) kept.set(path, snapshot);
        }
        const racedEarly = this.changedByOthers(exec, folded.endAt, summary.inputs, summary.outputs, kept);
        if (racedEarly) return racedEarly;
        const outputs = await this.outputStates(summary.outputs, new Set(summary.created), new Set(summary.removed), new Set(summary.renewed), kept, new Map(summary.moved ?? []));
        if (typeof outputs === "string") return outputs;
        const unlinked = this.hardLinks(outputs, summary.inputs) ?? this.lostLinkedChange(folded.linked, outputs, summary.inputs);
        if (unlinked) return unlinked;
        const dirOrder = this.mtimeOrder(outputs);
        const soon = summary.inputs.map((spec) => this.recordedValue(spec, kept));
        const values = soon.every((v) => typeof v === "string") ? soon : await Promise.all(soon);
        const readNs = this.builder.nowNs();
        const raced = this.changedByOthers(exec, folded.endAt, summary.inputs, summary.outputs, kept);
        if (raced) return raced;
        const lost = values.indexOf("lost");
        if (lost >= 0) return `${summary.inputs[lost].path} is shorter than before its appends: it was changed otherwise`;
        const blind = values.findIndex((v) => v === UNREADABLE || v === "xattrs:unreadable:13");
        if (blind >= 0) return `${summary.inputs[blind].path}: the command read it, and processcache's user may not (EACCES): a later change would not be seen`;
        const changedOutside = this.readButChanged(summary.inputs) ?? this.changedByAnotherName(exec, summary.inputs);
        if (changedOutside) return changedOutside;
        const suffixes = this.mtimeSuffixes(summary.inputs, this.realTimeOf(exec.startMs), exec.endMs === null ? void 0 : this.realTimeOf(exec.endMs));
        if (typeof suffixes === "string") return suffixes;
        const late = this.watchLate(exec, summary.inputs, summary.outputs, kept, readNs);
        const inputs = summary.inputs.map((spec, i) => toInput(spec, values[i] + (spec.kind === "stat" && values[i] !== "absent" ? suffixes.get(statKey(spec.path, spec.nofollow)) ?? "" : ""), this.opts.roots.store(spec.path)));
        const { stream, data } = await this.storeStream(folded.stream);
        const context = await this.context.found(answer?.context ?? [], {
          inputs,
          outputs,
          stream: stream && data ? { blob: stream.blob, data, chunks: stream.chunks } : null,
          below: [...folded.context, ...answer?.passed ?? [], ...this.context.namedInReads(answer?.context ?? [], inputs, (p) => this.opts.roots.load(p))]
        });
        if (typeof context === "string") return context;
        folded.context = uniquePairs([...folded.context, ...context]);
        if (late.spoiled) return late.spoiled;
        const nowNs = this.builder.nowNs();
        const other = this.opts.otherRun?.(nowNs === null ? null : nowNs / 1e6 - exec.startMs);
        if (other) return other;
        const strong = sha256(weak + JSON.stringify(inputs) + (attributes ? JSON.stringify(attributes) : "") + (context.length ? `context${JSON.stringify(context)}` : ""));
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
          children,
          ...attributes ? { attributes } : {},
          ...offsets ? { offsets } : {},
          ...context.length ? { context } : {},
          ...dirOrder.length ? { dirOrder } : {}
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
        const readLate = new Set(inputs.filter(readAtRecording).map((i) => i.path));
        const read2 = inputs.filter((i) => i.kind === "content" || i.kind === "link").map((i) => i.path);
        const pinnedNs = /* @__PURE__ */ new Map();
        for (const i of inputs) if (i.kind === "content" && i.pinned && !outputs.includes(i.path)) pinnedNs.set(i.path, i.pinned.ns);
        this.late.watch(/* @__PURE__ */ new Set([...read2, ...readLate, ...outputs]), {
          spoils: (path, c) => {
            if (own(c.exec)) return false;
            const looked = readLate.has(path) ? readNs : kept.has(path) ? kept.get(path).lookedNs : pinnedNs.has(path) ? pinnedNs.get(path) : readNs;
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
          const seen = input.kind === "absent" || input.kind === "vacant" || input.kind === "replaceable" || input.kind === "exists" || input.kind === "listing" || input.kind === "stat" && !readAtRecording(input);
          const pinned = input.kind === "content" ? input.pinned : void 0;
          const harmless = seen ? (c) => c.at > endAt : pinned ? (c) => c.at > pinned.at && c.at > endAt : void 0;
          const at = input.kind === "content" && input.movedTo !== void 0 ? { path: input.movedTo, kind: "content" } : input;
          const change = this.fs.changes.foreign(at, since, own, harmless);
          if (change) return why(input.path, change);
        }
        for (const path of outputs) {
          const snapshot = kept.get(path);
          const after = snapshot ? (c) => c.at > endAt && (c.tick ?? (c.exec >= 0 ? this.answerOf.get(c.exec)?.tick ?? -1 : -1)) > snapshot.taken : void 0;
          const change = this.fs.changes.foreign({ path, kind: "content" }, since, own, after);
          if (change) return why(path, change);
        }
        return null;
      }
      /** The final state of each output; a message when one is outside the allowed directories. */
      async outputStates(paths, createdHere, removedHere, renewed, kept, movedFrom) {
        const states = [];
        for (const path of paths.sort()) {
          const noEffect = createdHere.has(path) && removedHere.has(path);
          if (!this.opts.roots.allows(path)) {
            if (noEffect && !(0, import_node_fs25.lstatSync)(path, { throwIfNoEntry: false })) continue;
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
          const from = state.type === "file" ? movedFrom.get(path) : void 0;
          states.push({
            ...state,
            path: this.opts.roots.store(path),
            ...state.type === "file" && renewed.has(path) ? { newFile: true } : {},
            ...from !== void 0 ? { movedFrom: this.opts.roots.store(from) } : {}
          });
        }
        return states;
      }
      /** A path's state now, its blob in the store; throws when that cannot be had. */
      async finalState(path) {
        const now = this.stateNow(path);
        if (now.foreign) throw new Error(now.foreign);
        if (!now.state) throw new Error("neither a file, a directory nor a symlink, or gone meanwhile");
        if (!await now.stored) throw new Error("its content could not be stored");
        return now.state;
      }
      /** Stores the stream; its bytes are given back for the search of context values. */
      async storeStream(chunks) {
        if (!chunks.length) return { stream: null, data: null };
        const data = Buffer.concat(chunks.map((c) => c.data));
        const blob = sha256(data);
        await this.opts.store.putBlob(blob, data);
        return { stream: { blob, chunks: chunks.map((c) => ({ fd: c.fd, bytes: c.data.length })) }, data };
      }
      /**
       * What processes outside exec's subtree wrote into the file identity names (a stream of theirs)
       * while exec ran: its start to endAt in the log.
       */
      writtenMeanwhile(exec, endAt, identity) {
        const out = [];
        const log = this.builder.log;
        const from = this.builder.startOf(exec.id);
        for (let i = Math.max(0, from - EARLY_ITEMS); i < endAt && i < log.length; i++) {
          const item = log[i];
          if (item.kind !== "output" && item.kind !== "foreign") continue;
          const writer = this.builder.executions[item.exec];
          const into = item.kind === "output" ? writer.streams[item.fd - 1] : item.identity;
          if (into !== identity || this.builder.isWithin(writer, exec.id)) continue;
          if (item.kind === "output" && item.range && this.builder.isWithin(exec, writer.id)) continue;
          if (i < from && writer.endMs !== null && writer.endMs < exec.startMs) continue;
          if (i < from && this.wentOnBefore(item.soloPid, i, exec)) continue;
          out.push(item.pos === void 0 ? { data: item.data } : { pos: item.pos, data: item.data });
        }
        const until = exec.endMs ?? Number.POSITIVE_INFINITY;
        for (const { atMs, within, chunks } of this.replayedIntoFiles) {
          if (atMs < exec.startMs || atMs > until || within && this.builder.isWithin(within, exec.id)) continue;
          for (const c of chunks) if (c.identity === identity) out.push({ data: c.data });
        }
        return out;
      }
      /**
       * Was the write at log item `at`, by a process with one thread, over before exec's exec? So
       * when that process exec'd after it, before exec did (or is exec's own: bash's forks print
       * their `set -x` line, then exec): a thread's write ends before its next call. Its offset,
       * taken at exec's exec, is then past it, and it is no write meanwhile.
       */
      wentOnBefore(soloPid, at, exec) {
        if (soloPid === void 0) return false;
        if (soloPid === exec.pid) return true;
        for (let id = exec.id - 1; id >= 0; id--) {
          const start = this.builder.startOf(id);
          if (start <= at) return false;
          if (this.builder.executions[id].pid === soloPid) return true;
        }
        return false;
      }
      /** Notes what a hit's replay writes into files, as it is decided: a recording of a process
       * that wrote there meanwhile may come before the hit has ended. */
      noteReplayIntoFiles(q, view, output) {
        const files = new Set(view.streamStarts.map((s) => s.fd));
        const chunks = output.flatMap((c) => {
          const fd = c.fd === 2 ? 2 : 1;
          return files.has(fd) && q.streams[fd - 1] ? [{ identity: q.streams[fd - 1], data: c.data }] : [];
        });
        const nowNs = this.builder.nowNs();
        if (chunks.length) this.replayedIntoFiles.push({ atMs: nowNs === null ? Number.POSITIVE_INFINITY : nowNs / 1e6, within: this.builder.executionOf(q.pid), chunks });
      }
      /** Waits for the recordings still under way; the rows in execution order. */
      async finish() {
        for (const wait of [...this.reapWaits.values()]) wait.resolve();
        await this.recording;
        await Promise.all(this.writes);
        this.stats.executions = [...this.rows.values()].sort((a, b) => a.id - b.id);
        return this.stats;
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
    init_attributes();
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
    const st = (0, import_node_fs28.fstatSync)(fd);
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
    "ignore-env": { value: true, repeat: true },
    "env-input": { value: true, repeat: true }
  }, EXPLAIN_USAGE);
  if (!command.length) throw new UsageError(`no command to explain
${EXPLAIN_USAGE}`);
  const cwd = process.cwd();
  const exe = resolveProgram(command[0], process.env, cwd);
  const store = new LocalStore((0, import_node_path19.resolve)(String(options.get("store") ?? defaultStoreDir())), false);
  const ignoreEnv = ignoredEnv(lists.get("ignore-env"), forcedEnv(lists.get("env-input")));
  const index = await store.openIndex();
  const hasher = new FileHasher();
  hasher.xattrs = xattrsValue;
  const engine = new MemoEngine({
    store,
    index,
    roots: new Roots((0, import_node_path19.resolve)(String(options.get("root") ?? cwd))),
    ignoreEnv,
    minDurationMs: 0,
    umask: process.umask(),
    toolVersion: VERSION,
    hasher,
    warn: () => {
    }
  }, new TraceBuilder());
  const env = Object.entries(process.env).filter((e) => e[1] !== void 0).map(([k, v]) => `${k}=${v}`);
  const weak = engine.weakOfQuery({ exe, argv: command, cwd, env, stdio: [stdioKind(0), stdioKind(1), stdioKind(2)] }, viewOf(commandAttrs(), env, ownStreams(), stdioKind(0), exe));
  const explainer = new Explainer(engine, index, env);
  await explainer.explain(weak, command.join(" "), 0);
  process.stdout.write(`${explainer.lines.join("\n")}
`);
  if (explainer.lines.length >= MAX_LINES) process.stdout.write(`(cut at ${MAX_LINES} lines)
`);
  process.stdout.write("(children are judged against the files as they are now, before anything runs)\n");
  return 0;
}
var import_node_fs28, import_node_path19, import_node_tty, EXPLAIN_USAGE, MAX_LINES, Explainer;
var init_explain_command = __esm({
  "src/cli/explain-command.ts"() {
    "use strict";
    import_node_fs28 = require("node:fs");
    import_node_path19 = require("node:path");
    import_node_tty = require("node:tty");
    init_fingerprint();
    init_memo();
    init_store();
    init_trace();
    init_args();
    init_common();
    EXPLAIN_USAGE = "usage: processcache explain [--store DIR] [--root DIR] [--ignore-env VAR]... [--env-input VAR]... -- CMD [ARGS...]";
    MAX_LINES = 200;
    Explainer = class {
      constructor(engine, index, env) {
        this.engine = engine;
        this.index = index;
        this.env = env;
      }
      engine;
      index;
      env;
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
          const differs2 = this.engine.differences(entry2, this.env);
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
var import_node_fs18 = require("node:fs");
var import_node_path12 = require("node:path");
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
  const dir = (0, import_node_path12.resolve)(String(options.get("store") ?? defaultStoreDir()));
  if (!(0, import_node_fs18.existsSync)(dir)) {
    process.stderr.write(`processcache: no store at ${dir}: nothing to collect
`);
    return 0;
  }
  const r = collectGarbage(dir, max);
  const mib = (n) => `${(n / 1024 ** 2).toFixed(1)} MiB`;
  const temps = `; ${r.tempsRemoved} temporary file${r.tempsRemoved === 1 ? "" : "s"} left by interrupted runs removed`;
  process.stderr.write(`processcache: removed ${r.entriesRemoved} of ${r.entriesBefore} entries; ${mib(r.bytesBefore)} -> ${mib(r.bytesAfter)}${temps}
`);
  return 0;
}

// src/cli/run-command.ts
var import_node_child_process2 = require("node:child_process");
var import_node_fs26 = require("node:fs");
var import_node_os7 = require("node:os");
var import_node_path17 = require("node:path");
init_fingerprint();
init_memo();
init_store();
init_trace();
init_memo();
init_args();
init_common();
var RUN_USAGE = "usage: processcache run [--store DIR] [--root DIR] [--allow DIR]... [--read-only] [--stats-json FILE] [--quiet] [--ignore-env VAR]... [--env-input VAR]... [--min-duration-ms N] -- CMD [ARGS...]";
var logPosition = null;
var warnedAt = [];
var warn = (message) => {
  if (logPosition) warnedAt.push(logPosition());
  process.stderr.write(`processcache: warning: ${message}
`);
};
function summaryLine(s) {
  return `processcache: ${s.ran} ran, ${s.reused} reused, saved ${(s.savedMs / 1e3).toFixed(1)} s, restored ${formatBytes(s.bytesRestored)}`;
}
function runPlain(command) {
  const fds = callerLaunch().fds;
  const stdio = Array.from({ length: (fds.at(-1) ?? 2) + 1 }, (_, fd) => fd < 3 ? "inherit" : fds.includes(fd) ? fd : "ignore");
  const r = (0, import_node_child_process2.spawnSync)(command[0], command.slice(1), { stdio });
  if (r.error) {
    process.stderr.write(`processcache: ${command[0]}: ${r.error.message}
`);
    return 127;
  }
  return r.signal ? 128 + (import_node_os7.constants.signals[r.signal] ?? 0) : r.status ?? 1;
}
function writableInherited(fds) {
  const jobserver = new Set([...(process.env.MAKEFLAGS ?? "").matchAll(/--jobserver-(?:auth|fds)=(\d+),(\d+)/g)].flatMap((m) => [Number(m[1]), Number(m[2])]));
  return fds.flatMap((fd) => {
    if (jobserver.has(fd)) return [];
    try {
      const flags = fdFlags("self", fd) ?? 0;
      const st = (0, import_node_fs26.fstatSync)(fd);
      const what = st.isFIFO() ? "a pipe" : st.isSocket() ? "a socket" : (flags & 3) === 2 ? "open for reading and writing" : null;
      return what ? [`fd ${fd} (${what})`] : [];
    } catch {
      return [];
    }
  });
}
function nonNegativeInt(value, name, fallback) {
  if (value === void 0) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} takes a whole number of milliseconds, not "${String(value)}"`);
  return n;
}
function register(store, dirs) {
  try {
    return RunRegistry.open(store.dir, dirs);
  } catch (e) {
    if (store.writable) store.writeFailed(e);
    return null;
  }
}
function otherRunReason(runs, msAgo, root) {
  if (!runs) return "this run could not register in the store, so other runs writing here could not be ruled out";
  try {
    const other = runs.otherSince(msAgo === null ? runs.since : Date.now() - msAgo);
    return other ? describeOtherRun(other, root) : null;
  } catch (e) {
    return `the store's list of runs could not be read (${e.message}), so other runs writing here could not be ruled out`;
  }
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
    "env-input": { value: true, repeat: true },
    "min-duration-ms": { value: true }
  }, RUN_USAGE);
  if (command.length === 0) throw new UsageError(`no command to run
${RUN_USAGE}`);
  const undecodable = notUtf8();
  if (undecodable) {
    throw new UsageError(`${undecodable} is not valid UTF-8, and processcache (on Node) cannot pass such bytes on unchanged: run this command without processcache, or give it UTF-8`);
  }
  const cwd = workingDir();
  if (cwd === null) {
    warn(`${CWD_GONE}: running ${command[0]} without the cache; cd to an existing directory to use it`);
    return runPlain(command);
  }
  resolveProgram(command[0], process.env, cwd);
  const leaked = writableInherited(callerLaunch().fds);
  if (leaked.length) {
    warn(`the command inherits ${leaked.join(", ")} from whatever started processcache: a process could write there, and a replay would not, so nothing it runs is cached; close what the command does not use (as in \`exec 9>&-\`)`);
  }
  const storeDir = (0, import_node_path17.resolve)(cwd, String(options.get("store") ?? defaultStoreDir()));
  const root = (0, import_node_path17.resolve)(cwd, String(options.get("root") ?? cwd));
  if (!(0, import_node_fs26.existsSync)(root)) throw new UsageError(`--root ${root} does not exist`);
  const minDurationMs = nonNegativeInt(options.get("min-duration-ms"), "min-duration-ms", 3);
  const ignoreEnv = ignoredEnv(lists.get("ignore-env"), forcedEnv(lists.get("env-input")));
  let store;
  try {
    (0, import_node_fs26.mkdirSync)(storeDir, { recursive: true });
    store = new LocalStore(storeDir, !options.has("read-only"), warn);
  } catch (e) {
    warn(`the store at ${storeDir} cannot be used (${e.message}); running without the cache`);
    return runPlain(command);
  }
  const statCachePath = (0, import_node_path17.join)(storeDir, "statcache.json");
  const hasher = new FileHasher(readStatCache(statCachePath));
  hasher.xattrs = xattrsValue;
  const umask = process.umask();
  const builder = new TraceBuilder();
  logPosition = () => builder.log.length;
  let index;
  try {
    index = await store.openIndex();
  } catch (e) {
    warn(`the store's index at ${storeDir} cannot be read (${e.message}); running without the cache`);
    return runPlain(command);
  }
  const roots = new Roots(root, lists.get("allow") ?? []);
  const runs = register(store, roots.allowed);
  const waitMs = pipeWaitMs(warn) ?? DEFAULT_PIPE_WAIT_MS;
  const engine = new MemoEngine({
    store,
    index,
    roots,
    ignoreEnv,
    minDurationMs,
    umask,
    toolVersion: VERSION,
    hasher,
    warn,
    holdsPipeReaders: waitMs > 0,
    execWaitMs: execWaitMs(warn) ?? DEFAULT_EXEC_WAIT_MS,
    warnedAt,
    // --read-only records nothing: an unregistered run of that kind has nothing to refuse
    otherRun: runs || store.writable ? (msAgo) => otherRunReason(runs, msAgo, root) : void 0
  }, builder);
  let status;
  let stats;
  try {
    try {
      ({ status } = await traceCommand({ command, builder, decideExec: engine.decide, reaped: (pid) => engine.reaped(pid), pipeWaitMs: waitMs }));
    } catch (e) {
      if (!(e instanceof TraceError) || builder.executions.length > 0) throw e;
      warn(`${e.message}; running without the cache`);
      return runPlain(command);
    }
    stats = await engine.finish();
    if (hasher.dirty && store.writable) {
      try {
        atomicWrite(statCachePath, JSON.stringify(hasher.entries()));
      } catch (e) {
        store.writeFailed(e);
      }
    }
  } finally {
    runs?.close();
  }
  if (runs?.killed.length && store.writable) sweepTemps(storeDir);
  if (!options.has("quiet")) process.stderr.write(`${summaryLine(stats)}
`);
  const statsPath = options.get("stats-json");
  if (typeof statsPath === "string") {
    try {
      (0, import_node_fs26.writeFileSync)(statsPath, `${JSON.stringify(stats, null, 1)}
`);
    } catch (e) {
      warn(`could not write ${statsPath}: ${e.message}`);
    }
  }
  return exitCodeOf(status);
}

// src/cli/trace-command.ts
var import_node_fs27 = require("node:fs");
var import_node_path18 = require("node:path");
init_trace();
init_args();
var TRACE_USAGE = "usage: processcache trace [--out FILE] -- CMD [ARGS...]";
async function traceMain(args) {
  const { options, command } = parseArgs(args, { out: { value: true } }, TRACE_USAGE);
  if (command.length === 0) throw new UsageError(`no command to trace
${TRACE_USAGE}`);
  const out = (0, import_node_path18.resolve)(String(options.get("out") ?? "processcache-trace.json"));
  const { trace, status, warnings, builder } = await traceCommand({ command });
  for (const w of [...builder.errors, ...warnings]) process.stderr.write(`processcache: warning: ${w}
`);
  try {
    (0, import_node_fs27.writeFileSync)(out, `${JSON.stringify(trace, null, 1)}
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
      [--ignore-env VAR] [--env-input VAR] [--min-duration-ms N] -- CMD [ARGS...]
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
  callerLaunch();
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
    } else if (isCwdGone(e)) {
      process.stderr.write(`processcache: ${CWD_GONE}; cd to an existing directory and run it again
`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`processcache: internal error: ${e.stack ?? String(e)}
`);
      process.exitCode = 70;
    }
  }
);
