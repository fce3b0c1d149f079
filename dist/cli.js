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
            await new Promise((resolve7, reject) => {
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
                  resolve7();
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
          return new Promise((resolve7, reject) => {
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
                    let dirname6 = path2.dirname(filename3);
                    fs2.mkdirSync(dirname6, { recursive: true, mode: 493 });
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
            reader.on("end", resolve7);
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
          let arch2 = process.arch;
          if (arch2 == "riscv32" || arch2 == "riscv64") {
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
                  arch2 += "f";
                }
                break;
              case 4:
                {
                  arch2 += "d";
                }
                break;
              case 6:
                {
                  arch2 += "q";
                }
                break;
            }
          } else if (arch2 == "arm") {
            let buf = read_file_header(process.execPath, 512);
            let header = decode_elf_header(buf);
            if (header.e_flags & 1024) {
              arch2 += "hf";
            } else if (header.e_flags & 512) {
              arch2 += "sf";
            } else {
              throw new Error("Unknown ARM floating-point ABI");
            }
          }
          return arch2;
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
          let arch2 = determine_arch();
          let triplet3 = `${process.platform}_${arch2}`;
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
  log = [];
  /** each execution's direct children */
  childrenByParent = /* @__PURE__ */ new Map();
  /** positions in the log of each execution's items */
  logOfExec = /* @__PURE__ */ new Map();
  /** called when an execution's process has ended (innermost first in an exec chain) */
  onExecutionEnd = null;
  /** called for every access as it arrives */
  onAccessSeen = null;
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
      case "create":
        if (ev.kind === 1) access.truncates = true;
        break;
      default:
        break;
    }
    exec.accesses.push(access);
    this.append({ exec: exec.id, kind: "access", access });
    this.onAccessSeen?.(access);
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
  const arch2 = archDir();
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env.PROCESSCACHE_NATIVE_DIR,
    join(here, "native", arch2),
    join(here, "..", "..", "native", "build", arch2),
    join(here, "..", "native", "build", arch2)
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

// src/fingerprint/hash.ts
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
function sha256(data) {
  return createHash("sha256").update(data).digest("hex");
}
var RACY_NS = 2000000000n;
var FileHasher = class _FileHasher {
  cache;
  dirty = false;
  constructor(entries = []) {
    this.cache = new Map(entries);
  }
  static key(st) {
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  }
  /** The file's sha256, or null when it is not a readable regular file. */
  hash(path2) {
    let fd;
    try {
      fd = openSync(path2, "r");
    } catch {
      return null;
    }
    try {
      const st = fstatSync(fd, { bigint: true });
      if (!st.isFile()) return null;
      const key = _FileHasher.key(st);
      const known = this.cache.get(key);
      if (known) return known;
      const h = createHash("sha256");
      const buf = Buffer.allocUnsafe(1 << 20);
      for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
      const digest = h.digest("hex");
      const now = BigInt(Date.now()) * 1000000n;
      if (now - st.mtimeNs > RACY_NS && now - st.ctimeNs > RACY_NS) {
        this.cache.set(key, digest);
        this.dirty = true;
      }
      return digest;
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }
  entries() {
    return [...this.cache];
  }
};

// src/fingerprint/inputs.ts
import { lstatSync, readdirSync, readlinkSync, statSync as statSync2 } from "node:fs";
function typeOf(st) {
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "dir";
  if (st.isSymbolicLink()) return "symlink";
  if (st.isCharacterDevice()) return "char";
  if (st.isBlockDevice()) return "block";
  if (st.isFIFO()) return "fifo";
  return "socket";
}
function existence(path2, recordedType) {
  try {
    const st = recordedType === "symlink" ? lstatSync(path2) : statSync2(path2);
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
        return namesFingerprint(readdirSync(spec.path).sort());
      } catch {
        return "absent";
      }
    case "link":
      try {
        return `link:${readlinkSync(spec.path)}`;
      } catch {
        return existence(spec.path, void 0);
      }
  }
}
function toInput(spec, value) {
  const input = { path: spec.path, kind: spec.kind, value };
  if (spec.kind === "exists" && spec.type) input.type = spec.type;
  if (spec.kind === "listing") input.names = spec.names;
  return input;
}

// src/fingerprint/weak.ts
import { arch, platform } from "node:os";
var PER_RUN_ENV = [
  "GITHUB_RUN_ID",
  "GITHUB_RUN_NUMBER",
  "GITHUB_RUN_ATTEMPT",
  "GITHUB_JOB_ID",
  "RUNNER_TRACKING_ID",
  "GITHUB_ACTIONS_RUNTIME_TOKEN",
  "ACTIONS_RUNTIME_TOKEN",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  "ACTIONS_RESULTS_URL",
  "ACTIONS_CACHE_URL",
  "ACTIONS_RUNTIME_URL",
  "INVOCATION_ID",
  "JOURNAL_STREAM",
  "PROCESSCACHE_STORE",
  "PROCESSCACHE_IGNORE_ENV"
];
function filterEnv(env, ignored) {
  return env.filter((kv) => !ignored.has(kv.slice(0, Math.max(0, kv.indexOf("="))))).sort();
}
function stdioForKey(stdio) {
  return [stdio[0] === "tty" ? "tty" : "not-tty", stdio[1] ?? "", stdio[2] ?? ""];
}
function weakKey(parts, ignored) {
  return sha256(JSON.stringify({
    v: parts.toolVersion,
    platform: `${platform()}-${arch()}`,
    exe: parts.exe,
    argv: parts.argv,
    cwd: parts.cwd,
    env: filterEnv(parts.env, ignored),
    stdio: stdioForKey(parts.stdio),
    umask: parts.umask
  }));
}

// src/fingerprint/view.ts
import { dirname as dirname2 } from "node:path";
var CHANGES = /* @__PURE__ */ new Set(["write", "create", "truncate", "rename", "delete", "mkdir", "rmdir", "symlink", "link", "chmod", "utime", "mknod"]);
var FsView = class {
  constructor(hasher) {
    this.hasher = hasher;
  }
  hasher;
  memo = /* @__PURE__ */ new Map();
  volatile = /* @__PURE__ */ new Set();
  value(spec) {
    if (this.volatile.has(spec.path)) return currentValue(spec, this.hasher);
    const key = `${spec.kind}\0${spec.kind === "exists" ? spec.type ?? "" : ""}\0${spec.path}`;
    let v = this.memo.get(key);
    if (v === void 0) {
      v = currentValue(spec, this.hasher);
      this.memo.set(key, v);
    }
    return v;
  }
  /** A path the command (or a restore) changed. */
  changed(path2) {
    this.volatile.add(path2);
    this.volatile.add(dirname2(path2));
  }
  observe(access) {
    if (!CHANGES.has(access.op) || !access.path) return;
    this.changed(access.path);
    if (typeof access.to === "string") this.changed(access.to);
  }
};

// src/cli/common.ts
var VERSION = true ? "0.1.0" : "dev";
function ignoredEnv(fromArgs) {
  return new Set([
    ...PER_RUN_ENV,
    ...(fromArgs ?? []).flatMap((v) => v.split(",")),
    ...(process.env.PROCESSCACHE_IGNORE_ENV ?? "").split(",")
  ].map((v) => v.trim()).filter(Boolean));
}

// src/cli/explain-command.ts
import { fstatSync as fstatSync2 } from "node:fs";
import { resolve as resolve3 } from "node:path";
import { isatty } from "node:tty";

// src/memo/engine.ts
import { lstatSync as lstatSync3, readFileSync, readlinkSync as readlinkSync2 } from "node:fs";

// src/observe/summary.ts
import { basename, dirname as dirname3, join as join3 } from "node:path";
var PSEUDO_INPUTS = /* @__PURE__ */ new Set(["/dev/null", "/dev/zero", "/dev/full", "/dev/urandom", "/dev/random"]);
function describesSelf(path2) {
  return /^\/proc\/(self|thread-self|\d+)(\/|$)/.test(path2);
}
var ABSENT = /* @__PURE__ */ new Set(["ENOENT", "ENOTDIR"]);
var PathStates = class {
  inputs = [];
  outputs = /* @__PURE__ */ new Set();
  /** paths whose first change by the subtree brought them into existence */
  created = /* @__PURE__ */ new Set();
  /** paths the subtree has changed: what it reads there afterwards is its own doing */
  changed = /* @__PURE__ */ new Set();
  /** input facts already recorded, by path and kind: a probe and a read of one file are two */
  known = /* @__PURE__ */ new Set();
  /** per directory, the first change the subtree made to each name: added or removed */
  changes = /* @__PURE__ */ new Map();
  /** files the subtree read first and changed later: their earlier content is lost */
  rewrittenInputs = [];
  readFirst = /* @__PURE__ */ new Set();
  input(spec) {
    if (this.changed.has(spec.path)) return;
    const key = `${spec.kind}\0${spec.path}`;
    if (this.known.has(key)) return;
    this.known.add(key);
    if (PSEUDO_INPUTS.has(spec.path) || describesSelf(spec.path)) return;
    if (spec.kind === "content" || spec.kind === "listing") this.readFirst.add(spec.path);
    this.inputs.push(spec);
  }
  /** path did not exist before this change: only its first change can say so */
  markCreated(path2) {
    if (!this.changed.has(path2)) this.created.add(path2);
  }
  /** A change to path; `prior` is what its first access learns, when it is the first. */
  output(path2, prior) {
    if (!this.changed.has(path2)) {
      if (this.readFirst.has(path2)) this.rewrittenInputs.push(path2);
      if (prior) this.input(prior);
    }
    this.changed.add(path2);
    this.outputs.add(path2);
  }
  entryChanged(path2, added) {
    const dir = dirname3(path2);
    const names = this.changes.get(dir) ?? /* @__PURE__ */ new Map();
    if (!names.has(basename(path2))) names.set(basename(path2), added ? "added" : "removed");
    this.changes.set(dir, names);
  }
  entryChangeList() {
    const out = [];
    for (const [dir, names] of this.changes) for (const [name, change] of names) out.push([join3(dir, name), change]);
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
function probeSpec(path2, result, type) {
  if (ABSENT.has(result)) return { path: path2, kind: "absent" };
  return type ? { path: path2, kind: "exists", type } : { path: path2, kind: "exists" };
}
function applyAccess(s, a) {
  const path2 = a.path;
  const ok = a.result === "ok";
  switch (a.op) {
    case "stdin":
    case "dup":
      return null;
    case "read":
    case "exec":
      if (!path2) return null;
      s.input(ok ? { path: path2, kind: "content" } : probeSpec(path2, a.result));
      return null;
    case "probe":
      if (path2) s.input(probeSpec(path2, a.result, a.type));
      return null;
    case "chdir":
      if (path2) s.input(probeSpec(path2, a.result, ok ? "dir" : void 0));
      return null;
    case "readlink":
      if (path2) s.input(ok ? { path: path2, kind: "link" } : probeSpec(path2, a.result));
      return null;
    case "list":
      if (path2) s.input({ path: path2, kind: "listing", names: s.before(path2, a.names ?? []) });
      return null;
    case "write":
    case "chmod":
    case "utime":
      if (!path2) return null;
      if (!ok) {
        s.input(probeSpec(path2, a.result));
        return null;
      }
      s.output(path2, { path: path2, kind: "content" });
      return null;
    case "truncate":
      if (!path2) return null;
      if (ok) s.output(path2, null);
      else s.input(probeSpec(path2, a.result));
      return null;
    case "create":
    case "mkdir":
    case "symlink":
    case "mknod":
      if (!path2) return null;
      if (!ok) {
        s.input(probeSpec(path2, a.result));
        return null;
      }
      s.markCreated(path2);
      s.output(path2, a.truncates ? null : { path: path2, kind: "absent" });
      s.entryChanged(path2, true);
      return null;
    case "delete":
    case "rmdir":
      if (!path2) return null;
      if (!ok) {
        s.input(probeSpec(path2, a.result));
        return null;
      }
      s.output(path2, a.op === "rmdir" ? { path: path2, kind: "listing", names: s.before(path2, []) } : { path: path2, kind: "exists" });
      s.entryChanged(path2, false);
      return null;
    case "link":
    case "rename": {
      const to = typeof a.to === "string" ? a.to : void 0;
      if (!path2 || !to) return null;
      if (!ok) {
        s.input(probeSpec(path2, a.result));
        return null;
      }
      if (a.op === "rename") {
        s.output(path2, { path: path2, kind: "content" });
        s.entryChanged(path2, false);
      } else {
        s.input({ path: path2, kind: "content" });
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
      for (const path2 of step.created) s.markCreated(path2);
      for (const out of step.outputs) s.output(out, null);
      for (const [path2, change] of step.entryChanges) s.entryChanged(path2, change === "added");
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
    entryChanges: s.entryChangeList()
  };
}

// src/memo/restore.ts
import { chmodSync, lstatSync as lstatSync2, mkdirSync, realpathSync, renameSync, rmdirSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { basename as basename2, dirname as dirname4, join as join4 } from "node:path";
var RestoreError = class extends Error {
};
function safeDir(dir, roots2) {
  mkdirSync(dir, { recursive: true });
  const real = realpathSync(dir);
  if (!roots2.allows(real)) throw new RestoreError(`${dir} leads outside the allowed directories (to ${real})`);
  return real;
}
function tmpName(dir, name) {
  return join4(dir, `.${name}.pc-${process.pid}-${Math.random().toString(36).slice(2)}`);
}
function kindAt(path2) {
  try {
    const st = lstatSync2(path2);
    return st.isDirectory() ? "dir" : "other";
  } catch {
    return null;
  }
}
function removeAt(path2) {
  const kind = kindAt(path2);
  if (kind === null) return;
  if (kind !== "dir") {
    unlinkSync(path2);
    return;
  }
  try {
    rmdirSync(path2);
  } catch (e) {
    throw new RestoreError(`${path2} is a directory that is not empty: restoring would delete what is in it (${e.message})`);
  }
}
function apply(o, roots2, blobs) {
  const target = roots2.load(o.path);
  if (!roots2.allows(target)) throw new RestoreError(`the entry writes ${o.path}, outside the allowed directories`);
  const dir = safeDir(dirname4(target), roots2);
  const path2 = join4(dir, basename2(target));
  switch (o.type) {
    case "file": {
      const data = blobs.get(o.blob);
      const tmp = tmpName(dir, basename2(target));
      writeFileSync(tmp, data, { mode: o.mode & 4095 });
      chmodSync(tmp, o.mode & 4095);
      if (kindAt(path2) === "dir") removeAt(path2);
      renameSync(tmp, path2);
      return data.length;
    }
    case "symlink": {
      const tmp = tmpName(dir, basename2(target));
      symlinkSync(o.target, tmp);
      if (kindAt(path2) === "dir") removeAt(path2);
      renameSync(tmp, path2);
      return 0;
    }
    case "dir": {
      if (kindAt(path2) !== "dir") {
        removeAt(path2);
        mkdirSync(path2);
      }
      chmodSync(path2, o.mode & 4095);
      return 0;
    }
    case "absent":
      removeAt(path2);
      return 0;
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
function restoreOutputs(entry, roots2, blobs) {
  for (const o of entry.outputs) {
    if (!roots2.allows(roots2.load(o.path))) throw new RestoreError(`the entry writes ${o.path}, outside the allowed directories`);
  }
  const existed = new Map(entry.outputs.map((o) => [o.path, kindAt(roots2.load(o.path)) !== null]));
  const done = { bytes: 0, created: [], removed: [] };
  for (const o of order(entry.outputs)) {
    done.bytes += apply(o, roots2, blobs);
    if (o.type === "absent" && existed.get(o.path)) done.removed.push(roots2.load(o.path));
    if (o.type !== "absent" && !existed.get(o.path)) done.created.push(roots2.load(o.path));
  }
  return done;
}

// src/memo/engine.ts
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
var MemoEngine = class {
  constructor(opts, builder) {
    this.opts = opts;
    this.builder = builder;
    this.fs = new FsView(opts.hasher);
    builder.onAccessSeen = (access) => this.fs.observe(access);
    builder.onExecutionStart = (exec) => this.started(exec);
    builder.onExecutionEnd = (exec) => {
      const endAt = builder.log.length - 0.5;
      this.recording = this.recording.then(() => this.ended(exec, endAt)).catch((e) => {
        this.opts.warn(`recording ${exec.exe} failed: ${e.message}`);
      });
    };
  }
  opts;
  builder;
  stats = { ran: 0, reused: 0, savedMs: 0, bytesRestored: 0, hitCostMs: 0, executions: [] };
  pendingWeak = /* @__PURE__ */ new Map();
  weakOf = /* @__PURE__ */ new Map();
  rows = /* @__PURE__ */ new Map();
  /** for a miss: how the closest candidate differed, by pid until the exec is known */
  missWhy = /* @__PURE__ */ new Map();
  missReason = /* @__PURE__ */ new Map();
  recording = Promise.resolve();
  /** each ended execution's subtree, folded: what its parent composes instead of re-reading it */
  folded = /* @__PURE__ */ new Map();
  fs;
  weakOfQuery(q) {
    return weakKey({
      toolVersion: this.opts.toolVersion,
      exe: q.exe,
      argv: q.argv,
      cwd: q.cwd,
      env: q.env,
      stdio: q.stdio,
      umask: this.opts.umask
    }, this.opts.ignoreEnv);
  }
  /** The exec hook: a hit restores the outputs and skips the program. */
  decide = async (q) => {
    const started = performance.now();
    const weak = this.weakOfQuery(q);
    this.pendingWeak.set(q.pid, { exe: q.exe, weak });
    try {
      const candidates = this.opts.index.candidates(weak);
      let closest = null;
      for (const entry of candidates) {
        const differs = this.differences(entry);
        if (differs.length) {
          if (!closest || differs.length < closest.differs.length) closest = { differs, total: entry.inputs.length };
          continue;
        }
        const blobs = await fetchBlobs(entry, this.opts.store);
        const restored = restoreOutputs(entry, this.opts.roots, blobs);
        for (const o of entry.outputs) this.fs.changed(this.opts.roots.load(o.path));
        await this.opts.store.touchEntry(entry);
        this.stats.reused++;
        this.stats.savedMs += entry.durationMs;
        this.stats.bytesRestored += restored.bytes;
        this.stats.hitCostMs += performance.now() - started;
        const hit = { entry, created: restored.created, removed: restored.removed };
        return { skip: true, exitCode: entry.exitCode, output: this.stream(entry, blobs), tag: hit };
      }
      this.missWhy.set(q.pid, closest ? `${candidates.length} candidate(s); the closest differs in ${closest.differs.length} of ${closest.total} inputs: ${closest.differs.slice(0, 3).join("; ")}` : "never recorded");
    } catch (e) {
      this.opts.warn(`cache lookup for ${q.exe} failed, running it: ${e.message}`);
    }
    return { skip: false };
  };
  /** The inputs that no longer hold what they held (all of them are looked at, for explaining). */
  differences(entry) {
    const out = [];
    for (const input of entry.inputs) {
      const spec = this.specOf(input);
      if (!spec) {
        out.push(`${String(input.path)}: an input of unknown kind`);
        continue;
      }
      const now = this.fs.value(spec);
      if (now !== input.value) out.push(`${input.path}: ${short(input.value)} -> ${short(now)}`);
    }
    return out;
  }
  /** An input as stored (untrusted: it may come from a remote) back to what to look at. */
  specOf(input) {
    if (typeof input.path !== "string" || typeof input.value !== "string") return null;
    const path2 = this.opts.roots.load(input.path);
    switch (input.kind) {
      case "content":
      case "absent":
      case "link":
        return { path: path2, kind: input.kind };
      case "exists":
        return typeof input.type === "string" ? { path: path2, kind: "exists", type: input.type } : { path: path2, kind: "exists" };
      case "listing":
        return Array.isArray(input.names) && input.names.every((n) => typeof n === "string") ? { path: path2, kind: "listing", names: input.names } : null;
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
    return this.fs.value(spec);
  }
  started(exec) {
    const pending = this.pendingWeak.get(exec.pid);
    if (pending && pending.exe === exec.exe) this.weakOf.set(exec.id, pending.weak);
    this.pendingWeak.delete(exec.pid);
    const why = this.missWhy.get(exec.pid);
    if (why) this.missReason.set(exec.id, why);
    this.missWhy.delete(exec.pid);
  }
  row(exec, status, reason) {
    const row = {
      id: exec.id,
      parent: exec.parent,
      exe: exec.exe,
      argv: exec.argv,
      status,
      durationMs: Math.round(((exec.endMs ?? exec.startMs) - exec.startMs) * 1e3) / 1e3
    };
    if (reason) row.reason = reason;
    this.rows.set(exec.id, row);
  }
  /** endAt: after what the log held when it ended, before what came next */
  async ended(exec, endAt) {
    const folded = await this.fold(exec, endAt);
    this.folded.set(exec.id, folded);
    for (const child of this.builder.childrenOf(exec)) this.folded.delete(child.id);
    if (exec.skipped) {
      this.row(exec, "hit");
      return;
    }
    this.stats.ran++;
    const reason = await this.record(exec, folded);
    this.row(exec, reason ? "uncacheable" : "miss", reason ?? this.missReason.get(exec.id));
  }
  /** exec's subtree: its own accesses and output, with each ended child folded in where it ended. */
  async fold(exec, endAt) {
    const parts = [];
    for (const [at, item] of this.builder.ownLog(exec.id)) {
      if (item.kind === "access") parts.push([at, { kind: "access", access: item.access }, []]);
      else if (item.kind === "output") parts.push([at, null, [{ fd: item.fd, data: item.data }]]);
      else parts.push([at, ...await this.replayedStep(item.tag)]);
    }
    let childReason = null;
    let unsafe = ownUnsafety(exec);
    for (const child of this.builder.childrenOf(exec)) {
      const f = this.folded.get(child.id);
      if (!f) continue;
      if (f.summary.unmodelled) childReason ??= f.summary.unmodelled;
      unsafe ??= f.unsafe;
      const s = f.summary;
      parts.push([f.endAt, { kind: "replayed", inputs: s.inputs, outputs: s.outputs, created: s.created, entryChanges: s.entryChanges }, f.stream]);
    }
    parts.sort((a, b) => a[0] - b[0]);
    const summary = summarize(parts.flatMap(([, step]) => step ? [step] : []));
    if (childReason && !summary.unmodelled) {
      summary.cacheable = false;
      summary.reason = childReason;
      summary.unmodelled = childReason;
    }
    return { summary, unsafe, stream: parts.flatMap(([, , out]) => out), endAt };
  }
  /** A child served from cache: what its entry stands for, and its output stream. */
  async replayedStep(hit) {
    const { entry, created, removed } = hit;
    const inputs = entry.inputs.map((i) => this.specOf(i)).filter((s) => s !== null);
    const entryChanges = [
      ...created.map((p) => [p, "added"]),
      ...removed.map((p) => [p, "removed"])
    ];
    const step = { kind: "replayed", inputs, outputs: entry.outputs.map((o) => this.opts.roots.load(o.path)), created, entryChanges };
    if (!entry.stream) return [step, []];
    const blob = await this.opts.store.getBlob(entry.stream.blob);
    if (!blob) throw new Error("a replayed output stream is missing");
    return [step, this.stream(entry, /* @__PURE__ */ new Map([[entry.stream.blob, blob]]))];
  }
  /** Records exec's entry; returns why it cannot be, or null. */
  async record(exec, folded) {
    const weak = this.weakOf.get(exec.id);
    if (!weak) return "its exec was not seen";
    if (exec.exitCode === null) return `killed by signal ${exec.signal}`;
    if (this.builder.hasLiveDescendant(exec)) return "a process it started outlives it";
    const { unsafe } = folded;
    if (unsafe) return unsafe.exe === exec.exe ? unsafe.reason : `${unsafe.exe}: ${unsafe.reason}`;
    const durationMs = (exec.endMs ?? exec.startMs) - exec.startMs;
    if (durationMs < this.opts.minDurationMs) return `shorter than ${this.opts.minDurationMs} ms: a lookup would cost more`;
    const { summary } = folded;
    if (!summary.cacheable) return summary.reason ?? "not modelled";
    const outputs = await this.outputStates(summary.outputs, new Set(summary.created));
    if (typeof outputs === "string") return outputs;
    const inputs = summary.inputs.map((spec) => toInput(spec, this.recordedValue(spec))).map((input) => ({ ...input, path: this.opts.roots.store(input.path) }));
    const stream = await this.storeStream(folded.stream);
    const strong = sha256(weak + JSON.stringify(inputs));
    const children = this.builder.childrenOf(exec).flatMap((e) => {
      const childWeak = this.weakOf.get(e.id);
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
      exitCode: exec.exitCode ?? 0,
      durationMs: Math.round(durationMs * 1e3) / 1e3,
      createdAt: (/* @__PURE__ */ new Date()).toISOString(),
      children
    };
    await this.opts.store.putEntry(entry);
    return null;
  }
  /** The final state of each output; a message when one is outside the allowed directories. */
  async outputStates(paths, createdHere) {
    const states = [];
    for (const path2 of paths.sort()) {
      const state = await this.finalState(path2);
      if (state.type === "absent" && createdHere.has(path2)) continue;
      if (!this.opts.roots.allows(path2)) return `it writes ${path2}, outside the root`;
      states.push({ ...state, path: this.opts.roots.store(path2) });
    }
    return states;
  }
  async finalState(path2) {
    let st;
    try {
      st = lstatSync3(path2);
    } catch {
      return { path: path2, type: "absent" };
    }
    if (st.isSymbolicLink()) return { path: path2, type: "symlink", target: readlinkSync2(path2) };
    if (st.isDirectory()) return { path: path2, type: "dir", mode: st.mode & 4095 };
    if (!st.isFile()) throw new Error(`${path2} is neither a file, a directory nor a symlink`);
    const data = readFileSync(path2);
    const blob = sha256(data);
    await this.opts.store.putBlob(blob, data);
    return { path: path2, type: "file", blob, mode: st.mode & 4095, size: data.length };
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
    this.stats.executions = [...this.rows.values()].sort((a, b) => a.id - b.id);
    return this.stats;
  }
};

// src/memo/paths.ts
import { isAbsolute, join as join5, relative, resolve as resolve2, sep } from "node:path";
var Roots = class {
  root;
  allowed;
  constructor(root, extra = []) {
    this.root = resolve2(root);
    this.allowed = [this.root, ...extra.map((d) => resolve2(d))];
  }
  /** How an absolute path is stored: relative under the root, absolute elsewhere. */
  store(path2) {
    const rel = relative(this.root, path2);
    return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path2 === this.root ? "." : path2;
  }
  /** The absolute path a stored path names now. */
  load(stored) {
    return isAbsolute(stored) ? stored : join5(this.root, stored);
  }
  /** Is the (already resolved, absolute) path inside one of the allowed directories? */
  allows(path2) {
    const p = resolve2(path2);
    return this.allowed.some((dir) => p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep));
  }
};

// src/store/local.ts
import { createHash as createHash2 } from "node:crypto";
import { existsSync as existsSync2, mkdirSync as mkdirSync2, readdirSync as readdirSync2, readFileSync as readFileSync2, renameSync as renameSync2, rmSync as rmSync2, statSync as statSync3, utimesSync, writeFileSync as writeFileSync2 } from "node:fs";
import { homedir } from "node:os";
import { dirname as dirname5, join as join6 } from "node:path";
function defaultStoreDir(env = process.env) {
  if (env.PROCESSCACHE_STORE) return env.PROCESSCACHE_STORE;
  const base = env.XDG_CACHE_HOME || join6(homedir(), ".cache");
  return join6(base, "processcache");
}
var HEX64 = /^[0-9a-f]{64}$/;
var madeDirs = /* @__PURE__ */ new Set();
function atomicWrite(path2, data) {
  const dir = dirname5(path2);
  if (!madeDirs.has(dir)) {
    mkdirSync2(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const tmp = `${path2}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync2(tmp, data);
  renameSync2(tmp, path2);
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
  for (const o of entry.outputs) {
    if (typeof o !== "object" || o === null || typeof o.path !== "string") return null;
    if (o.type === "file" && !(typeof o.blob === "string" && HEX64.test(o.blob) && Number.isInteger(o.mode))) return null;
    if (!["file", "symlink", "dir", "absent"].includes(o.type)) return null;
  }
  if (entry.stream) {
    const { blob, chunks } = entry.stream;
    if (!(typeof blob === "string" && HEX64.test(blob) && Array.isArray(chunks))) return null;
    if (!chunks.every((c) => (c.fd === 1 || c.fd === 2) && Number.isInteger(c.bytes) && c.bytes >= 0)) return null;
  }
  if (!Array.isArray(entry.children)) entry.children = [];
  return entry;
}
var LocalStore = class {
  constructor(dir, writable = true) {
    this.dir = dir;
    this.writable = writable;
    mkdirSync2(join6(dir, "blobs"), { recursive: true });
    mkdirSync2(join6(dir, "entries"), { recursive: true });
  }
  dir;
  writable;
  blobPath(hash) {
    return join6(this.dir, "blobs", hash.slice(0, 2), hash.slice(2));
  }
  /** 256 buckets of "<weak>.<strong>.json" files: creating a directory per command costs more
   * than listing a bucket (a quarter millisecond each on the CI machines' disks). */
  entryDir(weak) {
    return join6(this.dir, "entries", weak.slice(0, 2));
  }
  entryPath(entry) {
    return join6(this.entryDir(entry.weak), `${entry.weak}.${entry.strong}.json`);
  }
  /** Locally the index is the entry buckets themselves, each read when a command first needs it. */
  async openIndex() {
    return { candidates: (weak) => this.candidates(weak) };
  }
  candidates(weak) {
    const dir = this.entryDir(weak);
    let names;
    try {
      names = readdirSync2(dir).filter((n) => n.startsWith(`${weak}.`) && n.endsWith(".json"));
    } catch {
      return [];
    }
    const found = [];
    for (const name of names) {
      const path2 = join6(dir, name);
      try {
        const entry = parseEntry(readFileSync2(path2, "utf8"));
        if (entry && entry.weak === weak) found.push({ entry, used: statSync3(path2).mtimeMs });
      } catch {
      }
    }
    return found.sort((a, b) => b.used - a.used).map((f) => f.entry);
  }
  async putEntry(entry) {
    if (!this.writable) return;
    atomicWrite(this.entryPath(entry), JSON.stringify(entry));
  }
  async touchEntry(entry) {
    if (!this.writable) return;
    const now = /* @__PURE__ */ new Date();
    try {
      utimesSync(this.entryPath(entry), now, now);
    } catch {
    }
  }
  async getBlob(hash) {
    if (!HEX64.test(hash)) return null;
    let data;
    try {
      data = readFileSync2(this.blobPath(hash));
    } catch {
      return null;
    }
    if (createHash2("sha256").update(data).digest("hex") !== hash) {
      if (this.writable) rmSync2(this.blobPath(hash), { force: true });
      return null;
    }
    return data;
  }
  async putBlob(hash, data) {
    if (!this.writable) return;
    const path2 = this.blobPath(hash);
    if (existsSync2(path2) && statSync3(path2).size === data.length) return;
    atomicWrite(path2, data);
  }
};
function listLocal(dir) {
  const entries = [];
  const root = join6(dir, "entries");
  for (const rel of readdirSync2(root, { recursive: true }).map(String)) {
    if (!rel.endsWith(".json")) continue;
    const path2 = join6(root, rel);
    try {
      const st = statSync3(path2);
      const entry = parseEntry(readFileSync2(path2, "utf8"));
      if (entry) entries.push({ entry, lastUsedMs: st.mtimeMs, bytes: st.size, remove: () => rmSync2(path2, { force: true }) });
      else rmSync2(path2, { force: true });
    } catch {
    }
  }
  const blobs = [];
  const blobRoot = join6(dir, "blobs");
  for (const rel of readdirSync2(blobRoot, { recursive: true }).map(String)) {
    const hash = rel.replace("/", "");
    if (!HEX64.test(hash)) continue;
    const path2 = join6(blobRoot, rel);
    try {
      const st = statSync3(path2);
      blobs.push({ hash, bytes: st.size, mtimeMs: st.mtimeMs, path: path2 });
    } catch {
    }
  }
  return { entries, blobs };
}

// src/store/gc.ts
import { rmSync as rmSync3 } from "node:fs";
var GRACE_MS = 60 * 60 * 1e3;
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
    else rmSync3(b.path, { force: true });
  }
  return { entriesBefore: entries.length, entriesRemoved: removed, bytesBefore, bytesAfter };
}

// src/cli/explain-command.ts
var EXPLAIN_USAGE = "usage: processcache explain [--store DIR] [--root DIR] [--ignore-env VAR]... -- CMD [ARGS...]";
function stdioKind(fd) {
  try {
    if (isatty(fd)) return "tty";
    const st = fstatSync2(fd);
    if (st.isFIFO()) return "pipe";
    if (st.isSocket()) return "socket";
    if (st.isFile()) return "file";
    if (st.isCharacterDevice()) return st.rdev === 259 ? "null" : "char";
    return "other";
  } catch {
    return "closed";
  }
}
var MAX_LINES = 200;
var Explainer = class {
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
  const store = new LocalStore(resolve3(String(options.get("store") ?? defaultStoreDir())), false);
  const ignoreEnv = ignoredEnv(lists.get("ignore-env"));
  const index = await store.openIndex();
  const engine = new MemoEngine({
    store,
    index,
    roots: new Roots(resolve3(String(options.get("root") ?? cwd))),
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

// src/cli/gc-command.ts
import { existsSync as existsSync3 } from "node:fs";
import { resolve as resolve4 } from "node:path";
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
  const dir = resolve4(String(options.get("store") ?? defaultStoreDir()));
  if (!existsSync3(dir)) {
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
import { spawnSync as spawnSync2 } from "node:child_process";
import { existsSync as existsSync4, mkdirSync as mkdirSync3, readFileSync as readFileSync3, writeFileSync as writeFileSync3 } from "node:fs";
import { constants as constants2 } from "node:os";
import { join as join7, resolve as resolve5 } from "node:path";
var RUN_USAGE = "usage: processcache run [--store DIR] [--root DIR] [--allow DIR]... [--read-only] [--stats-json FILE] [--quiet] [--ignore-env VAR]... [--min-duration-ms N] -- CMD [ARGS...]";
var warn = (message) => {
  process.stderr.write(`processcache: warning: ${message}
`);
};
function loadStatCache(path2) {
  try {
    const entries = JSON.parse(readFileSync3(path2, "utf8"));
    if (Array.isArray(entries)) return new FileHasher(entries.filter((e) => Array.isArray(e) && e.length === 2));
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
  const r = spawnSync2(command[0], command.slice(1), { stdio: "inherit" });
  if (r.error) {
    process.stderr.write(`processcache: ${command[0]}: ${r.error.message}
`);
    return 127;
  }
  return r.signal ? 128 + (constants2.signals[r.signal] ?? 0) : r.status ?? 1;
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
  const storeDir = resolve5(String(options.get("store") ?? defaultStoreDir()));
  const root = resolve5(String(options.get("root") ?? process.cwd()));
  if (!existsSync4(root)) throw new UsageError(`--root ${root} does not exist`);
  const minDurationMs = nonNegativeInt(options.get("min-duration-ms"), "min-duration-ms", 3);
  const ignoreEnv = ignoredEnv(lists.get("ignore-env"));
  let store;
  try {
    mkdirSync3(storeDir, { recursive: true });
    store = new LocalStore(storeDir, !options.has("read-only"));
  } catch (e) {
    warn(`the store at ${storeDir} cannot be used (${e.message}); running without the cache`);
    return runPlain(command);
  }
  const statCachePath = join7(storeDir, "statcache.json");
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
      writeFileSync3(statCachePath, JSON.stringify(hasher.entries()));
    } catch {
    }
  }
  if (!options.has("quiet")) process.stderr.write(`${summaryLine(stats)}
`);
  const statsPath = options.get("stats-json");
  if (typeof statsPath === "string") {
    try {
      writeFileSync3(statsPath, `${JSON.stringify(stats, null, 1)}
`);
    } catch (e) {
      warn(`could not write ${statsPath}: ${e.message}`);
    }
  }
  return exitCodeOf(status);
}

// src/cli/trace-command.ts
import { writeFileSync as writeFileSync4 } from "node:fs";
import { resolve as resolve6 } from "node:path";
var TRACE_USAGE = "usage: processcache trace [--out FILE] -- CMD [ARGS...]";
async function traceMain(args) {
  const { options, command } = parseArgs(args, { out: { value: true } }, TRACE_USAGE);
  if (command.length === 0) throw new UsageError(`no command to trace
${TRACE_USAGE}`);
  const out = resolve6(String(options.get("out") ?? "processcache-trace.json"));
  const { trace, status, warnings, builder } = await traceCommand({ command });
  for (const w of [...builder.errors, ...warnings]) process.stderr.write(`processcache: warning: ${w}
`);
  try {
    writeFileSync4(out, `${JSON.stringify(trace, null, 1)}
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
    case "explain":
      return explainMain(rest);
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
