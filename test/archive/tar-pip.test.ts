// Tar members as Python's tarfile (so pip) reads them: GNU sparse members in the old header format and
// the pax 0.0, 0.1 and 1.0 formats, types tarfile extracts as regular files, and headers tarfile reads
// where another reader would skip data.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArchive } from '../../src/archive/index.js';
import type { ArchiveEntry, ArchiveView } from '../../src/types.js';
import { blocks512, octal12, paxMember, rawTarHeader, rawTarMember, tarOfMembers } from './hostile.js';
import { linearGrowth } from '../helpers/scaling.js';

const text = (e: ArchiveEntry | undefined) => (e?.data ? Buffer.from(e.data).toString('latin1') : undefined);
const find = (v: ArchiveView, path: string) => v.entries.find((e) => e.path === path);

const HEAD = 'import os\n';
const TAIL = 'os.system("id")\n';
/** The logical file the sparse fixtures describe: HEAD at 0, TAIL at 2000, zeros between, 2100 bytes. */
const logical = () => {
  const b = Buffer.alloc(2100);
  b.write(HEAD, 0, 'latin1');
  b.write(TAIL, 2000, 'latin1');
  return b;
};
const STORED = HEAD + TAIL;

describe('GNU sparse members', () => {
  it('lays out an old-format sparse member (header structs and an extension block)', async () => {
    // Five regions: four in the header, the fifth in an extension block after it.
    const regions: [number, string][] = [
      [0, HEAD],
      [300, 'a'],
      [600, 'b'],
      [900, 'c'],
      [2000, TAIL],
    ];
    const stored = regions.map(([, d]) => d).join('');
    const header = rawTarHeader({
      name: 'p-1.0/setup.py',
      size: stored.length,
      type: 'S',
      patch: (h) => {
        regions.slice(0, 4).forEach(([offset, d], i) => {
          octal12(h, 386 + i * 24, offset);
          octal12(h, 386 + i * 24 + 12, d.length);
        });
        h[482] = 1;
        octal12(h, 483, 2100);
      },
    });
    const extension = Buffer.alloc(512);
    octal12(extension, 0, 2000);
    octal12(extension, 12, TAIL.length);
    const view = await readArchive(tarOfMembers(header, extension, blocks512(stored)));
    expect(view.status).toBe('ok');
    const expected = logical();
    expected.write('a', 300);
    expected.write('b', 600);
    expected.write('c', 900);
    expect(find(view, 'p-1.0/setup.py')).toMatchObject({ type: 'file', size: 2100 });
    expect(text(find(view, 'p-1.0/setup.py'))).toBe(expected.toString('latin1'));
  });

  it('reads the pax 0.0, 0.1 and 1.0 formats, with the real name from GNU.sparse.name', async () => {
    const formats: [string, Buffer][] = [
      [
        '0.0',
        tarOfMembers(
          paxMember([
            ['GNU.sparse.size', '2100'],
            ['GNU.sparse.numblocks', '2'],
            ['GNU.sparse.offset', '0'],
            ['GNU.sparse.numbytes', String(HEAD.length)],
            ['GNU.sparse.offset', '2000'],
            ['GNU.sparse.numbytes', String(TAIL.length)],
          ]),
          rawTarMember({ name: 'p-1.0/setup.py', size: STORED.length, type: '0', data: STORED }),
        ),
      ],
      [
        '0.1',
        tarOfMembers(
          paxMember([
            ['GNU.sparse.size', '2100'],
            ['GNU.sparse.numblocks', '2'],
            ['GNU.sparse.map', `0,${HEAD.length},2000,${TAIL.length}`],
            ['GNU.sparse.name', 'p-1.0/setup.py'],
          ]),
          rawTarMember({
            name: 'p-1.0/GNUSparseFile.0/setup.py',
            size: STORED.length,
            type: '0',
            data: STORED,
          }),
        ),
      ],
      [
        '1.0',
        (() => {
          const map = blocks512(`2\n0\n${HEAD.length}\n2000\n${TAIL.length}\n`);
          const data = Buffer.concat([map, Buffer.from(STORED)]);
          return tarOfMembers(
            paxMember([
              ['GNU.sparse.major', '1'],
              ['GNU.sparse.minor', '0'],
              ['GNU.sparse.name', 'p-1.0/setup.py'],
              ['GNU.sparse.realsize', '2100'],
            ]),
            rawTarMember({ name: 'p-1.0/GNUSparseFile.0/setup.py', size: data.length, type: '0', data }),
          );
        })(),
      ],
    ];
    for (const [format, tar] of formats) {
      const view = await readArchive(tar);
      expect(view.status, format).toBe('ok');
      expect(
        view.entries.map((e) => e.path),
        format,
      ).toEqual(['p-1.0/setup.py']);
      expect(text(view.entries[0]), format).toBe(logical().toString('latin1'));
    }
  });

  it('cuts a huge sparse file at the per-file cap, and makes a gap of a map that reads past its data', async () => {
    const huge = await readArchive(
      tarOfMembers(
        paxMember([
          ['GNU.sparse.size', String(2 ** 40)],
          ['GNU.sparse.map', `0,${HEAD.length}`],
        ]),
        rawTarMember({ name: 'p/big.py', size: HEAD.length, type: '0', data: HEAD }),
      ),
      { fileBytes: 64 * 1024 },
    );
    expect(find(huge, 'p/big.py')).toMatchObject({ size: 2 ** 40, truncated: true });
    expect(find(huge, 'p/big.py')?.data?.length).toBe(64 * 1024);

    const lying = await readArchive(
      tarOfMembers(
        paxMember([
          ['GNU.sparse.size', '100'],
          ['GNU.sparse.map', '0,100'],
        ]),
        rawTarMember({ name: 'p/setup.py', size: 10, type: '0', data: HEAD }),
        rawTarMember({ name: 'p/after.py', size: 2, type: '0', data: 'x\n' }),
      ),
    );
    expect(lying.gaps).toEqual([
      {
        stage: 'archive',
        path: 'p/setup.py',
        reason: 'GNU sparse member: sparse map reads past the member data',
      },
    ]);
    expect(text(find(lying, 'p/after.py'))).toBe('x\n');
  });

  it('makes a gap of a map out of order, and lays out maps of many regions in linear time', async () => {
    const unordered = await readArchive(
      tarOfMembers(
        paxMember([
          ['GNU.sparse.size', '100'],
          ['GNU.sparse.map', '50,1,0,1'],
        ]),
        rawTarMember({ name: 'p/setup.py', size: 2, type: '0', data: 'ab' }),
      ),
    );
    expect(unordered.gaps?.[0]?.reason).toBe(
      'GNU sparse member: sparse map regions out of order or overlapping',
    );

    // n members of 4,000 one-byte regions each, against 2n: CPU time grows with the input, not faster.
    const sparseTar = (members: number) => {
      const map = Array.from({ length: 4000 }, (_, i) => `${i * 2},1`).join(',');
      const data = 'x'.repeat(4000);
      const one = Buffer.concat([
        paxMember([
          ['GNU.sparse.size', '8000'],
          ['GNU.sparse.map', map],
        ]),
        rawTarMember({ name: 'p/s.py', size: data.length, type: '0', data }),
      ]);
      return tarOfMembers(...Array.from({ length: members }, () => one));
    };
    expect((await readArchive(sparseTar(80))).status).toBe('ok');
    expect(await linearGrowth(sparseTar, readArchive, 40)).toBeLessThan(3);
  });

  it('reads the sparse members GNU tar writes, in every format', async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'pmg-sparse-'));
    try {
      const file = join(dir, 'p-1.0', 'setup.py');
      execFileSync('mkdir', ['-p', join(dir, 'p-1.0')]);
      writeFileSync(file, HEAD);
      execFileSync('truncate', ['-s', '1M', file]);
      execFileSync('dd', [`of=${file}`, 'bs=1', 'seek=600000', 'conv=notrunc', 'status=none'], {
        input: TAIL,
      });
      const expected = readFileSync(file);
      const made: [string, Buffer][] = [];
      try {
        made.push(['gnu', execFileSync('tar', ['--sparse', '--format=gnu', '-C', dir, '-cf', '-', 'p-1.0'])]);
        for (const v of ['0.0', '0.1', '1.0']) {
          const args = [
            '--sparse',
            '--format=posix',
            `--sparse-version=${v}`,
            '-C',
            dir,
            '-cf',
            '-',
            'p-1.0',
          ];
          made.push([v, execFileSync('tar', args)]);
        }
      } catch {
        ctx.skip(); // no GNU tar here
      }
      // A file system without holes makes GNU tar write a plain member: then there is nothing to test.
      if (!made[0]![1].subarray(512, 1024).includes(Buffer.from('S'))) ctx.skip();
      for (const [format, tar] of made) {
        const view = await readArchive(tar);
        expect(view.status, format).toBe('ok');
        const entry = find(view, 'p-1.0/setup.py');
        expect(entry?.size, format).toBe(expected.length);
        expect(Buffer.from(entry?.data ?? []).equals(expected), format).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('headers as tarfile reads them', () => {
  it('takes an old (v7) header whose checksum is the signed byte sum, as tarfile does', async () => {
    const header = rawTarHeader({ name: 'p/caf\u00e9.py', size: HEAD.length, type: '0' });
    header.fill(0, 257, 265); // no ustar magic: only the checksum says this is a tar
    header.write('        ', 148, 'ascii');
    let signed = 0;
    for (const b of header) signed += b > 127 ? b - 256 : b;
    header.write(`${signed.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    const view = await readArchive(tarOfMembers(header, blocks512(HEAD)));
    expect(view.status).toBe('ok');
    expect(text(find(view, 'p/caf\u00e9.py'))).toBe(HEAD);
  });

  it('reads a member of an unknown type as the regular file tarfile extracts', async () => {
    const view = await readArchive(
      tarOfMembers(
        rawTarMember({ name: 'p/setup.py', size: TAIL.length, type: 'Z', data: TAIL }),
        rawTarMember({ name: 'p/vol.py', size: HEAD.length, type: 'V', data: HEAD }),
      ),
    );
    expect(view.status).toBe('ok');
    expect(find(view, 'p/setup.py')).toMatchObject({ type: 'file' });
    expect(text(find(view, 'p/setup.py'))).toBe(TAIL);
    expect(text(find(view, 'p/vol.py'))).toBe(HEAD);
    expect(view.notes).toContain("p/setup.py: tar type 'Z' read as a regular file, as tarfile extracts it");
  });

  it('reads the block after a link header as the next header, as tarfile does, whatever size the link claims', async () => {
    // A reader that skipped the link's claimed 1024 bytes of data would never see setup.py.
    const hidden = rawTarMember({ name: 'p/setup.py', size: TAIL.length, type: '0', data: TAIL });
    const view = await readArchive(
      tarOfMembers(rawTarHeader({ name: 'p/link', size: hidden.length, type: '2', link: 'x' }), hidden),
    );
    expect(view.entries.map((e) => e.path)).toEqual(['p/link', 'p/setup.py']);
    expect(text(find(view, 'p/setup.py'))).toBe(TAIL);
  });

  it('takes names from pax records (newlines included) and GNU long-name records', async () => {
    const long = `p/${'d/'.repeat(80)}setup.py`;
    const view = await readArchive(
      tarOfMembers(
        paxMember([['path', 'p/new\nline.py']]),
        rawTarMember({ name: 'p/short.py', size: 2, type: '0', data: 'a\n' }),
        rawTarMember({ name: '././@LongLink', size: long.length + 1, type: 'L', data: `${long}\0` }),
        rawTarMember({ name: 'p/cut', size: 2, type: '0', data: 'b\n' }),
      ),
    );
    expect(view.entries.map((e) => e.path)).toEqual(['p/new\nline.py', long]);
    expect(view.entries[0]?.nameFlags).toContain('control');
  });

  it('stops with an error at a damaged header, keeping what came before; bounds chains of long names', async () => {
    const bad = rawTarHeader({ name: 'p/b.py', size: 0, type: '0' });
    bad.writeUInt8(bad.readUInt8(0) ^ 1, 0);
    const view = await readArchive(
      tarOfMembers(rawTarMember({ name: 'p/a.py', size: 2, type: '0', data: 'a\n' }), bad),
    );
    expect(view).toMatchObject({ status: 'error', error: 'corrupt tar header: bad checksum' });
    expect(view.entries.map((e) => e.path)).toEqual(['p/a.py']);

    const chain = Array.from({ length: 70 }, () =>
      rawTarMember({ name: '././@LongLink', size: 5, type: 'L', data: 'p/x\0\0' }),
    );
    const chained = await readArchive(
      tarOfMembers(
        rawTarMember({ name: 'p/a.py', size: 0, type: '0' }),
        ...chain,
        rawTarMember({ name: 'p/x', size: 0, type: '0' }),
      ),
    );
    expect(chained.error).toMatch(/more than 64 extended headers/);
  });
});
