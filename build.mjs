// Bundles the action and the CLI into one self-contained ESM file each (dist/), .wasm included.
// esbuild, not @vercel/ncc: ncc crashed with TypeScript 7, produced a CJS bundle that cannot load
// the ESM-only @actions/core, and corrupted .wasm assets in ESM mode (measured, see README Design).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { writeDigest } from './scripts/analysis-digest.mjs';

const ROOT = dirname(fileURLToPath(import.meta.url));
const toPosix = (path) => path.split(sep).join('/');

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
      const file = toPosix(relative(ROOT, args.path));
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
  absWorkingDir: ROOT,
  // A worktree whose node_modules links to another checkout's builds the same bytes as a plain clone.
  preserveSymlinks: true,
  plugins: [embedAssets],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Runs under this machine's Node 20 in tests and Node 24 on GitHub's runners.
  loader: { '.wasm': 'binary' },
  legalComments: 'none',
  logLevel: 'warning',
  minify: true,
  // dist/*.js.map, committed next to each bundle: `node --enable-source-maps dist/cli.js` (or
  // NODE_OPTIONS=--enable-source-maps in a workflow) maps a stack trace to src/. No sources inlined: the
  // action's checkout has src/, and inlining would ship every dependency's text twice.
  sourcemap: 'linked',
  sourcesContent: false,
  // Written by write() below, which makes the maps independent of where the build went.
  write: false,
  // Some CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
  banner: {
    js: "import { createRequire as __pmgCreateRequire } from 'node:module'; const require = __pmgCreateRequire(import.meta.url);",
  },
};

const bundles = [
  { entry: 'src/action/main.ts', file: 'index.js' },
  // The analysis pool's worker thread (src/action/analysis-pool.ts looks for it next to index.js and cli.js;
  // without it, both analyse in their own thread).
  { entry: 'src/action/analysis-worker.ts', file: 'analysis-worker.js' },
  { entry: 'src/cli/main.ts', file: 'cli.js', banner: { js: `#!/usr/bin/env node\n${shared.banner.js}` } },
];

/**
 * Writes esbuild's output into outdir. A source map names its sources relative to the map, so a map built into
 * a temp dir would differ from dist/'s; each map is written as if built into dist/, so test/dist.test.ts can
 * compare a temp build with the committed one byte for byte.
 */
function write(outputFiles, outdir) {
  for (const { path, text } of outputFiles) {
    let contents = text;
    if (path.endsWith('.map')) {
      const map = JSON.parse(text);
      map.sources = map.sources.map((s) => toPosix(relative(join(ROOT, 'dist'), resolve(dirname(path), s))));
      contents = `${JSON.stringify(map)}\n`;
    }
    writeFileSync(join(outdir, basename(path)), contents);
  }
}

/** Builds the three bundles (and their maps) into outdir; with `metafile`, returns esbuild's metafile per bundle. */
export async function buildBundles(outdirArg, { metafile = false } = {}) {
  const outdir = resolve(outdirArg);
  mkdirSync(outdir, { recursive: true });
  const metafiles = {};
  for (const { entry, file, banner } of bundles) {
    const result = await esbuild.build({
      ...shared,
      ...(banner ? { banner } : {}),
      metafile,
      entryPoints: [entry],
      outfile: join(outdir, file),
    });
    write(result.outputFiles, outdir);
    metafiles[file] = result.metafile;
  }
  chmodSync(join(outdir, 'cli.js'), 0o755);
  return metafiles;
}

// `node build.mjs [outdir]`. The verdict cache key's digest of the reader, parser, rules and extractor is refreshed
// before bundling dist/, so dist/ never carries a stale one (commit src/analysis-digest.ts with the change that
// moved it). A build elsewhere (the tests' temp dirs) leaves the source tree alone: verdict-cache.test.ts reports
// a stale digest instead.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = resolve(process.argv[2] ?? join(ROOT, 'dist'));
  if (outdir === join(ROOT, 'dist') && writeDigest())
    console.log('src/analysis-digest.ts updated: commit it with your change');
  await buildBundles(outdir);
}
