// `pypi-malware-gate scan [path]`: the CLI's door to the engine the action runs (src/engine/run-scan.ts).
// Every action input that is not about publishing to GitHub is a flag of the same name (src/config.ts
// SETTINGS); this file only turns flags into settings and prints or writes what the engine returns.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { engineFactory } from '../../action/stages.js';
import { PACKAGE_VERSION } from '../../version.js';
import { ConfigurationError, DEFAULTS, type RawSettings, SETTINGS } from '../../config.js';
import { gitCli } from '../../engine/git.js';
import type { Logger } from '../../engine/logger.js';
import { type RunResult, type RunScanDeps, runScan } from '../../engine/run-scan.js';
import { UnsafeOutputError, writeNewFile } from '../../engine/write-file.js';
import { renderComment } from '../../report/comment.js';
import { escapeJsonInvisible, escapeTerminal } from '../../report/escape.js';
import { renderJson } from '../../report/json.js';
import { renderSarif } from '../../report/sarif.js';
import { renderText } from '../../report/text.js';
import type { ScanReport } from '../../types.js';
import { CliError, type CliIO, type Command } from '../io.js';

const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** The settings with a CLI flag: all but those that only matter when publishing to GitHub. */
const FLAGS = Object.entries(SETTINGS).filter(([, s]) => !s.actionOnly) as [
  keyof RawSettings,
  (typeof SETTINGS)[keyof RawSettings],
][];

export const scanCommand: Command = {
  async run(args, io) {
    const { values, positionals } = parse(args);
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const format = (values.format ?? 'text') as Format;
    if (!FORMATS.includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}`);
    const timeoutMs = timeoutOption(values.timeout);
    const target = scanTarget(positionals, io.cwd);
    // Packages named on the command line are scanned as a requirements file in a fresh folder of their
    // own: the same runScan() with every stage and signal, never a second flow.
    const root =
      target.kind === 'folder' ? target.root : packageWorkspace(target.requirements, values, io.cwd);
    const settings = settingsFrom(values, root, io.env);
    const progress =
      values.verbose === true ||
      values.progress === true ||
      (values.progress === undefined && io.stderrIsTTY === true);
    let result: RunResult;
    try {
      result = await runScan({ settings }, cliDeps(root, io, progress, timeoutMs));
    } catch (err) {
      if (err instanceof ConfigurationError) throw new CliError(err.message);
      throw err;
    } finally {
      if (target.kind === 'packages') rmSync(root, { recursive: true, force: true });
    }
    if (target.kind === 'packages') fromCommandLine(result.report);
    writeReports(result, format, { output: values.output, sarifFile: settings.sarifFile }, io);
    const { outcome } = result;
    if (outcome.failed) io.stderr(`pypi-malware-gate: ${escapeTerminal(outcome.reason ?? 'failed')}\n`);
    return outcome.failed ? 1 : 0;
  },
};

/** The engine's edges in the CLI: the folder and its git objects, stderr, the real stages, no GitHub. */
function cliDeps(root: string, io: CliIO, progress: boolean, timeoutMs: number | undefined): RunScanDeps {
  return {
    workspace: root,
    git: gitCli(root),
    logger: stderrLogger(io, progress),
    clock: () => new Date(),
    createStages: engineFactory({
      onNotice: (m) => io.stderr(`notice: ${escapeTerminal(m)}\n`),
      env: io.env,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    }),
    tool: { name: 'pypi-malware-gate', version: PACKAGE_VERSION },
  };
}

/** The report in the format asked for, on stdout or into --output, and the SARIF file --sarif-file names. */
function writeReports(
  { report, config }: RunResult,
  format: Format,
  paths: { output?: string; sarifFile?: string },
  io: CliIO,
): void {
  const sarif = () =>
    escapeJsonInvisible(renderSarif(report, undefined, { failOnUnscannable: config.failOnUnscannable }));
  const rendered = {
    text: () => escapeTerminal(renderText(report)),
    json: () => escapeJsonInvisible(renderJson(report)),
    sarif,
    markdown: () =>
      `${renderComment(report, { indexUrl: config.indexUrl, configFile: config.configFile })}\n`,
  }[format]();
  try {
    if (paths.output) writeNewFile(resolve(io.cwd, paths.output), rendered);
    else io.stdout(rendered);
    if (paths.sarifFile) writeNewFile(resolve(io.cwd, paths.sarifFile), sarif());
  } catch (err) {
    if (err instanceof UnsafeOutputError) throw new CliError(err.message);
    throw err;
  }
}

/** Progress and notes on stderr: warnings always, the per-package lines when asked or on a terminal. */
function stderrLogger(io: CliIO, progress: boolean): Logger {
  const line = (s: string) => io.stderr(`${escapeTerminal(s)}\n`);
  return {
    info: (m) => progress && line(m),
    warning: (m, where) => line(`warning: ${where?.file ? `${where.file}: ` : ''}${m}`),
    startGroup: (title) => progress && line(`== ${title}`),
    endGroup: () => {},
  };
}

type Values = ReturnType<typeof parse>['values'];

const COMMAND_LINE = '<command line>';

/** `name`, `name==1.0`, `name[extra]>=1,<2`: a requirement as pip takes it on its command line. */
const REQUIREMENT =
  /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[A-Za-z0-9._,\s-]*\])?\s*(?:(?:===?|!=|~=|<=?|>=?)\s*[A-Za-z0-9.*+!_-]+\s*(?:,\s*(?:===?|!=|~=|<=?|>=?)\s*[A-Za-z0-9.*+!_-]+\s*)*)?$/;

type Target = { kind: 'folder'; root: string } | { kind: 'packages'; requirements: string[] };

/**
 * What the positionals name: one folder (an existing path), or packages (requirements that are not
 * paths). `scan requests` scans the folder ./requests when there is one; `scan ./x` never means a package.
 */
export function scanTarget(positionals: string[], cwd: string): Target {
  if (positionals.length === 0) {
    const root = resolve(cwd, '.');
    if (!existsSync(root) || !statSync(root).isDirectory())
      throw new CliError(`${root}: no such folder to scan`);
    return { kind: 'folder', root };
  }
  const isPath = (p: string) => existsSync(resolve(cwd, p));
  const folders = positionals.filter(isPath);
  if (folders.length > 0) {
    if (positionals.length > 1)
      throw new CliError('give one folder to scan, or package requirements, not both');
    const root = resolve(cwd, folders[0]!);
    if (!statSync(root).isDirectory())
      throw new CliError(`${folders[0]}: not a folder (to scan one lockfile: --lockfile)`);
    return { kind: 'folder', root };
  }
  const bad = positionals.find((p) => !REQUIREMENT.test(p.trim()));
  if (bad !== undefined)
    throw new CliError(
      `${JSON.stringify(bad)}: no such folder to scan, and not a package requirement (name or name==version)`,
    );
  return { kind: 'packages', requirements: positionals.map((p) => p.trim()) };
}

/**
 * A fresh temp folder holding the requirements and the config the current folder would use (its
 * --config-file, or .github/pypi-malware-gate.yml when present), so allow entries and rule settings apply.
 */
function packageWorkspace(requirements: string[], values: Values, cwd: string): string {
  for (const flag of ['lockfiles', 'lockfile', 'base-ref', 'base', 'head-ref', 'head', 'mode'])
    if (values[flag] !== undefined)
      throw new CliError(`--${flag} does not apply when scanning packages by name`);
  const dir = mkdtempSync(join(tmpdir(), 'pmg-scan-'));
  writeFileSync(join(dir, 'requirements.txt'), `${requirements.join('\n')}\n`);
  const flag = values['config-file'] ?? values.config;
  const given = Array.isArray(flag) ? flag[0] : typeof flag === 'string' ? flag : undefined;
  const configPath = resolve(cwd, given ?? DEFAULTS.configFile);
  if (existsSync(configPath)) {
    const copy = join(dir, DEFAULTS.configFile);
    mkdirSync(dirname(copy), { recursive: true });
    writeFileSync(copy, readFileSync(configPath));
  } else if (given !== undefined) {
    rmSync(dir, { recursive: true, force: true });
    throw new CliError(`--config-file ${JSON.stringify(given)}: no such file`);
  }
  delete values['config-file'];
  delete values.config;
  values.lockfiles = ['requirements.txt'];
  values.mode = ['full'];
  return dir;
}

/** The temp requirements file is an implementation detail: the report says where the packages came from. */
function fromCommandLine(report: ScanReport): void {
  for (const l of report.lockfiles) {
    l.file = COMMAND_LINE;
    for (const issue of l.issues) issue.file = COMMAND_LINE;
  }
  for (const p of report.packages) p.ref.file = COMMAND_LINE;
  for (const e of report.excluded ?? []) e.file = COMMAND_LINE;
}

/** --timeout SECONDS: the idle timeout of each index and OSV request. */
function timeoutOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600)
    throw new CliError(
      `--timeout must be a number of seconds between 0 and 3600, got ${JSON.stringify(value)}`,
    );
  return Math.round(seconds * 1000);
}

function settingsFrom(values: Values, root: string, env: CliIO['env']): RawSettings {
  const settings: RawSettings = {};
  const flags = values as Record<string, string | string[] | boolean | undefined>;
  for (const [key, s] of FLAGS) {
    const names = [s.input, ...(s.aliases ?? [])];
    if (s.kind === 'bool') {
      const on = names.some((n) => flags[n] === true);
      const off = names.some((n) => flags[`no-${n}`] === true);
      if (on && off) throw new CliError(`--${s.input} and --no-${s.input} contradict each other`);
      if (on || off) settings[key] = on ? 'true' : 'false';
      continue;
    }
    const given = names.flatMap((n) => {
      const v = flags[n];
      return v === undefined ? [] : Array.isArray(v) ? v : [String(v)];
    });
    if (given.length === 0) continue;
    if (s.kind === 'string' && given.length > 1) throw new CliError(`--${s.input} is given more than once`);
    settings[key] = given.join('\n');
  }
  settings.indexToken ??= env.PMG_INDEX_TOKEN;
  if (settings.lockfiles)
    settings.lockfiles = settings.lockfiles
      .split('\n')
      .map((p) => inCheckout(p, root))
      .join('\n');
  return settings;
}

/** An absolute --lockfile inside the scanned folder becomes relative to it; one outside is refused. */
function inCheckout(path: string, root: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(root, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    throw new CliError(`--lockfile ${path} is outside the folder being scanned (${root})`);
  return rel.split(sep).join('/');
}

const flagHelp = FLAGS.map(([, s]) => {
  const spell = s.kind === 'bool' ? `--[no-]${s.input}` : `--${s.input} ${s.kind === 'list' ? 'X ...' : 'X'}`;
  const also = s.aliases?.length ? ` (also --${s.aliases.join(', --')})` : '';
  return `  ${`${spell}${also}`.padEnd(36)}default: ${(s.cliDoc ?? s.doc).replace(/`/g, '')}`;
}).join('\n');

const USAGE = `usage: pypi-malware-gate scan [path] [options]
       pypi-malware-gate scan <name>[==version]... [options]

Scans the packages a project pins, as the action does: with --base, only those added or changed since
that git ref (the config file is then read from the base commit, as on a pull request); without, all.
With --head, the lockfiles are read from that commit's git objects instead of the folder.
Given package requirements instead of a folder (requests==2.32.3, or requests for the newest release),
scans those with every stage and signal, and the current folder's config file (allow entries, rules).

  --format text|json|markdown|sarif   what to print (default text)
  --output FILE                       write it to FILE (a new file; an existing symlink is refused)
  --[no-]progress                     one line per package on stderr (default: when stderr is a terminal)
  --verbose                           progress lines and every note on stderr
  --timeout SECONDS                   idle timeout of each index and OSV request (default 30 / 15)
${flagHelp}
  index token: --index-token or the PMG_INDEX_TOKEN environment variable
  paths: --lockfiles and --config-file are relative to the folder scanned (an absolute --lockfile must be
  inside it); --output and --sarif-file are relative to the current directory

exit: 0 clean, 1 failed by policy (a verdict at or above --fail-on, an unscannable package or lockfile
error unless --no-fail-on-unscannable, or nothing scanned), 2 usage or configuration error, 3 internal error`;

function parse(args: string[]) {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    format: { type: 'string' },
    output: { type: 'string' },
    progress: { type: 'boolean' },
    'no-progress': { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const [, s] of FLAGS)
    for (const name of [s.input, ...(s.aliases ?? [])]) {
      if (s.kind === 'bool') {
        options[name] = { type: 'boolean' };
        options[`no-${name}`] = { type: 'boolean' };
      } else options[name] = { type: 'string', multiple: true };
    }
  try {
    const parsed = parseArgs({ args, allowPositionals: true, options });
    const values = parsed.values as Record<string, string | string[] | boolean | undefined> & {
      format?: string;
      output?: string;
      progress?: boolean;
      verbose?: boolean;
      timeout?: string;
      help?: boolean;
    };
    if (values['no-progress']) values.progress = false;
    for (const k of ['format', 'output', 'timeout'] as const)
      if (Array.isArray(values[k])) throw new CliError(`--${k} is given more than once`);
    return { values, positionals: parsed.positionals };
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}
