import { AFTER_INSTALL, callRule, NETWORK_CALL } from './context.js';

// A GET of PyPI's JSON API for a project, named in the call, with nothing else but a timeout: the update check
// tools run at start-up. The reply holds text the project's publisher writes (its description), so running it
// stays remote-command's finding; fetching it is no capability worth a medium hit.
const PYPI_RELEASES = /^f?(['"])https:\/\/pypi\.org\/pypi\/[^'"\s/]+(\/[^'"\s/]+)?\/json\/?\1$/;
const PYPI_GET = /^(requests|httpx|urllib\.request|urllib2)\.(get|urlopen)$/;

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
    PYPI_GET.test(c.name) &&
    PYPI_RELEASES.test(c.args[0]?.trim() ?? '') &&
    c.args.slice(1).every((a) => /^timeout\s*=/.test(a)),
});
