import { describe, expect, it } from 'vitest';
import { collect } from '../../src/engine/collect.js';

const files: Record<string, string> = {
  'requirements.txt': 'requests==2.32.3\nevil-pkg==1.0\nurllib3==2.2.0\n',
  'new/requirements.txt': 'six==1.16.0\n',
};
const base: Record<string, string | null> = {
  'requirements.txt': 'requests==2.32.3\nurllib3==2.1.0\n',
  'new/requirements.txt': null,
};
const readHead = (p: string) => files[p];

describe('collect', () => {
  it('diff mode keeps added and changed packages, and all of a new lockfile', async () => {
    const out = await collect({
      files: Object.keys(files),
      mode: 'diff',
      readHead,
      readBase: async (p) => base[p] ?? null,
    });
    expect(out.items.map((i) => [i.ref.name, i.change, i.previous?.version])).toEqual([
      ['evil-pkg', 'added', undefined],
      ['urllib3', 'changed', '2.1.0'],
      ['six', 'added', undefined],
    ]);
    expect(out.items[0]!.ref.line).toBe(2);
  });

  it('full mode scans everything', async () => {
    const out = await collect({ files: Object.keys(files), mode: 'full', readHead });
    expect(out.items.map((i) => i.ref.name)).toEqual(['requests', 'evil-pkg', 'urllib3', 'six']);
  });

  it('reports a missing lockfile and an unreadable base instead of dropping them', async () => {
    const out = await collect({
      files: ['missing.txt', 'requirements.txt'],
      mode: 'diff',
      readHead,
      readBase: async () => {
        throw new Error('contents API 404');
      },
    });
    expect(out.lockfiles[0]).toMatchObject({
      status: 'error',
      error: 'missing.txt: file not found in the checkout',
    });
    expect(out.notes[0]).toMatch(/requirements\.txt: base version unavailable \(contents API 404\)/);
    expect(out.items).toHaveLength(3);
  });
});
