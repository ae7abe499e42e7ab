// What the engine says while it runs, behind one small interface: the action writes it as workflow
// commands (src/action/logger.ts), the CLI as plain lines on stderr. Messages are raw; each logger escapes.

export interface LogLocation {
  title?: string;
  file?: string;
  line?: number;
}

export interface Logger {
  info(message: string): void;
  warning(message: string, where?: LogLocation): void;
  /** A collapsible group (a log group on the runner); the CLI prints the title as a heading. */
  startGroup(title: string): void;
  endGroup(): void;
}

/** A logger that keeps every line, for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
    startGroup: (t) => lines.push(`group: ${t}`),
    endGroup: () => lines.push('endgroup'),
  };
}
