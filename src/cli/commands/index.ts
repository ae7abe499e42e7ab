// One line per subcommand.
import type { Command } from '../io.js';
import { diffCommand } from './diff.js';
import { featuresCommand } from './features.js';
import { fetchCommand } from './fetch.js';
import { inspectCommand } from './inspect.js';
import { lockfileCommand } from './lockfile.js';
import { scanCommand } from './scan.js';

export const commands: Record<string, Command> = {
  lockfile: lockfileCommand,
  diff: diffCommand,
  scan: scanCommand,
  inspect: inspectCommand,
  fetch: fetchCommand,
  features: featuresCommand,
};
