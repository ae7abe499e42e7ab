import { describe, expect, it } from 'vitest';
import { type HistoryFile, historySignals } from '../../src/signals/history.js';
import { linearGrowth } from '../helpers/scaling.js';

const now = new Date('2026-03-01T12:00:00Z');
const daysAgo = (days: number): string => new Date(now.getTime() - days * 86_400_000).toISOString();
const file = (version: string, days: number, yanked: boolean | string = false): HistoryFile => ({
  filename: `pkg-${version}.tar.gz`,
  version,
  uploadTime: daysAgo(days),
  yanked,
});
const established = [file('1.0.0', 900), file('1.1.0', 600), file('1.2.0', 300)];

const cases: { title: string; version: string; files: HistoryFile[]; versions?: string[]; ids: string[] }[] =
  [
    { title: 'an old release of an established project', version: '1.1.0', files: established, ids: [] },
    {
      title: 'a pinned release the index does not have',
      version: '1.3.0',
      files: established,
      ids: ['release-missing'],
    },
    {
      title: 'a version listed (PEP 700) but with no files',
      version: '1.3.0',
      files: established,
      versions: ['1.0.0', '1.1.0', '1.2.0', '1.3.0'],
      ids: ['release-missing'],
    },
    {
      title: 'a yanked release',
      version: '1.2.0',
      files: [...established.slice(0, 2), file('1.2.0', 300, 'contained malware')],
      ids: ['release-yanked'],
    },
    {
      title: 'a release with only some files yanked is not yanked',
      version: '1.2.0',
      files: [...established, { ...file('1.2.0', 300, true), filename: 'pkg-1.2.0-py3-none-any.whl' }],
      ids: [],
    },
    {
      title: 'a fresh patch release of an established project',
      version: '1.2.1',
      files: [...established, file('1.2.1', 0.2)],
      ids: ['fresh-upload'],
    },
    {
      title: 'a brand-new project with one release uploaded hours ago',
      version: '0.0.1',
      files: [file('0.0.1', 0.1)],
      ids: ['new-project', 'fresh-upload', 'single-release'],
    },
    {
      title: 'a project first published ten days ago',
      version: '0.2.0',
      files: [file('0.1.0', 10), file('0.2.0', 5)],
      ids: ['new-project'],
    },
    {
      title: 'dependency confusion: 99.0.0 after 1.x',
      version: '99.0.0',
      files: [...established, file('99.0.0', 40)],
      ids: ['version-jump'],
    },
    {
      title: 'dependency confusion: the first and only release is 99.0',
      version: '99.0',
      files: [file('99.0', 400)],
      ids: ['version-jump', 'single-release'],
    },
    {
      title: 'a switch to calendar versions is not a jump',
      version: '2024.1',
      files: [...established, file('2024.1', 40)],
      ids: [],
    },
    {
      title: 'an ordinary major bump is not a jump',
      version: '2.0.0',
      files: [...established, file('2.0.0', 40)],
      ids: [],
    },
    {
      title: 'files without upload times say nothing about age',
      version: '1.0.0',
      files: [{ filename: 'pkg-1.0.0.tar.gz', version: '1.0.0', yanked: false }, file('1.1.0', 1)],
      ids: [],
    },
    {
      title: 'versions are compared by PEP 440, not by text',
      version: '1.2',
      files: established,
      ids: [],
    },
  ];

describe('historySignals', () => {
  it.each(cases)('$title -> $ids', ({ version, files, versions, ids }) => {
    const signals = historySignals({ name: 'pkg', version, files, versions: versions ?? [], now });
    expect(signals.map((s) => s.id)).toEqual(ids);
    for (const signal of signals) {
      expect(signal.decisive).toBeFalsy();
      expect(['low', 'medium']).toContain(signal.severity);
      expect(signal.message).toContain('pkg');
    }
  });

  it('names the yank reason', () => {
    const [signal] = historySignals({
      name: 'pkg',
      version: '1.2.0',
      files: [file('1.2.0', 3, 'contained malware')],
      versions: [],
      now,
    }).filter((s) => s.id === 'release-yanked');
    expect(signal!.message).toContain('reason: contained malware');
  });
});

describe('local versions', () => {
  it('counts 1.0+local files as the release ==1.0 pins, as pip does', () => {
    const signals = historySignals({
      name: 'torchish',
      version: '1.0',
      files: [
        {
          filename: 'torchish-1.0+cpu.tar.gz',
          version: '1.0+cpu',
          yanked: false,
          uploadTime: '2020-01-01T00:00:00Z',
        },
      ],
      versions: ['1.0+cpu', '0.9'],
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(signals.map((s) => s.id)).not.toContain('release-missing');
  });
});

describe('a project with thousands of releases', () => {
  it('costs time about linear in its versions (botocore has 1,800)', async () => {
    const project = (n: number) => {
      const versions = Array.from({ length: n }, (_, i) => `1.${Math.floor(i / 50)}.${i % 50}`);
      const files = versions.flatMap((v) => [
        { filename: `p-${v}.tar.gz`, version: v, yanked: false, uploadTime: '2020-01-01T00:00:00Z' },
        {
          filename: `p-${v}-py3-none-any.whl`,
          version: v,
          yanked: false,
          uploadTime: '2020-01-01T00:00:00Z',
        },
      ]);
      return { name: 'p', version: versions[n - 1]!, files, versions, now: new Date('2026-01-01') };
    };
    expect(await linearGrowth(project, historySignals, 1000)).toBeLessThan(3);
  });
});
