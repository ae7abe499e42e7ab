import { describe, expect, it } from 'vitest';
import { selectArtifacts } from '../../src/registry/select.js';

const file = (filename: string, sha256 = filename) => ({ filename, hashes: { sha256 } });

describe('selectArtifacts', () => {
  it('takes the sdist and the pure wheel', () => {
    const files = [
      file('a-1.0-cp312-cp312-manylinux_2_17_x86_64.whl'),
      file('a-1.0-py2.py3-none-any.whl'),
      file('a-1.0.tar.gz'),
    ];
    expect(selectArtifacts(files, 'a').map((f) => f.filename)).toEqual([
      'a-1.0.tar.gz',
      'a-1.0-py2.py3-none-any.whl',
    ]);
  });
  it('falls back to the newest manylinux x86_64 wheel', () => {
    const files = [
      file('a-1.0-cp312-cp312-manylinux2014_x86_64.whl'),
      file('a-1.0-cp312-cp312-manylinux_2_28_x86_64.whl'),
      file('a-1.0-cp312-cp312-win_amd64.whl'),
    ];
    expect(selectArtifacts(files, 'a', []).map((f) => f.filename)).toEqual([
      'a-1.0-cp312-cp312-manylinux_2_28_x86_64.whl',
    ]);
  });
  it('keeps only locked hashes when the lockfile has them', () => {
    const files = [file('a-1.0.tar.gz', 'aa'), file('a-1.0-py3-none-any.whl', 'bb')];
    expect(selectArtifacts(files, 'a', ['sha256:BB']).map((f) => f.filename)).toEqual([
      'a-1.0-py3-none-any.whl',
    ]);
    expect(selectArtifacts(files, 'a', ['sha256:cc'])).toEqual([]);
  });
});
