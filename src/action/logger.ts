// The engine's Logger as workflow commands: every message escaped here (src/report/escape.ts), so text
// from a lockfile or a package can neither start a command nor hide itself.
import * as core from '@actions/core';
import type { Logger } from '../engine/logger.js';
import { escapeAnnotation, escapeLog } from '../report/escape.js';

export function actionLogger(): Logger {
  return {
    info: (message) => core.info(escapeLog(message)),
    warning: (message, where) =>
      core.warning(escapeAnnotation(message), {
        title: where?.title === undefined ? undefined : escapeAnnotation(where.title),
        file: where?.file === undefined ? undefined : escapeAnnotation(where.file),
        startLine: where?.line,
      }),
    startGroup: (title) => core.startGroup(escapeLog(title)),
    endGroup: () => core.endGroup(),
  };
}
