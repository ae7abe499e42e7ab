import { describe, expect, it } from 'vitest';
import { parseHtmlPage, parseJsonPage } from '../../src/registry/page.js';
import { linearGrowth } from '../helpers/scaling.js';

const page = 'https://idx.test/simple/a/';

describe('parseJsonPage', () => {
  it('reads PEP 691/700/592/714 fields', () => {
    const json = JSON.stringify({
      versions: ['1.0', '2.0'],
      files: [
        {
          filename: 'a-1.0.tar.gz',
          url: '../../files/a-1.0.tar.gz',
          hashes: { sha256: 'ab' },
          yanked: 'broken',
          'upload-time': '2024-01-01T00:00:00Z',
          size: 12,
          'core-metadata': { sha256: 'cd' },
        },
      ],
    });
    const parsed = parseJsonPage(json, page, 'a');
    expect(parsed.versions).toEqual(['1.0', '2.0']);
    expect(parsed.files[0]).toEqual({
      filename: 'a-1.0.tar.gz',
      url: 'https://idx.test/files/a-1.0.tar.gz',
      hashes: { sha256: 'ab' },
      version: '1.0',
      kind: 'sdist',
      yanked: 'broken',
      uploadTime: '2024-01-01T00:00:00Z',
      size: 12,
      coreMetadata: { sha256: 'cd' },
    });
  });
});

describe('parseHtmlPage', () => {
  it('reads anchors with hash fragments, yanked and metadata attributes', () => {
    const html = `<html><body>
<a href="/files/a-1.0-py3-none-any.whl#sha256=ef" data-requires-python="&gt;=3.8" data-yanked="">a-1.0-py3-none-any.whl</a>
<a href='/files/a-2.0.tar.gz#sha256=12' data-core-metadata="sha256=34">a-2.0.tar.gz</a>
</body></html>`;
    const parsed = parseHtmlPage(html, page, 'a');
    expect(parsed.versions).toEqual(['1.0', '2.0']);
    expect(parsed.files[0]).toMatchObject({
      url: 'https://idx.test/files/a-1.0-py3-none-any.whl',
      hashes: { sha256: 'ef' },
      requiresPython: '>=3.8',
      yanked: true,
      kind: 'wheel',
    });
    expect(parsed.files[1]).toMatchObject({ yanked: false, coreMetadata: { sha256: '34' }, kind: 'sdist' });
  });
});

describe('a hostile HTML page', () => {
  it('costs time linear in its size, even with anchors that never close', async () => {
    const { parseHtmlPage } = await import('../../src/registry/page.js');
    const page = (n: number) => `<a href="a-1.0.tar.gz">a-1.0.tar.gz</a>${'<a href="x">'.repeat(n)}`;
    const parse = (text: string) => parseHtmlPage(text, 'https://i.example/simple/a/', 'a');
    expect(parse(page(40_000)).files).toHaveLength(1);
    expect(await linearGrowth(page, parse, 40_000)).toBeLessThan(3);
  });
});
