// CLI entry point: argv -> one subcommand -> exit status. main() runs only when this file is the program
// (node dist/cli.js, or the npm bin symlink), so tests can import main() without side effects.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { PACKAGE_VERSION } from '../version.js';
import { commands } from './commands/index.js';
import { CliError, type CliIO } from './io.js';

const USAGE = `usage: pypi-malware-gate <command> [options]

commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run 'pypi-malware-gate <command> --help' for a command's options.`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    io.stdout(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.stdout(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr(`pypi-malware-gate: unknown command '${name}'\n${USAGE}\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr(`pypi-malware-gate ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

// A reader that goes away (`lockfile --json | head`) is no error: further output is dropped, the command
// finishes and exits with its own status instead of dying on an unhandled EPIPE.
let stdoutClosed = false;

const io: CliIO = {
  stdout: (s) => {
    if (!stdoutClosed) process.stdout.write(s);
  },
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
};

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    stdoutClosed = true;
  });
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `pypi-malware-gate: internal error: ${err instanceof Error ? err.stack : String(err)}\n`,
      );
      process.exitCode = 3;
    },
  );
}
