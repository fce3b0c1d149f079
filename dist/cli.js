#!/usr/bin/env node
import { createRequire as __pcRequire } from 'node:module'; const require = __pcRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames2 = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __commonJS2 = (cb, mod3) => function __require2() {
  try {
    return mod3 || (0, cb[__getOwnPropNames2(cb)[0]])((mod3 = { exports: {} }).exports, mod3), mod3.exports;
  } catch (e) {
    throw mod3 = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames2(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod3, isNodeMode, target) => (target = mod3 != null ? __create(__getProtoOf(mod3)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod3 || !mod3.__esModule ? __defProp(target, "default", { value: mod3, enumerable: true }) : target,
  mod3
));

// node_modules/koffi/index.js
var require_koffi = __commonJS2({
  "node_modules/koffi/index.js"(exports, module) {
    "use strict";
    var __getOwnPropNames = Object.getOwnPropertyNames;
    var __commonJS = (cb, mod3) => function __require2() {
      return mod3 || (0, cb[__getOwnPropNames(cb)[0]])((mod3 = { exports: {} }).exports, mod3), mod3.exports;
    };
    var require_tools = __commonJS({
      "../../bin/Koffi/package/src/cnoke/src/tools.js"(exports2, module2) {
        "use strict";
        var crypto = __require("crypto");
        var fs2 = __require("fs");
        var http = __require("https");
        var path2 = __require("path");
        var zlib = __require("zlib");
        async function download_http(url, dest) {
          console.log(">> Downloading " + url);
          let [tmp_name, file] = open_temporary_stream(dest);
          try {
            await new Promise((resolve3, reject) => {
              let request = http.get(url, (response) => {
                if (response.statusCode != 200) {
                  let err = new Error(`Download failed: ${response.statusMessage} [${response.statusCode}]`);
                  err.code = response.statusCode;
                  reject(err);
                  return;
                }
                response.pipe(file);
                file.on("finish", () => file.close(() => {
                  try {
                    fs2.renameSync(file.path, dest);
                  } catch (err) {
                    if (!fs2.existsSync(dest))
                      reject(err);
                  }
                  resolve3();
                }));
              });
              request.on("error", reject);
              file.on("error", reject);
            });
          } catch (err) {
            file.close();
            try {
              fs2.unlinkSync(tmp_name);
            } catch (err2) {
              if (err2.code != "ENOENT")
                throw err2;
            }
            throw err;
          }
        }
        function open_temporary_stream(prefix) {
          let buf = Buffer.allocUnsafe(4);
          for (; ; ) {
            try {
              crypto.randomFillSync(buf);
              let suffix = buf.toString("hex").padStart(8, "0");
              let filename2 = `${prefix}.${suffix}`;
              let file = fs2.createWriteStream(filename2, { flags: "wx", mode: 420 });
              return [filename2, file];
            } catch (err) {
              if (err.code != "EEXIST")
                throw err;
            }
          }
        }
        function extract_targz(filename2, dest_dir, strip = 0) {
          let reader = fs2.createReadStream(filename2).pipe(zlib.createGunzip());
          return new Promise((resolve3, reject) => {
            let header = null;
            let extended = {};
            reader.on("readable", () => {
              try {
                for (; ; ) {
                  if (header == null) {
                    let buf = reader.read(512);
                    if (buf == null)
                      break;
                    if (!buf[0])
                      continue;
                    header = {
                      filename: buf.toString("utf-8", 0, 100).replace(/\0/g, ""),
                      mode: parseInt(buf.toString("ascii", 100, 109), 8),
                      size: parseInt(buf.toString("ascii", 124, 137), 8),
                      type: String.fromCharCode(buf[156])
                    };
                    Object.assign(header, extended);
                    extended = {};
                    header.filename = header.filename.replace(/\\/g, "/");
                    if (!header.filename.length)
                      throw new Error(`Insecure empty filename inside TAR archive`);
                    if (path_is_absolute(header.filename[0]))
                      throw new Error(`Insecure filename starting with / inside TAR archive`);
                    if (path_has_dotdot(header.filename))
                      throw new Error(`Insecure filename containing '..' inside TAR archive`);
                    for (let i = 0; i < strip; i++)
                      header.filename = header.filename.substr(header.filename.indexOf("/") + 1);
                  }
                  let aligned = Math.floor((header.size + 511) / 512) * 512;
                  let data = header.size ? reader.read(aligned) : null;
                  if (data == null) {
                    if (header.size)
                      break;
                    data = Buffer.alloc(0);
                  }
                  data = data.subarray(0, header.size);
                  if (header.type == "0" || header.type == "7") {
                    let filename3 = dest_dir + "/" + header.filename;
                    let dirname2 = path2.dirname(filename3);
                    fs2.mkdirSync(dirname2, { recursive: true, mode: 493 });
                    fs2.writeFileSync(filename3, data, { mode: header.mode });
                  } else if (header.type == "5") {
                    let filename3 = dest_dir + "/" + header.filename;
                    fs2.mkdirSync(filename3, { recursive: true, mode: header.mode });
                  } else if (header.type == "L") {
                    extended.filename = data.toString("utf-8").replace(/\0/g, "");
                  } else if (header.type == "x") {
                    let str = data.toString("utf-8");
                    try {
                      while (str.length) {
                        let matches = str.match(/^([0-9]+) ([a-zA-Z0-9\._]+)=(.*)\n/);
                        let skip = parseInt(matches[1], 10);
                        let key = matches[2];
                        let value = matches[3];
                        switch (key) {
                          case "path":
                            {
                              extended.filename = value;
                            }
                            break;
                          case "size":
                            {
                              extended.size = parseInt(value, 10);
                            }
                            break;
                        }
                        str = str.substr(skip).trimStart();
                      }
                    } catch (err) {
                      throw new Error("Malformed PAX entry");
                    }
                  }
                  header = null;
                }
              } catch (err) {
                reject(err);
              }
            });
            reader.on("error", reject);
            reader.on("end", resolve3);
          });
        }
        function path_is_absolute(path3) {
          if (process.platform == "win32" && path3.match(/^[a-zA-Z]:/))
            path3 = path3.substr(2);
          return is_path_separator(path3[0]);
        }
        function path_has_dotdot(path3) {
          let start = 0;
          for (; ; ) {
            let offset = path3.indexOf("..", start);
            if (offset < 0)
              break;
            start = offset + 2;
            if (offset && !is_path_separator(path3[offset - 1]))
              continue;
            if (offset + 2 < path3.length && !is_path_separator(path3[offset + 2]))
              continue;
            return true;
          }
          return false;
        }
        function is_path_separator(c) {
          if (c == "/")
            return true;
          if (process.platform == "win32" && c == "\\")
            return true;
          return false;
        }
        function sync_files(src_dir, dest_dir) {
          let keep = /* @__PURE__ */ new Set();
          {
            let entries = fs2.readdirSync(src_dir, { withFileTypes: true });
            for (let entry of entries) {
              if (!entry.isFile())
                continue;
              keep.add(entry.name);
              fs2.copyFileSync(src_dir + `/${entry.name}`, dest_dir + `/${entry.name}`);
            }
          }
          {
            let entries = fs2.readdirSync(dest_dir, { withFileTypes: true });
            for (let entry of entries) {
              if (!entry.isFile())
                continue;
              if (keep.has(entry.name))
                continue;
              fs2.unlinkSync(dest_dir + `/${entry.name}`);
            }
          }
        }
        function determine_arch2() {
          let arch = process.arch;
          if (arch == "riscv32" || arch == "riscv64") {
            let buf = read_file_header(process.execPath, 512);
            let header = decode_elf_header(buf);
            let float_abi = header.e_flags & 6;
            switch (float_abi) {
              case 0:
                {
                }
                break;
              case 2:
                {
                  arch += "f";
                }
                break;
              case 4:
                {
                  arch += "d";
                }
                break;
              case 6:
                {
                  arch += "q";
                }
                break;
            }
          } else if (arch == "arm") {
            let buf = read_file_header(process.execPath, 512);
            let header = decode_elf_header(buf);
            if (header.e_flags & 1024) {
              arch += "hf";
            } else if (header.e_flags & 512) {
              arch += "sf";
            } else {
              throw new Error("Unknown ARM floating-point ABI");
            }
          }
          return arch;
        }
        function read_file_header(filename2, read) {
          let fd = null;
          try {
            let fd2 = fs2.openSync(filename2);
            let buf = Buffer.allocUnsafe(read);
            let len = fs2.readSync(fd2, buf);
            return buf.subarray(0, len);
          } finally {
            if (fd != null)
              fs2.closeSync(fd);
          }
        }
        function decode_elf_header(buf) {
          let header = {};
          if (buf.length < 16)
            throw new Error("Truncated header");
          if (buf[0] != 127 || buf[1] != 69 || buf[2] != 76 || buf[3] != 70)
            throw new Error("Invalid magic number");
          if (buf[6] != 1)
            throw new Error("Invalid ELF version");
          if (buf[5] != 1)
            throw new Error("Big-endian architectures are not supported");
          let machine = buf.readUInt16LE(18);
          switch (machine) {
            case 3:
              {
                header.e_machine = "ia32";
              }
              break;
            case 40:
              {
                header.e_machine = "arm";
              }
              break;
            case 62:
              {
                header.e_machine = "amd64";
              }
              break;
            case 183:
              {
                header.e_machine = "arm64";
              }
              break;
            case 243:
              {
                switch (buf[4]) {
                  case 1:
                    {
                      header.e_machine = "riscv32";
                    }
                    break;
                  case 2:
                    {
                      header.e_machine = "riscv64";
                    }
                    break;
                }
              }
              break;
            case 248:
              {
                switch (buf[4]) {
                  case 1:
                    {
                      header.e_machine = "loong32";
                    }
                    break;
                  case 2:
                    {
                      header.e_machine = "loong64";
                    }
                    break;
                }
              }
              break;
            default:
              throw new Error("Unknown ELF machine type");
          }
          switch (buf[4]) {
            case 1:
              {
                buf = buf.subarray(0, 68);
                if (buf.length < 68)
                  throw new Error("Truncated ELF header");
                header.ei_class = 32;
                header.e_flags = buf.readUInt32LE(36);
              }
              break;
            case 2:
              {
                buf = buf.subarray(0, 120);
                if (buf.length < 120)
                  throw new Error("Truncated ELF header");
                header.ei_class = 64;
                header.e_flags = buf.readUInt32LE(48);
              }
              break;
            default:
              throw new Error("Invalid ELF class");
          }
          return header;
        }
        function unlink_recursive(path3) {
          try {
            if (fs2.rmSync != null) {
              fs2.rmSync(path3, { recursive: true, maxRetries: process.platform == "win32" ? 3 : 0 });
            } else {
              fs2.rmdirSync(path3, { recursive: true, maxRetries: process.platform == "win32" ? 3 : 0 });
            }
          } catch (err) {
            if (err.code !== "ENOENT")
              throw err;
          }
        }
        function get_napi_version2(napi, major) {
          if (napi > 8)
            return null;
          const support = {
            6: ["6.14.2", "6.14.2", "6.14.2"],
            8: ["8.6.0", "8.10.0", "8.11.2"],
            9: ["9.0.0", "9.3.0", "9.11.0"],
            10: ["10.0.0", "10.0.0", "10.0.0", "10.16.0", "10.17.0", "10.20.0", "10.23.0"],
            11: ["11.0.0", "11.0.0", "11.0.0", "11.8.0"],
            12: ["12.0.0", "12.0.0", "12.0.0", "12.0.0", "12.11.0", "12.17.0", "12.19.0", "12.22.0"],
            13: ["13.0.0", "13.0.0", "13.0.0", "13.0.0", "13.0.0"],
            14: ["14.0.0", "14.0.0", "14.0.0", "14.0.0", "14.0.0", "14.0.0", "14.12.0", "14.17.0"],
            15: ["15.0.0", "15.0.0", "15.0.0", "15.0.0", "15.0.0", "15.0.0", "15.0.0", "15.12.0"]
          };
          const max = Math.max(...Object.keys(support).map((k) => parseInt(k, 10)));
          if (major > max)
            return major + ".0.0";
          if (support[major] == null)
            return null;
          let required = support[major][napi - 1] || null;
          return required;
        }
        function cmp_version(ver1, ver2) {
          ver1 = String(ver1).replace(/-.*$/, "").split(".").reduce((acc, v, idx) => acc + parseInt(v, 10) * Math.pow(10, 2 * (5 - idx)), 0);
          ver2 = String(ver2).replace(/-.*$/, "").split(".").reduce((acc, v, idx) => acc + parseInt(v, 10) * Math.pow(10, 2 * (5 - idx)), 0);
          let cmp = Math.min(Math.max(ver1 - ver2, -1), 1);
          return cmp;
        }
        module2.exports = {
          download_http,
          extract_targz,
          path_is_absolute,
          path_has_dotdot,
          sync_files,
          determine_arch: determine_arch2,
          unlink_recursive,
          get_napi_version: get_napi_version2,
          cmp_version
        };
      }
    });
    var require_package = __commonJS({
      "../../bin/Koffi/package/src/koffi/package.json"(exports2, module2) {
        module2.exports = {
          name: "koffi",
          version: "2.12.4",
          stable: "2.12.4",
          description: "Fast and simple C FFI (foreign function interface) for Node.js",
          keywords: [
            "foreign",
            "function",
            "interface",
            "ffi",
            "binding",
            "c",
            "napi"
          ],
          repository: {
            type: "git",
            url: "https://github.com/Koromix/koffi"
          },
          homepage: "https://koffi.dev/",
          author: {
            name: "Niels Martign\xE8ne",
            email: "niels.martignene@protonmail.com",
            url: "https://koromix.dev/"
          },
          main: "./index.js",
          types: "./index.d.ts",
          scripts: {
            test: "node tools/koffi.js test",
            prepack: `echo 'Use "npm run package" instead' && false`,
            prepublishOnly: `echo 'Use "npm run package" instead' && false`,
            package: "node tools/koffi.js build"
          },
          license: "MIT",
          cnoke: {
            api: "../../vendor/node-api-headers",
            output: "../../bin/Koffi/{{ platform }}_{{ arch }}",
            node: 16,
            napi: 8,
            require: "./index.js"
          }
        };
      }
    });
    var require_init = __commonJS({
      "../../bin/Koffi/package/src/koffi/src/init.js"(exports, module) {
        var fs = __require("fs");
        var path = __require("path");
        var util = __require("util");
        var { get_napi_version, determine_arch } = require_tools();
        var pkg = require_package();
        function detect() {
          if (process.versions.napi == null || process.versions.napi < pkg.cnoke.napi) {
            let major = parseInt(process.versions.node, 10);
            let required = get_napi_version(pkg.cnoke.napi, major);
            if (required != null) {
              throw new Error(`This engine is based on Node ${process.versions.node}, but ${pkg.name} requires Node >= ${required} in the Node ${major}.x branch (N-API >= ${pkg.cnoke.napi})`);
            } else {
              throw new Error(`This engine is based on Node ${process.versions.node}, but ${pkg.name} does not support the Node ${major}.x branch (N-API < ${pkg.cnoke.napi})`);
            }
          }
          let arch = determine_arch();
          let triplet3 = `${process.platform}_${arch}`;
          return triplet3;
        }
        function init(triplet, native) {
          if (native == null) {
            let roots = [path.join(__dirname, "..")];
            let triplets = [triplet];
            if (process.resourcesPath != null)
              roots.push(process.resourcesPath);
            if (triplet.startsWith("linux_")) {
              let musl = triplet.replace(/^linux_/, "musl_");
              triplets.push(musl);
            }
            let filenames = roots.flatMap((root) => triplets.flatMap((triplet3) => [
              `${root}/build/koffi/${triplet3}/koffi.node`,
              `${root}/koffi/${triplet3}/koffi.node`,
              `${root}/node_modules/koffi/build/koffi/${triplet3}/koffi.node`,
              `${root}/../../bin/Koffi/${triplet3}/koffi.node`
            ]));
            let first_err = null;
            for (let filename of filenames) {
              if (!fs.existsSync(filename))
                continue;
              try {
                native = eval("require")(filename);
              } catch (err) {
                if (first_err == null)
                  first_err = err;
                continue;
              }
              break;
            }
            if (first_err != null)
              throw first_err;
          }
          if (native == null)
            throw new Error("Cannot find the native Koffi module; did you bundle it correctly?");
          if (native.version != pkg.version)
            throw new Error("Mismatched native Koffi modules");
          let mod = wrap(native);
          return mod;
        }
        function wrap(native3) {
          let obj = {
            ...native3,
            // Deprecated functions
            handle: util.deprecate(native3.opaque, "The koffi.handle() function was deprecated in Koffi 2.1, use koffi.opaque() instead", "KOFFI001"),
            callback: util.deprecate(native3.proto, "The koffi.callback() function was deprecated in Koffi 2.4, use koffi.proto() instead", "KOFFI002")
          };
          obj.load = (...args) => {
            let lib = native3.load(...args);
            lib.cdecl = util.deprecate((...args2) => lib.func("__cdecl", ...args2), "The koffi.cdecl() function was deprecated in Koffi 2.7, use koffi.func(...) instead", "KOFFI003");
            lib.stdcall = util.deprecate((...args2) => lib.func("__stdcall", ...args2), 'The koffi.stdcall() function was deprecated in Koffi 2.7, use koffi.func("__stdcall", ...) instead', "KOFFI004");
            lib.fastcall = util.deprecate((...args2) => lib.func("__fastcall", ...args2), 'The koffi.fastcall() function was deprecated in Koffi 2.7, use koffi.func("__fastcall", ...) instead', "KOFFI005");
            lib.thiscall = util.deprecate((...args2) => lib.func("__thiscall", ...args2), 'The koffi.thiscall() function was deprecated in Koffi 2.7, use koffi.func("__thiscall", ...) instead', "KOFFI006");
            return lib;
          };
          return obj;
        }
        module.exports = {
          detect,
          init
        };
      }
    });
    var { detect: detect2, init: init2 } = require_init();
    var triplet2 = detect2();
    var native2 = null;
    try {
      switch (triplet2) {
        case "darwin_arm64":
          {
            native2 = __require("./build/koffi/darwin_arm64/koffi.node");
          }
          break;
        case "darwin_x64":
          {
            native2 = __require("./build/koffi/darwin_x64/koffi.node");
          }
          break;
        case "freebsd_arm64":
          {
            native2 = __require("./build/koffi/freebsd_arm64/koffi.node");
          }
          break;
        case "freebsd_ia32":
          {
            native2 = __require("./build/koffi/freebsd_ia32/koffi.node");
          }
          break;
        case "freebsd_x64":
          {
            native2 = __require("./build/koffi/freebsd_x64/koffi.node");
          }
          break;
        case "linux_armhf":
          {
            native2 = __require("./build/koffi/linux_armhf/koffi.node");
          }
          break;
        case "linux_arm64":
          {
            native2 = __require("./koffi-CSAVKOXE.node");
          }
          break;
        case "linux_ia32":
          {
            native2 = __require("./build/koffi/linux_ia32/koffi.node");
          }
          break;
        case "linux_loong64":
          {
            native2 = __require("./build/koffi/linux_loong64/koffi.node");
          }
          break;
        case "linux_riscv64d":
          {
            native2 = __require("./build/koffi/linux_riscv64d/koffi.node");
          }
          break;
        case "linux_x64":
          {
            native2 = __require("./koffi-I2L24DCT.node");
          }
          break;
        case "openbsd_ia32":
          {
            native2 = __require("./build/koffi/openbsd_ia32/koffi.node");
          }
          break;
        case "openbsd_x64":
          {
            native2 = __require("./build/koffi/openbsd_x64/koffi.node");
          }
          break;
        case "win32_arm64":
          {
            native2 = __require("./build/koffi/win32_arm64/koffi.node");
          }
          break;
        case "win32_ia32":
          {
            native2 = __require("./build/koffi/win32_ia32/koffi.node");
          }
          break;
        case "win32_x64":
          {
            native2 = __require("./build/koffi/win32_x64/koffi.node");
          }
          break;
      }
    } catch {
      try {
        switch (triplet2) {
          case "linux_arm64":
            {
              native2 = __require("./koffi-L4IHAKC4.node");
            }
            break;
          case "linux_x64":
            {
              native2 = __require("./koffi-WJIFKEBE.node");
            }
            break;
        }
      } catch {
      }
    }
    var mod2 = init2(triplet2, native2);
    module.exports = mod2;
  }
});

// src/trace/session.ts
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants as fsConstants, mkdtempSync, rmSync, statSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join as join2, resolve } from "node:path";

// src/trace/builder.ts
import { constants } from "node:os";

// src/trace/protocol.ts
var SPEC_MAGIC = 1885566001;
var SPEC_DROP_PRIVILEGES = 1;
var SPEC_NO_NEW_PRIVS = 2;
var SPEC_NO_NOTIFY = 4;
var SPEC_DECIDE_EXEC = 8;
var REPLY_MAGIC = 1885566034;
var EventType = {
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
var ACCESS_OPS = [
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
var HEADER = 32;
var EventDecoder = class {
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
function payloadStrings(payload) {
  const out = [];
  let start = 0;
  for (let i = 0; i < payload.length; i++) {
    if (payload[i] === 0) {
      out.push(payload.toString("utf8", start, i));
      start = i + 1;
    }
  }
  return out;
}
function decodeExecQuery(ev) {
  const [exe = "", cwd = "", k0 = "", k1 = "", k2 = "", ...rest] = payloadStrings(ev.payload);
  return {
    pid: ev.pid,
    tid: ev.value,
    exe,
    cwd,
    stdio: [k0, k1, k2],
    argv: rest.slice(0, ev.kind),
    env: rest.slice(ev.kind, ev.kind + ev.aux)
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

// src/trace/builder.ts
var ERRNO_NAMES = new Map(
  Object.entries(constants.errno).map(([name, num]) => [num, name])
);
var FILE_TYPES = {
  1: "fifo",
  2: "char",
  4: "dir",
  6: "block",
  8: "file",
  10: "symlink",
  12: "socket"
};
function errnoName(err) {
  return err === 0 ? "ok" : ERRNO_NAMES.get(err) ?? `errno${err}`;
}
function nsToMs(ns) {
  return Math.round(Number(ns) / 1e3) / 1e3;
}
function pushUnique(list, item) {
  if (!list.includes(item)) list.push(item);
}
var TraceBuilder = class {
  executions = [];
  errors = [];
  warnings = [];
  /** the bytes of each execution's fd 1 and 2 writes, in order, for replay */
  outputBytes = /* @__PURE__ */ new Map();
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
        const chunks = this.outputBytes.get(exec.id) ?? [];
        chunks.push(Buffer.from(ev.payload));
        this.outputBytes.set(exec.id, chunks);
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
    const [exe = "", cwd = "", k0, k1, k2, ...argv] = payloadStrings(ev.payload);
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
      output: []
    };
    this.executions.push(exec);
    this.executionOfPid.set(ev.pid, exec);
  }
  /** A program that was not run: its process ends with the recorded status instead. */
  addSkipped(query, exitCode, output, timeMs) {
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
      output: output.map((o) => ({ fd: o.fd, bytes: o.data.length })),
      skipped: true
    };
    this.executions.push(exec);
    this.executionOfPid.set(query.pid, exec);
    return exec;
  }
  onExit(ev) {
    const signaled = ev.op === 1;
    for (const exec of this.executions) {
      if (exec.pid === ev.pid && exec.endMs === null) {
        exec.endMs = nsToMs(ev.timeNs);
        exec.exitCode = signaled ? null : ev.value;
        exec.signal = signaled ? ev.value : null;
      }
    }
    this.executionOfPid.delete(ev.pid);
    if (ev.pid === this.rootPid) {
      this.rootStatus = { exitCode: signaled ? null : ev.value, signal: signaled ? ev.value : null };
    }
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
    const [path2, second, ...rest] = payloadStrings(ev.payload);
    const access = { op, result: errnoName(ev.value) };
    if (path2 !== void 0 && op !== "stdin" && op !== "dup") access.path = path2;
    switch (op) {
      case "probe": {
        const type = FILE_TYPES[ev.kind];
        if (type) access.type = type;
        break;
      }
      case "list": {
        const key = `${exec.id}\0${path2}`;
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
      default:
        break;
    }
    exec.accesses.push(access);
  }
};

// src/trace/native.ts
var import_koffi = __toESM(require_koffi(), 1);
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
var NativeError = class extends Error {
};
function archDir() {
  if (process.platform !== "linux") throw new NativeError(`processcache runs on Linux only, not ${process.platform}`);
  if (process.arch === "x64") return "x64";
  if (process.arch === "arm64") return "arm64";
  throw new NativeError(`processcache traces x86_64 and aarch64 only, not ${process.arch}`);
}
function findNativeDir() {
  const arch = archDir();
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env.PROCESSCACHE_NATIVE_DIR,
    join(here, "native", arch),
    join(here, "..", "..", "native", "build", arch),
    join(here, "..", "native", "build", arch)
  ].filter((c) => Boolean(c));
  const found = candidates.find((dir) => existsSync(join(dir, "libpctrace.so")));
  if (!found) {
    throw new NativeError(`the native tracer is not built (looked in ${candidates.join(", ")}); run \`npm run build\``);
  }
  return found;
}
var cached;
function errnoMessage(code, what) {
  return new NativeError(`${what} failed: errno ${-code}`);
}
function loadNative() {
  if (cached) return cached;
  const dir = findNativeDir();
  const libraryPath = join(dir, "libpctrace.so");
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
    helperPath: join(dir, "pctrace"),
    forkTracer() {
      const out = [0];
      const pid = forkTracer(out);
      if (pid < 0) throw errnoMessage(pid, "starting the tracer");
      return { pid, channel: out[0] };
    },
    listen(path2) {
      const fd = listen(path2);
      if (fd < 0) throw errnoMessage(fd, `listening on ${path2}`);
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

// src/trace/session.ts
var TraceError = class extends Error {
};
function resolveProgram(name, env, cwd) {
  const executable = (p) => {
    try {
      accessSync(p, fsConstants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes("/")) {
    const full = resolve(cwd, name);
    if (!executable(full)) throw new TraceError(`${name}: no such executable file`);
    return full;
  }
  const dirs = (env.PATH ?? "/usr/local/bin:/usr/bin:/bin").split(delimiter);
  for (const dir of dirs) {
    const full = resolve(cwd, dir || ".", name);
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
  const r = spawnSync("sudo", ["-n", "true"], { stdio: "ignore", timeout: 1e4 });
  return r.status === 0;
}
function startForked(native3) {
  const { pid, channel } = native3.forkTracer();
  const socket = new Socket({ fd: channel, readable: true, writable: true });
  return {
    socket,
    privileged: false,
    exit: null,
    finish() {
      native3.reap(pid, true);
    },
    async postmortem() {
      const status = native3.reap(pid, false);
      if (status === null) return "it closed its channel";
      const signal = status & 127;
      return signal ? `it was killed by signal ${signal}` : `it exited with status ${status >> 8 & 255}`;
    }
  };
}
async function startProgram(native3, program, sudo) {
  const dir = mkdtempSync(join2(tmpdir(), "processcache-"));
  const path2 = join2(dir, "tracer.sock");
  const listener = native3.listen(path2);
  const argv = [program, "--connect", path2];
  const child = sudo ? spawn("sudo", ["-n", "--", ...argv], { stdio: ["ignore", "ignore", "pipe"] }) : spawn(argv[0], argv.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d.toString();
  });
  const exit = new Promise((resolveExit) => {
    child.on("close", (status) => resolveExit({ status, stderr }));
  });
  let channel;
  try {
    channel = await native3.acceptTracer(listener, 15e3);
  } catch (e) {
    child.kill();
    throw new TraceError(`the tracer program did not start${sudo ? " through sudo" : ""}: ${stderr.trim() || e.message}`);
  } finally {
    native3.close(listener);
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    socket: new Socket({ fd: channel, readable: true, writable: true }),
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
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const exe = resolveProgram(program, env, cwd);
  const native3 = loadNative();
  const started = options.tracerProgram ? await startProgram(native3, options.tracerProgram, false) : decide(options) ? await startProgram(native3, native3.helperPath, true) : startForked(native3);
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
  const builder = new TraceBuilder();
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
          if (decision.skip) builder.addSkipped(query, decision.exitCode, decision.output, Number(ev.timeNs) / 1e6);
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
      if (statSync(exec.exe).mode & 2048) {
        out.push(`${exec.exe} is setuid, but the tracer runs without privileges, so it ran without them. Give this user passwordless sudo (the tracer then runs privileged and the command as you) or run processcache as root.`);
      }
    } catch {
    }
  }
  return [...new Set(out)];
}

// src/cli/args.ts
var UsageError = class extends Error {
};
function parseArgs(args, specs, usage) {
  const options = /* @__PURE__ */ new Map();
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
  }
  return { options, command: args.slice(i) };
}

// src/cli/trace-command.ts
import { writeFileSync } from "node:fs";
import { resolve as resolve2 } from "node:path";
var TRACE_USAGE = "usage: processcache trace [--out FILE] -- CMD [ARGS...]";
async function traceMain(args) {
  const { options, command } = parseArgs(args, { out: { value: true } }, TRACE_USAGE);
  if (command.length === 0) throw new UsageError(`no command to trace
${TRACE_USAGE}`);
  const out = resolve2(String(options.get("out") ?? "processcache-trace.json"));
  const { trace, status, warnings, builder } = await traceCommand({ command });
  for (const w of [...builder.errors, ...warnings]) process.stderr.write(`processcache: warning: ${w}
`);
  try {
    writeFileSync(out, `${JSON.stringify(trace, null, 1)}
`);
  } catch (e) {
    process.stderr.write(`processcache: warning: could not write the trace to ${out}: ${e.message}
`);
  }
  return exitCodeOf(status);
}

// src/cli/main.ts
var VERSION = true ? "0.1.0" : "dev";
var HELP = `processcache ${VERSION}: memoizes unmodified Linux programs

commands:
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
