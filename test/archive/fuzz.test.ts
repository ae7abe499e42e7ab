// The hand-written parts of the reader face arbitrary bytes: the tar parser (headers, pax records,
// sparse maps, long names), the zip method-14 wrapper and the source decoders. Random damage must give
// a status or a gap, never an exception, and nothing beyond the limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSource, readArchive } from '../../src/archive/index.js';
import { unlzma } from '../../src/archive/lzma.js';
import {
  blocks512,
  methodZip,
  octal12,
  paxMember,
  rawTarHeader,
  rawTarMember,
  tarOfMembers,
  zipLzmaBody,
} from './hostile.js';

const HEAD = 'import os\n';
const TAIL = 'os.system("id")\n';
const STORED = HEAD + TAIL;

/** One tar with every kind of header the parser handles. */
const sample = tarOfMembers(
  paxMember([['path', 'p/long-pax-name.py']]),
  rawTarMember({ name: 'p/a.py', size: 2, type: '0', data: 'a\n' }),
  rawTarMember({ name: '././@LongLink', size: 12, type: 'L', data: 'p/longname\0\0' }),
  rawTarMember({ name: 'p/x', size: 2, type: '0', data: 'b\n' }),
  paxMember([
    ['GNU.sparse.size', '2100'],
    ['GNU.sparse.map', `0,${HEAD.length},2000,${TAIL.length}`],
    ['GNU.sparse.name', 'p/sparse01.py'],
  ]),
  rawTarMember({ name: 'p/GNUSparseFile.0/s.py', size: STORED.length, type: '0', data: STORED }),
  paxMember([
    ['GNU.sparse.major', '1'],
    ['GNU.sparse.minor', '0'],
    ['GNU.sparse.realsize', '2100'],
  ]),
  rawTarMember({
    name: 'p/sparse10.py',
    size: 512 + STORED.length,
    type: '0',
    data: Buffer.concat([blocks512(`2\n0\n${HEAD.length}\n2000\n${TAIL.length}\n`), Buffer.from(STORED)]),
  }),
  Buffer.concat([
    rawTarHeader({
      name: 'p/old.py',
      size: STORED.length,
      type: 'S',
      patch: (h) => {
        octal12(h, 386, 0);
        octal12(h, 398, HEAD.length);
        octal12(h, 410, 2000);
        octal12(h, 422, TAIL.length);
        octal12(h, 483, 2100);
      },
    }),
    blocks512(STORED),
  ]),
  rawTarMember({ name: 'p/link', size: 0, type: '1', link: 'p/a.py' }),
  rawTarMember({ name: 'p/odd', size: 2, type: 'Z', data: 'c\n' }),
);

describe('the reader on damaged input', () => {
  it('reads the undamaged sample whole', async () => {
    const view = await readArchive(sample);
    expect(view.status).toBe('ok');
    expect(view.entries.map((e) => e.path)).toEqual([
      'p/long-pax-name.py',
      'p/longname',
      'p/sparse01.py',
      'p/sparse10.py',
      'p/old.py',
      'p/link',
      'p/odd',
    ]);
  });

  it('answers with a status for any damage to the tar (never throws)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(sample.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 12,
        }),
        async (damage) => {
          const bytes = Buffer.from(sample);
          for (const [at, value] of damage) bytes[at] = value;
          const view = await readArchive(bytes, { fileBytes: 64 * 1024 });
          expect(['ok', 'error']).toContain(view.status);
          for (const e of view.entries) expect(e.data?.length ?? 0).toBeLessThanOrEqual(64 * 1024);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('answers for any damage to an lzma entry, and decodes sources of any bytes', async () => {
    const body = zipLzmaBody(Buffer.from(STORED.repeat(50)));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(body.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        async (damage) => {
          const bytes = Buffer.from(body);
          for (const [at, value] of damage) bytes[at] = value;
          let got = 0;
          const error = unlzma(bytes, 4096, (c) => {
            got += c.length;
            return true;
          });
          expect(got).toBeLessThanOrEqual(4096);
          expect(error === undefined || typeof error === 'string').toBe(true);
          const view = await readArchive(
            methodZip([{ name: 'p/a.py', data: STORED, method: 14, body: bytes }]),
          );
          expect(['ok', 'error']).toContain(view.status);
        },
      ),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(
          'utf-7',
          'unicode_escape',
          'raw_unicode_escape',
          'latin-1',
          'cp1252',
          'shift_jis',
          'nope',
        ),
        fc.uint8Array({ maxLength: 400 }),
        (codec, tail) => {
          const decoded = decodeSource(Buffer.concat([Buffer.from(`# coding: ${codec}\n`), tail]));
          expect(typeof decoded.text).toBe('string');
        },
      ),
      { numRuns: 500 },
    );
  });
});
