// readArchive on normal packages in every format, and on hostile archives: each answers with a status
// and what it could read, bounded, without following any name.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, decodeText, readArchive, resolveLimits } from '../../src/archive/index.js';
import type { ArchiveEntry, ArchiveView } from '../../src/types.js';
import {
  compress,
  gzipBomb,
  makeSdist,
  makeTar,
  makeTarGz,
  makeWheel,
  makeZip,
  manyEntriesTarGz,
  manyEntriesZip,
  overlappingZipBomb,
  pkg,
  sdistFiles,
  toolBomb,
  zipBomb,
} from './hostile.js';

const MiB = 1024 * 1024;
const text = (e: ArchiveEntry | undefined) => (e?.data ? Buffer.from(e.data).toString('utf8') : undefined);
const find = (v: ArchiveView, path: string) => v.entries.find((e) => e.path === path);
/** Content that does not compress, spanning several 64 KiB chunks. */
const binary = randomBytes(200_000);

describe('normal packages', () => {
  const files = sdistFiles([{ path: 'demo_pkg-1.0/data.bin', data: binary }]);
  const cases: [string, () => Buffer, ArchiveView['format']][] = [
    ['tar', () => makeTar(files), 'tar'],
    ['tar.gz', () => makeTarGz(files), 'tar.gz'],
    ['tar.bz2', () => compress('bzip2', makeTar(files)), 'tar.bz2'],
    ['tar.xz', () => compress('xz', makeTar(files)), 'tar.xz'],
    ['zip', () => makeZip(files), 'zip'],
  ];
  for (const [name, build, format] of cases) {
    it(`reads an sdist as ${name}, content intact`, async () => {
      const view = await readArchive(build());
      expect(view).toMatchObject({ status: 'ok', format, kind: 'sdist', limitsHit: [] });
      expect(view.entries.map((e) => e.path)).toEqual(files.map((f) => f.path));
      expect(text(find(view, 'demo_pkg-1.0/setup.py'))).toBe('from setuptools import setup\nsetup()\n');
      const data = find(view, 'demo_pkg-1.0/data.bin');
      expect(data?.size).toBe(binary.length);
      expect(Buffer.from(data?.data ?? []).equals(binary)).toBe(true);
      expect(view.bytesRead).toBeGreaterThanOrEqual(binary.length);
    });
  }

  it('reads a wheel (zip with *.dist-info/WHEEL) as kind wheel', async () => {
    const view = await readArchive(makeWheel({ ...pkg, files: { 'demo_pkg/__init__.py': 'x = 1\n' } }));
    expect(view).toMatchObject({ status: 'ok', format: 'zip', kind: 'wheel' });
    expect(text(find(view, 'demo_pkg/__init__.py'))).toBe('x = 1\n');
    expect(find(view, 'demo_pkg-1.0.dist-info/WHEEL')?.type).toBe('file');
  });

  it('reads stored (uncompressed) zip entries', async () => {
    const view = await readArchive(makeZip([{ path: 'a/b.py', data: 'print(1)\n', store: true }]));
    expect(text(find(view, 'a/b.py'))).toBe('print(1)\n');
  });

  it('reads an egg (EGG-INFO/ at the top) as kind egg', async () => {
    const view = await readArchive(
      makeZip([
        { path: 'EGG-INFO/PKG-INFO', data: 'Name: x\n' },
        { path: 'x/__init__.py', data: '' },
      ]),
    );
    expect(view).toMatchObject({ status: 'ok', kind: 'egg' });
  });

  it('records directories, modes and sizes as read', async () => {
    const view = await readArchive(
      makeTarGz([
        { path: 'p-1/', type: 'dir' },
        { path: 'p-1/run.sh', data: '#!/bin/sh\n', mode: 0o755 },
      ]),
    );
    // Directory names lose their trailing slash, as tarfile gives them.
    expect(view.entries).toMatchObject([
      { path: 'p-1', type: 'dir', size: 0 },
      { path: 'p-1/run.sh', type: 'file', size: 10, mode: 0o755 },
    ]);
  });
});

describe('limits', () => {
  it('stops a gzip bomb at the ratio limit, keeping what came before', async () => {
    const bomb = gzipBomb(1024); // 1 GiB of zeros in about 1 MB
    const view = await readArchive(bomb);
    expect(view.status).toBe('error');
    expect(view.limitsHit).toContain('ratio');
    expect(view.error).toMatch(/ratio/);
    expect(view.bytesRead).toBeLessThanOrEqual(100 * bomb.length + 64 * 1024);
    expect(view.entries).toHaveLength(1);
    expect(view.entries[0]).toMatchObject({ path: 'bomb-1.0/bomb.bin', truncated: true });
    expect(view.entries[0]?.data?.length).toBe(DEFAULT_LIMITS.fileBytes);
  });

  it('stops at the total-bytes limit when the ratio allows more', async () => {
    const view = await readArchive(gzipBomb(64), { ratio: 1e6, totalBytes: 16 * MiB });
    expect(view).toMatchObject({ status: 'error', limitsHit: expect.arrayContaining(['totalBytes']) });
    expect(view.bytesRead).toBeLessThanOrEqual(16 * MiB + 64 * 1024);
  });

  it('stops a zip bomb (many large entries) by counting what entries inflate and declare', async () => {
    const bomb = zipBomb(200, 10); // 2 GB declared, ~2 MB compressed
    const view = await readArchive(bomb);
    expect(view).toMatchObject({ status: 'error', limitsHit: expect.arrayContaining(['ratio']) });
    expect(view.entries.length).toBeLessThan(200);
    expect(view.entries[0]).toMatchObject({ truncated: true, size: DEFAULT_LIMITS.fileBytes });
  });

  it('stops an overlapping zip bomb (entries sharing one body)', async () => {
    const view = await readArchive(overlappingZipBomb(2000, 4));
    expect(view).toMatchObject({ status: 'error', limitsHit: expect.arrayContaining(['ratio']) });
    expect(view.bytesRead).toBeLessThanOrEqual(100 * overlappingZipBomb(1, 4).length + 100 * MiB);
  });

  it('stops bzip2 and xz bombs', async () => {
    for (const tool of ['bzip2', 'xz'] as const) {
      const view = await readArchive(toolBomb(tool, 64), { totalBytes: 8 * MiB });
      expect(view.status, tool).toBe('error');
      expect(
        view.limitsHit.some((l) => l === 'ratio' || l === 'totalBytes'),
        tool,
      ).toBe(true);
      expect(view.bytesRead, tool).toBeLessThanOrEqual(8 * MiB + 64 * 1024);
    }
  });

  it('stops at 100,000 entries in a tar.gz and in a zip64 zip of 150,000', async () => {
    for (const bytes of [manyEntriesTarGz(150_000), manyEntriesZip(150_000)]) {
      const view = await readArchive(bytes);
      expect(view).toMatchObject({ status: 'error', limitsHit: ['entries'] });
      expect(view.entries).toHaveLength(100_000);
      expect(view.error).toMatch(/100000 entries/);
    }
  });

  it('reads a zip64 zip under the entry limit', async () => {
    const view = await readArchive(manyEntriesZip(70_000));
    expect(view).toMatchObject({ status: 'ok', limitsHit: [] });
    expect(view.entries).toHaveLength(70_000);
  });

  it('cuts a 20 MB one-line file at the per-file cap without failing the archive', async () => {
    // An obfuscated payload on one line: base64 of random bytes (a line of one repeated letter would
    // pass the 100:1 ratio limit instead).
    const line = Buffer.from(`x = "${randomBytes(15 * MiB).toString('base64')}"`);
    expect(line.length).toBeGreaterThan(20 * MiB);
    for (const bytes of [
      makeSdist({ ...pkg, files: { 'big.py': line } }),
      makeWheel({ ...pkg, files: { 'big.py': line } }),
    ]) {
      const view = await readArchive(bytes);
      expect(view.status).toBe('ok');
      expect(view.limitsHit).toEqual(['fileBytes']);
      const big = view.entries.find((e) => e.path.endsWith('big.py'));
      expect(big).toMatchObject({ truncated: true });
      expect(big?.data?.length).toBe(DEFAULT_LIMITS.fileBytes);
      expect(big?.size).toBeGreaterThanOrEqual(DEFAULT_LIMITS.fileBytes);
    }
  });

  it('keeps a file of exactly the cap whole', async () => {
    const data = Buffer.alloc(1000, 'x');
    for (const bytes of [makeTarGz([{ path: 'a', data }]), makeZip([{ path: 'a', data }])]) {
      const view = await readArchive(bytes, { fileBytes: 1000 });
      expect(view.entries[0]).toMatchObject({ size: 1000 });
      expect(view.entries[0]?.truncated).toBeUndefined();
      expect(view.limitsHit).toEqual([]);
    }
  });

  it('stops at the path-depth limit', async () => {
    const deep = `${Array.from({ length: 70 }, (_, i) => `d${i}`).join('/')}/x.py`;
    const view = await readArchive(
      makeTarGz([
        { path: 'ok.py', data: '' },
        { path: deep, data: '' },
      ]),
    );
    expect(view).toMatchObject({ status: 'error', limitsHit: ['depth'] });
    expect(view.entries[1]?.nameFlags).toContain('too-deep');
  });

  it('takes overrides and rejects nonsense', () => {
    expect(resolveLimits({ entries: 5 })).toEqual({ ...DEFAULT_LIMITS, entries: 5 });
    expect(() => resolveLimits({ entries: -1 })).toThrow(/positive/);
    expect(() => resolveLimits({ nope: 1 } as never)).toThrow(/unknown/);
  });
});

describe('names are data', () => {
  it('flags traversal, absolute paths, backslashes, and never resolves them', async () => {
    const names = [
      '../../etc/passwd',
      'pkg/../../x',
      '/etc/cron.d/evil',
      'C:\\Windows\\evil.dll',
      '..\\..\\win.ini',
    ];
    for (const build of [makeTarGz, makeZip]) {
      const view = await readArchive(build(names.map((path) => ({ path, data: 'x' }))));
      expect(view.status).toBe('ok');
      expect(view.entries.map((e) => e.path)).toEqual(names);
      expect(view.entries.map((e) => e.nameFlags)).toEqual([
        ['dotdot'],
        ['dotdot'],
        ['absolute'],
        ['absolute', 'backslash'],
        ['dotdot', 'backslash'],
      ]);
    }
  });

  it('records symlinks, hardlinks and devices with their targets, without content', async () => {
    const view = await readArchive(
      makeTarGz([
        { path: 'p/link', type: 'symlink', linkTarget: '/etc/passwd' },
        { path: 'p/link/evil', data: 'through the link' },
        { path: 'p/hard', type: 'hardlink', linkTarget: '/etc/shadow' },
        { path: 'p/tty', type: 'chardev' },
        { path: 'p/pipe', type: 'fifo' },
      ]),
    );
    expect(view.status).toBe('ok');
    expect(view.entries).toMatchObject([
      { path: 'p/link', type: 'symlink', linkTarget: '/etc/passwd' },
      { path: 'p/link/evil', type: 'file' },
      { path: 'p/hard', type: 'hardlink', linkTarget: '/etc/shadow' },
      { path: 'p/tty', type: 'device' },
      { path: 'p/pipe', type: 'device' },
    ]);
    for (const e of view.entries.filter((x) => x.type !== 'file')) expect(e.data).toBeUndefined();
  });

  it('records zip symlinks (unix mode) with their target', async () => {
    const view = await readArchive(
      makeZip([{ path: 'p/link', type: 'symlink', linkTarget: '../../../../etc/passwd' }]),
    );
    expect(view.entries[0]).toMatchObject({ type: 'symlink', linkTarget: '../../../../etc/passwd' });
  });

  it('flags NUL, control characters, bidi overrides and invalid UTF-8', async () => {
    const zip = makeZip([
      { path: 'p/a\0b.py', data: '' },
      { path: 'p/bell\x07\x1b[2J.py', data: '' },
      { path: 'p/invoice\u202Etxt.exe', data: '' },
      { path: 'p/ok-ünïcödé.py', data: '' },
      { path: 'p/bad-#.py', data: '' },
    ]);
    // Make the last name invalid UTF-8: replace '#' (in local and central headers) by 0xff.
    for (let i = zip.indexOf('bad-#'); i >= 0; i = zip.indexOf('bad-#', i + 1)) zip[i + 4] = 0xff;
    const view = await readArchive(zip);
    expect(view.status).toBe('ok');
    expect(view.entries.map((e) => e.nameFlags)).toEqual([
      ['nul'],
      ['control'],
      ['bidi'],
      undefined,
      ['invalid-utf8'],
    ]);
    expect(view.entries[0]?.path).toBe('p/a\0b.py');
    expect(view.entries[4]?.path).toBe('p/bad-\ufffd.py');
  });

  it('flags control characters and bidi in tar names too', async () => {
    const view = await readArchive(
      makeTarGz([
        { path: 'p/\x1b]0;x\x07.py', data: '' },
        { path: 'p/\u2066x.py', data: '' },
      ]),
    );
    expect(view.entries.map((e) => e.nameFlags)).toEqual([['control'], ['bidi']]);
  });
});

describe('broken and misleading input', () => {
  it('recognises a wheel by content, whatever it would be named', async () => {
    const view = await readArchive(makeWheel(pkg));
    expect(view).toMatchObject({ format: 'zip', kind: 'wheel', status: 'ok' });
  });

  it('reads a zip with junk before it (as pip would)', async () => {
    const view = await readArchive(Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), makeWheel(pkg)]));
    expect(view).toMatchObject({ status: 'ok', kind: 'wheel' });
    expect(view.notes).toEqual(['zip with 17 bytes of leading data']);
  });

  it('says empty input, not an archive, and unsupported formats plainly', async () => {
    expect(await readArchive(new Uint8Array(0))).toMatchObject({
      status: 'error',
      error: 'empty input',
      format: 'unknown',
      entries: [],
    });
    for (const junk of [
      Buffer.from('just some text\n'),
      Buffer.from('\x89PNG\r\n\x1a\n0000'),
      randomBytes(4096),
    ]) {
      const view = await readArchive(junk);
      expect(view).toMatchObject({ status: 'error', format: 'unknown', kind: 'unknown' });
      expect(view.error).toMatch(/not an archive/);
    }
    const seven = await readArchive(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]));
    expect(seven.error).toBe('unsupported format: 7z');
  });

  it('says a compressed stream that holds no tar is not a tar', async () => {
    expect((await readArchive(gzipSync('hello world\n'))).error).toMatch(/not a tar archive/);
    expect((await readArchive(gzipSync(makeTarGz(sdistFiles())))).error).toBe(
      'not a tar archive (holds gzip data)',
    );
    expect((await readArchive(gzipSync(Buffer.alloc(0)))).status).toBe('error');
  });

  it('says an archive with no entries is an error', async () => {
    expect(await readArchive(makeTar([]))).toMatchObject({ status: 'error' });
    expect(await readArchive(makeZip([]))).toMatchObject({
      status: 'error',
      error: 'archive holds no entries',
    });
  });

  it('reports truncated streams with the entries read before the cut', async () => {
    const files = sdistFiles([{ path: 'demo_pkg-1.0/data.bin', data: randomBytes(300_000) }]);
    const builds: [string, Buffer][] = [
      ['tar', makeTar(files)],
      ['tar.gz', makeTarGz(files)],
      ['tar.bz2', compress('bzip2', makeTar(files))],
      ['tar.xz', compress('xz', makeTar(files))],
      ['zip', makeZip(files)],
    ];
    for (const [name, whole] of builds) {
      const view = await readArchive(whole.subarray(0, Math.floor(whole.length * 0.7)));
      expect(view.status, name).toBe('error');
      expect(view.error, name).toMatch(/corrupt|truncated|not a tar/i);
      if (name !== 'zip' && name !== 'tar.bz2') {
        // Streams deliver what precedes the damage (a zip's directory is at its end; bzip2 decodes
        // 900 KB blocks whole).
        expect(view.entries.length, name).toBeGreaterThan(0);
        expect(text(view.entries[0]), name).toContain('Name: demo-pkg');
      }
    }
  });

  it('reports a corrupt zip entry and goes on with the others', async () => {
    const zip = makeZip([
      { path: 'a.py', data: 'a'.repeat(1000) },
      { path: 'b.py', data: 'print(2)\n' },
    ]);
    // Damage a.py's deflate stream (it starts right after its 30-byte header and 4-byte name).
    zip.fill(0xff, 34, 40);
    const view = await readArchive(zip);
    // One unreadable member is a gap (the package is unscannable), not a failure of the whole archive.
    expect(view.status).toBe('ok');
    expect(view.gaps).toEqual([
      { stage: 'archive', path: 'a.py', reason: expect.stringMatching(/^corrupt zip entry: /) },
    ]);
    expect(find(view, 'a.py')?.data).toBeUndefined();
    expect(text(find(view, 'b.py'))).toBe('print(2)\n');
  });

  it('reports an encrypted zip entry, reads the rest', async () => {
    const view = await readArchive(
      makeZip([
        { path: 'p/secret.py', data: 'x', encrypted: true },
        { path: 'p/plain.py', data: 'y = 2\n' },
      ]),
    );
    expect(view).toMatchObject({
      status: 'ok',
      gaps: [{ stage: 'archive', path: 'p/secret.py', reason: 'encrypted zip entry cannot be read' }],
    });
    expect(view.entries[0]).toMatchObject({ encrypted: true });
    expect(view.entries[0]?.data).toBeUndefined();
    expect(text(view.entries[1])).toBe('y = 2\n');
  });

  it('notes nested archives without opening them', async () => {
    const inner = makeTarGz(sdistFiles());
    const view = await readArchive(
      makeTarGz([
        { path: 'p/inner.tar.gz', data: inner },
        { path: 'p/inner.whl', data: makeWheel(pkg) },
        { path: 'p/inner.tar', data: makeTar(sdistFiles()) },
        { path: 'p/text.py', data: 'x = 1\n' },
      ]),
    );
    expect(view.status).toBe('ok');
    expect(view.entries.map((e) => e.nested)).toEqual(['gzip', 'zip', 'tar', undefined]);
    expect(view.entries).toHaveLength(4);
  });

  it('stops at the tar end-of-archive marker, as Python tarfile does', async () => {
    const first = makeTar([{ path: 'a.py', data: 'a' }]);
    const second = makeTar([{ path: 'hidden.py', data: 'b' }]);
    const view = await readArchive(gzipSync(Buffer.concat([first, second])));
    expect(view.entries.map((e) => e.path)).toEqual(['a.py']);
  });
});

describe('decodeText', () => {
  it('decodes UTF-8 and says when bytes had to be replaced', () => {
    expect(decodeText(Buffer.from('héllo'))).toEqual({ text: 'héllo', lossy: false });
    expect(decodeText(Buffer.from([0x61, 0xff, 0x62]))).toEqual({ text: 'a\ufffdb', lossy: true });
  });
});
