// PEP 508 markers per target platform and Python: a requirement pip skips somewhere is not analysed
// there; a marker the gate cannot read never removes a platform.
import { describe, expect, it } from 'vitest';
import { evaluateMarker, markerMayApply, targetEnvironment } from '../../src/registry/markers.js';
import { selectForTargets } from '../../src/registry/select.js';
import { targetPlatform } from '../../src/registry/tags.js';
import { linearGrowth } from '../helpers/scaling.js';

const linux312 = targetEnvironment('linux-x86_64', 12);

describe('evaluateMarker', () => {
  it('compares strings and versions, with and/or/parentheses and either operand order', () => {
    expect(evaluateMarker('sys_platform == "win32"', linux312)).toBe(false);
    expect(evaluateMarker("sys_platform != 'win32' and python_version >= '3.10'", linux312)).toBe(true);
    expect(evaluateMarker('"3.13" <= python_version', linux312)).toBe(false);
    expect(
      evaluateMarker(
        'python_version < "3.10" or (os_name == "posix" and platform_machine == "x86_64")',
        linux312,
      ),
    ).toBe(true);
    expect(evaluateMarker('"linux" in sys_platform and "arm" not in platform_machine', linux312)).toBe(true);
    expect(evaluateMarker('python_version == "3.12"', linux312)).toBe(true);
  });
  it('keeps what it cannot know unknown, and refuses what it cannot read', () => {
    expect(evaluateMarker('extra == "dev"', linux312)).toBeNull();
    expect(evaluateMarker('extra == "dev" and sys_platform == "win32"', linux312)).toBe(false);
    expect(evaluateMarker('extra == "dev" or sys_platform == "linux"', linux312)).toBe(true);
    expect(evaluateMarker('sys_platform ==', linux312)).toBeNull();
    expect(evaluateMarker('sys_platform == "linux" )', linux312)).toBeNull();
    expect(
      evaluateMarker(`${'('.repeat(5000)}sys_platform == "linux"${')'.repeat(5000)}`, linux312),
    ).toBeNull();
    const nested = (depth: number) => `${'('.repeat(depth)}sys_platform == "linux"${')'.repeat(depth)}`;
    expect(evaluateMarker(nested(60), linux312)).toBeNull();
    expect(evaluateMarker(nested(40), linux312)).toBe(true);
  });
  it('stays linear on long hostile markers', async () => {
    const marker = (n: number) =>
      Array.from({ length: n }, () => 'os_name == "nt"')
        .join(' or ')
        .slice(0, 9_999);
    const evaluate = (text: string) => evaluateMarker(text, linux312);
    expect(await linearGrowth(marker, evaluate, 300)).toBeLessThan(3);
  });
});

describe('markers in the choice of files', () => {
  const files = [
    { filename: 'w-1.0-cp312-cp312-win_amd64.whl', hashes: {} },
    { filename: 'w-1.0-cp312-cp312-manylinux_2_17_x86_64.whl', hashes: {} },
    { filename: 'w-1.0.tar.gz', hashes: {} },
  ];
  const targets = ['linux-x86_64', 'windows-amd64', 'macos-arm64'].map(targetPlatform);

  it('analyses a Windows-only requirement on Windows alone', () => {
    expect(markerMayApply('sys_platform == "win32"', 'linux-x86_64', 12)).toBe(false);
    const s = selectForTargets(files, {
      project: 'w',
      targets,
      pythonMinors: [12],
      markers: 'sys_platform == "win32"',
    });
    expect(s.chosen.map((f) => f.filename)).toEqual(['w-1.0.tar.gz', 'w-1.0-cp312-cp312-win_amd64.whl']);
    expect(s.notAnalysed[0]!.reason).toMatch(/where its marker applies/);
  });

  it('ignores a marker that excludes every target, and says so', () => {
    const s = selectForTargets(files, {
      project: 'w',
      targets,
      pythonMinors: [12],
      markers: 'sys_platform == "cygwin"',
    });
    expect(s.markerExcludesAll).toBe(true);
    expect(s.chosen).toHaveLength(3);
  });
});
