import { stringRule } from './context.js';
import { EXFIL_ENDPOINTS } from './indicator-patterns.js';

export const exfilEndpoint = stringRule({
  id: 'exfil-endpoint',
  category: 'indicator',
  description:
    'Contains a Discord/Slack webhook, a Telegram bot API URL, a paste site or a file-drop/tunnel service.',
  rationale: 'Stealers send their loot to webhooks and bots because they need no server of their own.',
  patterns: EXFIL_ENDPOINTS,
  severities: { install: 'critical', import: 'high', runtime: 'high', test: 'low' },
});
