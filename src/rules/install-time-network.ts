import { callRule, NETWORK_CALL } from './context.js';

export const installTimeNetwork = callRule({
  id: 'install-time-network',
  category: 'install-hook',
  description: 'Opens a network connection while the package is being installed.',
  rationale:
    'A legitimate setup.py rarely talks to the network itself; malware uses install time to fetch a payload or report a victim.',
  pattern: NETWORK_CALL,
  roles: ['install'],
  severities: { install: 'high', import: 'high', runtime: 'high', test: 'high' },
  message: (c) => `network access with ${c.name} during installation`,
});
