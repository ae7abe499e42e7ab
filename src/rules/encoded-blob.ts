import type { Rule, RuleHit } from './types.js';

// Long literals that are nothing but base64 or hex: packed payloads. Benign packages embed data too (icons,
// test vectors), so this is medium at most, and the decode-then-exec rules carry the severe verdicts.
const MIN_LENGTH = 1000;
const BASE64 = /^[A-Za-z0-9+/=_\-\s]+$/;
const HEX = /^(\\x)?[0-9a-fA-F\s]+$/;

export const encodedBlob: Rule = {
  id: 'encoded-blob',
  category: 'encoding',
  severity: 'medium',
  description: 'Contains a string literal of 1,000+ characters that is entirely base64 or hex.',
  rationale: 'Malware carries its real code or a binary as an encoded blob that is decoded and run later.',
  check: (file) => {
    const hits: RuleHit[] = [];
    for (const s of file.strings) {
      if (s.length < MIN_LENGTH) continue;
      const sample = s.value.length > 20000 ? s.value.slice(0, 20000) : s.value;
      const kind = HEX.test(sample)
        ? 'hex'
        : BASE64.test(sample) && /[A-Z]/.test(sample) && /\d/.test(sample)
          ? 'base64'
          : undefined;
      if (!kind) continue;
      hits.push({
        line: s.line,
        role: s.role,
        snippet: s.raw,
        severity: s.role === 'test' || s.role === 'runtime' ? 'low' : 'medium',
        message: `${s.length}-character ${kind} literal`,
      });
    }
    return hits;
  },
};
