import { callRule, PROCESS_CALL } from './context.js';

export const installTimeProcess = callRule({
  id: 'install-time-process',
  category: 'install-hook',
  description:
    'Starts another program while the package is being installed (setup.py top level, a cmdclass run(), a .pth line).',
  rationale:
    "Code in setup.py runs with the installing user's rights before anyone can review the package; malware uses it to launch its payload.",
  pattern: PROCESS_CALL,
  roles: ['install'],
  severities: { install: 'high', import: 'high', runtime: 'high', test: 'high' },
  message: (c) => `runs a process with ${c.name} during installation`,
});
