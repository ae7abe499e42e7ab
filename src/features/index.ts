// ArchiveView -> Analysis: the named feature vector, the hashed text tokens and the located evidence behind
// them. Each Python file is parsed once (src/python) and the same parse feeds the rules and every feature
// group; non-Python scripts get the text rules. Pure after initPython(): no I/O.
import { UnitCandidates, unitView } from './unit.js';
import { decodeSource, decodeText } from '../archive/index.js';
import {
  fileRole,
  initPython,
  type FileRole,
  isStartupModule,
  type ParsedFile,
  parsePython,
  scriptFiles,
  startupModules,
} from '../python/index.js';
import { looksLikePickle, PICKLE_FILE, runRules, runTextRules, scanModelFile } from '../rules/index.js';
import {
  type Analysis,
  type ArchiveEntry,
  type ArchiveView,
  EVIDENCE_CATEGORIES,
  type Evidence,
  type Gap,
  type Severity,
} from '../types.js';
import { type AnalysisBudget, type BudgetClock, BudgetMeter, type BudgetStage } from './budget.js';
import { unreadBytecode } from './bytecode.js';
import { emptyRunFiles, filesRunBy, fileRoleRunAs, linkNames, ROLE_RANK, type RunLink } from './run-files.js';
import { CodeCounts, codeFeatureNames } from './code.js';
import { cleanPath, FileStats, innerPath } from './files.js';
import { IndicatorStats } from './indicators.js';
import {
  metadataFeatures,
  metadataFromPyproject,
  metadataFromSetup,
  metadataFromSetupCfg,
  mergeMetadata,
  type PackageMetadata,
  parseCoreMetadata,
} from './metadata.js';
import { ObfuscationStats } from './obfuscation.js';
import { decodePayload } from './payloads.js';
import { TokenBag } from './tokens.js';

export { TOKEN_BUCKETS } from './tokens.js';
export type { PackageMetadata } from './metadata.js';

const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };
/** Located evidence kept per rule and file, and in all: counts go into features either way. */
const EVIDENCE_PER_RULE_FILE = 5;
const EVIDENCE_TOTAL = 300;
const PYTHON_FILE = /\.(py|pyw|pth)$/i;
const PYTHON_SHEBANG = /^#!.*\bpython[\d.]*\b/;
const TEXT_FILE = /\.(sh|bash|zsh|bat|cmd|ps1|psm1|vbs|js|mjs|cjs)$/i;
const MAX_TEXT_BYTES = 5 * 1024 * 1024;
/** Files run as Python that run files in turn: followed this many steps (each step reads an entry once). */
const MAX_RUN_FILE_ROUNDS = 4;

// Rule evidence reaches the model by category and by where it runs, never by rule id: a rule can be added,
// renamed or retuned without retraining (its hits count in its category), and the model cannot lean on one
// rule's quirks. Per category: hits at install/import time, hits elsewhere, and the strongest early severity.
const RULE_AGGREGATES = EVIDENCE_CATEGORIES.flatMap((c) => [
  `rule.${c}.early`,
  `rule.${c}.late`,
  `rule.${c}.early_max_severity`,
]);

const OTHER_NAMES = [
  'rule.max_severity_early',
  'rule.max_severity',
  'rule.critical_early',
  'rule.high_early',
  'rule.distinct_early',
  'install.setup_py',
  'install.cmdclass',
  'install.setup_keywords',
  'install.setup_toplevel_statements',
  'install.setup_toplevel_calls',
  'install.pth_code_lines',
  'parse.error_share',
  'parse.unparsed_files',
  'text.lossy_files',
  'payload.decoded',
  'payload.decoded_python',
  'payload.max_layers',
];
/** Literals decoded per file, and how deep decoded code is unpacked again. */
const MAX_DECODES_PER_FILE = 50;
const MAX_PAYLOAD_DEPTH = 2;

const META_NAMES = Object.keys(metadataFeatures({ projectUrls: [], classifiers: [], requires: [] }, false));
const FILE_NAMES = Object.keys(new FileStats().toRecord());
const OBF_NAMES = Object.keys(new ObfuscationStats().toRecord());
const IOC_NAMES = Object.keys(new IndicatorStats().toRecord());

/** Every feature, in the vector's order: the contract with models/model.json (a test checks they agree). */
export const FEATURE_NAMES: readonly string[] = [
  ...META_NAMES,
  ...FILE_NAMES,
  ...codeFeatureNames(),
  ...OBF_NAMES,
  ...IOC_NAMES,
  ...RULE_AGGREGATES,
  ...OTHER_NAMES,
];

/** Loads the parser once; extractFeatures is synchronous afterwards. */
export async function initFeatures(): Promise<void> {
  await initPython();
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** The sdist's single top folder ("name-1.0"), when every entry sits under one. */
function commonRoot(view: ArchiveView): string | undefined {
  let root: string | undefined;
  for (const e of view.entries) {
    const clean = cleanPath(e.path);
    const slash = clean.indexOf('/');
    if (slash <= 0) return undefined;
    const top = clean.slice(0, slash);
    if (root === undefined) root = top;
    else if (root !== top) return undefined;
  }
  return root;
}

function isShallow(inner: string): boolean {
  return !inner.includes('/');
}

export interface ExtractOptions {
  /** Limits for this package, over DEFAULT_BUDGET (src/features/budget.ts). */
  budget?: Partial<AnalysisBudget>;
  /** The clock the budget is measured with (tests). */
  clock?: BudgetClock;
  /** Whether to analyse the unit of the strongest evidence alone too (src/features/unit.ts); default true. */
  unit?: boolean;
  /** Files already parsed by the whole-package pass, by stored path: the unit's pass reads them, not the parser. */
  parsed?: ReadonlyMap<string, ParsedFile>;
}

/**
 * Python that runs when the package is installed or imported (setup.py and other top-level modules, any
 * __init__.py, .pth files and the modules they import, sitecustomize/usercustomize): a part of one that was
 * not analysed leaves the package unscannable.
 */
function runsEarly(inner: string, base: string, role: FileRole | undefined): boolean {
  const name = base.toLowerCase();
  if (name === '__init__.py' || name.endsWith('.pth') || role === 'startup') return true;
  if (name === 'sitecustomize.py' || name === 'usercustomize.py') return true;
  return !inner.includes('/');
}

/**
 * Extract features and evidence from an archive that was read. Never throws on package content. When the
 * budget runs out it stops and says where in a Gap; so does a file it could not parse or read whole that
 * runs at install or import time.
 */
export function extractFeatures(view: ArchiveView, options: ExtractOptions = {}): Analysis {
  const meter = new BudgetMeter(options.budget, options.clock);
  const gaps: Gap[] = [];
  let stopped = false;
  const outOfBudget = (stage: BudgetStage, path: string) => {
    stopped = true;
    gaps.push({
      stage: 'budget',
      path,
      reason: `analysis stopped during ${stage} of ${path}: the budget of ${meter.exceeded} ran out (files after it were not analysed)`,
    });
  };
  const parseOptions = {
    shouldStop: () => meter.spent(),
    maxHeapBytes: meter.limits.parserHeapBytes,
    maxNodes: meter.limits.fileNodes,
  };
  const notes: string[] = [];
  const evidence: Evidence[] = [];
  const files = new FileStats();
  const code = new CodeCounts();
  const obf = new ObfuscationStats();
  const ioc = new IndicatorStats();
  const tokens = new TokenBag();
  const ruleCounts = new Map<string, number>();
  /** Distinct rule ids by where they ran (for rule.distinct_early). */
  const ruleKinds = new Set<string>();
  const root = view.kind === 'wheel' ? undefined : commonRoot(view);
  const metaSources: {
    core?: PackageMetadata;
    setup?: PackageMetadata;
    cfg?: PackageMetadata;
    py?: PackageMetadata;
  } = {};
  let licenseFile = false;
  let readmeLength = 0;
  let parsedFiles = 0;
  let unparsed = 0;
  let errorFiles = 0;
  let lossy = 0;
  const other: Record<string, number> = Object.fromEntries(OTHER_NAMES.map((n) => [n, 0]));
  const candidates = options.unit === false ? undefined : new UnitCandidates<ParsedFile>();

  const record = (items: Evidence[]) => {
    const perKey = new Map<string, number>();
    for (const e of items) {
      // A rule that failed on a file left that file not analysed completely: fail closed.
      if (e.rule === 'rule-error')
        gaps.push({ stage: 'analysis', path: e.path, reason: e.message ?? `a rule failed on ${e.path}` });
      const early = e.context === 'install' || e.context === 'import' || e.context === undefined;
      ruleKinds.add(`${e.rule}.${early ? 'early' : 'late'}`);
      const key = `rule.${e.category}.${early ? 'early' : 'late'}`;
      ruleCounts.set(key, (ruleCounts.get(key) ?? 0) + 1);
      const rank = SEVERITY_RANK[e.severity];
      if (early) {
        const maxKey = `rule.${e.category}.early_max_severity`;
        ruleCounts.set(maxKey, Math.max(ruleCounts.get(maxKey) ?? 0, rank));
        other['rule.max_severity_early'] = Math.max(other['rule.max_severity_early']!, rank);
        if (e.severity === 'critical') other['rule.critical_early']!++;
        if (e.severity === 'high') other['rule.high_early']!++;
      }
      other['rule.max_severity'] = Math.max(other['rule.max_severity']!, rank);
      const seen = perKey.get(e.rule) ?? 0;
      perKey.set(e.rule, seen + 1);
      if (seen < EVIDENCE_PER_RULE_FILE) evidence.push(e);
    }
  };

  // Modules a .pth line imports run at every interpreter start, like the line itself.
  const startup = startupModules(
    view.entries
      .filter((e) => e.data && /\.pth$/i.test(e.path))
      .map((e) => decodeText(e.data as Uint8Array).text),
  );
  // Maintainer scripts outside the installed packages (dev/, tools/, shebang scripts) never run on import.
  const isScript = scriptFiles(
    view.entries.map((e) => innerPath(e.path, root)),
    view.kind === 'wheel',
  );
  const roleOf = (path: string, inner: string): FileRole | undefined => {
    if (isStartupModule(startup, inner)) return 'startup';
    const role = fileRole(path);
    return (role === 'init' || role === 'module') && isScript(inner) ? 'script' : undefined;
  };
  const storedPaths = new Set(view.entries.map((e) => e.path));
  /** Python files parsed as themselves, with why their text is not what Python would run, if it is not. */
  const pythonRead = new Map<string, string | undefined>();
  const runFiles = emptyRunFiles();
  for (const entry of view.entries) {
    if (stopped) break;
    const inner = innerPath(entry.path, root);
    const base = inner.slice(inner.lastIndexOf('/') + 1);
    // Links (tar links resolved to their target's content, zip entries pip writes as files) carry data too.
    const data = entry.data;
    let isPython = PYTHON_FILE.test(base);
    let text: string | undefined;
    if (data && !isPython && data.length > 2 && data[0] === 0x23 && data[1] === 0x21) {
      const firstLine = decoder.decode(data.subarray(0, 200)).split('\n')[0] ?? '';
      if (PYTHON_SHEBANG.test(firstLine)) isPython = true;
    }
    files.add(entry, inner, isPython);
    const bytecode =
      entry.type !== 'dir' ? unreadBytecode(entry.path, data, storedPaths, view.kind === 'wheel') : undefined;
    if (bytecode) gaps.push({ stage: 'archive', path: entry.path, reason: bytecode });
    if (!data) {
      if (entry.type === 'file' && entry.truncated)
        notes.push(`${entry.path}: over the per-file read limit, not analysed`);
      continue;
    }
    // Pickles and torch checkpoints (zip): an opcode scan for callables that run on load, never unpickled.
    if (PICKLE_FILE.test(base) && (looksLikePickle(data) || (data[0] === 0x50 && data[1] === 0x4b))) {
      record(scanModelFile(entry.path, data));
      continue;
    }
    if (/\.(dist-info)\/METADATA$/.test(inner) || (base === 'PKG-INFO' && isShallow(inner))) {
      metaSources.core ??= parseCoreMetadata(decodeText(data).text);
      continue;
    }
    if (isShallow(inner) && /^(LICEN[CS]E|COPYING)/i.test(base)) licenseFile = true;
    if (isShallow(inner) && /^README/i.test(base)) readmeLength = Math.max(readmeLength, data.length);
    if (isShallow(inner) && base === 'setup.cfg')
      metaSources.cfg = metadataFromSetupCfg(decodeText(data).text);
    if (isShallow(inner) && base === 'pyproject.toml')
      metaSources.py = metadataFromPyproject(decodeText(data).text);

    if (isPython) {
      // Modules as CPython reads them (PEP 263 declarations; an undecodable one is a gap from the archive
      // stage); a .pth as site.py reads it, UTF-8 whatever it declares.
      const decoded = /\.pth$/i.test(base) ? decodeText(data) : decodeSource(data);
      text = decoded.text;
      if (decoded.lossy) lossy++;
      // Parse with the in-archive path minus the sdist root, so roles (setup.py, tests/) are judged right;
      // evidence keeps the path as stored.
      const path = root ? `${root}/${inner}` : inner;
      const fileRoleOverride = roleOf(path, inner);
      const parsed =
        options.parsed?.get(entry.path) ?? parsePython(text, path, fileRoleOverride, parseOptions);
      if (parsed.stopped) {
        meter.fail(parsed.stopped);
        outOfBudget('parse', entry.path);
        break;
      }
      pythonRead.set(
        entry.path,
        entry.truncated
          ? 'is larger than the per-file read limit'
          : decoded.lossy || text.includes('\0')
            ? 'is not text (compressed, encrypted or compiled)'
            : !parsed.parsed || parsed.errorNodes > 0
              ? 'does not parse as Python'
              : undefined,
      );
      const early = runsEarly(inner, base, fileRoleOverride);
      if (entry.truncated && early)
        gaps.push({
          stage: 'archive',
          path: entry.path,
          reason: `${entry.path} is larger than the per-file read limit: only its first ${data.length} bytes were analysed`,
        });
      if (!parsed.parsed) {
        // Too large (or refused by the parser): the line-level rules still read it.
        record(runTextRules(entry.path, text, true));
        // A file whose analysis failed (not one the parser refused) is a gap wherever it runs.
        if (early || parsed.failed)
          gaps.push({
            stage: 'parse',
            path: entry.path,
            reason: parsed.parseError ?? `${entry.path} was not parsed`,
          });
      }
      parsedFiles++;
      if (!parsed.parsed) {
        unparsed++;
        if (parsed.parseError) notes.push(parsed.parseError);
      } else if (parsed.errorNodes > 0) errorFiles++;
      const before = evidence.length;
      analysePython(parsed, entry.path, fileRoleOverride);
      filesRunBy(parsed, runFiles);
      candidates?.offer(entry.path, evidence.slice(before), parsed);
      if (!stopped && meter.spent()) outOfBudget('rules', entry.path);
    } else if (TEXT_FILE.test(base) && data.length <= MAX_TEXT_BYTES) {
      const decoded = decodeText(data);
      record(runTextRules(entry.path, decoded.text));
      if (meter.spent()) outOfBudget('rules', entry.path);
      for (const line of decoded.text.split(/\r?\n/, 2000)) ioc.addString(line, false);
    }
  }

  // Data files the code runs as Python, read as the module they become (src/features/run-files.ts), and the
  // files they run in turn. A file named only somewhere in a runner's file that does not parse cleanly is
  // prose or data; one named in the runner's own arguments that cannot be read as Python is a gap.
  const runDone = new Set<string>(pythonRead.keys());
  const isStored = (path: string) => storedPaths.has(path);
  const byBase = new Map<string, ArchiveEntry[]>();
  for (const entry of view.entries) {
    if (entry.type === 'dir') continue; // a link carries its target's data (src/archive/links.ts)
    const base = entry.path.slice(entry.path.lastIndexOf('/') + 1);
    const list = byBase.get(base);
    if (list) list.push(entry);
    else byBase.set(base, [entry]);
  }
  const gapFor = (entry: ArchiveEntry, link: RunLink, why: string) =>
    gaps.push({
      stage: 'parse',
      path: entry.path,
      reason: `${entry.path} is run as Python (${link.by}) but ${why}: the gate cannot read what runs`,
    });
  const runFileWanted = (): ArchiveEntry[] => {
    const out: ArchiveEntry[] = [];
    for (const [base, entries] of byBase) {
      const linked = runFiles.linked.get(base);
      if (!linked && !runFiles.named.has(base)) continue;
      for (const entry of entries)
        if (
          !runDone.has(entry.path) &&
          (!linked || linkNames(linked, entry.path, root ?? '', isStored) || runFiles.named.has(base))
        )
          out.push(entry);
    }
    return out;
  };
  // Python files the code runs whose text could not be read as Python (a binary payload named `_data.py`).
  for (const [path, why] of pythonRead) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    const linked = runFiles.linked.get(base);
    if (why && linked && !linked.onPath && linkNames(linked, path, root ?? '', isStored))
      gapFor(view.entries.find((e) => e.path === path)!, linked, why);
  }
  let wanted = runFileWanted();
  for (let round = 0; round < MAX_RUN_FILE_ROUNDS && !stopped && wanted.length > 0; round++) {
    for (const entry of wanted) {
      if (stopped) break;
      runDone.add(entry.path);
      const base = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      const found = runFiles.linked.get(base);
      const isZip = entry.data?.[0] === 0x50 && entry.data[1] === 0x4b;
      // A file named only on sys.path is imported from when it is a zip; any other file there is inert.
      const linked =
        found && linkNames(found, entry.path, root ?? '', isStored) && (!found.onPath || isZip)
          ? found
          : undefined;
      if (found?.onPath && !linked && !runFiles.named.has(base)) continue;
      const named = runFiles.named.get(base);
      const role =
        linked && (named === undefined || ROLE_RANK[linked.role] >= ROLE_RANK[named])
          ? linked.role
          : (named ?? 'runtime');
      const unread = (why: string) => {
        if (linked) gapFor(entry, linked, why);
      };
      const data = entry.data;
      if (!data || entry.truncated) {
        unread(entry.truncated ? 'is larger than the per-file read limit' : 'was not read');
        continue;
      }
      if (data.length > MAX_TEXT_BYTES) {
        unread(`is larger than ${MAX_TEXT_BYTES} bytes`);
        continue;
      }
      if (linked?.transformed) {
        unread('is changed (decoded, reversed, replaced) between reading and running');
        continue;
      }
      const decoded = decodeText(data);
      if (decoded.lossy || decoded.text.includes('\0')) {
        unread(
          /\.(zip|egg|whl|pyz)$/i.test(base) || (data[0] === 0x50 && data[1] === 0x4b)
            ? 'is an archive, and archives inside archives are not opened'
            : 'is not text (compressed, encrypted or compiled)',
        );
        continue;
      }
      const override = fileRoleRunAs(role);
      const parsed = parsePython(decoded.text, entry.path, override, parseOptions);
      if (parsed.stopped) {
        meter.fail(parsed.stopped);
        outOfBudget('parse', entry.path);
        break;
      }
      if (!parsed.parsed || parsed.errorNodes > 0) {
        unread('does not parse as Python');
        continue;
      }
      // A file only named near a runner is code only if it calls something; one the runner is handed is code.
      if (!linked && parsed.calls.length === 0) continue;
      const before = evidence.length;
      analysePython(parsed, entry.path, override);
      filesRunBy(parsed, runFiles);
      candidates?.offer(entry.path, evidence.slice(before), parsed);
      if (!stopped && meter.spent()) outOfBudget('rules', entry.path);
    }
    wanted = runFileWanted();
  }
  // Run files that run others past the last round: what they run was not read.
  if (!stopped)
    for (const entry of wanted) {
      const base = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      const linked = runFiles.linked.get(base);
      if (linked && !linked.onPath && linkNames(linked, entry.path, root ?? '', isStored))
        gapFor(
          entry,
          linked,
          `is more than ${MAX_RUN_FILE_ROUNDS} files deep in a chain of files run as Python`,
        );
    }

  function analysePython(parsed: ParsedFile, storedPath: string, roleOverride?: FileRole): void {
    const role = fileRole(parsed.path);
    const isTest = role === 'test';
    const hits = runRules(parsed);
    // Fresh objects from runRules: relabelled in place rather than copied (a file can have thousands).
    for (const e of hits) e.path = storedPath;
    record(hits);
    code.add(parsed);
    const names = new Set(parsed.identifiers);
    obf.add(parsed, names, isTest);
    if (role === 'setup') {
      other['install.setup_py'] = 1;
      other['install.setup_toplevel_statements']! += parsed.topLevelStatements;
      other['install.setup_toplevel_calls']! += parsed.calls.filter(
        (c) =>
          !c.nestedIn &&
          c.role === 'install' &&
          !/^(setup|setuptools\.setup|find_packages|open|<expr>\.\w+|os\.path\.\w+|print|dict|list)$/.test(
            c.name,
          ),
      ).length;
      if (parsed.setupCall) {
        other['install.setup_keywords'] = parsed.setupCall.keywords.length;
        metaSources.setup = metadataFromSetup(parsed.setupCall);
      }
    }
    if (parsed.cmdclass) other['install.cmdclass'] = 1;
    if (role === 'pth')
      other['install.pth_code_lines']! += parsed.lines.filter((l) => /^\s*import\s/.test(l)).length;
    unpackPayloads(parsed, storedPath, role, 0, undefined, roleOverride);
    for (const name of names) tokens.add('id', name);
    for (const call of parsed.calls) tokens.add('call', call.name);
    for (const imp of parsed.imports) tokens.add('mod', imp.module || (imp.name ?? ''));
    for (const s of parsed.strings) {
      const early = s.role === 'install' || s.role === 'import';
      if (!isTest) {
        ioc.addString(s.value, early);
        tokens.addWords('str', s.value, 500);
      }
    }
  }

  /** Analyses Python hidden in encoded literals as if it stood where the literal stands. */
  function unpackPayloads(
    parsed: ParsedFile,
    storedPath: string,
    role: string,
    depth: number,
    anchorLine?: number,
    roleOverride?: FileRole,
  ): void {
    if (role === 'test' || depth >= MAX_PAYLOAD_DEPTH) return;
    let decodes = 0;
    for (const s of parsed.strings) {
      if (stopped) return;
      if (s.length < 40 || decodes >= MAX_DECODES_PER_FILE) continue;
      const payload = decodePayload(s.value);
      if (!payload) continue;
      if (meter.decode(payload.text.length)) {
        outOfBudget('payload decoding', storedPath);
        return;
      }
      decodes++;
      other['payload.decoded']!++;
      other['payload.max_layers'] = Math.max(other['payload.max_layers']!, payload.layers.length);
      if (!payload.python) continue;
      other['payload.decoded_python']!++;
      // Same path and role, so the decoded code gets the role of the file that carries it (setup.py: install time).
      const inner = parsePython(payload.text, parsed.path, roleOverride, parseOptions);
      if (inner.stopped) {
        meter.fail(inner.stopped);
        outOfBudget('payload decoding', storedPath);
        return;
      }
      const hits = runRules(inner).map((e) => ({
        ...e,
        path: storedPath,
        line: anchorLine ?? s.line,
        message: `in ${payload.layers.join('+')}-decoded code (its line ${e.line}): ${e.message ?? e.snippet}`,
      }));
      record(hits);
      code.add(inner);
      for (const call of inner.calls) tokens.add('call', call.name);
      for (const imp of inner.imports) tokens.add('mod', imp.module || (imp.name ?? ''));
      for (const str of inner.strings) ioc.addString(str.value, s.role === 'install' || s.role === 'import');
      unpackPayloads(inner, storedPath, role, depth + 1, anchorLine ?? s.line, roleOverride);
    }
  }

  const meta = mergeMetadata(
    metaSources.core ?? { projectUrls: [], classifiers: [], requires: [] },
    ...[metaSources.setup, metaSources.cfg, metaSources.py].filter(
      (m): m is PackageMetadata => m !== undefined,
    ),
  );
  const metaRecord = metadataFeatures(meta, licenseFile);
  // A description may live in the README the metadata points to; count whichever is longer.
  metaRecord['meta.description_len'] = Math.max(metaRecord['meta.description_len'] ?? 0, readmeLength);
  if (readmeLength >= 20) metaRecord['meta.description_empty'] = 0;
  metaRecord['meta.license_declared'] = Math.max(
    metaRecord['meta.license_declared'] ?? 0,
    licenseFile ? 1 : 0,
  );
  tokens.addWords('desc', `${meta.summary ?? ''} ${meta.description ?? ''}`, 2000);

  other['rule.distinct_early'] = [...ruleKinds].filter((k) => k.endsWith('.early')).length;
  other['parse.error_share'] = parsedFiles > 0 ? errorFiles / parsedFiles : 0;
  other['parse.unparsed_files'] = unparsed;
  other['text.lossy_files'] = lossy;
  if (lossy > 0) notes.push(`${lossy} Python file(s) were not valid UTF-8 (decoded with replacement)`);

  const features: Record<string, number> = {};
  const sources = [metaRecord, files.toRecord(), code.toRecord(), obf.toRecord(), ioc.toRecord(), other];
  for (const name of FEATURE_NAMES) features[name] = 0;
  for (const source of sources)
    for (const [k, v] of Object.entries(source)) if (k in features) features[k] = v;
  for (const [k, v] of ruleCounts) if (k in features) features[k] = v;

  evidence.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  if (evidence.length > EVIDENCE_TOTAL) {
    notes.push(`${evidence.length - EVIDENCE_TOTAL} lower-severity evidence items not listed`);
    evidence.length = EVIDENCE_TOTAL;
  }
  const analysis: Analysis = { features, tokens: tokens.toRecord(), evidence, notes };
  const unit = options.unit === false || stopped ? undefined : unitView(view, evidence);
  if (unit) {
    // The unit shares the package's budget: padding cannot buy a second one. Running out here loses only
    // the score that keeps an implant from being diluted, but that is still less than the gate claims to
    // analyse, so it is a gap. Other gaps of the unit (a cut or unparsed file) are the whole pass's already.
    const budget = { ...options.budget, ...meter.remaining() };
    const alone = extractFeatures(unit.view, {
      ...options,
      budget,
      unit: false,
      parsed: candidates?.kept.has(unit.path)
        ? new Map([[unit.path, candidates.kept.get(unit.path)!]])
        : undefined,
    });
    if (alone.gaps?.some((g) => g.stage === 'budget'))
      gaps.push({
        stage: 'budget',
        path: unit.path,
        reason: `the budget ran out while ${unit.path} was scored alone (the file of the strongest evidence, which keeps an implant from being diluted by the rest of the package)`,
      });
    else if (!alone.gaps?.length)
      analysis.unit = { path: unit.path, features: alone.features, tokens: alone.tokens };
  }
  if (gaps.length > 0) analysis.gaps = gaps;
  return analysis;
}
