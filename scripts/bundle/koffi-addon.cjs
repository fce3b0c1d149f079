// What the bundle loads for `koffi`: the prebuilt addon alone. koffi's index.js also loads https,
// zlib and crypto for its downloader, a tenth of every start of the CLI; the addon is the whole API
// the tracer binding uses. Linux x64 and arm64 only (the tracer refuses other platforms), glibc
// first, then musl, as koffi's own loader tries them.
'use strict';
function load() {
  if (process.arch === 'x64') {
    try { return require('koffi/build/koffi/linux_x64/koffi.node'); } catch { return require('koffi/build/koffi/musl_x64/koffi.node'); }
  }
  if (process.arch === 'arm64') {
    try { return require('koffi/build/koffi/linux_arm64/koffi.node'); } catch { return require('koffi/build/koffi/musl_arm64/koffi.node'); }
  }
  throw new Error(`processcache traces x86_64 and aarch64 only, not ${process.arch}`);
}
module.exports = load();
