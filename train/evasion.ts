// The evasion table: held-out malware rewritten the way an attacker who reads this repository would, and
// implanted into real benign projects (a trojanized release, the commonest real attack), then judged by
// the whole pipeline (extractor, a model, decide()). A deterministic generator: the same seed picks the same
// samples, hosts and rewrites. Everything happens on in-memory archive views: no mutated archive is ever
// written to disk, and nothing here is executed.
import { readFileSync } from 'node:fs';
import { readArchive } from '../src/archive/index.js';
import { extractFeatures } from '../src/features/index.js';
import { unitFile } from '../src/features/unit.js';
import { decide, type Thresholds } from '../src/policy.js';
import type { Analysis, ArchiveEntry, ArchiveView } from '../src/types.js';
import { deriveSeed, makeRng, shuffle } from './prng.js';

export interface Payload {
  name: string;
  /** The malicious package as read. */
  view: ArchiveView;
  /** Its strongest Python file: where the evidence points first. */
  path: string;
  source: string;
}

export interface Host {
  name: string;
  view: ArchiveView;
  /** The sdist root folder ("name-1.0/"), or '' for a wheel. */
  root: string;
  /** The top package's __init__.py (shallowest, not in tests), and setup.py when there is one. */
  init?: string;
  setup?: string;
  /** The top package's import name. */
  pkg?: string;
}

export interface Mutation {
  id: string;
  description: string;
  apply(payload: Payload, host: Host): ArchiveView | undefined;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });
/** A file entry holding `text` (UTF-8), as the archive reader would give it. */
export const fileEntry = (path: string, text: string): ArchiveEntry => {
  const data = enc.encode(text);
  return { path, type: 'file', size: data.length, data };
};
export const textOf = (e: ArchiveEntry | undefined) => (e?.data ? dec.decode(e.data) : '');

/** The view with some files' text replaced and entries added (in memory). */
export function withEntries(
  view: ArchiveView,
  replace: Map<string, string>,
  add: ArchiveEntry[] = [],
): ArchiveView {
  const entries = view.entries.map((e) => {
    const text = replace.get(e.path);
    return text === undefined ? e : fileEntry(e.path, text);
  });
  return { ...view, entries: [...entries, ...add], bytesRead: view.bytesRead };
}

// Rewrites an attacker applies to hide names from a reader (and a scanner that matches names).
const SPLITS: [RegExp, string][] = [
  [/\bos\.system\(/g, "getattr(__import__('o'+'s'), 'sys'+'tem')("],
  [/\bos\.popen\(/g, "getattr(__import__('o'+'s'), 'po'+'pen')("],
  [
    /\bsubprocess\.(Popen|call|run|check_output|check_call)\(/g,
    "getattr(__import__('subpro'+'cess'), '$1')(",
  ],
  [/\bbase64\.b64decode\(/g, "getattr(__import__('bas'+'e64'), 'b64'+'decode')("],
  [/\brequests\.(get|post)\(/g, "getattr(__import__('req'+'uests'), '$1')("],
  [/\burllib\.request\.urlopen\(/g, "getattr(__import__('urllib.request').request, 'url'+'open')("],
  [/(^|[^.\w])exec\(/gm, "$1getattr(__import__('built'+'ins'), 'ex'+'ec')("],
  [/(^|[^.\w])eval\(/gm, "$1getattr(__import__('built'+'ins'), 'ev'+'al')("],
];
const BUILTINS_DICT: [RegExp, string][] = [
  [/(^|[^.\w])exec\(/gm, "$1__import__('builtins').__dict__['ex'+'ec']("],
  [/(^|[^.\w])eval\(/gm, "$1__import__('builtins').__dict__['ev'+'al']("],
  [/\bos\.system\(/g, "__import__('sys').modules['o'+'s'].__dict__['metsys'[::-1]]("],
];
const rewrite = (source: string, table: [RegExp, string][]) =>
  table.reduce((s, [pattern, replacement]) => s.replace(pattern, replacement), source);

const rot13 = (s: string) =>
  s.replace(/[a-zA-Z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });

/** The payload indented into a function started on a thread at import (reachability, not position). */
const inThread = (source: string) =>
  `import threading as _t\ndef _warmup():\n${implant(source)
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n_t.Thread(target=_warmup, daemon=True).start()\n`;

/**
 * The payload as an attacker implants it: its own code plus a call to each of its top-level functions that
 * take no arguments (a payload file's functions are often started by its entry points or other modules; an
 * implant must start them itself), each guarded so one failure does not stop the host's import.
 */
export function implant(payload: string): string {
  const calls = [...payload.matchAll(/^def ([A-Za-z_]\w*)\(\s*\)\s*(->[^:]*)?:/gm)].map(
    (m) => `try:\n    ${m[1]}()\nexcept Exception:\n    pass\n`,
  );
  return `${payload}\n${calls.join('')}`;
}

const append = (host: string, payload: string) => `${host}\n\n${implant(payload)}\n`;

function hostInit(host: Host, code: string): ArchiveView | undefined {
  if (!host.init) return undefined;
  const entry = host.view.entries.find((e) => e.path === host.init);
  return withEntries(host.view, new Map([[host.init, append(textOf(entry), code)]]));
}

export const MUTATIONS: readonly Mutation[] = [
  {
    id: 'original',
    description: 'the held-out sample as published',
    apply: (p) => p.view,
  },
  {
    id: 'padded',
    description: 'the sample plus 12 harmless modules of a benign project (the size prior)',
    apply: (p, h) => {
      const donors = h.view.entries
        .filter((e) => e.type === 'file' && /\.py$/.test(e.path) && !/tests?\//.test(e.path))
        .slice(0, 12);
      const root = p.view.entries[0]?.path.split('/')[0] ?? 'pkg';
      return withEntries(
        p.view,
        new Map(),
        donors.map((e, i) => fileEntry(`${root}/pad/m${i}.py`, textOf(e))),
      );
    },
  },
  {
    id: 'host-init',
    description: "payload appended to a real benign project's package __init__.py",
    apply: (p, h) => hostInit(h, p.source),
  },
  {
    id: 'host-setup',
    description: "payload appended to a real benign project's setup.py",
    apply: (p, h) => {
      if (!h.setup) return undefined;
      const entry = h.view.entries.find((e) => e.path === h.setup);
      return withEntries(h.view, new Map([[h.setup, append(textOf(entry), p.source)]]));
    },
  },
  {
    id: 'host-pth-module',
    description: 'payload moved to pkg/_boot.py of a wheel whose .pth line is `import pkg._boot`',
    apply: (p, h) => {
      if (!h.pkg) return undefined;
      const strip = (path: string) => (h.root && path.startsWith(h.root) ? path.slice(h.root.length) : path);
      const wheel: ArchiveView = {
        ...h.view,
        kind: 'wheel',
        format: 'zip',
        entries: h.view.entries.map((e) => ({ ...e, path: strip(e.path) })),
      };
      return withEntries(wheel, new Map(), [
        fileEntry(`${h.pkg}-startup.pth`, `import ${h.pkg}._boot\n`),
        fileEntry(`${h.pkg}/_boot.py`, implant(p.source)),
      ]);
    },
  },
  {
    id: 'split-strings',
    description: "host __init__.py implant with names split: getattr(__import__('o'+'s'), 'sys'+'tem')",
    apply: (p, h) => hostInit(h, rewrite(p.source, SPLITS)),
  },
  {
    id: 'builtins-dict',
    description: "host __init__.py implant with builtins.__dict__['ex'+'ec'] and sys.modules lookups",
    apply: (p, h) => hostInit(h, rewrite(p.source, BUILTINS_DICT)),
  },
  {
    id: 'rot13-exec',
    description: "host __init__.py implant as exec(codecs.decode('<rot13>', 'rot13'))",
    apply: (p, h) =>
      hostInit(
        h,
        `import codecs\nexec(codecs.decode(${JSON.stringify(rot13(implant(p.source)))}, 'rot13'))\n`,
      ),
  },
  {
    id: 'thread-wrapped',
    description: 'host __init__.py implant inside a function started by threading.Thread(target=...)',
    apply: (p, h) => hostInit(h, inThread(p.source)),
  },
];

/** The strongest Python file of a package: where its first (strongest) evidence points. */
export function payloadOf(name: string, view: ArchiveView, analysis: Analysis): Payload | undefined {
  // The file the gate would score alone (src/features/unit.ts): the strongest behaviour, idioms left out.
  const paths = new Set(view.entries.filter((e) => e.data && /\.py$/.test(e.path)).map((e) => e.path));
  const target = unitFile(analysis.evidence.filter((e) => paths.has(e.path)));
  if (!target) return undefined;
  const source = textOf(view.entries.find((e) => e.path === target));
  if (source.length === 0 || source.length > 200_000) return undefined;
  return { name, view, path: target, source };
}

export function hostOf(name: string, view: ArchiveView): Host {
  const first = view.entries[0]?.path ?? '';
  const root = view.kind === 'wheel' ? '' : `${first.split('/')[0]}/`;
  const inits = view.entries
    .filter((e) => e.data && e.path.startsWith(root) && /(^|\/)__init__\.py$/.test(e.path))
    .filter((e) => !/(^|\/)(tests?|docs?|examples?)\//.test(e.path))
    .sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
  const init = inits[0]?.path;
  const rel = init ? init.slice(root.length).replace(/^(src|lib)\//, '') : undefined;
  const pkg = rel?.includes('/') ? rel.slice(0, rel.indexOf('/')) : undefined;
  const setup = view.entries.find((e) => e.path === `${root}setup.py`)?.path;
  return {
    name,
    view,
    root,
    ...(init ? { init } : {}),
    ...(setup ? { setup } : {}),
    ...(pkg ? { pkg } : {}),
  };
}

export interface EvasionRow {
  mutation: string;
  description: string;
  /** Samples the mutation applied to (a host without setup.py skips host-setup, and so on). */
  samples: number;
  malicious: number;
  /** Samples whose mutated form kept no located evidence. */
  noEvidence: number;
}

export interface EvasionOptions {
  maliciousPaths: { name: string; path: string }[];
  hostPaths: { name: string; path: string }[];
  samples: number;
  hosts: number;
  seed: number;
  score: (analysis: Analysis) => number | undefined;
  thresholds: Thresholds;
  log?: (line: string) => void;
  /** Called for each mutated sample that is not called malicious (for review). */
  onMiss?: (mutation: string, payload: Payload, analysis: Analysis, score: number | undefined) => void;
}

const NOW = new Date('2026-01-01T00:00:00Z');

/** Runs every mutation over `samples` malicious packages (each with a host chosen by the seed). */
export async function evasionTable(options: EvasionOptions): Promise<EvasionRow[]> {
  const rng = makeRng(deriveSeed(options.seed, 'evasion'));
  const malicious = [...options.maliciousPaths].sort((a, b) => a.path.localeCompare(b.path));
  shuffle(malicious, rng);
  const hostPool = [...options.hostPaths].sort((a, b) => a.path.localeCompare(b.path));
  shuffle(hostPool, rng);
  const hosts: Host[] = [];
  for (const h of hostPool) {
    if (hosts.length >= options.hosts) break;
    const view = await readArchive(readFileSync(h.path));
    const host = hostOf(h.name, view);
    // Real projects of a few dozen to a few hundred files, with a package to implant into.
    const files = view.entries.filter((e) => e.data).length;
    if (view.status === 'ok' && host.init && host.pkg && files >= 20 && files <= 600) hosts.push(host);
  }
  if (hosts.length === 0) return [];
  const rows = new Map<string, EvasionRow>(
    MUTATIONS.map((m) => [
      m.id,
      { mutation: m.id, description: m.description, samples: 0, malicious: 0, noEvidence: 0 },
    ]),
  );
  let used = 0;
  for (const m of malicious) {
    if (used >= options.samples) break;
    const view = await readArchive(readFileSync(m.path));
    if (view.status !== 'ok') continue;
    const payload = payloadOf(m.name, view, extractFeatures(view));
    if (!payload) continue;
    const host = hosts[used % hosts.length] as Host;
    used++;
    for (const mutation of MUTATIONS) {
      const mutated = mutation.apply(payload, host);
      if (!mutated) continue;
      const analysis = extractFeatures(mutated);
      const score = options.score(analysis);
      const d = decide({
        ref: { name: payload.name, version: null },
        ...(score === undefined ? {} : { score }),
        thresholds: options.thresholds,
        evidence: analysis.evidence,
        signals: [],
        allow: [],
        now: NOW,
      });
      const row = rows.get(mutation.id) as EvasionRow;
      row.samples++;
      if (d.raw === 'malicious') row.malicious++;
      else options.onMiss?.(mutation.id, payload, analysis, score);
      if (!analysis.evidence.some((e) => e.severity !== 'low')) row.noEvidence++;
    }
    if (used % 25 === 0) options.log?.(`  evasion: ${used}/${options.samples} samples`);
  }
  return [...rows.values()];
}

export function renderEvasionTable(rows: readonly EvasionRow[]): string {
  const lines = [
    '| mutation | what it does | samples | malicious | no medium+ evidence left |',
    '|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const share = r.samples > 0 ? `${((r.malicious / r.samples) * 100).toFixed(1)}%` : '-';
    lines.push(
      `| ${r.mutation} | ${r.description} | ${r.samples} | ${share} (${r.malicious}) | ${r.noEvidence} |`,
    );
  }
  return lines.join('\n');
}
