// inspect's readable line names the file whose score is the package's (a unit scored alone), quoted so a
// hostile entry name cannot reach the terminal.
import { describe, expect, it } from 'vitest';
import { type InspectResult, textLine } from '../../src/cli/commands/inspect.js';

const base: InspectResult = {
  file: 'p-1.0.tar.gz',
  status: 'ok',
  format: 'sdist',
  kind: 'sdist',
  container: 'tar.gz',
  files: 62,
  bytes: 9000,
  verdict: 'malicious',
  score: 0.9971,
  evidence: [{ rule: 'exfil-endpoint', path: 'p-1.0/p/core.py', line: 12 }],
};

describe('inspect text line', () => {
  it('says which file alone the score is of', () => {
    expect(textLine({ ...base, scoredAlone: 'p-1.0/p/core.py' })).toContain(
      '-> malicious (score 0.997 of "p-1.0/p/core.py" alone): exfil-endpoint at "p-1.0/p/core.py":12',
    );
    expect(textLine(base)).toContain('-> malicious (score 0.997): exfil-endpoint');
  });
  it('quotes a hostile file name', () => {
    const line = textLine({ ...base, scoredAlone: 'p/\u001b[31mx\n.py' });
    expect(line).not.toMatch(/[\u001b\n]/);
    expect(line).toContain('\\u001b[31mx\\n.py');
  });
});
