// All escaping of untrusted text (package names, file names, snippets, messages) happens here and
// nowhere else. Hand-written: GitHub-flavoured Markdown has no maintained escaper that also covers
// @mentions, auto-links and workflow commands.

const ZWJ = '\u200d';

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
  const oneLine = text.replace(/\r\n|\r|\n/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
  // Order matters: break links first, then Markdown punctuation, then the HTML characters (whose
  // entities must not be Markdown-escaped afterwards).
  const md = defuse(oneLine).replace(/[\\`*_{}[\]()#+\-.!|~]/g, (c) => `\\${c}`);
  return md.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Untrusted text as an inline code span: the fence is one backtick longer than the longest run inside,
 * padded with spaces so leading or trailing backticks cannot merge with it. Pipes are escaped for tables
 * (GitHub honours `\|` inside code spans in tables). Newlines become spaces.
 */
export function inlineCode(text: string, inTable = true): string {
  let body = text.replace(/\r\n|\r|\n/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
  if (inTable) body = body.replace(/\|/g, '\\|');
  if (body.trim() === '') body = `${body} `;
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${body} ${fence}`;
}

/**
 * Untrusted text for a log line: no line may start a `::` workflow command, and no newline may start a
 * new one. Uses the same percent-encoding the runner's command parser decodes (%, CR, LF), and breaks
 * `::` everywhere so the text is inert even when it is not at line start.
 */
export function escapeLog(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/::/g, `:${ZWJ}:`);
}

/** A URL from the index is only linked when it is plain http(s); everything else is shown as code. */
export function safeLink(label: string, url: string | undefined): string {
  if (!url || !/^https?:\/\/[^\s<>()"'`]+$/i.test(url)) return escapeMarkdown(label);
  return `[${escapeMarkdown(label)}](${url.replace(/\)/g, '%29')})`;
}
