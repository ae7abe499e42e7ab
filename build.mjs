// Bundles the action and the CLI into one self-contained ESM file each (dist/), .wasm included.
// esbuild, not @vercel/ncc: ncc crashed with TypeScript 7, produced a CJS bundle that cannot load
// the ESM-only @actions/core, and corrupted .wasm assets in ESM mode (measured, see README Design).
import { chmodSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import * as esbuild from 'esbuild';
import { writeDigest } from './scripts/analysis-digest.mjs';

// `node build.mjs [outdir]`: the staleness test builds into a temp dir and compares with dist/.
const outdir = process.argv[2] ?? 'dist';

// The verdict cache key's digest of the reader, parser, rules and extractor: refreshed before bundling so
// a build never carries a stale one (commit src/analysis-digest.ts with the change that moved it).
if (writeDigest()) console.log('src/analysis-digest.ts updated: commit it with your change');

// Assets embedded in the one-file bundle. Each `*-embedded.ts` module says "not embedded" when run from source
// (the caller then reads node_modules or models/); here its source becomes static imports: the .wasm files
// through the binary loader (plain bytes; a dynamic import() of a .wasm gets a CommonJS wrapper whose ESM
// interop defines a getter per byte: seconds of start-up, issue 13), the model as text (parsed when needed).
const embedded = {
  'src/python/wasm-embedded.ts': [
    "import runtime from 'web-tree-sitter/web-tree-sitter.wasm';",
    "import grammar from 'tree-sitter-python/tree-sitter-python.wasm';",
    'export const embeddedWasm = { runtime, grammar };',
  ],
  'src/model/model-embedded.ts': [
    "import text from '../../models/model.json' with { type: 'text' };",
    'export const embeddedModelText = text;',
  ],
};
const embedAssets = {
  name: 'embed-assets',
  setup(build) {
    build.onLoad({ filter: /-embedded\.ts$/ }, (args) => {
      const file = relative(process.cwd(), args.path).split(sep).join('/');
      const lines = embedded[file];
      if (!lines) throw new Error(`build.mjs: no embedded contents for ${file}`);
      return { loader: 'js', resolveDir: dirname(args.path), contents: lines.join('\n') };
    });
  },
};

// The tool's version, written only in package.json: src/version.ts reads it from package.json when run
// from source, the bundle gets it as a literal.
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const shared = {
  bundle: true,
  define: { __PMG_VERSION__: JSON.stringify(version) },
  plugins: [embedAssets],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Runs under this machine's Node 20 in tests and Node 24 on GitHub's runners.
  loader: { '.wasm': 'binary' },
  legalComments: 'none',
  logLevel: 'warning',
  // Some CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
  banner: {
    js: "import { createRequire as __pmgCreateRequire } from 'node:module'; const require = __pmgCreateRequire(import.meta.url);",
  },
};

await esbuild.build({ ...shared, entryPoints: ['src/action/main.ts'], outfile: join(outdir, 'index.js') });
// The analysis pool's worker thread (src/action/analysis-pool.ts looks for it next to index.js and cli.js;
// without it, both analyse in their own thread).
await esbuild.build({
  ...shared,
  entryPoints: ['src/action/analysis-worker.ts'],
  outfile: join(outdir, 'analysis-worker.js'),
});
await esbuild.build({
  ...shared,
  entryPoints: ['src/cli/main.ts'],
  outfile: join(outdir, 'cli.js'),
  banner: { js: `#!/usr/bin/env node\n${shared.banner.js}` },
});
chmodSync(join(outdir, 'cli.js'), 0o755);
