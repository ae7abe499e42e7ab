// pip's choice of files per target platform and Python version (packaging.tags order), the sdists, and the
// files no target installs.
import { describe, expect, it } from 'vitest';
import { selectForTargets } from '../../src/registry/select.js';
import { cpythonTags, targetPlatform, wheelTags } from '../../src/registry/tags.js';
import { linearGrowth } from '../helpers/scaling.js';

const file = (filename: string, extra: { requiresPython?: string; yanked?: boolean | string } = {}) => ({
  filename,
  hashes: { sha256: filename },
  ...extra,
});
const linux = targetPlatform('linux-x86_64');
const windows = targetPlatform('windows-amd64');
const mac = targetPlatform('macos-arm64');
const defaults = [linux, windows, mac];
const names = (files: { filename: string }[]) => files.map((f) => f.filename);

describe('cpythonTags', () => {
  it('orders tags as packaging.tags.sys_tags does for CPython', () => {
    const tags = cpythonTags(12, ['win_amd64']);
    expect(tags.slice(0, 4)).toEqual([
      'cp312-cp312-win_amd64',
      'cp312-abi3-win_amd64',
      'cp312-none-win_amd64',
      'cp311-abi3-win_amd64',
    ]);
    expect(tags.indexOf('py312-none-win_amd64')).toBeGreaterThan(tags.indexOf('cp32-abi3-win_amd64'));
    expect(tags.indexOf('cp312-none-any')).toBeLessThan(tags.indexOf('py312-none-any'));
    expect(tags.at(-1)).toBe('py30-none-any');
  });
  it('knows manylinux aliases, macOS universal2 and rejects an unknown platform', () => {
    expect(linux.orders[0]).toContain('manylinux2014_x86_64');
    expect(linux.orders[0]!.indexOf('manylinux_2_17_x86_64') + 1).toBe(
      linux.orders[0]!.indexOf('manylinux2014_x86_64'),
    );
    expect(linux.orders[1]![0]).toBe('linux_x86_64');
    expect(mac.orders[0]).toContain('macosx_11_0_arm64');
    expect(mac.orders[0]).toContain('macosx_10_9_universal2');
    expect(mac.orders[0]).not.toContain('macosx_10_9_arm64');
    expect(() => targetPlatform('amiga-68k')).toThrow(/unknown platform "amiga-68k"/);
  });
  it('expands compressed tag sets and refuses absurd ones', () => {
    expect(wheelTags('a-1.0-py2.py3-none-any.whl')).toEqual(['py2-none-any', 'py3-none-any']);
    const many = Array.from({ length: 100 }, (_, i) => `p${i}`).join('.');
    expect(wheelTags(`a-1.0-${many}-${many}-any.whl`)).toBe('too-many');
    expect(wheelTags('a-1.0-py3-none.whl')).toBeNull();
  });
});

describe('selectForTargets', () => {
  it('takes the sdist and the pure wheel when that is all pip could install', () => {
    const s = selectForTargets([file('a-1.0-py2.py3-none-any.whl'), file('a-1.0.tar.gz')], {
      project: 'a',
      targets: defaults,
    });
    expect(names(s.chosen)).toEqual(['a-1.0.tar.gz', 'a-1.0-py2.py3-none-any.whl']);
    expect(s.notAnalysed).toEqual([]);
  });

  it('picks the manylinux wheel over the pure one on Linux, as pip does (issue 10 item 5)', () => {
    const files = [
      file('a-1.0-py3-none-any.whl'),
      file('a-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'),
      file('a-1.0.tar.gz'),
    ];
    const s = selectForTargets(files, { project: 'a', targets: defaults });
    expect(names(s.chosen)).toEqual([
      'a-1.0.tar.gz',
      'a-1.0-py3-none-any.whl',
      'a-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    ]);
    expect(s.pickedBy.get(files[1]!)).toEqual(['linux-x86_64 cp312']);
    expect(s.pickedBy.get(files[0]!)).toContain('windows-amd64 cp312');
    expect(s.pickedBy.get(files[0]!)).toContain('linux-x86_64 cp311');
  });

  it('analyses one wheel per platform and Python, deduplicated, and lists the rest as not analysed', () => {
    const files = [
      file('a-1.0-cp311-cp311-win_amd64.whl'),
      file('a-1.0-cp312-cp312-win_amd64.whl'),
      file('a-1.0-cp312-abi3-manylinux_2_28_x86_64.whl'),
      file('a-1.0-cp312-cp312-manylinux_2_17_x86_64.whl'),
      file('a-1.0-cp312-cp312-macosx_11_0_arm64.whl'),
      file('a-1.0-cp312-cp312-manylinux_2_17_aarch64.whl'),
      file('a-1.0-cp312-cp312-musllinux_1_2_x86_64.whl'),
      file('a-1.0-cp312-cp312-manylinux_2_41_x86_64.whl'),
    ];
    const s = selectForTargets(files, { project: 'a', targets: defaults });
    expect(names(s.chosen)).toEqual([
      // cp312 on Linux: cp312-cp312 outranks abi3 whatever the glibc; cp313+ take the abi3 wheel.
      'a-1.0-cp312-cp312-manylinux_2_17_x86_64.whl',
      'a-1.0-cp312-abi3-manylinux_2_28_x86_64.whl',
      'a-1.0-cp311-cp311-win_amd64.whl',
      'a-1.0-cp312-cp312-win_amd64.whl',
      'a-1.0-cp312-cp312-macosx_11_0_arm64.whl',
    ]);
    expect(s.notAnalysed.map((n) => n.file.filename)).toEqual([
      'a-1.0-cp312-cp312-manylinux_2_17_aarch64.whl',
      'a-1.0-cp312-cp312-musllinux_1_2_x86_64.whl',
      'a-1.0-cp312-cp312-manylinux_2_41_x86_64.whl',
    ]);
    expect(s.notAnalysed[0]!.reason).toMatch(
      /no target installs it \(linux-x86_64, windows-amd64, macos-arm64; CPython 3.9-3.14\)/,
    );
  });

  it('prefers the newer manylinux tag, and analyses a native linux wheel that newer pip ranks first', () => {
    const files = [
      file('a-1.0-cp312-cp312-manylinux_2_17_x86_64.whl'),
      file('a-1.0-cp312-cp312-manylinux_2_28_x86_64.whl'),
      file('a-1.0-cp312-cp312-linux_x86_64.whl'),
    ];
    const s = selectForTargets(files, { project: 'a', targets: [linux], pythonMinors: [12] });
    expect(names(s.chosen)).toEqual([
      'a-1.0-cp312-cp312-manylinux_2_28_x86_64.whl',
      'a-1.0-cp312-cp312-linux_x86_64.whl',
    ]);
  });

  it('honours requires-python, yanked files and build tags', () => {
    const files = [
      file('a-1.0-py3-none-any.whl', { requiresPython: '>=3.13' }),
      file('a-1.0-1-cp312-cp312-win_amd64.whl', { yanked: 'bad build' }),
      file('a-1.0-2-cp312-cp312-win_amd64.whl'),
      file('a-1.0-3-cp312-cp312-win_amd64.whl'),
    ];
    const s = selectForTargets(files, { project: 'a', targets: [windows], pythonMinors: [12, 13] });
    expect(names(s.chosen)).toEqual(['a-1.0-3-cp312-cp312-win_amd64.whl', 'a-1.0-py3-none-any.whl']);
  });

  it('matches local versions as pip does: the highest local version wins, its sdist is analysed too', () => {
    const files = [
      file('torchish-1.0.tar.gz'),
      file('torchish-1.0-py3-none-any.whl'),
      file('torchish-1.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl'),
      file('torchish-1.0+cpu.tar.gz'),
    ];
    const s = selectForTargets(files, { project: 'torchish', targets: [linux, windows], pythonMinors: [12] });
    // pip sorts by version before tags: 1.0+cpu beats 1.0 wherever 1.0+cpu has a file that installs there.
    expect(names(s.chosen)).toEqual([
      'torchish-1.0+cpu.tar.gz',
      'torchish-1.0+cpu-cp312-cp312-manylinux_2_28_x86_64.whl',
    ]);
    expect(s.pickedBy.get(files[3]!)).toEqual(['windows-amd64 cp312', 'sdist']);
    expect(names(s.notAnalysed.map((n) => n.file))).toEqual([
      'torchish-1.0.tar.gz',
      'torchish-1.0-py3-none-any.whl',
    ]);
  });

  it('analyses a wheel whose name expands to too many tags to rank, rather than leaving it out', () => {
    const many = Array.from({ length: 20 }, (_, i) => `cp3${i}`).join('.');
    const hostile = `a-1.0-${many}-${many}-win_amd64.whl`;
    const s = selectForTargets([file('a-1.0-py3-none-any.whl'), file(hostile)], {
      project: 'a',
      targets: defaults,
    });
    expect(names(s.chosen)).toEqual(['a-1.0-py3-none-any.whl', hostile]);
    expect(s.pickedBy.get(s.chosen[1]!)).toEqual(['more than 256 tags']);
  });

  it('notes eggs and unknown files as not installed by pip', () => {
    const s = selectForTargets([file('a-1.0-py3.8.egg'), file('a-1.0.exe'), file('a-1.0.tar.gz')], {
      project: 'a',
      targets: defaults,
    });
    expect(names(s.chosen)).toEqual(['a-1.0.tar.gz']);
    expect(s.notAnalysed.map((n) => n.reason)).toEqual([
      'an egg: pip does not install it',
      'not a wheel or sdist: pip does not install it',
    ]);
  });
});

describe('a hostile index page', () => {
  it('costs time linear in the number of files of a release', async () => {
    const release = (n: number) =>
      Array.from({ length: n }, (_, i) => file(`a-1.0-${i}-cp312-cp312-manylinux_2_${i % 40}_x86_64.whl`));
    const select = (files: ReturnType<typeof release>) =>
      selectForTargets(files, { project: 'a', targets: defaults });
    expect(await linearGrowth(release, select, 3000)).toBeLessThan(3);
  });
});
