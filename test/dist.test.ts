import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, without type declarations.
import { buildBundles } from '../build.mjs';
import { makeWheel } from './fixtures/archives.js';

const BUNDLES = ['index.js', 'cli.js', 'analysis-worker.js'];
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const WASM = [
  'node_modules/web-tree-sitter/web-tree-sitter.wasm',
  'node_modules/tree-sitter-python/tree-sitter-python.wasm',
];

// The action runs dist/, not src/: a stale bundle would ship old code.
describe('dist/', () => {
  const root = mkdtempSync(join(tmpdir(), 'pmg-dist-'));
  const out = join(root, 'dist');
  let metafiles: Record<string, Metafile>;
  beforeAll(async () => {
    metafiles = await buildBundles(out, { metafile: true });
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is byte for byte a fresh build of src/: bundles and source maps, nothing missing or extra (run `npm run build` and commit dist/)', () => {
    const fresh = readdirSync(out).sort();
    expect(fresh).toEqual(expect.arrayContaining([...BUNDLES, ...BUNDLES.map((b) => `${b}.map`)]));
    const committed = existsSync(DIST) ? readdirSync(DIST).sort() : [];
    const stale = fresh.filter(
      (f) => !committed.includes(f) || !readFileSync(join(DIST, f)).equals(readFileSync(join(out, f))),
    );
    const extra = committed.filter((f) => !fresh.includes(f));
    expect(
      { stale, extra },
      'dist/ is stale: run `npm run build` and commit dist/ (extra files: delete them)',
    ).toEqual({ stale: [], extra: [] });
  });

  it('the CLI bundle starts with a node shebang and runs from any folder', () => {
    const cli = readFileSync(join(DIST, 'cli.js'), 'utf8');
    expect(cli.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = execFileSync(process.execPath, [join(DIST, 'cli.js'), '--help'], {
      cwd: tmpdir(),
      encoding: 'utf8',
    });
    expect(help).toContain('usage: pypi-malware-gate');
  });

  it("carries package.json's version from the build (no package.json beside the bundle to read)", () => {
    // A copy one folder inside the build: the source fallback's ../package.json is then the build folder's.
    const alone = join(out, 'alone');
    mkdirSync(alone);
    copyFileSync(join(out, 'cli.js'), join(alone, 'cli.js'));
    expect(existsSync(join(out, 'package.json'))).toBe(false);
    const version = execFileSync(process.execPath, [join(alone, 'cli.js'), '--version'], {
      encoding: 'utf8',
    });
    expect(version.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it.each(BUNDLES)('%s links its source map, whose sources are the repository files', (file) => {
    const bundle = readFileSync(join(out, file), 'utf8');
    expect(bundle.endsWith(`\n//# sourceMappingURL=${file}.map\n`)).toBe(true);
    const map = JSON.parse(readFileSync(join(out, `${file}.map`), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../src/python/parse.ts');
    // Relative to dist/, wherever the build went and whatever node_modules links to.
    for (const source of map.sources) expect(source, source).toMatch(/^\.\.\/(?!\.\.\/)/);
  });

  // Issue 13: a .wasm reached through a dynamic import() (or require()) is wrapped as a CommonJS module, and
  // esbuild's ESM interop (__toESM -> __copyProps) then defines a getter for every byte of the Uint8Array: ~7 s
  // and ~250 MB at every start of the engine. The bytes must come in through static imports, each embedded
  // once. Minified names say nothing, so this reads esbuild's metafile of the same build.
  it.each(BUNDLES)(
    '%s embeds the two tree-sitter .wasm files as plain bytes, with no interop wrapper',
    (file) => {
      const meta = metafiles[file]!;
      const output = Object.entries(meta.outputs).find(([path]) => path.endsWith(`/${file}`))![1];
      for (const wasm of WASM) {
        expect(Object.keys(output.inputs), `${wasm} not in ${file}`).toContain(wasm);
        const kinds = Object.values(meta.inputs).flatMap((input) =>
          input.imports.filter((i) => i.path === wasm).map((i) => i.kind),
        );
        expect(kinds, `how ${wasm} is imported`).toEqual(['import-statement']);
      }
      // Each binary's base64 appears once in the bundle (undici's own .wasm are in index.js too).
      const bundle = readFileSync(join(out, file), 'utf8');
      for (const wasm of WASM) {
        const head = `"${readFileSync(join(ROOT, wasm)).subarray(0, 600).toString('base64')}`;
        expect(bundle.split(head).length - 1, `copies of ${wasm}`).toBe(1);
      }
    },
  );

  it.each(['index.js', 'cli.js'])(
    '%s finds the analysis worker next to itself (dist/analysis-worker.js)',
    (file) => {
      const bundle = readFileSync(join(out, file), 'utf8');
      expect(bundle).toMatch(/new URL\("\.\/analysis-worker\.js",\s*import\.meta\.url\)/);
      expect(existsSync(join(out, 'analysis-worker.js'))).toBe(true);
    },
  );

  it('embeds the model as text parsed when first needed, not as an object literal', () => {
    expect(metafiles['cli.js']!.inputs['models/model.json']?.with).toEqual({ type: 'text' });
    const bundle = readFileSync(join(out, 'cli.js'), 'utf8');
    expect(bundle).toMatch(/[`'"]\{"format":"pypi-malware-gate\/model"/);
    expect(bundle).not.toMatch(/\{\s*format:\s*"pypi-malware-gate\/model"/);
  });

  it('the built CLI parses Python with the embedded grammar and scores with the embedded model', () => {
    const dir = mkdtempSync(join(root, 'inspect-'));
    const wheel = join(dir, 'tiny-1.0-py3-none-any.whl');
    writeFileSync(
      wheel,
      makeWheel({
        name: 'tiny',
        version: '1.0',
        files: { 'tiny/__init__.py': 'import os\nx = os.getcwd()\n' },
      }),
    );
    const line = JSON.parse(
      execFileSync(process.execPath, [join(out, 'cli.js'), 'inspect', '--json', '--features', wheel], {
        cwd: dir,
        encoding: 'utf8',
      }),
    );
    expect(line.status).toBe('ok');
    expect(typeof line.score).toBe('number');
    // Only a parsed file has its imports counted: zero here would mean the grammar was not loaded.
    const parsedFeatures = Object.entries(line.features as Record<string, number>).filter(
      ([name, value]) => /import/.test(name) && value > 0,
    );
    expect(parsedFeatures.length).toBeGreaterThan(0);
  });
});
