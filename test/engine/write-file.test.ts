// Report files are created, never written through a symlink or outside the workspace.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UnsafeOutputError, writeNewFile } from '../../src/engine/write-file.js';

const root = mkdtempSync(join(tmpdir(), 'pmg-write-'));
const outside = mkdtempSync(join(tmpdir(), 'pmg-victim-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('writeNewFile', () => {
  it('writes a new file, replaces a regular one, and leaves no temp file', () => {
    writeNewFile('report.json', 'one', root);
    writeNewFile('report.json', 'two', root);
    writeNewFile('nested/dir/out.sarif', 'three', root);
    expect(readFileSync(join(root, 'report.json'), 'utf8')).toBe('two');
    expect(readFileSync(join(root, 'nested/dir/out.sarif'), 'utf8')).toBe('three');
    expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a symlink at the target, a symlinked folder leading out, and a path outside', () => {
    writeFileSync(join(outside, 'victim'), 'precious');
    symlinkSync(join(outside, 'victim'), join(root, 'linked.json'));
    expect(() => writeNewFile('linked.json', 'x', root)).toThrow(UnsafeOutputError);
    symlinkSync(outside, join(root, 'out'));
    expect(() => writeNewFile('out/new.json', 'x', root)).toThrow(/outside the workspace/);
    expect(() => writeNewFile('../escape.json', 'x', root)).toThrow(/inside the workspace/);
    expect(() => writeNewFile('/tmp/abs.json', 'x', root)).toThrow(/inside the workspace/);
    expect(readFileSync(join(outside, 'victim'), 'utf8')).toBe('precious');
    expect(existsSync(join(outside, 'new.json'))).toBe(false);
  });

  it("without a root writes where the user said, still refusing a symlink (the CLI's --output)", () => {
    const target = join(outside, 'cli.txt');
    writeNewFile(target, 'ok');
    expect(readFileSync(target, 'utf8')).toBe('ok');
    mkdirSync(join(outside, 'd'));
    symlinkSync(join(outside, 'victim'), join(outside, 'd', 'l.txt'));
    expect(() => writeNewFile(join(outside, 'd', 'l.txt'), 'x')).toThrow(/symlink/);
  });
});
