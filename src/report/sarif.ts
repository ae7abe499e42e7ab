// SARIF 2.1.0 for GitHub code scanning: one rule per detection id (evidence rule, signal id, or the model
// score), each result located at the lockfile line (startLine >= 1), the in-package file:line as a
// related location. Text stays raw: SARIF is JSON, and code scanning renders message.text as plain text.
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { PackageVerdict, ScanReport } from '../types.js';
import { flagged, gapLines, scoreText, topEvidence, versionText } from './common.js';

const MODEL_RULE = 'model-score';
const UNSCANNABLE_RULE = 'unscannable';

function ruleIdFor(p: PackageVerdict): string {
  if (p.verdict === 'unscannable') return UNSCANNABLE_RULE;
  const decisive = p.signals.find((s) => s.decisive);
  if (decisive) return decisive.id;
  return topEvidence(p)[0]?.rule ?? p.signals[0]?.id ?? MODEL_RULE;
}

const toUri = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

export function renderSarif(
  report: ScanReport,
  informationUri = 'https://github.com/',
  options: { failOnUnscannable?: boolean } = {},
): string {
  const rules = new Map<string, ReportingDescriptor>();
  const addRule = (id: string, description: string) => {
    if (!rules.has(id))
      rules.set(id, { id, shortDescription: { text: description }, helpUri: informationUri });
  };
  const results: Result[] = flagged(report).map((p) => {
    const ruleId = ruleIdFor(p);
    const evidence = topEvidence(p, 5);
    const first = evidence.find((e) => e.rule === ruleId);
    addRule(
      ruleId,
      ruleId === MODEL_RULE
        ? 'The model scores this package as likely malicious'
        : ruleId === UNSCANNABLE_RULE
          ? 'A package the gate could not analyse completely (fails closed)'
          : (first?.message ?? p.signals.find((s) => s.id === ruleId)?.message ?? `Detection ${ruleId}`),
    );
    const text =
      p.verdict === 'unscannable'
        ? `${p.ref.name} ${versionText(p)} is unscannable: not analysed: ${gapLines(p, 5).join('; ')}`
        : `${p.ref.name} ${versionText(p)} is ${p.verdict} (score ${scoreText(p)}). ${p.reasons.slice(0, 3).join('; ')}`;
    return {
      ruleId,
      level:
        p.verdict === 'malicious' || (p.verdict === 'unscannable' && (options.failOnUnscannable ?? true))
          ? 'error'
          : 'warning',
      message: { text },
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
          // In-package paths are not repository files; prefixed so they never collide with one.
          artifactLocation: { uri: toUri(`${p.ref.name}-${p.ref.version ?? 'unknown'}/${e.path}`) },
          region: { startLine: Math.max(1, e.line) },
        },
        message: { text: `${e.rule}: ${e.snippet}` },
      })),
      partialFingerprints: {
        packageVersion: `${p.ref.name}@${p.ref.version ?? ''}:${ruleId}`,
      },
      properties: {
        package: p.ref.name,
        version: p.ref.version,
        verdict: p.verdict,
        score: p.score,
        ...(p.gaps ? { gaps: p.gaps } : {}),
      },
    };
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
