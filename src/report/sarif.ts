// SARIF 2.1.0 for GitHub code scanning. One stable ruleId per rule (the evidence rule, signal id, or the
// policy's model-score / unscannable), described by the rule's own description and rationale from the
// catalog (src/report/rule-catalog.ts) with a helpUri into docs/rules.md and a security-severity; each
// result at the lockfile line (startLine >= 1) with the in-package file:line as related locations; allowed
// packages as suppressed results (the allow entry's reason as the justification). Text stays raw: SARIF is
// JSON, and code scanning renders message.text as plain text.
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { normalizeName } from '../names.js';
import type { PackageVerdict, ScanReport } from '../types.js';
import { flagged, gapLines, notableSignals, topEvidence, versionText, whyText } from './common.js';
import { PROJECT_URL, type RuleDoc, ruleCatalog, SECURITY_SEVERITY } from './rule-catalog.js';

const MODEL_RULE = 'model-score';
const UNSCANNABLE_RULE = 'unscannable';
const RULES_DOC = `${PROJECT_URL}/blob/main/docs/rules.md`;

function ruleIdFor(p: PackageVerdict): string {
  if (p.verdict === 'unscannable' || (p.verdict === 'allowed' && (p.gaps?.length ?? 0) > 0))
    return UNSCANNABLE_RULE;
  const decisive = p.signals.find((s) => s.decisive);
  if (decisive) return decisive.id;
  return topEvidence(p)[0]?.rule ?? notableSignals(p)[0]?.id ?? MODEL_RULE;
}

const toUri = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/**
 * In-package paths are not repository files: they are put under `<name>-<version>/` so they never collide
 * with one, unless the path already starts there (an sdist's own top folder), so the prefix is not doubled.
 */
function packagePath(p: PackageVerdict, path: string): string {
  const version = p.ref.version ?? p.resolvedVersion ?? 'unknown';
  const top = path.split('/')[0] ?? '';
  return normalizeName(top) === normalizeName(`${p.ref.name}-${version}`)
    ? path
    : `${p.ref.name}-${version}/${path}`;
}

function descriptor(id: string, doc: RuleDoc | undefined): ReportingDescriptor {
  const description = doc?.description ?? `Finding ${id}`;
  const firstSentence = /^.*?[.!?](\s|$)/.exec(description)?.[0]?.trim() ?? description;
  const help = [
    doc?.rationale && `Why it matters: ${doc.rationale}`,
    doc?.action && `What to do: ${doc.action}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  return {
    id,
    name: id.replace(/(^|-)([a-z0-9])/g, (_, _dash, c: string) => c.toUpperCase()),
    shortDescription: { text: firstSentence },
    fullDescription: { text: description },
    ...(help ? { help: { text: help, markdown: help } } : {}),
    helpUri: `${RULES_DOC}#${id}`,
    defaultConfiguration: {
      level:
        doc?.severity === 'critical' || doc?.severity === 'high' || id === UNSCANNABLE_RULE
          ? 'error'
          : 'warning',
    },
    properties: {
      'security-severity': SECURITY_SEVERITY[doc?.severity ?? 'high'],
      tags: ['security', 'supply-chain', 'malware', ...(doc ? [doc.kind] : [])],
      precision: doc?.kind === 'signal' ? 'medium' : 'high',
    },
  };
}

/** What was found, where, and what to do, in plain words. */
function messageText(p: PackageVerdict, ruleId: string): string {
  const what = `${p.ref.name} ${versionText(p)}`;
  if (ruleId === UNSCANNABLE_RULE)
    return `${what} could not be analysed completely, so it is not known to be safe: ${gapLines(p, 5).join('; ')}. Fix the cause and re-run, or review it and add an allow entry.`;
  const verdict =
    p.verdict === 'allowed' ? `allowed (${p.allowedBy ?? 'allow entry'}), flagged for` : `${p.verdict}:`;
  const advice =
    p.verdict === 'malicious'
      ? 'Do not install it; remove it from the lockfile.'
      : p.verdict === 'suspicious'
        ? 'Review it before merging.'
        : '';
  return `${what} is ${verdict} ${whyText(p)}. ${advice}`.trim();
}

export function renderSarif(
  report: ScanReport,
  informationUri = PROJECT_URL,
  options: { failOnUnscannable?: boolean } = {},
): string {
  const catalog = new Map(ruleCatalog().map((r) => [r.id, r]));
  const rules = new Map<string, ReportingDescriptor>();
  const allowed = report.packages.filter(
    (p) =>
      p.verdict === 'allowed' && (p.evidence.length > 0 || notableSignals(p).length > 0 || p.gaps?.length),
  );
  const results: Result[] = [...flagged(report), ...allowed].map((p) => {
    const ruleId = ruleIdFor(p);
    if (!rules.has(ruleId)) rules.set(ruleId, descriptor(ruleId, catalog.get(ruleId)));
    const evidence = topEvidence(p, 5);
    const result: Result = {
      ruleId,
      level:
        p.verdict === 'malicious' || (p.verdict === 'unscannable' && (options.failOnUnscannable ?? true))
          ? 'error'
          : 'warning',
      message: { text: messageText(p, ruleId) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUri(p.ref.file) },
            region: { startLine: Math.max(1, p.ref.line) },
          },
        },
      ],
      relatedLocations: evidence.map((e, id) => ({
        id,
        physicalLocation: {
          artifactLocation: { uri: toUri(packagePath(p, e.path)) },
          region: { startLine: Math.max(1, e.line) },
        },
        message: { text: `${e.rule}: ${e.snippet}` },
      })),
      partialFingerprints: {
        packageVersion: `${p.ref.name}@${p.ref.version ?? p.resolvedVersion ?? ''}:${ruleId}`,
      },
      properties: {
        package: p.ref.name,
        version: p.ref.version ?? p.resolvedVersion ?? null,
        verdict: p.verdict,
        score: p.score,
        ...(p.gaps ? { gaps: p.gaps } : {}),
      },
    };
    if (p.verdict === 'allowed')
      result.suppressions = [
        { kind: 'external', status: 'accepted', justification: `allow entry: ${p.allowedBy ?? ''}` },
      ];
    return result;
  });
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            informationUri,
            rules: [...rules.values()],
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
