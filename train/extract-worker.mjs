// Worker entry: Node 20 workers do not inherit tsx's loader, so register it here, then load the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./extract-worker.ts');
