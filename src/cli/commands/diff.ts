import { describeChange, diffPackages } from '../../lockfiles/index.js';
import { parseLockfileFromDisk } from '../../lockfiles/read.js';
import { CliError, type Command } from '../io.js';
import { formatOption, hasErrors, issueLines, parseCli } from './lockfile.js';

const USAGE = 'usage: pypi-malware-gate diff <base-file> <head-file> [--format <id>] [--json]';

export const diffCommand: Command = {
  async run(args, io) {
    const { values, positionals } = parseCli(args, USAGE);
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 2) throw new CliError(`expected a base file and a head file\n${USAGE}`);
    const format = formatOption(values.format);
    const head = parseLockfileFromDisk(positionals[1]!, io.cwd, { format, env: io.env });
    // The base is read as its own name or content says (two formats diff by package); a saved copy
    // whose name and content say nothing is read as the head's format.
    let base = parseLockfileFromDisk(positionals[0]!, io.cwd, { format, env: io.env });
    if (base.status === 'error' && !format && /cannot tell what kind/.test(base.error ?? ''))
      base = parseLockfileFromDisk(positionals[0]!, io.cwd, { format: head.format, env: io.env });
    if (base.format !== head.format)
      io.stderr(`note: comparing a ${base.format} file with a ${head.format} file, package by package\n`);
    io.stderr(issueLines(base) + issueLines(head));
    const diff = diffPackages(base.packages, head.packages);
    if (values.json) io.stdout(`${JSON.stringify(diff, null, 2)}\n`);
    else {
      const lines = [
        ...diff.added.map((p) => `+ ${p.name} ${p.version ?? p.specifier ?? ''}  (${p.file}:${p.line})`),
        ...diff.changed.map(
          (c) => `~ ${c.ref.name} ${describeChange(c.ref, c.previous)}  (${c.ref.file}:${c.ref.line})`,
        ),
        ...diff.removed.map((p) => `- ${p.name} ${p.version ?? p.specifier ?? ''}`),
      ];
      io.stdout(lines.map((l) => `${l}\n`).join('') || 'no changes\n');
    }
    return hasErrors(base) || hasErrors(head) ? 1 : 0;
  },
};
