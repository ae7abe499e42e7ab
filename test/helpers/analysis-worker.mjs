// The analysis pool's worker run from source: Node 20 workers do not inherit tsx's loader, so register it
// here, then load the TypeScript worker (the bundle has dist/analysis-worker.js instead).
import { register } from 'tsx/esm/api';

register();
await import('../../src/action/analysis-worker.ts');
