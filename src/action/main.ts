// Action entry point (dist/index.js). Thin: read inputs, run, report. Filled in by the action issue.
import * as core from '@actions/core';

export async function run(): Promise<void> {
  core.info('pypi-malware-gate: the action is not wired up yet');
}

export async function runWrapper(): Promise<void> {
  try {
    await run();
  } catch (err) {
    core.setFailed(`pypi-malware-gate failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

await runWrapper();
