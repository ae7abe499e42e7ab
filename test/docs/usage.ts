// The README's inputs/outputs tables, rendered from action.yml (shared by scripts/readme-usage.ts and the test).
import { parse } from 'yaml';
import { SETTINGS } from '../../src/config.js';

/** Inputs whose action.yml default is empty: the real default lives in the validated config schema. */
const SCHEMA_DEFAULTS: Record<string, string> = Object.fromEntries(
  Object.values(SETTINGS).map((s) => [s.input, s.doc]),
);

interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderUsage(actionYml: string): string {
  const action = parse(actionYml) as ActionYml;
  const lines = ['### Inputs', '', '| input | default | what it does |', '|---|---|---|'];
  for (const [name, input] of Object.entries(action.inputs)) {
    const fallback =
      input.default === undefined || input.default === ''
        ? (SCHEMA_DEFAULTS[name] ?? 'none')
        : `\`${input.default}\``;
    lines.push(`| \`${name}\` | ${fallback} | ${cell(input.description)} |`);
  }
  lines.push('', '### Outputs', '', '| output | what it holds |', '|---|---|');
  for (const [name, output] of Object.entries(action.outputs))
    lines.push(`| \`${name}\` | ${cell(output.description)} |`);
  return lines.join('\n');
}

export function spliceUsage(readme: string, usage: string): string {
  return readme.replace(
    /<!-- usage:begin -->[\s\S]*<!-- usage:end -->/,
    `<!-- usage:begin -->\n${usage}\n<!-- usage:end -->`,
  );
}
