// `pypi-malware-gate inspect <file>... [--json]`: reads each archive (sdist, wheel, egg; any name, no
// extension needed) in memory and prints one line per file. Exit 0 when every file was read and analysed
// in full, 1 otherwise (an unreadable or unscannable file; the lines still print), 2 for usage errors.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type ArchiveLimits, readArchive } from '../../archive/index.js';
import type { Config } from '../../config.js';
import { extractFeatures, initFeatures } from '../../features/index.js';
import { analyseArtifact, judgeArtifact, modelStages } from '../../judge.js';
import { bundledModel } from '../../model/bundled.js';
import type { LoadedModel } from '../../model/load.js';
import { escapeLog } from '../../report/escape.js';
import type { ArchiveView } from '../../types.js';
import { failOnOption, parseCommandLine } from '../args.js';
import { CliError, type Command } from '../io.js';

const USAGE = `usage: pypi-malware-gate inspect <file>... [--json] [--features] [--fail-on malicious|suspicious|never]
  reads each archive in memory (never extracted or run), analyses it with the bundled model and prints
  one line per file; --json prints one JSON object per line: {file, status, error?, format, kind,
  container, files, bytes, score, scoredAlone?, verdict, evidence, gaps?, reasons?, drivers?, notes?};
  scoredAlone names the file whose score is the package's when that file alone scores higher; --features adds
  the named feature vector. The verdict is scan's, without the index: a file not read and analysed in
  full is 'unscannable', with the gaps that say what was not analysed.
exit: 0 every file read and judged below --fail-on (default malicious), 1 a verdict at or above it, an
unreadable or unscannable file, 2 usage error`;

/** Whether a verdict fails the run at this --fail-on (the same order as scan's policy). */
export function failsAt(verdict: unknown, failOn: Config['failOn']): boolean {
  if (failOn === 'never') return false;
  return verdict === 'malicious' || (failOn === 'suspicious' && verdict === 'suspicious');
}

/**
 * Inputs larger than this are not read at all: the reader's own limits bound what it inflates, and
 * this bounds what it is handed (the registry's download cap is 50 MB by default).
 */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

export interface InspectOptions {
  /** Relative paths are taken from here. */
  cwd: string;
  limits?: Partial<ArchiveLimits>;
  /** Analyse what was read: evidence, score and verdict (call initFeatures() first). */
  analyse?: boolean;
  /** Add the named feature vector to the result. */
  features?: boolean;
  model?: LoadedModel;
}

/** One line of `inspect --json`. Later stages add fields (evidence, features, score, verdict). */
export interface InspectResult {
  /** The path as given. */
  file: string;
  status: 'ok' | 'error';
  error?: string;
  /** What the package is: 'sdist' | 'wheel' | 'egg' | 'unknown' (the issue's contract calls it format). */
  format: ArchiveView['kind'];
  /** The same as format, by the name ArchiveView uses. */
  kind: ArchiveView['kind'];
  /** The byte-level container: 'tar.gz', 'zip', ... ('unknown' when not an archive). */
  container: ArchiveView['format'];
  /** Entries in the archive (files, directories, links). */
  files: number;
  /** Uncompressed bytes read. */
  bytes: number;
  limitsHit?: string[];
  [field: string]: unknown;
}

/** Reads one file and describes it; never throws for a bad file (that is a result with status error). */
export async function inspectFile(path: string, options: InspectOptions): Promise<InspectResult> {
  const failed = (error: string): InspectResult => ({
    file: path,
    status: 'error',
    error,
    format: 'unknown',
    kind: 'unknown',
    container: 'unknown',
    files: 0,
    bytes: 0,
  });
  const full = resolve(options.cwd, path);
  let bytes: Uint8Array;
  try {
    const info = await stat(full);
    if (!info.isFile()) return failed('not a regular file');
    if (info.size > MAX_INPUT_BYTES) return failed(`file is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB`);
    bytes = await readFile(full);
  } catch (err) {
    return failed(`cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  // The same path from bytes to a verdict as scan (src/judge.ts): a partial read is analysed, and its
  // gaps make the verdict unscannable unless the evidence read is malicious.
  const stages = modelStages(options.model, (b) => readArchive(b, options.limits), extractFeatures);
  const analysed = options.analyse ? await analyseArtifact(bytes, path, stages) : undefined;
  const view = analysed?.view ?? (await readArchive(bytes, options.limits));
  const result: InspectResult = {
    file: path,
    status: view.status,
    ...(view.error !== undefined ? { error: view.error } : {}),
    format: view.kind,
    kind: view.kind,
    container: view.format,
    files: view.entries.length,
    bytes: view.bytesRead,
  };
  if (view.limitsHit.length > 0) result.limitsHit = view.limitsHit;

  if (analysed) {
    const judged = judgeArtifact(analysed, options.model?.thresholds);
    if (judged.score !== undefined) result.score = Number(judged.score.toFixed(6));
    if (analysed.unit) result.scoredAlone = analysed.unit;
    result.verdict = judged.verdict;
    result.evidence = judged.evidence;
    if (judged.gaps.length > 0) result.gaps = judged.gaps;
    if (judged.verdict !== 'benign') result.reasons = judged.reasons;
    if (judged.drivers.length > 0 && judged.verdict !== 'benign') result.drivers = judged.drivers;
    if (analysed.notes.length > 0) result.notes = analysed.notes;
    if (options.features && analysed.analysis) result.features = analysed.analysis.features;
  }

  return result;
}

/**
 * The readable form: `file: ok sdist tar.gz, 12 files, 34567 bytes` or `file: error "<reason>" (...)`.
 * The reason can quote entry names, so it is printed as a JSON string (control characters shown as
 * \u escapes, not sent to the terminal); the line as a whole is made inert for CI logs.
 */
export function textLine(r: InspectResult): string {
  const judged =
    typeof r.verdict === 'string'
      ? ` -> ${r.verdict}${typeof r.score === 'number' ? ` (score ${r.score.toFixed(3)}${scoredAlone(r)})` : ''}${topEvidence(r)}`
      : '';
  const what = `${r.format} ${r.container}, ${r.files} file${r.files === 1 ? '' : 's'}, ${r.bytes} bytes${judged}`;
  const line =
    r.status === 'ok' ? `${r.file}: ok ${what}` : `${r.file}: error ${JSON.stringify(r.error)} (${what})`;
  return escapeLog(line);
}

/** Which file the score is of, when it is one file's alone (the entry name quoted as JSON: it is hostile). */
function scoredAlone(r: InspectResult): string {
  return typeof r.scoredAlone === 'string' ? ` of ${JSON.stringify(r.scoredAlone)} alone` : '';
}

function topEvidence(r: InspectResult): string {
  const first = (r.evidence as { rule: string; path: string; line: number }[] | undefined)?.[0];
  // Entry names are hostile: quoted as JSON so control characters cannot reach the terminal.
  return first && r.verdict !== 'benign'
    ? `: ${first.rule} at ${JSON.stringify(first.path)}:${first.line}`
    : '';
}

export const inspectCommand: Command = {
  async run(args, io) {
    const { values, positionals } = parse(args);
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new CliError(`expected at least one file\n${USAGE}`);
    const failOn = failOnOption(values['fail-on']);
    await initFeatures();
    const model = bundledModel();
    let passed = true;
    // One file at a time: each may hold up to the reader's limits in memory.
    for (const file of positionals) {
      const result = await inspectFile(file, {
        cwd: io.cwd,
        analyse: true,
        features: values.features,
        model,
      });
      if (result.status !== 'ok' || result.verdict === 'unscannable' || failsAt(result.verdict, failOn))
        passed = false;
      io.stdout(`${values.json ? JSON.stringify(result) : textLine(result)}\n`);
    }
    return passed ? 0 : 1;
  },
};

function parse(args: string[]) {
  return parseCommandLine(
    {
      args,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        features: { type: 'boolean', default: false },
        'fail-on': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    USAGE,
  );
}
