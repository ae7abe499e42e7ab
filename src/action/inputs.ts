// The only place action inputs are read. Empty means "not set": src/config.ts applies the defaults.
import * as core from '@actions/core';
import type { RawSettings } from '../config.js';

export function readInputs(): RawSettings & { configFile: string; githubToken: string } {
  const get = (name: string) => core.getInput(name);
  const token = get('index-token');
  if (token) core.setSecret(token);
  return {
    lockfiles: get('lockfiles'),
    mode: get('mode'),
    baseRef: get('base-ref'),
    headRef: get('head-ref'),
    failOn: get('fail-on'),
    comment: get('comment'),
    indexUrl: get('index-url'),
    extraIndexUrls: get('extra-index-urls'),
    indexToken: token,
    sarifFile: get('sarif-file'),
    maxArtifactMb: get('max-artifact-mb'),
    cache: get('cache'),
    auditIssue: get('audit-issue'),
    osv: get('osv'),
    osvUrl: get('osv-url'),
    configFile: get('config-file') || '.github/pypi-malware-gate.yml',
    githubToken: get('github-token'),
  };
}
