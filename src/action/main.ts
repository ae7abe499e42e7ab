// Action entry point (dist/index.js). Thin: nothing but run() and turning exceptions into one failure.
import * as core from '@actions/core';
import { ConfigurationError } from '../config.js';
import { escapeAnnotation } from '../report/escape.js';
import { run } from './run.js';
import { engineFactory } from './stages.js';

export async function runWrapper(): Promise<void> {
  try {
    await run(engineFactory({ onNotice: (message) => core.notice(escapeAnnotation(message)) }));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    core.setFailed(
      escapeAnnotation(
        err instanceof ConfigurationError
          ? `configuration error: ${message}`
          : `pypi-malware-gate failed: ${message}`,
      ),
    );
  }
}

await runWrapper();
