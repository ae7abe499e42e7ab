// The registry's pure parts on plain values: which release a ref means, which files the lockfile's hashes
// allow, and the hash check of downloaded bytes. Findings come back as values, never as throws.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { allowedByLock, newestRelease, pinnedRelease } from '../../src/registry/release.js';
import type { RegistryFile } from '../../src/registry/types.js';
import { verifyBytes } from '../../src/registry/verify.js';
import type { PackageRef } from '../../src/types.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const file = (filename: string, version: string, extra: Partial<RegistryFile> = {}): RegistryFile => ({
  filename,
  url: `https://files.example/${filename}`,
  hashes: {},
  version,
  kind: filename.endsWith('.whl') ? 'wheel' : 'sdist',
  yanked: false,
  index: 'https://pypi.org/simple/',
  ...extra,
});

const ref = (hashes: string[] = []): PackageRef => ({
  name: 'demo',
  version: '1.0',
  hashes,
  file: 'requirements.txt',
  line: 7,
});

describe('the release a ref means', () => {
  const files = [
    file('demo-1.0.tar.gz', '1.0'),
    file('demo-1.0.0-py3-none-any.whl', '1.0.0'),
    file('demo-1.2.tar.gz', '1.2'),
    file('demo-2.0.tar.gz', '2.0', { yanked: 'broken' }),
  ];

  it('a pin takes every spelling of its version, and is absent when the index has none', () => {
    expect(pinnedRelease(files, '1.0')?.files.map((f) => f.filename)).toEqual([
      'demo-1.0.tar.gz',
      'demo-1.0.0-py3-none-any.whl',
    ]);
    expect(pinnedRelease(files, '1.1')).toBeUndefined();
  });

  it('a specifier takes the newest non-yanked release that satisfies it', () => {
    expect(newestRelease(files, '')?.version).toBe('1.2');
    expect(newestRelease(files, '<1.2')).toMatchObject({ version: '1.0' });
    expect(newestRelease(files, '>=3')).toBeUndefined();
  });
});

describe('the lockfile hashes', () => {
  const bytes = new TextEncoder().encode('the sdist');
  const listed = file('demo-1.0.tar.gz', '1.0', { hashes: { sha256: sha256(bytes) } });

  it('no file of the release matching them is a decisive hash-mismatch finding, returned', () => {
    const answer = allowedByLock([listed], ref([`sha256:${'0'.repeat(64)}`]), 'demo==1.0');
    expect(answer).toEqual({
      ok: false,
      finding: expect.objectContaining({ id: 'hash-mismatch', severity: 'critical', decisive: true }),
    });
    expect(allowedByLock([listed], ref([`sha256:${sha256(bytes)}`]), 'demo==1.0')).toEqual({
      ok: true,
      value: [listed],
    });
  });

  it('bytes that differ from the index or the lock are a critical finding; matching bytes give their sha256', () => {
    expect(verifyBytes(bytes, listed, ref())).toEqual({ ok: true, value: sha256(bytes) });
    const tampered = verifyBytes(new TextEncoder().encode('other bytes'), listed, ref());
    expect(tampered).toMatchObject({
      ok: false,
      finding: { id: 'hash-mismatch', severity: 'critical', decisive: true },
    });
    const unlisted = file('demo-1.0.tar.gz', '1.0');
    const locked = verifyBytes(bytes, unlisted, ref([`sha256:${'ab'.repeat(32)}`]));
    expect(locked.ok).toBe(false);
    expect(!locked.ok && locked.finding.message).toMatch(
      /differs from the one the lockfile pins .* requirements\.txt:7/,
    );
  });
});
