import type { Rule, RuleHit } from './types.js';
import { firstMatching, severityFor } from './context.js';
import { rawIpIsLocal, SUSPICIOUS_URLS } from './indicator-patterns.js';

const findUrl = firstMatching(SUSPICIOUS_URLS);

export const suspiciousUrl: Rule = {
  id: 'suspicious-url',
  category: 'indicator',
  severity: 'medium',
  description:
    'Contains a URL to a raw public IP address, behind a URL shortener, or to an executable over plain HTTP.',
  rationale:
    'Payload servers are often bare IPs or hidden behind shorteners; plain-HTTP executables can be swapped in transit.',
  check: (file) => {
    const hits: RuleHit[] = [];
    const table = { install: 'high', import: 'medium', runtime: 'low', test: 'low' } as const;
    for (const s of file.strings) {
      const found = findUrl(s.value);
      if (!found || (found[0].includes('raw IP') && rawIpIsLocal(s.value))) continue;
      hits.push({ line: s.line, role: s.role, severity: severityFor(s.role, table), message: found[0] });
    }
    return hits;
  },
};
