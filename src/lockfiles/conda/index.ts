// conda environment.yml: the pip section (pip syntax, one requirement per item); conda packages are not PyPI's.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { LockfileResult } from '../../types.js';
import { errorResult } from '../common.js';
import type { ParseOptions } from '../parser.js';
import { parseRequirements } from '../requirements/index.js';

export function parseConda(content: string, path: string, opts: ParseOptions = {}): LockfileResult {
  const counter = new LineCounter();
  const doc = parseDocument(content, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    return errorResult(
      path,
      'conda',
      `invalid YAML: ${e.message.split('\n')[0]}`,
      counter.linePos(e.pos[0]).line,
    );
  }
  const root = doc.contents;
  const deps = isMap(root) ? root.get('dependencies', true) : undefined;
  if (!isMap(root) || (deps !== undefined && !isSeq(deps))) {
    return errorResult(path, 'conda', 'not a conda environment file: no dependencies list');
  }
  // Each pip item becomes one line of a requirements text placed at the item's own line number, so the
  // requirements parser (options, hashes, includes) handles it and lines stay true to the YAML.
  const reqLines: string[] = [];
  let condaCount = 0;
  for (const item of isSeq(deps) ? deps.items : []) {
    if (isScalar(item)) {
      condaCount++;
      continue;
    }
    const pip = isMap(item) ? item.get('pip', true) : undefined;
    if (!isSeq(pip)) continue;
    for (const p of pip.items) {
      if (!isScalar(p) || !p.range) continue;
      const line = counter.linePos(p.range[0]).line;
      while (reqLines.length < line - 1) reqLines.push('');
      reqLines[line - 1] = String(p.value).replace(/\\$/, '');
    }
  }
  const result = parseRequirements(reqLines.join('\n'), path, opts);
  result.format = 'conda';
  if (condaCount) {
    result.issues.push({
      file: path,
      kind: 'skipped',
      message: `${condaCount} conda package(s) come from conda channels, not PyPI: not scanned`,
    });
  }
  return result;
}
