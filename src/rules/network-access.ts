import { AFTER_INSTALL, callRule, NETWORK_CALL } from './context.js';

// PyPI's JSON API for a project's releases, named in the call: the update check tools run at start-up. The
// reply can only say which versions exist; running it would be remote-command's finding, not this one's.
const PYPI_RELEASES = /^f?(['"])https:\/\/pypi\.org\/pypi\/[^'"\s/]+(\/[^'"\s/]+)?\/json\/?\1$/;

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
  lowered: (c) =>
    /^(requests|httpx|urllib\.request|urllib2)\.(get|urlopen)$/.test(c.name) &&
    PYPI_RELEASES.test(c.args[0]?.trim() ?? ''),
});
