// One line per subcommand.
import type { Command } from '../io.js';
import { diffCommand } from './diff.js';
import { fetchCommand } from './fetch.js';
import { lockfileCommand } from './lockfile.js';
import { scanCommand } from './scan.js';

export const commands: Record<string, Command> = {
  lockfile: lockfileCommand,
  diff: diffCommand,
  scan: scanCommand,
  fetch: fetchCommand,
};
