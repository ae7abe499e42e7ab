// The only place action inputs are read, one per SETTINGS entry (src/config.ts). Empty means "not set":
// action.yml declares no defaults, so the config file and then the schema's defaults apply.
import * as core from '@actions/core';
import { type RawSettings, SETTINGS } from '../config.js';

export function readInputs(): { settings: RawSettings; githubToken: string } {
  const settings: RawSettings = {};
  for (const [key, { input }] of Object.entries(SETTINGS))
    settings[key as keyof RawSettings] = core.getInput(input);
  if (settings.indexToken) core.setSecret(settings.indexToken);
  return { settings, githubToken: core.getInput('github-token') };
}
