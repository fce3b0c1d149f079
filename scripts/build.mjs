// Bundles the CLI into dist/cli.js (behind its sh launcher) and copies the native artifacts beside
// it, as the Action and the npm package run them. The native build itself is native/Makefile's.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';

// `koffi` in the bundle is its addon alone (scripts/bundle/koffi-addon.cjs says why)
const koffiAddonOnly = {
  name: 'koffi-addon-only',
  setup(b) {
    b.onResolve({ filter: /^koffi$/ }, () => ({ path: resolvePath('scripts/bundle/koffi-addon.cjs') }));
  },
};

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
rmSync('dist', { recursive: true, force: true });
const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // CommonJS starts faster than ESM: Node 20 loads its ESM loader (and fs/promises, readline) for
  // an ES module entry, 8 ms of every start here; dist/package.json says so to Node
  format: 'cjs',
  sourcemap: false,
  banner: { js: "const __pcMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { PROCESSCACHE_VERSION: JSON.stringify(pkg.version), 'import.meta.url': '__pcMetaUrl' },
  logLevel: 'warning',
};
await build({
  ...shared,
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  loader: { '.node': 'copy' },
  plugins: [koffiAddonOnly],
});
// the Action's entry points (action.yml runs them on the runner's Node 24); they run dist/cli.js
// for the commands and hold @actions/cache for the remote store
// @actions/cache (with the Azure SDK, 2.4 MB) is a bundle of its own, loaded only to save: Node
// parses all of a bundle at start, and main usually only fetches
const actionsCacheApart = {
  name: 'actions-cache-apart',
  setup(b) {
    b.onResolve({ filter: /^@actions\/cache$/ }, () => ({ path: './actions-cache.js', external: true }));
  },
};
await build({
  ...shared,
  entryPoints: { index: 'src/action/index.ts' },
  outdir: 'dist/action',
  legalComments: 'none',
  plugins: [actionsCacheApart],
});
// one bundle for both steps: main.js and post.js are the entry points action.yml names
for (const step of ['main', 'post']) writeFileSync(`dist/action/${step}.js`, `require('./index.js').${step}();\n`);
await build({
  ...shared,
  entryPoints: { 'actions-cache': 'scripts/bundle/actions-cache.mjs' },
  outdir: 'dist/action',
  legalComments: 'none',
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
// dist/cli.js starts as an sh script that looks at what the caller gave it (fds, ignored signals)
// before Node loses it, then runs Node on the same file: the launcher replaces the bundle's #! line
const bundle = readFileSync('dist/cli.js', 'utf8').replace(/^#!.*\n/, '');
writeFileSync('dist/cli.js', readFileSync('scripts/bundle/launcher.sh', 'utf8') + bundle);
writeFileSync('dist/package.json', `${JSON.stringify({ type: 'commonjs' })}\n`);
chmodSync('dist/cli.js', 0o755);
