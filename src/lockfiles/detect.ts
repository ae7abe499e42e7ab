// Which format a file is: by its name first, then by its content.
import type { LockfileFormat } from '../types.js';
import { FORMATS } from './registry.js';

export function formatFromName(path: string): LockfileFormat | undefined {
  const base = path.split(/[\\/]/).pop() ?? path;
  const byName = FORMATS.find((f) => f.fileNames.some((re) => re.test(base)));
  if (byName) return byName.id;
  // Files inside a requirements/ folder (requirements/dev.txt) are requirements files too.
  if (/(^|[\\/])requirements[\\/][^\\/]+\.(txt|in)$/i.test(path)) return 'requirements';
  return undefined;
}

export function detectFormat(path: string, content?: string): LockfileFormat | undefined {
  const byName = formatFromName(path);
  if (byName || content === undefined) return byName;
  return FORMATS.find((f) => f.sniff(content))?.id;
}
