// The machine-readable report: the ScanReport itself, raw (consumers escape for their own medium).
import type { ScanReport } from '../types.js';

export function renderJson(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
