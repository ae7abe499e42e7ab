// Reads stay inside the workspace (-r/-c targets, symlinks by real path, nothing under .git/), and text
// is decoded as pip decodes it (BOMs, coding declarations).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { parseLockfile } from '../../src/lockfiles/index.js';
import {
  decodeDependencyFile,
  parseLockfileFromDisk,
  readWorkspaceFile,
  workspaceReader,
} from '../../src/lockfiles/read.js';

const SECRET = 'ghp_SECRETtoken0123456789';
const base = mkdtempSync(join(tmpdir(), 'pmg-ws-'));
const ws = join(base, 'repo');
afterAll(() => rmSync(base, { recursive: true, force: true }));
const write = (path: string, text: string | Uint8Array) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
};
write(join(base, 'outside.txt'), `leaked-${SECRET}==1.0\n`);
write(join(ws, '.git/config'), `[http]\n\textraheader = AUTHORIZATION: basic ${SECRET}\n`);
write(join(ws, 'common.txt'), 'idna==3.7\n');
write(join(ws, 'sub/inner.txt'), 'click==8.1.7\n-r ../common.txt\n');
symlinkSync(join(base, 'outside.txt'), join(ws, 'linked.txt'));
symlinkSync(join(ws, 'common.txt'), join(ws, 'alias.txt'));

function messages(r: ReturnType<typeof parseLockfile>): string {
  return [r.error ?? '', ...r.issues.map((i) => `${i.file}:${i.line} ${i.message}`)].join('\n');
}

describe('includes stay inside the workspace', () => {
  const cases: [string, RegExp][] = [
    ['-r .git/config', /-r target refused: it is inside \.git\//],
    ['-r sub/../.git/config', /inside \.git\//],
    ['-r .GIT/config', /inside \.git\//],
    ['-c ../outside.txt', /-c target refused: it resolves outside the workspace/],
    ['-r ../../proc/self/environ', /outside the workspace/],
    ['--requirement=/etc/passwd', /outside the workspace/],
    [`-r ${join(base, 'outside.txt')}`, /outside the workspace/],
    ['-r linked.txt', /real path is outside the workspace/],
    ['-r https://example.com/reqs.txt', /remote file/],
  ];
  for (const [line, expected] of cases) {
    it(`refuses '${line}' naming the including file and line, quoting neither target nor content`, () => {
      write(join(ws, 'requirements.txt'), `six==1.16.0\n${line}\n`);
      const r = parseLockfileFromDisk('requirements.txt', ws);
      expect(r.packages.map((p) => p.name)).toEqual(['six']);
      expect(r.issues).toEqual([
        expect.objectContaining({ file: 'requirements.txt', line: 2, kind: 'error' }),
      ]);
      expect(r.issues[0]!.message).toMatch(expected);
      expect(messages(r)).not.toContain(SECRET);
      expect(messages(r)).not.toContain('outside.txt');
      expect(messages(r)).not.toContain('passwd');
    });
  }

  it('nested includes are confined too, and a symlink inside the workspace is followed', () => {
    write(join(ws, 'requirements.txt'), '-r sub/inner.txt\n-r alias.txt\n');
    const r = parseLockfileFromDisk('requirements.txt', ws);
    expect(r.issues).toEqual([]);
    // The symlinked alias is listed under its own path (counted by file and line, as any include).
    expect(r.packages.map((p) => `${p.name} ${p.file}:${p.line}`).sort()).toEqual([
      'click sub/inner.txt:1',
      'idna alias.txt:1',
      'idna common.txt:1',
    ]);
    write(join(ws, 'sub/escape.txt'), '-r ../../outside.txt\n');
    write(join(ws, 'requirements.txt'), '-r sub/escape.txt\n');
    const nested = parseLockfileFromDisk('requirements.txt', ws);
    expect(nested.issues).toEqual([
      expect.objectContaining({ file: 'sub/escape.txt', line: 1, kind: 'error' }),
    ]);
    expect(messages(nested)).not.toContain(SECRET);
  });

  it('a file named by absolute path: the workspace is the cwd when it holds the file', () => {
    write(join(ws, 'requirements.txt'), 'six==1.16.0\n-r ../outside.txt\n');
    const r = parseLockfileFromDisk(join(ws, 'requirements.txt'), base);
    expect(r.file).toBe(join(ws, 'requirements.txt'));
    // The cwd (base) holds the file, so base is the workspace and outside.txt is inside it.
    expect(r.packages.map((p) => p.name)).toEqual([
      'six',
      `leaked-${SECRET.toLowerCase().replace(/_/g, '-')}`,
    ]);
    const fromRepo = parseLockfileFromDisk(join(ws, 'requirements.txt'), ws);
    expect(fromRepo.issues[0]!.message).toMatch(/outside the workspace/);
  });

  it('readWorkspaceFile refuses a FIFO-like non-file and reports a missing file as undefined', () => {
    expect(readWorkspaceFile(ws, 'nope.txt')).toBeUndefined();
    expect(readWorkspaceFile(ws, 'sub')).toEqual({ refused: 'not a regular file' });
    expect(readWorkspaceFile(ws, '.git/config')).toMatchObject({ refused: expect.stringContaining('.git/') });
    expect(workspaceReader(ws)('linked.txt')).toMatchObject({ refused: expect.stringContaining('outside') });
  });
});

describe('text is decoded as pip decodes a requirements file', () => {
  const text = 'requests==2.31.0\nidna==3.7  # comment\n';
  const utf16le = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
  const utf16be = new Uint8Array([0xfe, 0xff, ...Buffer.from(text, 'utf16le').swap16()]);
  const utf8bom = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text)]);

  for (const [name, bytes] of [
    ['utf-16-le-bom', utf16le],
    ['utf-16-be-bom', utf16be],
    ['utf-8-bom', utf8bom],
  ] as const) {
    it(`${name}: read as pip reads it`, () => {
      write(join(ws, `requirements-${name}.txt`), bytes);
      const r = parseLockfileFromDisk(`requirements-${name}.txt`, ws);
      expect(r.issues).toEqual([]);
      expect(r.packages.map((p) => `${p.name} ${p.version} ${p.line}`)).toEqual([
        'requests 2.31.0 1',
        'idna 3.7 2',
      ]);
    });
  }

  it('an included UTF-16 file is decoded too', () => {
    write(join(ws, 'wide.txt'), utf16le);
    write(join(ws, 'requirements.txt'), '-r wide.txt\n');
    expect(parseLockfileFromDisk('requirements.txt', ws).packages).toHaveLength(2);
  });

  it('honours a coding declaration and refuses one it cannot decode', () => {
    const latin1 = new Uint8Array([...Buffer.from('# -*- coding: latin-1 -*-\ncaf\u00e9==1.0\n', 'latin1')]);
    expect(decodeDependencyFile(latin1)).toBe('# -*- coding: latin-1 -*-\ncaf\u00e9==1.0\n');
    expect(decodeDependencyFile(Buffer.from('# coding: no-such-codec\nsix==1\n'))).toMatchObject({
      error: expect.stringContaining('coding declaration'),
    });
    expect(decodeDependencyFile(new Uint8Array([0, 0, 0xfe, 0xff, 0, 0, 0, 0x61]))).toMatchObject({
      error: expect.stringContaining('UTF-32'),
    });
  });
});
