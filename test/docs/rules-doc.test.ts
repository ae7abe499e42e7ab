// docs/rules.md is generated from the rules registry and the catalog of signal and policy ids; it must be
// current, and every id the code can emit must have a section (SARIF helpUri links to it).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRulesDoc, ruleCatalog } from '../../src/report/rule-catalog.js';

/** Signal ids the code emits: `id: '...'` in the signal and registry stages. */
function emittedSignalIds(): string[] {
  const ids = new Set<string>();
  for (const dir of ['src/signals', 'src/registry'])
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/\bid: '([a-z][a-z0-9-]+)'/g)) ids.add(m[1]!);
    }
  return [...ids];
}

describe('docs/rules.md', () => {
  it('is current (npx tsx scripts/rules-doc.ts)', () => {
    expect(readFileSync('docs/rules.md', 'utf8')).toBe(renderRulesDoc());
  });

  it('documents every signal id the stages emit, each id once, with a description and rationale', () => {
    const catalog = ruleCatalog();
    const ids = catalog.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const signals = emittedSignalIds();
    expect(signals.length).toBeGreaterThan(5);
    for (const id of signals) expect(ids, id).toContain(id);
    for (const id of ['pickle-code', 'model-score', 'unscannable', 'hash-mismatch', 'known-malware'])
      expect(ids).toContain(id);
    for (const r of catalog) {
      expect(r.description.length, r.id).toBeGreaterThan(20);
      expect(r.rationale.length, r.id).toBeGreaterThan(20);
    }
  });
});
