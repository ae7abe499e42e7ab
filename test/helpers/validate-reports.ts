// Vitest setup file: every JSON report a test renders in-process (the CLI, the action, reporter tests) is
// checked against schema/report.schema.json, so a field added without the schema fails where it appears.
// Reports from the bundled dist/ are checked by the tests that run it (test/cli/dist-cli.test.ts).
import { vi } from 'vitest';
import { assertReport } from './report-schema.js';

vi.mock('../../src/report/json.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/report/json.js')>();
  return {
    ...original,
    renderJson: (report: Parameters<typeof original.renderJson>[0]) => {
      const text = original.renderJson(report);
      assertReport(JSON.parse(text), 'a rendered JSON report');
      return text;
    },
  };
});
