import type { Command } from '../io.js';

export const lockfileCommand: Command = {
  summary: 'parse a lockfile and print its packages (--json)',
  async run(_args, io) {
    io.stderr('not implemented yet\n');
    return 2;
  },
};
