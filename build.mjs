// Bundles the action and the CLI into one self-contained ESM file each (dist/), .wasm included.
// esbuild, not @vercel/ncc: ncc crashed with TypeScript 7, produced a CJS bundle that cannot load
// the ESM-only @actions/core, and corrupted .wasm assets in ESM mode (measured, see README Design).
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

// `node build.mjs [outdir]`: the staleness test builds into a temp dir and compares with dist/.
const outdir = process.argv[2] ?? 'dist';

const shared = {
  bundle: true,
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
await esbuild.build({
  ...shared,
  entryPoints: ['src/cli/main.ts'],
  outfile: join(outdir, 'cli.js'),
  banner: { js: `#!/usr/bin/env node\n${shared.banner.js}` },
});
chmodSync(join(outdir, 'cli.js'), 0o755);
