import { AFTER_INSTALL, callRule, PROCESS_CALL } from './context.js';

export const processExecution = callRule({
  id: 'process-execution',
  category: 'process',
  description:
    'Starts another program (subprocess, os.system, os.exec*/spawn*, pty.spawn) at import time or at run time.',
  rationale:
    'Droppers run the payload they fetched or wrote; many packages also run tools legitimately, so this alone is weak.',
  pattern: PROCESS_CALL,
  ...AFTER_INSTALL,
  message: (c) => `runs a process with ${c.name}`,
});
