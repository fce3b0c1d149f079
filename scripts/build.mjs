// Bundles the CLI into dist/cli.js and copies the native artifacts beside it, as the Action and
// the npm package run them. The native build itself is native/Makefile's.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// koffi requires a prebuilt addon per platform; the tracer runs on Linux x64 and arm64 only, so
// the others stay out of the bundle (their require() would throw, on platforms we refuse anyway)
const SUPPORTED = /[\\/](linux|musl)_(x64|arm64)[\\/]koffi\.node$/;
const onlyLinuxKoffi = {
  name: 'only-linux-koffi',
  setup(b) {
    b.onResolve({ filter: /koffi\.node$/ }, (args) =>
      SUPPORTED.test(args.path) ? undefined : { path: args.path, external: true });
  },
};

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: false,
  loader: { '.node': 'copy' },
  plugins: [onlyLinuxKoffi],
  // koffi's loader is CommonJS: give the ESM bundle a require()
  banner: { js: "import { createRequire as __pcRequire } from 'node:module'; const require = __pcRequire(import.meta.url);" },
  define: { PROCESSCACHE_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
for (const arch of ['x64', 'arm64']) {
  const from = join('native', 'build', arch);
  if (!existsSync(join(from, 'libpctrace.so'))) continue;
  const to = join('dist', 'native', arch);
  mkdirSync(to, { recursive: true });
  for (const f of ['libpctrace.so', 'pctrace']) {
    copyFileSync(join(from, f), join(to, f));
    chmodSync(join(to, f), 0o755);
  }
}
chmodSync('dist/cli.js', 0o755);
