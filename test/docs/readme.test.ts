import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderUsage, spliceUsage } from './usage.js';

describe('README', () => {
  it('documents every action input and output as action.yml declares them (npx tsx scripts/readme-usage.ts)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('<!-- usage:begin -->');
    expect(spliceUsage(readme, renderUsage(readFileSync('action.yml', 'utf8')))).toBe(readme);
  });
  it('gives the two commands that set up and test a fresh clone, and .ci/run runs exactly them', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toMatch(/npm ci/);
    expect(readme).toMatch(/npm test/);
    const ci = readFileSync('.ci/run', 'utf8');
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});

describe('README example comment', () => {
  it('is what a real scan posts today (npx tsx scripts/example-comment.ts)', async () => {
    const { exampleComment, spliceExample } = await import('./example.js');
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('<!-- example:begin -->');
    const comment = await exampleComment();
    expect(comment).toMatch(/reqeusts/);
    expect(spliceExample(readme, comment)).toBe(readme);
  }, 60_000);
});
