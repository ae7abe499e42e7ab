import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWheel } from './fixtures/archives.js';

const BUNDLES = ['index.js', 'cli.js', 'analysis-worker.js'];

// The action runs dist/, not src/: a stale bundle would ship old code.
describe('dist/', () => {
  const out = mkdtempSync(join(tmpdir(), 'pmg-dist-'));
  beforeAll(() => {
    execFileSync(process.execPath, ['build.mjs', out], { stdio: 'pipe' });
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('matches a fresh build of src/ (run `npm run build` and commit dist/)', () => {
    for (const file of BUNDLES) {
      const fresh = readFileSync(join(out, file), 'utf8');
      const committed = readFileSync(join('dist', file), 'utf8');
      expect(committed === fresh, `dist/${file} is stale`).toBe(true);
    }
  });

  it('the CLI bundle starts with a node shebang and runs from any folder', () => {
    const cli = readFileSync('dist/cli.js', 'utf8');
    expect(cli.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = execFileSync(process.execPath, [join(process.cwd(), 'dist/cli.js'), '--help'], {
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

  // Issue 13: a .wasm reached through a dynamic import() is wrapped as a CommonJS module, and esbuild's ESM
  // interop (__toESM -> __copyProps) then defines a getter for every byte of the Uint8Array: ~7 s and
  // ~250 MB at every start of the engine. The bytes must be plain variables, each embedded once.
  it.each(BUNDLES)(
    '%s embeds the two tree-sitter .wasm files as plain bytes, with no interop wrapper',
    (file) => {
      const bundle = readFileSync(join(out, file), 'utf8');
      expect(bundle).not.toMatch(/__commonJS\(\{\s*"[^"]*\.wasm"/);
      expect(bundle).not.toMatch(/exports\s*=\s*__toBinary\w*\(/);
      expect(bundle).not.toMatch(/__toESM\(require_(web_tree_sitter|tree_sitter_python)\w*\(/);
      for (const wasm of [
        'web-tree-sitter/web-tree-sitter.wasm',
        'tree-sitter-python/tree-sitter-python.wasm',
      ]) {
        // esbuild heads each bundled module with a `// <path>` comment.
        const modules = bundle
          .split('\n')
          .filter((l) => l.startsWith('// ') && l.endsWith(`node_modules/${wasm}`)).length;
        expect(modules, `${wasm} embedded ${modules} times`).toBe(1);
      }
      expect(bundle.match(/= __toBinary\w*\("AGFzbQ/g)?.length).toBe(2);
    },
  );

  it.each(['index.js', 'cli.js'])(
    '%s finds the analysis worker next to itself (dist/analysis-worker.js)',
    (file) => {
      const bundle = readFileSync(join(out, file), 'utf8');
      expect(bundle).toContain('new URL("./analysis-worker.js", import.meta.url)');
      expect(existsSync(join(out, 'analysis-worker.js'))).toBe(true);
    },
  );

  it('embeds the model as text parsed when first needed, not as an object literal', () => {
    const bundle = readFileSync(join(out, 'cli.js'), 'utf8');
    expect(bundle).toMatch(/= '\{"format":"pypi-malware-gate\/model"/);
    expect(bundle).not.toMatch(/\{\s*format: "pypi-malware-gate\/model"/);
  });

  it('the built CLI parses Python with the embedded grammar and scores with the embedded model', () => {
    const dir = mkdtempSync(join(out, 'inspect-'));
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
