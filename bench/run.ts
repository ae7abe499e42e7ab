// `npm run bench`: throughput figures, printed (timings belong here, not in tests).
//   npm run bench [-- --per-source N]
import { benchExtraction } from './extract.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const lines = await benchExtraction(flag('per-source', 60));
process.stdout.write(`${lines.join('\n')}\n`);
