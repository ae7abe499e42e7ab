import { stringRule } from './context.js';

export const credentialPaths = stringRule({
  id: 'credential-paths',
  category: 'credentials',
  description: 'Mentions where browsers, Discord, SSH, cloud tools or crypto wallets keep secrets.',
  rationale: 'Info-stealers read saved passwords, cookies, tokens and wallets from these well-known paths.',
  patterns: [
    ['browser saved logins', /Login Data|Web Data\b/],
    ['browser key store', /Local State\b/],
    [
      'browser cookies',
      /[\\/]Network[\\/]Cookies|[\\/]Cookies\b.*(Chrome|Edge|Brave|Opera)|cookies\.sqlite/i,
    ],
    [
      'browser profile',
      /Google[\\/]+Chrome[\\/]+User Data|Microsoft[\\/]+Edge[\\/]+User Data|BraveSoftware|Opera Software|Mozilla[\\/]+Firefox[\\/]+Profiles/i,
    ],
    ['Discord token store', /discord(canary|ptb)?[\\/]+Local Storage[\\/]+leveldb|[\\/]leveldb\b/i],
    ['SSH keys', /\.ssh[\\/]+(id_\w+|known_hosts|authorized_keys)|[\\/~]\.ssh\b/],
    [
      'cloud credentials',
      /\.aws[\\/]+credentials|\.azure[\\/]|gcloud[\\/]+credentials|\.kube[\\/]+config|\.docker[\\/]+config\.json/,
    ],
    ['package index credentials', /\.pypirc|\.npmrc|\.git-credentials|\.netrc\b/],
    [
      'crypto wallet',
      /\b(Exodus|Electrum|Atomic Wallet|MetaMask|Coinomi|Guarda|Jaxx|Armory|Bitcoin[\\/]+wallets|wallet\.dat)\b/i,
    ],
    ['Telegram session', /Telegram Desktop[\\/]+tdata|[\\/]tdata\b/],
    ['system password file', /^\/etc\/(passwd|shadow)$/],
  ],
  severities: { install: 'critical', import: 'high', runtime: 'high', test: 'medium' },
});
