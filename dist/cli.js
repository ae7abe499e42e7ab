#!/usr/bin/env node
import { createRequire as __pmgCreateRequire } from 'node:module'; const require = __pmgCreateRequire(import.meta.url);

// src/cli/commands/lockfile.ts
var lockfileCommand = {
  summary: "parse a lockfile and print its packages (--json)",
  async run(_args, io2) {
    io2.stderr("not implemented yet\n");
    return 2;
  }
};

// src/cli/commands/index.ts
var commands = {
  lockfile: lockfileCommand
};

// src/cli/io.ts
var CliError = class extends Error {
  constructor(message, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
  exitCode;
};

// src/cli/main.ts
var USAGE = `usage: pypi-malware-gate <command> [options]

commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join("\n")}

Run 'pypi-malware-gate <command> --help' for a command's options.`;
async function main(argv, io2) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h") {
    io2.stdout(`${USAGE}
`);
    return name ? 0 : 2;
  }
  if (name === "--version") {
    io2.stdout(`${process.env.PMG_VERSION ?? "0.1.0"}
`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io2.stderr(`pypi-malware-gate: unknown command '${name}'
${USAGE}
`);
    return 2;
  }
  try {
    return await command.run(rest, io2);
  } catch (err) {
    if (err instanceof CliError) {
      io2.stderr(`pypi-malware-gate ${name}: ${err.message}
`);
      return err.exitCode;
    }
    throw err;
  }
}
var io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  env: process.env
};
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`pypi-malware-gate: internal error: ${err instanceof Error ? err.stack : String(err)}
`);
    process.exitCode = 3;
  }
);
export {
  main
};
