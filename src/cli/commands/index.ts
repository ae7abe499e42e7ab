// One line per subcommand. Each is loaded when it runs, not at start-up: the bundle embeds the model and
// the parser's wasm, and a CLI that only prints its version or a lockfile should not pay for them.
import type { Command } from '../io.js';

export interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

export const commands: Record<string, CommandEntry> = {
  lockfile: {
    summary: 'parse a lockfile and print its packages (--json)',
    load: async () => (await import('./lockfile.js')).lockfileCommand,
  },
  diff: {
    summary: 'packages added, changed and removed between two versions of a lockfile (--json)',
    load: async () => (await import('./diff.js')).diffCommand,
  },
  scan: {
    summary:
      "scan a project's pins (against --base, or all) or packages by name (requests==2.32.3); exit 1 on findings",
    load: async () => (await import('./scan.js')).scanCommand,
  },
  inspect: {
    summary: 'read archives (sdist, wheel; named anything) in memory and judge each (--json)',
    load: async () => (await import('./inspect.js')).inspectCommand,
  },
  fetch: {
    summary: 'download and verify the artifacts a scan would analyse for name==version (--out DIR)',
    load: async () => (await import('./fetch.js')).fetchCommand,
  },
  merge: {
    summary: 'combine the JSON reports or SARIF logs of several scans (shards, repositories) into one',
    load: async () => (await import('./merge.js')).mergeCommand,
  },
};
