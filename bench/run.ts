// `npm run bench`: timings and peak memory, each printed beside its goal (timings belong here, not in tests).
//   npm run bench [-- --only extract|action|hostile] [-- --per-source N] [-- --repeat N] [-- --size BYTES]
//   [-- --no-units] (extraction without the second analysis of each package's unit, to price it)
import { availableParallelism, loadavg } from 'node:os';
import { benchAction } from './action.js';
import { benchExtraction } from './extract.js';
import { benchHostile } from './hostile.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const only = flag('only', 'all');
process.stdout.write(
  `npm run bench, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)} at the start\n`,
);
if (only === 'all' || only === 'action') {
  const lines = await benchAction({ repeat: Number(flag('repeat', '5')) });
  process.stdout.write(`${lines.join('\n')}\n`);
}
if (only === 'all' || only === 'extract') {
  const lines = await benchExtraction(Number(flag('per-source', '60')), !process.argv.includes('--no-units'));
  process.stdout.write(`${lines.join('\n')}\n`);
}
if (only === 'all' || only === 'hostile') {
  const lines = await benchHostile(Number(flag('size', '1000000')));
  process.stdout.write(`${lines.join('\n')}\n`);
}
