// `pypi-malware-gate scan [path] [--base <git-ref>] [--format text|json|markdown|sarif] [--index-url URL]
//  [--fail-on ...] [--lockfile FILE ...] [--config FILE]`: the action's engine and exit policy from a shell.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { collect } from '../../action/collect.js';
import { engineFactory } from '../../action/stages.js';
import { ConfigurationError, type FileConfig, parseConfigFile, resolveConfig } from '../../config.js';
import { discoverLockfiles } from '../../lockfiles/index.js';
import { renderComment } from '../../report/comment.js';
import { renderJson } from '../../report/json.js';
import { renderSarif } from '../../report/sarif.js';
import { renderText } from '../../report/text.js';
import { buildReport, outcome, scan } from '../../scan.js';
import { CliError, type Command } from '../io.js';

const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;

export const scanCommand: Command = {
  async run(args, io) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (err) {
      throw new CliError(err instanceof Error ? err.message : String(err));
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const format = values.format ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format))
      throw new CliError(`--format must be one of ${FORMATS.join(', ')}`);
    const root = resolve(io.cwd, positionals[0] ?? '.');
    const startedAt = new Date();
    let config: ReturnType<typeof resolveConfig>;
    try {
      const configFile = values.config ?? '.github/pypi-malware-gate.yml';
      let file: FileConfig = {};
      if (existsSync(join(root, configFile)))
        file = parseConfigFile(readFileSync(join(root, configFile), 'utf8'), configFile);
      config = resolveConfig(
        {
          failOn: values['fail-on'],
          indexUrl: values['index-url'],
          lockfiles: (values.lockfile ?? []).join('\n'),
        },
        file,
      );
    } catch (err) {
      if (err instanceof ConfigurationError) throw new CliError(err.message);
      throw err;
    }
    const files = config.lockfiles.length > 0 ? config.lockfiles : await discoverLockfiles(root);
    const base = values.base;
    const readHead = (p: string) => {
      try {
        return readFileSync(join(root, p), 'utf8');
      } catch {
        return undefined;
      }
    };
    const readBase = async (p: string): Promise<string | null> => {
      try {
        execFileSync('git', ['rev-parse', '--verify', `${base}^{commit}`], { cwd: root, stdio: 'ignore' });
      } catch {
        throw new Error(`git ref ${base} not found`);
      }
      try {
        return execFileSync('git', ['show', `${base}:${p}`], {
          cwd: root,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
      } catch {
        return null;
      }
    };
    const mode = base ? 'diff' : 'full';
    const collected = await collect({ files, mode, readHead, readBase: base ? readBase : undefined });
    for (const note of collected.notes) io.stderr(`${note}\n`);
    const engine = await engineFactory({ onNotice: (m) => io.stderr(`notice: ${m}\n`), env: io.env })(
      config,
      root,
    );
    await engine.prepare?.(collected.items.map((i) => i.ref));
    const packages = await scan(collected.items, engine.stages, {
      concurrency: 8,
      thresholds: engine.thresholds,
      allow: config.allow,
      rules: config.rules,
      now: () => new Date(),
      modelVersion: engine.modelVersion,
      cache: engine.cache,
    });
    const report = buildReport({
      tool: {
        name: 'pypi-malware-gate',
        version: process.env.PMG_VERSION ?? '0.1.0',
        modelVersion: engine.modelVersion,
      },
      mode,
      lockfiles: collected.lockfiles,
      packages,
      startedAt,
      now: new Date(),
    });
    const render = {
      text: () => renderText(report),
      json: () => renderJson(report),
      sarif: () => renderSarif(report),
      markdown: () =>
        `${renderComment(report, { indexUrl: config.indexUrl, configFile: values.config ?? '.github/pypi-malware-gate.yml' })}\n`,
    }[format as (typeof FORMATS)[number]];
    io.stdout(render());
    const result = outcome(report, config.failOn);
    if (result.failed) io.stderr(`pypi-malware-gate: ${result.reason}\n`);
    return result.failed ? 1 : 0;
  },
};

const USAGE = `usage: pypi-malware-gate scan [path] [--base <git-ref>] [--format text|json|markdown|sarif]
       [--index-url URL] [--fail-on malicious|suspicious|never] [--lockfile FILE ...] [--config FILE]
exit: 0 clean, 1 failed by policy (or nothing scanned because of errors), 2 usage or configuration error`;

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      base: { type: 'string' },
      format: { type: 'string' },
      'index-url': { type: 'string' },
      'fail-on': { type: 'string' },
      lockfile: { type: 'string', multiple: true },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
