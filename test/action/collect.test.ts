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

describe('collect with requirements includes', () => {
  it('reads a base lockfile include from the base too, so its unchanged packages are not "added"', async () => {
    const head: Record<string, string> = {
      'requirements.txt': '-r common.txt\nsix==1.16.0\n',
      'common.txt': 'idna==3.7\nurllib3==2.2.0\n',
    };
    const base: Record<string, string> = {
      'requirements.txt': '-r common.txt\n',
      'common.txt': 'idna==3.7\nurllib3==2.1.0\n',
    };
    const out = await collect({
      files: ['requirements.txt'],
      mode: 'diff',
      readHead: (p) => head[p],
      readBase: async (p) => base[p] ?? null,
      readBaseInclude: (p) => base[p],
    });
    expect(out.items.map((i) => `${i.ref.name}==${i.ref.version} ${i.change}`).sort()).toEqual([
      'six==1.16.0 added',
      'urllib3==2.2.0 changed',
    ]);
  });
});
