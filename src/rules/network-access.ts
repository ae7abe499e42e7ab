import { AFTER_INSTALL, callRule, NETWORK_CALL } from './context.js';

export const networkAccess = callRule({
  id: 'network-access',
  category: 'network',
  description:
    'Opens a network connection (sockets, urllib, requests, http.client, httpx, aiohttp, ftp, smtp, DNS) at import or run time.',
  rationale:
    'Stealers send what they collect and droppers fetch payloads; at import time this happens as soon as the package is used.',
  pattern: NETWORK_CALL,
  ...AFTER_INSTALL,
  message: (c) => `network access with ${c.name}`,
});
