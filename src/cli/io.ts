/** What a CLI command may touch: injected so commands can be tested without a process. */
export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (progress lines are shown there by default). */
  stderrIsTTY?: boolean;
}

export interface Command {
  run(args: string[], io: CliIO): Promise<number>;
}

/** A user mistake (bad flag, missing file): printed as one line, exit code 2 unless said otherwise. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
