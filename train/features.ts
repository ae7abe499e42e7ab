// `npm run features -- --corpus <dir-or-tsv> --out <file> [--cache DIR]`: the feature table for training
// (train.ts and evaluate.ts read it with --table), one JSON row per archive (label, group, features,
// tokens), cached by sha256 so re-runs are fast. Training tooling, so not a command of the product's CLI.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { type CliIO, CliError } from '../src/cli/io.js';
import { initFeatures } from '../src/features/index.js';
import { type CorpusItem, cachedAnalysis, defaultBenignDirs, labelledSamples, listCorpus } from './corpus.js';

const USAGE = `usage: npm run features -- --corpus <dir-or-tsv> --out <file> [--cache DIR]
  --corpus  a corpus folder with malicious.tsv / hard-benign.tsv (benign archives from ~/.cache/pypi-corpus),
            a .tsv with a sha256 column (archives in the folder named after it), or a folder of archives
  --out     where to write the table (JSON lines)
  --cache   analysis cache folder (default .cache/features)`;

/** The whole corpus, one labelled list (malicious.tsv, hard-benign.tsv), or unlabelled archives in a folder. */
function itemsFor(
  corpus: string,
  env: Record<string, string | undefined>,
): (CorpusItem | Omit<CorpusItem, 'label'>)[] {
  if (!existsSync(corpus)) throw new CliError(`--corpus ${corpus}: no such file or folder`);
  if (statSync(corpus).isDirectory()) {
    if (existsSync(join(corpus, 'malicious.tsv')) || existsSync(join(corpus, 'hard-benign.tsv')))
      return listCorpus(corpus, defaultBenignDirs(env));
    return readdirSync(corpus)
      .sort()
      .filter((f) => statSync(join(corpus, f)).isFile())
      .map((f) => ({ path: join(corpus, f), source: 'benign-sdist' as const, group: f, name: f }));
  }
  if (!/^(malicious|hard-benign)[^/]*\.tsv$/.test(basename(corpus)))
    throw new CliError(
      `--corpus ${corpus}: a list must be malicious*.tsv or hard-benign*.tsv (its name gives the label)`,
    );
  if (!readFileSync(corpus, 'utf8').split('\n', 1)[0]?.split('\t').includes('sha256'))
    throw new CliError(`${corpus}:1: no sha256 column`);
  return labelledSamples(corpus);
}

/** Writes the table; 1 when an archive is missing or unreadable (its row says why), 0 otherwise. */
export async function writeFeatureTable(args: string[], io: CliIO): Promise<number> {
  let values: { corpus?: string; out?: string; cache?: string; help?: boolean };
  try {
    values = parseArgs({
      args,
      options: {
        corpus: { type: 'string' },
        out: { type: 'string' },
        cache: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (!values.corpus || !values.out) throw new CliError(`--corpus and --out are required\n${USAGE}`);
  const items = itemsFor(resolve(io.cwd, values.corpus), io.env);
  await initFeatures();
  const cache = resolve(io.cwd, values.cache ?? join('.cache', 'features'));
  const rows: string[] = [];
  let errors = 0;
  for (const item of items) {
    if (!existsSync(item.path)) {
      errors++;
      io.stderr(`${item.path}: missing\n`);
      continue;
    }
    const a = await cachedAnalysis(item.path, cache);
    if (a.status === 'error') {
      errors++;
      io.stderr(`${item.path}: ${a.error}\n`);
    }
    rows.push(JSON.stringify({ ...item, path: undefined, label: 'label' in item ? item.label : null, ...a }));
  }
  writeFileSync(resolve(io.cwd, values.out), rows.length > 0 ? `${rows.join('\n')}\n` : '');
  io.stderr(`${rows.length} row(s) written to ${values.out}, ${errors} error(s)\n`);
  return errors > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const io: CliIO = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    env: process.env,
  };
  process.exitCode = await writeFeatureTable(process.argv.slice(2), io).catch((error: unknown) => {
    if (!(error instanceof CliError)) throw error;
    io.stderr(`${error.message}\n`);
    return error.exitCode;
  });
}
