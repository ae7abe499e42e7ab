// The JSON report's schema (schema/report.schema.json) compiled once, for the schema test and the setup
// file that checks every report a test renders.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const schemaPath = fileURLToPath(new URL('../../schema/report.schema.json', import.meta.url));
const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
export const validateReport = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

/** Throws with every violation (path and message) when the report does not follow the schema. */
export function assertReport(report: unknown, where = 'report'): void {
  if (validateReport(report)) return;
  const problems = (validateReport.errors ?? []).map(
    (e: { instancePath: string; message?: string; params?: unknown }) =>
      `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );
  throw new Error(`${where} does not follow schema/report.schema.json:\n${problems.join('\n')}`);
}
