// `pypi-malware-gate fetch <name>==<version> [--index-url URL] [--extra-index-url URL] [--out DIR] [--json]`:
// downloads the artifacts a scan would analyse, verified against the index's (and --hash's) hashes, into DIR.
// For debugging and scheduled audits. Only verified archive bytes are written, under a sanitized name;
// nothing is ever extracted.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizeName } from '../../names.js';
import { createIndexClient, type IndexClient } from '../../registry/index.js';
import type { PackageRef, Signal } from '../../types.js';
import { escapeTerminalLine } from '../../report/escape.js';
import { CliError, type CliIO, type Command } from '../io.js';

const USAGE = `usage: pypi-malware-gate fetch <name>==<version>... [--index-url URL] [--extra-index-url URL ...]
       [--out DIR] [--hash sha256:HEX ...] [--max-artifact-mb N] [--json]
Without --out the files go to a fresh temp folder, named on stderr (never the current folder: what is
fetched may be malware, and nothing here extracts or runs it).
A bare name or a range (name>=1,<2) fetches the newest matching release (not reproducible).
--hash checks the downloads as a lockfile's hashes would. A private index's token is read from
PMG_INDEX_TOKEN (sent as the basic-auth password, never printed).
exit: 0 every file fetched and verified, 1 a finding (missing release, hash mismatch) or an error, 2 usage`;

/** A PEP 508 name followed by an optional specifier; `==X` (no wildcard) is a pin. */
export function parseRequirement(text: string, hashes: string[]): PackageRef {
  const match = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(.*?)\s*$/.exec(text);
  const spec = match?.[2] ?? '';
  if (!match || (spec !== '' && !/^(===?|!=|~=|<=?|>=?)/.test(spec))) {
    throw new CliError(`not a requirement: ${JSON.stringify(text)} (expected name==version)\n${USAGE}`);
  }
  const pin = /^==\s*([^\s,*;]+)$/.exec(spec);
  return {
    name: normalizeName(match[1]!),
    version: pin ? pin[1]! : null,
    ...(pin || spec === '' ? {} : { specifier: spec }),
    hashes,
    file: '<command line>',
    line: 1,
  };
}

/** The index's filename made safe as a single path component (it is untrusted text). */
export function safeFilename(filename: string): string {
  const cleaned = filename
    .replace(/[^A-Za-z0-9._+-]/g, '_')
    .replace(/^\.+/, (dots) => '_'.repeat(dots.length))
    .slice(0, 200);
  return cleaned === '' ? 'artifact' : cleaned;
}

/** Write then rename: rename replaces a symlink planted at the target instead of writing through it. */
async function writeArtifact(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const target = join(dir, name);
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.part`);
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return target;
}

interface FetchResult {
  requirement: string;
  version?: string;
  files: { filename: string; sha256: string; size: number; kind: string; url: string; path: string }[];
  findings: Signal[];
  errors: string[];
  /** Files of the release not fetched because no target platform installs them, and locked hashes of such files. */
  notes?: string[];
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Resolves and downloads one requirement into `result`; findings are recorded there, failures thrown. */
async function fetchRelease(
  client: IndexClient,
  ref: PackageRef,
  outDir: () => Promise<string>,
  result: FetchResult,
): Promise<void> {
  const resolved = await client.resolve(ref);
  if (!resolved.ok) {
    result.findings.push(resolved.finding);
    return;
  }
  const resolution = resolved.value;
  result.version = resolution.version;
  if (resolution.notes.length > 0) result.notes = resolution.notes;
  // Over the per-release cap: what pip could install and was not fetched is an error, never a silent skip.
  for (const gap of resolution.gaps) result.errors.push(gap.reason);
  if (resolution.files.length === 0)
    result.errors.push(`${ref.name}: the index offers no artifact to analyse`);
  for (const file of resolution.files) {
    try {
      const downloaded = await client.download(file, ref);
      if (!downloaded.ok) {
        result.findings.push(downloaded.finding);
        continue;
      }
      const artifact = downloaded.value;
      const path = await writeArtifact(await outDir(), safeFilename(artifact.filename), artifact.bytes);
      result.files.push({
        filename: artifact.filename,
        sha256: artifact.sha256,
        size: artifact.bytes.byteLength,
        kind: artifact.kind,
        url: artifact.url,
        path,
      });
    } catch (err) {
      result.errors.push(errorText(err));
    }
  }
}

export const fetchCommand: Command = {
  async run(args, io) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (err) {
      throw new CliError(`${errorText(err)}\n${USAGE}`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const { refs, maxMb } = checkedOptions(values, positionals);
    // Made when the first file is written, so a run that fetches nothing leaves no empty folder behind.
    let out: string | undefined = values.out === undefined ? undefined : resolve(io.cwd, values.out);
    const outDir = async (): Promise<string> => {
      if (out === undefined) {
        out = await mkdtemp(join(tmpdir(), 'pypi-malware-gate-fetch-'));
        io.stderr(`writing to ${out}\n`);
      } else await mkdir(out, { recursive: true });
      return out;
    };

    const client = createIndexClient({
      indexUrl: values['index-url'],
      extraIndexUrls: values['extra-index-url'] ?? [],
      token: io.env.PMG_INDEX_TOKEN || undefined,
      maxArtifactBytes: maxMb * 1024 * 1024,
      onNotice: (m) => io.stderr(`${escapeTerminalLine(m)}\n`),
    });
    let failed = false;
    for (const [i, ref] of refs.entries()) {
      const result: FetchResult = { requirement: positionals[i]!, files: [], findings: [], errors: [] };
      try {
        await fetchRelease(client, ref, outDir, result);
      } catch (err) {
        result.errors.push(errorText(err));
      }
      if (result.findings.length > 0 || result.errors.length > 0) failed = true;
      print(result, values.json, io);
    }
    return failed ? 1 : 0;
  },
};

/** The requirements and the artifact size cap, once every option is checked (a usage error otherwise). */
function checkedOptions(
  values: ReturnType<typeof parse>['values'],
  positionals: string[],
): { refs: PackageRef[]; maxMb: number } {
  if (positionals.length === 0) throw new CliError(`expected name==version\n${USAGE}`);
  for (const h of values.hash ?? []) {
    if (!/^[a-z0-9]+:[0-9a-fA-F]+$/.test(h)) throw new CliError(`--hash must look like sha256:HEX, got ${h}`);
  }
  const refs = positionals.map((p) => parseRequirement(p, values.hash ?? []));
  const maxMb = values['max-artifact-mb'] === undefined ? 50 : Number(values['max-artifact-mb']);
  if (!Number.isFinite(maxMb) || maxMb <= 0)
    throw new CliError('--max-artifact-mb must be a positive number');
  const urls = [values['index-url'], ...(values['extra-index-url'] ?? [])].filter((u) => u !== undefined);
  for (const u of urls) {
    if (!URL.canParse(u) || !/^https?:$/.test(new URL(u).protocol))
      throw new CliError('--index-url and --extra-index-url must be http(s) URLs');
  }
  return { refs, maxMb };
}

/** One requirement's result: a JSON line, or the files on stdout and notes and errors on stderr. */
function print(result: FetchResult, json: boolean | undefined, io: CliIO): void {
  if (json) {
    io.stdout(`${JSON.stringify(result)}\n`);
    return;
  }
  for (const f of result.files)
    io.stdout(`${escapeTerminalLine(f.filename)}  sha256:${f.sha256}  ${f.size} bytes\n`);
  for (const s of result.findings)
    io.stdout(
      `finding ${s.id} (${s.severity}${s.decisive ? ', decisive' : ''}): ${escapeTerminalLine(s.message)}\n`,
    );
  for (const n of result.notes ?? []) io.stderr(`note: ${escapeTerminalLine(n)}\n`);
  for (const e of result.errors) io.stderr(`error: ${escapeTerminalLine(e)}\n`);
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      'index-url': { type: 'string' },
      'extra-index-url': { type: 'string', multiple: true },
      out: { type: 'string' },
      hash: { type: 'string', multiple: true },
      'max-artifact-mb': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}
