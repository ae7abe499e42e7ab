// Measures the typosquat check on real names. Usage: npx tsx scripts/typosquat-survey.ts [corpus dir]
// - popular: names in the bundled list that match (0 by construction) and, leave-one-out, how many
//   would match another popular name if they were not in the list (a proxy for legit names just below it);
// - benign: Debian source package names (benign-debian.tsv `source`), real projects that are not squats;
// - malicious: names of known malicious PyPI uploads (malicious.tsv `name`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeName } from '../src/names.js';
import { bundledPopularNames, popularNamesFrom } from '../src/signals/popular.js';
import { findTyposquat, findTyposquatMatches } from '../src/signals/typosquat.js';

const corpus = process.argv[2] ?? '../shared/corpus';
const popular = bundledPopularNames();

function column(file: string, name: string): string[] {
  const [header, ...rows] = readFileSync(join(corpus, file), 'utf8').split(/\r?\n/).filter(Boolean);
  const at = header!.split('\t').indexOf(name);
  return [...new Set(rows.map((row) => normalizeName(row.split('\t')[at] ?? '')).filter(Boolean))];
}

const share = (hit: number, all: number): string => `${hit}/${all} (${((100 * hit) / all).toFixed(1)}%)`;

function survey(label: string, names: string[], examples = 8): void {
  const hits = names.filter((name) => findTyposquatMatches(name, popular).length > 0);
  const shown = hits.slice(0, examples).map((name) => {
    const [best] = findTyposquatMatches(name, popular);
    return `${name}~${best!.imitates}(${best!.technique})`;
  });
  const high = hits.filter((name) => findTyposquat(name, popular)?.severity === 'high').length;
  console.log(
    `${label}: ${share(hits.length, names.length)} flagged, ${share(high, names.length)} at high; e.g. ${shown.join(', ')}`,
  );
}

survey('popular names (in list)', [...popular.names]);

let leaveOneOut = 0;
const sample = popular.names.filter((_, i) => i % 50 === 0);
for (const name of sample) {
  const without = popularNamesFrom({ source: 'loo', names: popular.names.filter((other) => other !== name) });
  if (findTyposquatMatches(name, without).length > 0) leaveOneOut++;
}
console.log(
  `popular names, leave-one-out (every 50th): ${share(leaveOneOut, sample.length)} would match another`,
);

const benign = column('benign-debian.tsv', 'source').filter((name) => !popular.rank.has(name));
survey('benign Debian source names not in the list', benign);
survey('malicious corpus names', column('malicious.tsv', 'name'));
survey('hard-benign corpus names', column('hard-benign.tsv', 'name'));
