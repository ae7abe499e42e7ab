import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeLog, escapeMarkdown, inlineCode, safeLink } from '../../src/report/escape.js';

const hostile =
  '</details><img src=x onerror=alert(1)> @org/team ` | [x](http://evil.com) ::error::boom\n## h';

describe('escapeMarkdown', () => {
  const out = escapeMarkdown(hostile);
  it('leaves no raw HTML', () => {
    expect(out).not.toMatch(/[<>]/);
  });
  it('breaks mentions and links', () => {
    expect(out).not.toMatch(/@org/);
    expect(out).not.toMatch(/http:\/\//);
    expect(out).not.toMatch(/\]\(/);
  });
  it('keeps one line and escapes pipes and backticks', () => {
    expect(out).not.toMatch(/\n/);
    expect(out).not.toMatch(/(^|[^\\])\|/);
    expect(out).not.toMatch(/(^|[^\\])`/);
  });
  it('never yields an unescaped pipe or newline for any input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const e = escapeMarkdown(s);
        return !/\n/.test(e) && !/(^|[^\\])\|/.test(e) && !/[<>]/.test(e);
      }),
    );
  });
});

describe('inlineCode', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(inlineCode('a``b')).toBe('``` a``b ```');
    expect(inlineCode('`')).toBe('`` ` ``');
  });
  it('escapes pipes for tables and flattens newlines', () => {
    expect(inlineCode('a|b\nc')).toBe('` a\\|b c `');
  });
  it('never lets the content close the span early', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const code = inlineCode(s);
        const fence = /^`+/.exec(code)![0];
        const inner = code.slice(fence.length, code.length - fence.length);
        return !inner.includes(fence) && code.endsWith(fence);
      }),
    );
  });
});

describe('escapeLog', () => {
  it('cannot start a workflow command on any line', () => {
    const out = escapeLog('x\n::error file=a::pwned\r\n::set-output name=a::b');
    expect(out.split(/\r?\n/)).toHaveLength(1);
    expect(out).not.toMatch(/::/);
  });
  it('holds for any input', () => {
    fc.assert(fc.property(fc.string(), (s) => !/::|\n|\r/.test(escapeLog(s))));
  });
});

describe('escapeHtml / safeLink', () => {
  it('escapes tags and quotes', () => {
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  });
  it('links only plain http(s) URLs', () => {
    expect(safeLink('pkg', 'https://pypi.org/project/pkg/1.0/')).toBe(
      '[pkg](https://pypi.org/project/pkg/1.0/)',
    );
    expect(safeLink('pkg', 'javascript:alert(1)')).toBe('pkg');
  });
});
