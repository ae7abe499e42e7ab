// `pypi-malware-gate merge <report>... [--format json|sarif] [--output FILE]`: combines the JSON reports
// (or the SARIF logs) of a matrix of scans (shards of one repository, or many repositories) into one, for
// an organisation's audit. A set of shards with one missing is an error: the audit did not cover it.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Log, ReportingDescriptor, Result, Run } from 'sarif';
import { UnsafeOutputError, writeNewFile } from '../../engine/write-file.js';
import { outcome } from '../../policy.js';
import { escapeJsonInvisible, escapeTerminal } from '../../report/escape.js';
import { REPORT_SCHEMA_VERSION, renderJson } from '../../report/json.js';
import { isScanned } from '../../scan.js';
import type { PackageVerdict, ScanReport } from '../../types.js';
import { failOnOption, parseCommandLine } from '../args.js';
import { CliError, type Command } from '../io.js';

const USAGE = `usage: pypi-malware-gate merge <report>... [--format json|sarif] [--output FILE]
       [--fail-on malicious|suspicious|never] [--[no-]fail-on-unscannable]
Combines the JSON reports (scan --format json, the action's pypi-malware-gate.json) or the SARIF logs of
several scans into one: the shards of one scan (shard: i/n), or the scans of many repositories (give a
label with FILE=LABEL, e.g. reports/api.json=org/api, and each lockfile path is prefixed with it).
For SARIF, the results of every run go into one run (code scanning takes one run per tool and category).
exit: 0 merged, and the merged JSON passes --fail-on; 1 it does not, or a shard of a set is missing;
2 usage error or a file that is not a report`;

const FORMATS = ['json', 'sarif'] as const;
const MAX_INPUT_BYTES = 512 * 1024 * 1024;

interface Input {
  path: string;
  label?: string;
  data: unknown;
}

export const mergeCommand: Command = {
  async run(args, io) {
    const { values, positionals } = parse(args);
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new CliError(`expected at least one report\n${USAGE}`);
    const failOn = failOnOption(values['fail-on']);
    if (values['fail-on-unscannable'] && values['no-fail-on-unscannable'])
      throw new CliError('--fail-on-unscannable and --no-fail-on-unscannable contradict each other');
    const inputs = positionals.map((arg) => readInput(arg, io.cwd));
    const format = values.format ?? (inputs.every((i) => isSarif(i.data)) ? 'sarif' : 'json');
    if (!(FORMATS as readonly string[]).includes(format))
      throw new CliError(`--format must be one of ${FORMATS.join(', ')}`);
    let text: string;
    let failed = false;
    if (format === 'sarif') {
      for (const i of inputs) if (!isSarif(i.data)) throw new CliError(`${i.path}: not a SARIF 2.1.0 log`);
      text = `${JSON.stringify(mergeSarif(inputs.map((i) => i.data as Log)), null, 2)}\n`;
    } else {
      const reports = inputs.map((i) => ({ ...i, report: asReport(i) }));
      const { report, missing } = mergeReports(reports);
      text = renderJson(report);
      for (const m of missing) io.stderr(`pypi-malware-gate merge: ${escapeTerminal(m)}\n`);
      const result = outcome(report, failOn, { failOnUnscannable: !values['no-fail-on-unscannable'] });
      if (result.failed) io.stderr(`pypi-malware-gate merge: ${escapeTerminal(result.reason ?? 'failed')}\n`);
      failed = result.failed || missing.length > 0;
    }
    try {
      if (values.output) writeNewFile(resolve(io.cwd, values.output), escapeJsonInvisible(text));
      else io.stdout(escapeJsonInvisible(text));
    } catch (err) {
      if (err instanceof UnsafeOutputError) throw new CliError(err.message);
      throw err;
    }
    return failed ? 1 : 0;
  },
};

function readInput(arg: string, cwd: string): Input {
  // FILE=LABEL; a file whose own name holds '=' is taken whole when it exists.
  const eq = arg.lastIndexOf('=');
  const whole = resolve(cwd, arg);
  const split = eq > 0 && !exists(whole);
  const path = split ? arg.slice(0, eq) : arg;
  const label = split ? arg.slice(eq + 1) : undefined;
  if (
    label !== undefined &&
    (!/^[A-Za-z0-9._/-]{1,200}$/.test(label) || label.split('/').some((s) => s === '' || /^\.+$/.test(s)))
  )
    throw new CliError(
      `${JSON.stringify(label)}: a label is path segments of letters, digits and . _ - (e.g. org/repo)`,
    );
  const full = resolve(cwd, path);
  let text: string;
  try {
    if (statSync(full).size > MAX_INPUT_BYTES) throw new CliError(`${path}: larger than 512 MB`);
    text = readFileSync(full, 'utf8');
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return { path, label, data: JSON.parse(text) };
  } catch {
    throw new CliError(`${path}: not JSON`);
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

const isSarif = (data: unknown): boolean =>
  typeof data === 'object' &&
  data !== null &&
  (data as Log).version === '2.1.0' &&
  Array.isArray((data as Log).runs);

/** The few checks that keep a merge honest; the full shape is schema/report.schema.json's. */
function asReport(input: Input): ScanReport & { schemaVersion?: number } {
  const r = input.data as Partial<ScanReport> & { schemaVersion?: unknown };
  const where = input.path;
  if (typeof r !== 'object' || r === null || Array.isArray(r))
    throw new CliError(`${where}: not a JSON report`);
  if (r.schemaVersion !== REPORT_SCHEMA_VERSION)
    throw new CliError(
      `${where}: schemaVersion ${JSON.stringify(r.schemaVersion)} is not ${REPORT_SCHEMA_VERSION} (a report from another release of the gate?)`,
    );
  if (!Array.isArray(r.packages) || !Array.isArray(r.lockfiles) || typeof r.tool !== 'object' || !r.tool)
    throw new CliError(`${where}: not a JSON report (no packages, lockfiles or tool)`);
  return r as ScanReport;
}

const withLabel = (label: string | undefined, file: string): string => (label ? `${label}/${file}` : file);

/** Reports -> one: lockfiles and packages of every report (each once), counts recomputed, shards checked. */
export function mergeReports(inputs: { path: string; label?: string; report: ScanReport }[]): {
  report: ScanReport;
  missing: string[];
} {
  const lockfiles = new Map<string, ScanReport['lockfiles'][number]>();
  const packages = new Map<string, PackageVerdict>();
  const excluded = new Map<string, NonNullable<ScanReport['excluded']>[number]>();
  const shards = new Map<number, Set<number>>();
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const { label, report } of inputs) {
    for (const l of report.lockfiles) {
      const file = withLabel(label, l.file);
      const relabel = structuredClone(l);
      relabel.file = file;
      for (const p of relabel.packages) p.file = withLabel(label, p.file);
      for (const i of relabel.issues) i.file = withLabel(label, i.file);
      // Shards of one scan carry the same lockfiles: kept once.
      if (!lockfiles.has(file)) lockfiles.set(file, relabel);
    }
    for (const p of report.packages) {
      const copy = structuredClone(p);
      copy.ref.file = withLabel(label, p.ref.file);
      const key = `${copy.ref.file}\u0000${copy.ref.line}\u0000${copy.ref.name}\u0000${copy.ref.version ?? copy.ref.specifier ?? ''}`;
      if (!packages.has(key)) packages.set(key, copy);
    }
    for (const e of report.excluded ?? []) {
      const copy = { ...e, file: withLabel(label, e.file) };
      excluded.set(`${copy.file}\u0000${copy.line}\u0000${copy.name}`, copy);
    }
    if (report.shard) {
      const seen = shards.get(report.shard.count) ?? new Set<number>();
      seen.add(report.shard.index);
      shards.set(report.shard.count, seen);
    }
    const started = Date.parse(report.startedAt);
    if (Number.isFinite(started)) {
      start = Math.min(start, started);
      end = Math.max(end, started + (report.ms ?? 0));
    }
  }
  const missing: string[] = [];
  for (const [count, seen] of shards) {
    const absent = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    if (absent.length > 0)
      missing.push(
        `shard(s) ${absent.map((i) => `${i}/${count}`).join(', ')} missing: their packages are not in the merged report`,
      );
  }
  const all = [...packages.values()];
  const list = [...lockfiles.values()];
  const count = (v: PackageVerdict['verdict']) => all.filter((p) => p.verdict === v).length;
  const first = inputs[0]!.report;
  const report: ScanReport = {
    tool: first.tool,
    mode: inputs.every((i) => i.report.mode === 'diff') ? 'diff' : 'full',
    lockfiles: list,
    packages: all,
    counts: {
      scanned: all.filter(isScanned).length,
      malicious: count('malicious'),
      suspicious: count('suspicious'),
      unscannable: count('unscannable'),
      errors: list.reduce(
        (n, l) => n + (l.status === 'error' ? 1 : 0) + l.issues.filter((i) => i.kind === 'error').length,
        0,
      ),
    },
    startedAt: new Date(Number.isFinite(start) ? start : 0).toISOString(),
    ms: Number.isFinite(start) ? end - start : 0,
    ...(excluded.size > 0 ? { excluded: [...excluded.values()] } : {}),
    merged: inputs.map(({ path, report: r }) => ({
      file: path,
      ...(r.shard ? { shard: `${r.shard.index}/${r.shard.count}` } : {}),
    })),
  };
  return { report, missing };
}

/** SARIF logs -> one log with one run per tool: results concatenated (each once), rules united by id. */
export function mergeSarif(logs: Log[]): Log {
  const runs = new Map<string, { run: Run; rules: Map<string, ReportingDescriptor>; seen: Set<string> }>();
  for (const log of logs)
    for (const run of log.runs) {
      const name = run.tool?.driver?.name ?? 'unknown';
      let merged = runs.get(name);
      if (!merged) {
        merged = {
          run: { ...structuredClone(run), results: [] },
          rules: new Map(),
          seen: new Set(),
        };
        runs.set(name, merged);
      }
      const own = run.tool?.driver?.rules ?? [];
      for (const rule of own) if (!merged.rules.has(rule.id)) merged.rules.set(rule.id, rule);
      for (const result of run.results ?? []) {
        const copy: Result = structuredClone(result);
        // ruleIndex points into this run's rules; the merged run's order differs.
        if (copy.ruleIndex !== undefined) {
          copy.ruleId ??= own[copy.ruleIndex]?.id;
          delete copy.ruleIndex;
        }
        const key = JSON.stringify([copy.ruleId, copy.partialFingerprints, copy.locations, copy.message]);
        if (merged.seen.has(key)) continue;
        merged.seen.add(key);
        merged.run.results!.push(copy);
      }
    }
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [...runs.values()].map(({ run, rules }) => ({
      ...run,
      tool: { ...run.tool, driver: { ...run.tool.driver, rules: [...rules.values()] } },
    })),
  };
}

function parse(args: string[]) {
  return parseCommandLine(
    {
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string' },
        'fail-on': { type: 'string' },
        'fail-on-unscannable': { type: 'boolean' },
        'no-fail-on-unscannable': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    USAGE,
  );
}
