// A synthetic training table shaped like the real one (sources, family and project groups, dates,
// count/ratio/flag features, hashed tokens), for developing and testing the trainer without the corpus.
// Malicious families each draw a few "behaviours" that raise some features and token buckets; benign
// projects draw them too, more rarely; hard-benign rows sit in between. `strength` scales how far the
// behaviours move features, and `shuffleLabels` destroys the signal (a test must then fail to learn).
import { deriveSeed, makeRng, type Rng } from '../../train/prng.js';
import type { FeatureRow, RowSource } from '../../train/table.js';

export interface SyntheticOptions {
  rows: number;
  features: number;
  buckets: number;
  seed: number;
  /** 0 = no signal, 1 = realistic (a few hard cases), 3 = trivially separable. */
  strength: number;
  shuffleLabels: boolean;
  /** How many distinct behaviours families draw from. */
  behaviours: number;
  /** Share of benign projects (and of hard-benign rows) that show some behaviours. */
  benignBehaviourRate: number;
  hardBenignBehaviourRate: number;
  /** Chance a family member lacks one of its family's behaviours. */
  dropout: number;
}

const DEFAULTS: SyntheticOptions = {
  rows: 2000,
  features: 40,
  buckets: 512,
  seed: 7,
  strength: 1,
  shuffleLabels: false,
  behaviours: 24,
  benignBehaviourRate: 0.15,
  hardBenignBehaviourRate: 0.8,
  dropout: 0.15,
};

/** A problem a learner must solve: no benign row shows a behaviour, every malicious row shows all of its. */
export const SEPARABLE: Partial<SyntheticOptions> = {
  strength: 3,
  benignBehaviourRate: 0,
  hardBenignBehaviourRate: 0,
  dropout: 0,
};

export const featureName = (j: number): string => `f${String(j).padStart(3, '0')}`;

export function syntheticTable(options: Partial<SyntheticOptions> = {}): FeatureRow[] {
  const o = { ...DEFAULTS, ...options };
  const rng = makeRng(deriveSeed(o.seed, 'synthetic'));
  // Each behaviour raises a few of the signal features (the first 30%, mostly zero otherwise, like
  // rule counts) and token buckets from the upper half (which the skewed background reaches less).
  const signal = Math.max(1, Math.floor(o.features * 0.3));
  const behaviourFeatures = Array.from({ length: o.behaviours }, () =>
    Array.from({ length: 3 }, () => rng.int(signal)),
  );
  const behaviourTokens = Array.from({ length: o.behaviours }, () =>
    Array.from({ length: 12 }, () => Math.floor(o.buckets / 2) + rng.int(Math.ceil(o.buckets / 2))),
  );
  // Feature kinds: counts (skewed), ratios in [0, 1], flags.
  const kind = Array.from({ length: o.features }, (_, j) =>
    j % 5 === 3 ? 'ratio' : j % 7 === 5 ? 'flag' : 'count',
  );

  const share: [RowSource, number][] = [
    ['malicious', 0.355],
    ['benign-sdist', 0.3],
    ['benign-wheel', 0.333],
    ['hard-benign', 0.012],
  ];
  const rows: FeatureRow[] = [];
  const families: { name: string; behaviours: number[]; left: number }[] = [];
  const projects: { name: string; behaviours: number[]; left: number }[] = [];
  let serial = 0;
  for (const [source, fraction] of share) {
    const count = Math.max(2, Math.round(o.rows * fraction));
    for (let c = 0; c < count; c++) {
      const malicious = source === 'malicious';
      const pool = malicious ? families : projects;
      // Groups: malicious families of 1-3 samples; benign projects with an sdist and often a wheel.
      let group = pool[pool.length - 1];
      if (!group || group.left <= 0) {
        const k = malicious ? 1 + rng.int(3) : source === 'hard-benign' ? 1 : 1 + rng.int(2);
        const n = malicious ? (rng.next() < 0.85 ? 1 : 2 + rng.int(2)) : 1 + rng.int(2);
        group = { name: `${source}-g${pool.length}`, behaviours: pick(rng, o.behaviours, k), left: n };
        const rate = source === 'hard-benign' ? o.hardBenignBehaviourRate : o.benignBehaviourRate;
        if (!malicious && rng.next() >= rate) group.behaviours = [];
        pool.push(group);
      }
      group.left--;
      const id = `${String(serial++).padStart(8, '0')}${source}`;
      const size = Math.exp(rng.next() * 4 + (malicious ? 0.5 : 2));
      const features: Record<string, number> = {};
      for (let j = 0; j < o.features; j++) {
        const kj = kind[j];
        features[featureName(j)] =
          j < signal
            ? rng.next() < 0.05
              ? 1
              : 0
            : kj === 'ratio'
              ? rng.next()
              : kj === 'flag'
                ? rng.next() < 0.3
                  ? 1
                  : 0
                : Math.floor(size * rng.next());
      }
      const tokens: Record<number, number> = {};
      const background = Math.floor(size * 3);
      for (let t = 0; t < background; t++) {
        const b = Math.floor(o.buckets * rng.next() ** 2);
        tokens[b] = (tokens[b] ?? 0) + 1;
      }
      for (const b of group.behaviours) {
        if (rng.next() < o.dropout) continue; // a member may lack one of its family's behaviours
        for (const j of behaviourFeatures[b]!) {
          const kj = kind[j];
          const lift = o.strength * (0.5 + rng.next());
          features[featureName(j)] =
            kj === 'ratio'
              ? Math.min(1, features[featureName(j)]! + 0.3 * lift)
              : kj === 'flag'
                ? 1
                : features[featureName(j)]! + Math.round(4 * lift);
        }
        for (const bucket of behaviourTokens[b]!) {
          if (rng.next() < Math.min(0.9, 0.5 * o.strength))
            tokens[bucket] = (tokens[bucket] ?? 0) + 1 + rng.int(3);
        }
      }
      rows.push({
        id,
        label: malicious ? 1 : 0,
        source,
        group: group.name,
        added: malicious ? randomDate(rng) : undefined,
        name: `pkg${serial}`,
        status: 'ok',
        features,
        tokens,
      });
    }
  }
  if (o.shuffleLabels) {
    const labels = rows.map((r) => r.label);
    const lrng = makeRng(deriveSeed(o.seed, 'shuffle'));
    for (let i = labels.length - 1; i > 0; i--) {
      const j = lrng.int(i + 1);
      [labels[i], labels[j]] = [labels[j]!, labels[i]!];
    }
    rows.forEach((r, i) => {
      r.label = labels[i]!;
    });
  }
  return rows;
}

function pick(rng: Rng, n: number, k: number): number[] {
  const out = new Set<number>();
  while (out.size < Math.min(k, n)) out.add(rng.int(n));
  return [...out];
}

function randomDate(rng: Rng): string {
  const months = ['2023-08', '2024-03', '2024-05', '2024-06', '2024-07', '2024-08', '2024-11'];
  return `${months[rng.int(months.length)]}-${String(1 + rng.int(28)).padStart(2, '0')}`;
}
