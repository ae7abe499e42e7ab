import { afterEach, describe, expect, it } from 'vitest';
import { osvKey, queryOsv } from '../../src/signals/osv.js';
import { startOsvServer } from '../servers/osv-server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function server(options: Parameters<typeof startOsvServer>[0]) {
  const started = await startOsvServer(options);
  closers.push(started.close);
  return started;
}

describe('queryOsv', () => {
  it('turns a MAL- advisory into a decisive critical signal with its summary, and ignores ordinary vulns', async () => {
    const osv = await server({
      advisories: [
        {
          id: 'MAL-2024-1234',
          summary: 'Malicious code in evil-pkg (PyPI)',
          affected: [{ name: 'evil-pkg', versions: ['1.0.0'] }],
        },
        {
          id: 'GHSA-xxxx-yyyy-zzzz',
          summary: 'ReDoS',
          affected: [{ name: 'requests', versions: ['2.0.0'] }],
        },
        { id: 'PYSEC-2020-1', affected: [{ name: 'evil-pkg', versions: ['1.0.0'] }] },
      ],
    });
    const result = await queryOsv(
      [
        { name: 'Evil_Pkg', version: '1.0.0' },
        { name: 'requests', version: '2.0.0' },
        { name: 'clean', version: '1.0' },
      ],
      { url: osv.url },
    );
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    const evil = result.byPackage.get(osvKey({ name: 'evil-pkg', version: '1.0.0' }))!;
    expect(evil).toHaveLength(1);
    expect(evil[0]).toMatchObject({ id: 'known-malware', severity: 'critical', decisive: true });
    expect(evil[0]!.message).toContain('MAL-2024-1234');
    expect(evil[0]!.message).toContain('Malicious code in evil-pkg');
    expect(result.byPackage.get('requests==2.0.0')).toEqual([]);
    expect(result.byPackage.get('clean==1.0')).toEqual([]);
    const batch = osv.requests.find((r) => r.path === '/v1/querybatch')!.body as { queries: unknown[] };
    expect(batch.queries[0]).toEqual({ package: { name: 'evil-pkg', ecosystem: 'PyPI' }, version: '1.0.0' });
    // Only MAL- advisories are looked up.
    expect(osv.requests.filter((r) => r.path.startsWith('/v1/vulns/')).map((r) => r.path)).toEqual([
      '/v1/vulns/MAL-2024-1234',
    ]);
  });

  it('follows next_page_token per query until the MAL- id on a later page is found', async () => {
    const osv = await server({
      pageSize: 1,
      advisories: [
        { id: 'GHSA-1', affected: [{ name: 'pkg', versions: ['1'] }] },
        { id: 'GHSA-2', affected: [{ name: 'pkg', versions: ['1'] }] },
        { id: 'MAL-2025-9', affected: [{ name: 'pkg', versions: ['1'] }] },
      ],
    });
    const result = await queryOsv([{ name: 'pkg', version: '1' }], { url: osv.url });
    expect(result.status === 'ok' && result.byPackage.get('pkg==1')!.map((s) => s.message)).toEqual([
      'pkg 1 is known malware: OSV advisory MAL-2025-9',
    ]);
    expect(osv.requests.filter((r) => r.path === '/v1/querybatch')).toHaveLength(3);
  });

  it('splits more than 1000 refs into batches of at most 1000', async () => {
    const osv = await server({
      advisories: [{ id: 'MAL-1', affected: [{ name: 'p1500', versions: ['1'] }] }],
    });
    const refs = Array.from({ length: 1500 }, (_, i) => ({ name: `p${i}`, version: '1' }));
    const result = await queryOsv(refs, { url: osv.url });
    expect(result.status === 'ok' && result.byPackage.get('p1500==1')).toBeUndefined();
    expect(result.status === 'ok' && result.byPackage.get('p1499==1')).toEqual([]);
    const sizes = osv.requests.map((r) => (r.body as { queries: unknown[] }).queries.length);
    expect(sizes).toEqual([1000, 500]);
  });

  it('reports unavailable (never throws) when the server errors or is down', async () => {
    const failing = await server({ advisories: [], failWith: 503 });
    const r1 = await queryOsv([{ name: 'a', version: '1' }], { url: failing.url });
    expect(r1).toEqual({ status: 'unavailable', error: expect.stringContaining('HTTP 503') });

    const down = await server({ advisories: [] });
    const url = down.url;
    await closers.pop()!();
    const r2 = await queryOsv([{ name: 'a', version: '1' }], { url, timeoutMs: 2000 });
    expect(r2.status).toBe('unavailable');
    expect(r2.status === 'unavailable' && r2.error).toContain(url);
  });

  it('bounds summary look-ups and still decides without a summary', async () => {
    const osv = await server({ advisories: [{ id: 'MAL-3', affected: [{ name: 'x', versions: ['1'] }] }] });
    const result = await queryOsv([{ name: 'x', version: '1' }], { url: osv.url, maxDetails: 0 });
    expect(result.status === 'ok' && result.byPackage.get('x==1')![0]!.decisive).toBe(true);
    expect(osv.requests.some((r) => r.path.startsWith('/v1/vulns/'))).toBe(false);
  });
});
