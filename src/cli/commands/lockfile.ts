import { FORMATS } from '../../lockfiles/index.js';
import { parseLockfileFromDisk } from '../../lockfiles/read.js';
import type { LockfileFormat, LockfileResult } from '../../types.js';
import { parseCommandLine } from '../args.js';
import { CliError, type Command } from '../io.js';

const FORMAT_IDS = FORMATS.map((f) => f.id);

/** --format value checked against the registry; undefined when not given. */
export function formatOption(value: string | undefined): LockfileFormat | undefined {
  if (value === undefined) return undefined;
  if (!FORMAT_IDS.includes(value as LockfileFormat)) {
    throw new CliError(`unknown --format '${value}' (one of: ${FORMAT_IDS.join(', ')})`);
  }
  return value as LockfileFormat;
}

/** Issues as 'file:line: kind: message' lines for stderr. */
export function issueLines(result: LockfileResult): string {
  if (result.status === 'error' && result.issues.length === 0) return `${result.error}\n`;
  return result.issues
    .map(
      (i) =>
        `${i.file}${i.line ? `:${i.line}` : ''}: ${i.kind === 'error' ? 'error' : 'skipped'}: ${i.message}\n`,
    )
    .join('');
}

export function hasErrors(result: LockfileResult): boolean {
  return result.status === 'error' || result.issues.some((i) => i.kind === 'error');
}

const USAGE = `usage: pypi-malware-gate lockfile <file> [--format ${FORMAT_IDS.join('|')}] [--json]`;

export const lockfileCommand: Command = {
  async run(args, io) {
    const { values, positionals } = parseCli(args, USAGE);
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new CliError(`expected one file\n${USAGE}`);
    const result = parseLockfileFromDisk(positionals[0]!, io.cwd, {
      format: formatOption(values.format),
      env: io.env,
    });
    io.stderr(issueLines(result));
    if (values.json) io.stdout(`${JSON.stringify(result.packages, null, 2)}\n`);
    else io.stdout(table(result));
    return hasErrors(result) ? 1 : 0;
  },
};

export function parseCli(args: string[], usage: string) {
  return parseCommandLine(
    {
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    usage,
  );
}

/** A readable listing: name, version (or specifier / direct reference), file:line. */
function table(result: LockfileResult): string {
  const rows = result.packages.map((p) => [
    p.name,
    p.version ?? (p.url ? `${p.source} ${p.url}` : p.specifier || '(any)'),
    `${p.file}:${p.line}`,
  ]);
  const widths = [0, 1].map((c) => Math.max(c === 0 ? 4 : 7, ...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`.trimEnd();
  return [
    fmt(['name', 'version', 'line']),
    ...rows.map(fmt),
    `${rows.length} package(s), format ${result.format}`,
  ]
    .map((l) => `${l}\n`)
    .join('');
}
