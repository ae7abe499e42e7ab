// The machine-readable report: the ScanReport itself, raw (consumers escape for their own medium), under
// a schemaVersion. schema/report.schema.json documents it; a test validates every report the tests make.
import type { ScanReport } from '../types.js';

/** Bumped only when a field is removed or changes meaning; new optional fields keep the version. */
export const REPORT_SCHEMA_VERSION = 1;

export function renderJson(report: ScanReport): string {
  return `${JSON.stringify({ schemaVersion: REPORT_SCHEMA_VERSION, ...report }, null, 2)}\n`;
}
