// All escaping of untrusted text (package names, file names, snippets, messages) happens here and
// nowhere else. Hand-written: GitHub-flavoured Markdown has no maintained escaper that also covers
// @mentions, auto-links and workflow commands.

const ZWJ = '\u200d';

/**
 * Characters that change how text is shown without showing themselves: bidi embeddings, overrides and
 * isolates (Trojan Source), zero-width spaces and joiners, the BOM, invisible operators, tag characters
 * (all of Unicode's "format" category), and the line and paragraph separators. The whole tag block is listed
 * too: its unassigned code points (U+E0000, U+E0002-U+E001F) are not "format" but render as nothing all the
 * same (a property test found U+E0000 passing through).
 */
const INVISIBLE = /[\p{Cf}\u2028\u2029\u{e0000}-\u{e007f}]/gu;

const codePointEscape = (c: string): string => {
  const cp = c.codePointAt(0)!;
  return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
};

/** Untrusted text with every invisible or reordering character shown as a visible escape (`\u202e`). */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, codePointEscape);
}

/**
 * A JSON document (the JSON report, SARIF) with invisible characters written as JSON escapes: the parsed
 * data is unchanged, but a reader of the file sees `\u202e` instead of reordered text. Outside strings JSON
 * has no such characters, so the whole text can be rewritten.
 */
export function escapeJsonInvisible(json: string): string {
  return json.replace(INVISIBLE, (c) =>
    Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(
      '',
    ),
  );
}

/**
 * Untrusted text for a terminal (the CLI's text output and progress lines): control characters other
 * than newline and tab (an ESC would start a terminal escape sequence) as `\xNN`, invisible characters
 * as `\uNNNN`.
 */
export function escapeTerminal(text: string): string {
  return showInvisible(text).replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

const LINE_BREAKS: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * One field of untrusted text on one terminal line (a name, a snippet, an index message): as escapeTerminal,
 * with newline, carriage return and tab shown as \n, \r, \t so the field cannot start a line of its own.
 */
export function escapeTerminalLine(text: string): string {
  return escapeTerminal(text.replace(/[\n\r\t]/g, (c) => LINE_BREAKS[c]!));
}

/** HTML-escape the characters that open tags or entities. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Break what GitHub would turn into a link or a notification: @mentions, #refs, URLs, bare domains. */
function defuse(text: string): string {
  return text
    .replace(/@/g, `@${ZWJ}`)
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(/\b(www)\./gi, `$1${ZWJ}.`)
    .replace(/\.([a-z]{2,})\b/gi, `${ZWJ}.$1`);
}

/**
 * Untrusted text as inline Markdown (table cells, list items): one line, no HTML, no Markdown syntax,
 * no mentions or links.
 */
export function escapeMarkdown(text: string): string {
  const oneLine = showInvisible(text)
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
  // Order matters: break links first, then Markdown punctuation, then the HTML characters (whose
  // entities must not be Markdown-escaped afterwards).
  const md = defuse(oneLine).replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`);
  return md.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * What GitHub would turn into a link or a notification: a URL, a www. or dotted name (a domain, and file
 * names like setup.py, which GitHub links when the extension is a TLD), an @mention, a #ref.
 */
const LINKY = /[a-z][a-z0-9+.-]*:\/\/\S+|www\.\S+|@[\w-]+(?:\/[\w.-]+)?|#\d+|[^\s@]*\.[a-z]{2,}\b\S*/gi;

/**
 * Untrusted prose as inline Markdown without invisible characters (the PR comment): what would link or
 * mention is put in a code span (rendered and copied exactly as written, never linked), the rest is
 * escaped as escapeMarkdown does. One line; pipes escaped for tables.
 */
export function markdownProse(text: string): string {
  const oneLine = showInvisible(text)
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
  let out = '';
  let last = 0;
  for (const m of oneLine.matchAll(LINKY)) {
    // Sentence punctuation after a name stays outside its code span.
    let token = m[0];
    for (let prev = ''; prev !== token; ) {
      prev = token;
      token = token.replace(/[:;,.]+$/, '');
      // A closing parenthesis belongs to the sentence unless the token opened it: getuser() keeps its own.
      const open = token.split('(').length;
      if (token.endsWith(')') && token.split(')').length > open) token = token.slice(0, -1);
    }
    out += plainMarkdown(oneLine.slice(last, m.index));
    out += inlineCode(token);
    last = m.index + token.length;
  }
  return out + plainMarkdown(oneLine.slice(last));
}

/** Markdown punctuation and HTML characters escaped (text known to hold no link, mention or newline). */
function plainMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;');
}

/**
 * Untrusted text as an inline code span: the fence is one backtick longer than the longest run inside,
 * padded with spaces so leading or trailing backticks cannot merge with it. Pipes are escaped for tables
 * (GitHub honours `\|` inside code spans in tables). Newlines become spaces.
 */
export function inlineCode(text: string, inTable = true): string {
  let body = showInvisible(text)
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
  if (inTable) body = body.replace(/\|/g, '\\|');
  if (body.trim() === '') body = `${body} `;
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${body} ${fence}`;
}

/**
 * Break the runner's workflow commands inside untrusted text: `::` (the current syntax, honoured at the
 * start of a line) everywhere, and the older `##[` syntax, which the runner finds anywhere in a line
 * (`x##[stop-commands]token` would silence every later annotation). Invisible characters are shown.
 */
function neutraliseCommands(text: string): string {
  return showInvisible(text).replace(/##\[/g, '##\\[').replace(/::/g, `:${ZWJ}:`);
}

/**
 * Untrusted text for a log line: no line may start a `::` workflow command, no `##[` command may appear,
 * and no newline may start a new line. Uses the same percent-encoding the runner's command parser decodes
 * (%, CR, LF).
 */
export function escapeLog(text: string): string {
  return neutraliseCommands(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/**
 * Untrusted text for an annotation's message or property (core.error / core.warning percent-encode
 * CR, LF and % themselves, and `:` `,` in properties): the commands broken, invisible characters shown.
 */
export function escapeAnnotation(text: string): string {
  return neutraliseCommands(text);
}

/** A URL from the index is only linked when it is plain http(s); everything else is shown as code. */
export function safeLink(label: string, url: string | undefined): string {
  if (!url || !/^https?:\/\/[^\s<>()"'`]+$/i.test(url)) return escapeMarkdown(label);
  return `[${escapeMarkdown(label)}](${url.replace(/\)/g, '%29')})`;
}
