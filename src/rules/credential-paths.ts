import { firstMatching, severityFor, stringMessage } from './context.js';
import type { Rule, RuleHit } from './types.js';

// Secrets only a stealer wants (browser logins, tokens, wallets) weigh more than paths that tools and docs
// mention for good reasons (~/.ssh, ~/.aws/credentials, /etc/passwd).
const STRONG: [string, RegExp][] = [
  ['browser saved logins', /Login Data|Web Data\b/],
  ['browser key store', /Local State\b/],
  ['browser cookies', /[\\/]Network[\\/]Cookies|cookies\.sqlite/i],
  [
    'browser profile',
    /(Chrome|Edge|Brave-Browser|Chromium|Yandex[\\/]+YandexBrowser)[\\/]+User Data|Opera Software[\\/]+Opera (GX )?Stable|Firefox[\\/]+Profiles/i,
  ],
  ['Discord token store', /discord(canary|ptb)?[\\/]+Local Storage[\\/]+leveldb|Local Storage[\\/]+leveldb/i],
  [
    'crypto wallet',
    // Wallet names that are also words or surnames (Guarda, Armory) count only as a path segment.
    /\b(Exodus[\\/]+exodus\.wallet|Electrum[\\/]+wallets|Atomic[\\/]+Local Storage|Bitcoin[\\/]+wallets|wallet\.dat|nkbihfbeogaeaoehlefnkodbefgpgknn)\b|[\\/](Coinomi|Guarda|Jaxx|Armory)([\\/]|$)/i,
  ],
  ['Telegram session', /Telegram Desktop[\\/]+tdata/],
];
const WEAK: [string, RegExp][] = [
  ['SSH keys', /\.ssh[\\/]+(id_\w+|authorized_keys)/],
  [
    'cloud credentials',
    /\.aws[\\/]+credentials|\.azure[\\/]+accessTokens|gcloud[\\/]+credentials\.db|\.kube[\\/]+config|\.docker[\\/]+config\.json/,
  ],
  ['package index credentials', /\.pypirc|\.npmrc|\.git-credentials/],
  ['system password file', /^\/etc\/(passwd|shadow)$/],
];
/** The first strong pattern that matches, else the first weak one. */
const findPath = firstMatching([...STRONG, ...WEAK]);

export const credentialPaths: Rule = {
  id: 'credential-paths',
  category: 'credentials',
  severity: 'critical',
  description:
    'Mentions where browsers, Discord, Telegram, crypto wallets, SSH, cloud tools or package indexes keep secrets.',
  rationale: 'Info-stealers read saved passwords, cookies, tokens and wallets from these well-known paths.',
  check: (file) => {
    const hits: RuleHit[] = [];
    const strong = { install: 'critical', import: 'high', runtime: 'high', test: 'medium' } as const;
    const weak = { install: 'high', import: 'medium', runtime: 'low', test: 'low' } as const;
    for (const s of file.strings) {
      const found = findPath(s.value);
      if (!found) continue;
      hits.push({
        line: s.line,
        role: s.role,
        severity: severityFor(s.role, STRONG.includes(found) ? strong : weak),
        message: stringMessage(s, found[0]),
      });
    }
    return hits;
  },
};
