// escape.ts against the runner's older command syntax and text that hides or reorders itself
// (issue 10, item 13): every output format shows bidi and zero-width characters as visible escapes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeAnnotation,
  escapeJsonInvisible,
  escapeLog,
  escapeMarkdown,
  escapeTerminal,
  escapeTerminalLine,
  inlineCode,
  showInvisible,
} from '../../src/report/escape.js';

const INVISIBLE =
  /[\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/u;
const hidden = 'requests\u202egnp.exe\u200b\u2066x\u{e0041}';

describe('the older ##[ command syntax', () => {
  it('is broken anywhere in a line, in log lines and annotation text', () => {
    for (const text of ['x##[stop-commands]token', '##[set-output name=a;]b', 'a ###[warning]b']) {
      expect(escapeLog(text)).not.toMatch(/##\[/);
      expect(escapeAnnotation(text)).not.toMatch(/##\[/);
    }
    expect(escapeLog('x##[stop-commands]token')).toBe('x##\\[stop-commands]token');
  });
  it('holds for any input, with :: and newlines', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const log = escapeLog(s);
        const note = escapeAnnotation(s);
        return !/##\[|::|\n|\r/.test(log) && !/##\[|::/.test(note);
      }),
    );
  });
});

describe('bidi and zero-width characters', () => {
  it('are shown as escapes in log lines, annotations, Markdown, code spans and terminal text', () => {
    for (const out of [
      escapeLog(hidden),
      escapeAnnotation(hidden),
      escapeMarkdown(hidden),
      inlineCode(hidden),
      escapeTerminal(hidden),
    ]) {
      expect(out).not.toMatch(INVISIBLE);
      expect(out).toMatch(/u202e/);
    }
    expect(showInvisible(hidden)).toBe('requests\\u202egnp.exe\\u200b\\u2066x\\u{e0041}');
  });

  it('include the unassigned code points of the tag block (U+E0000 was once let through)', () => {
    for (const c of ['\u{e0000}', '\u{e0002}', '\u{e001f}']) {
      expect(
        INVISIBLE.test(escapeJsonInvisible(JSON.stringify({ s: c }))),
        c.codePointAt(0)?.toString(16),
      ).toBe(false);
      expect(showInvisible(c)).toBe(`\\u{${c.codePointAt(0)?.toString(16)}}`);
    }
  });

  it('are written as JSON escapes in JSON documents, which still parse to the same data', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const json = escapeJsonInvisible(JSON.stringify({ s }));
        return !INVISIBLE.test(json) && JSON.parse(json).s === s;
      }),
    );
  });

  it('terminal text shows control characters (an ESC starts a terminal sequence) and keeps newlines', () => {
    expect(escapeTerminal('a\u001b[31mred\u0007\nb\tc')).toBe('a\\x1b[31mred\\x07\nb\tc');
  });

  it('a terminal field stays on its line: newline, return and tab shown as \\n, \\r, \\t', () => {
    expect(escapeTerminalLine('a\u001b[2J\nb\r\tc\u202e')).toBe('a\\x1b[2J\\nb\\r\\tc\\u202e');
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        (s) => !/[\u0000-\u001f\u007f-\u009f]/.test(escapeTerminalLine(s)),
      ),
    );
  });
});
