// Meta-test over the registry: every format has an id, file names, fixtures and a README row.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, FORMATS, parseLockfile } from '../../src/lockfiles/index.js';

const here = new URL('.', import.meta.url).pathname;
const readme = readFileSync(join(here, '../../src/lockfiles/README.md'), 'utf8');

describe('lockfile format registry', () => {
  const ids = FORMATS.map((f) => f.id);
  it('has unique ids', () => expect(new Set(ids).size).toBe(ids.length));

  for (const format of FORMATS) {
    describe(format.id, () => {
      it('has file-name patterns and a source folder', () => {
        expect(format.fileNames.length).toBeGreaterThan(0);
        expect(existsSync(join(here, '../../src/lockfiles', format.id, 'index.ts'))).toBe(true);
      });
      it('has fixtures, each with an expected set, and its fixtures are recognized by content', () => {
        const dir = join(here, format.id, 'fixtures');
        const files = readdirSync(dir).filter((f) => !f.endsWith('.expected') && f.includes('.'));
        expect(files.length).toBeGreaterThan(0);
        for (const f of files) {
          expect(existsSync(join(dir, `${f.split('.')[0]}.expected`))).toBe(true);
          expect(detectFormat('unnamed', readFileSync(join(dir, f), 'utf8'))).toBe(format.id);
        }
      });
      it('has a row in src/lockfiles/README.md', () => {
        expect(readme).toMatch(new RegExp(`^\\|[^|]*\\|\\s*\`${format.id}\`\\s*\\|`, 'm'));
      });
      it('never throws and never returns an empty ok result for garbage', () => {
        for (const junk of ['', '\u0000\u0001', '{', '[[package]]\nname = 1', 'not: [valid']) {
          const r = parseLockfile(junk, 'x', { format: format.id });
          expect(r.format).toBe(format.id);
          if (r.status === 'ok' && r.packages.length === 0 && junk.trim())
            expect(r.issues.length).toBeGreaterThan(0);
        }
      });
    });
  }

  it('detects formats from file names first', () => {
    expect(detectFormat('a/b/requirements-dev.txt')).toBe('requirements');
    expect(detectFormat('requirements/test.txt')).toBe('requirements');
    expect(detectFormat('requirements.in')).toBe('requirements');
    expect(detectFormat('poetry.lock')).toBe('poetry');
    expect(detectFormat('Pipfile.lock')).toBe('pipfile');
    expect(detectFormat('uv.lock')).toBe('uv');
    expect(detectFormat('pdm.lock')).toBe('pdm');
    expect(detectFormat('pylock.toml')).toBe('pylock');
    expect(detectFormat('pyproject.toml')).toBe('pyproject');
    expect(detectFormat('environment.yml')).toBe('conda');
    expect(detectFormat('README.md')).toBeUndefined();
    expect(detectFormat('deps.txt', 'six==1.16.0\n')).toBe('requirements');
  });

  it('a file of unknown kind is an error result, not a crash', () => {
    const r = parseLockfile('hello', 'README.md');
    expect(r.status).toBe('error');
    expect(r.error).toContain('README.md');
  });
});
