// Regex-level indicator checks for non-Python text files: shell, batch, PowerShell, VBScript, JavaScript.
import type { Evidence } from '../types.js';
import { EXFIL_ENDPOINTS, rawIpIsLocal, SUSPICIOUS_URLS } from './indicator-patterns.js';
import type { TextRule } from './types.js';

const SCRIPT = /\.(sh|bash|zsh|bat|cmd|ps1|psm1|vbs|js|mjs|cjs)$/i;
const isScript = (path: string) => SCRIPT.test(path);

function lineHits(text: string, pattern: RegExp, message: (m: RegExpExecArray) => string) {
  const hits: { line: number; message?: string }[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const m = pattern.exec(line.length > 10000 ? line.slice(0, 10000) : line);
    if (m) hits.push({ line: index + 1, message: message(m) });
  });
  return hits;
}

export const TEXT_RULES: TextRule[] = [
  {
    id: 'script-download-execute',
    category: 'dynamic-code',
    severity: 'critical',
    description:
      'A script pipes a download into a shell or runs downloaded code (curl|sh, IEX DownloadString, certutil -urlcache).',
    rationale:
      'Shipping a script that fetches and runs a second stage is a dropper, whatever language it is in.',
    applies: isScript,
    check: (text) =>
      lineHits(
        text,
        /\b(curl|wget)\b[^|\n]*\|\s*(sudo\s+)?(ba|z)?sh\b|\b(IEX|Invoke-Expression)\b.*\b(DownloadString|Invoke-WebRequest|iwr)\b|\bDownloadString\b.*\|\s*IEX|certutil(\.exe)?\s+-urlcache|bitsadmin\s+\/transfer|mshta\s+https?:/i,
        (m) => `downloads and runs: ${m[0].slice(0, 80)}`,
      ),
  },
  {
    id: 'script-encoded-command',
    category: 'obfuscation',
    severity: 'high',
    description: 'Runs PowerShell with an encoded command, or decodes base64 straight into a shell.',
    rationale: 'Encoded commands hide what a script does from anyone reading it.',
    applies: isScript,
    check: (text) =>
      lineHits(
        text,
        /powershell(\.exe)?\b.*\s-(e|en|enc|encodedcommand)\s+[A-Za-z0-9+/=]{20,}|base64\s+(-d|--decode)\b[^|\n]*\|\s*(ba)?sh\b|FromBase64String\(.*\)\s*\)?\s*\|\s*IEX/i,
        () => 'encoded command',
      ),
  },
  {
    id: 'script-exfil-endpoint',
    category: 'indicator',
    severity: 'high',
    description: 'A script contains a webhook, Telegram bot URL, paste site or file-drop service.',
    rationale: 'The same exfiltration channels Python stealers use, shipped in a helper script.',
    applies: isScript,
    check: (text) =>
      EXFIL_ENDPOINTS.flatMap(([label, pattern]) => lineHits(text, pattern, () => label)).sort(
        (a, b) => a.line - b.line,
      ),
  },
  {
    id: 'script-suspicious-url',
    category: 'indicator',
    severity: 'medium',
    description:
      'A script contains a URL to a raw public IP, a URL shortener, or an executable over plain HTTP.',
    rationale: 'Payload servers are often bare IPs or hidden behind shorteners.',
    applies: isScript,
    check: (text) =>
      firstPatternPerLine(
        text,
        SUSPICIOUS_URLS,
        (label, line) => !(label.includes('raw IP') && rawIpIsLocal(line)),
      ),
  },
];

/** One hit per line: the first labelled pattern that matches and is accepted. */
function firstPatternPerLine(
  text: string,
  patterns: readonly [string, RegExp][],
  accept: (label: string, line: string) => boolean,
): { line: number; message: string }[] {
  const hits: { line: number; message: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.length > 10000 ? raw.slice(0, 10000) : raw;
    const found = patterns.find(([label, pattern]) => pattern.test(line) && accept(label, line));
    if (found) hits.push({ line: index + 1, message: found[0] });
  });
  return hits;
}

const cut = (s: string) => (s.length > 200 ? s.slice(0, 200) : s);

/**
 * Indicator checks for a non-Python text file, or with `anyPath` for any text (a Python file too large to
 * parse still gets these line-level checks); never throws.
 */
export function runTextRules(path: string, text: string, anyPath = false): Evidence[] {
  const lines = text.split(/\r?\n/);
  const evidence: Evidence[] = [];
  for (const rule of TEXT_RULES) {
    if (!anyPath && !rule.applies(path)) continue;
    for (const hit of rule.check(text)) {
      const item: Evidence = {
        rule: rule.id,
        category: rule.category,
        severity: rule.severity,
        path,
        line: hit.line,
        snippet: cut((lines[hit.line - 1] ?? '').trim()),
      };
      if (hit.message) item.message = hit.message;
      evidence.push(item);
    }
  }
  return evidence;
}
