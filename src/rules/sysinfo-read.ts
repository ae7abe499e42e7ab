import { callRule } from './context.js';

export const sysinfoRead = callRule({
  id: 'sysinfo-read',
  category: 'sysinfo',
  description: 'Reads the user name, host name, platform details, MAC address or environment.',
  rationale:
    'Stealers fingerprint the victim and send it home; alone it is common and weak, at install time it is suspicious.',
  pattern:
    /^(getpass\.getuser|os\.getlogin|socket\.gethostname|platform\.(node|uname|platform|system|release|version|processor|machine)|uuid\.getnode|os\.uname|os\.getenv|os\.environ\.get|os\.environ\.copy|os\.environ\.items)$/,
  roles: ['install', 'import', 'runtime', 'test'],
  severities: { install: 'medium', import: 'low', runtime: 'low', test: 'low' },
  message: (c) => `reads system information with ${c.name}`,
});
