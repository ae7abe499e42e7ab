// `npm run bench`: throughput figures, printed (timings belong here, not in tests).
//   npm run bench [-- --per-source N] [-- --only extract|action]
import { benchAction } from './action.js';
import { benchExtraction } from './extract.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const only = flag('only', 'all');
if (only === 'all' || only === 'extract') {
  const lines = await benchExtraction(Number(flag('per-source', '60')));
  process.stdout.write(`${lines.join('\n')}\n`);
}
if (only === 'all' || only === 'action') {
  const lines = await benchAction();
  process.stdout.write(`${lines.join('\n')}\n`);
}
