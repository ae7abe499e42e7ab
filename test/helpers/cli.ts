// Runs the CLI's main() in-process with an injected io, capturing what it prints.
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Non-empty stdout lines. */
  lines: string[];
}

export async function runCli(
  argv: string[],
  cwd: string,
  env: Record<string, string> = {},
  extra: Partial<CliIO> = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    cwd,
    env,
    ...extra,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, lines: stdout.split('\n').filter((l) => l !== '') };
}
