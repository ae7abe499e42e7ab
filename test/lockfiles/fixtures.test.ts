// Every fixture under test/lockfiles/<format>/fixtures/<case>.<ext> parses to exactly the name/version
// set in <case>.expected ('name version' per line, 'name' alone when unpinned). Reports the pass rate.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfiles/index.js';
import type { LockfileFormat } from '../../src/types.js';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '../..');

function fixtureCases(): { format: LockfileFormat; file: string; expected: string }[] {
  const out: { format: LockfileFormat; file: string; expected: string }[] = [];
  for (const format of readdirSync(here)) {
    const dir = join(here, format, 'fixtures');
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.expected')) continue;
      const stem = name.slice(0, -'.expected'.length);
      const file = readdirSync(dir).find((f) => f.startsWith(`${stem}.`) && f !== name);
      if (file)
        out.push({ format: format as LockfileFormat, file: join(dir, file), expected: join(dir, name) });
    }
  }
  return out;
}

const readFile = (p: string) => {
  try {
    return readFileSync(join(root, p), 'utf8');
  } catch {
    return undefined;
  }
};

describe('fixtures parse to their expected name/version sets', () => {
  const cases = fixtureCases();
  it('has fixtures', () => expect(cases.length).toBeGreaterThan(8));
  for (const c of cases) {
    it(`${c.format}: ${c.file.split('/').pop()}`, () => {
      const path = relative(root, c.file);
      const result = parseLockfile(readFileSync(c.file, 'utf8'), path, { format: c.format, readFile });
      expect(result.status).toBe('ok');
      const got = result.packages.map((p) => (p.version ? `${p.name} ${p.version}` : p.name)).sort();
      const want = readFileSync(c.expected, 'utf8').split('\n').filter(Boolean).sort();
      expect(got).toEqual(want);
      for (const p of result.packages) expect(p.line).toBeGreaterThan(0);
    });
  }
});
