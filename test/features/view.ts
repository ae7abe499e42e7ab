// Builds an ArchiveView straight from a file map, so feature tests do not depend on the archive reader.
import type { ArchiveEntry, ArchiveView } from '../../src/types.js';

export function viewOf(
  files: Record<string, string | Uint8Array>,
  kind: ArchiveView['kind'] = 'sdist',
  extra: ArchiveEntry[] = [],
): ArchiveView {
  const entries: ArchiveEntry[] = Object.entries(files).map(([path, content]) => {
    const data = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    return { path, type: 'file', size: data.length, data };
  });
  entries.push(...extra);
  return {
    format: kind === 'wheel' ? 'zip' : 'tar.gz',
    kind,
    entries,
    status: 'ok',
    limitsHit: [],
    bytesRead: entries.reduce((n, e) => n + e.size, 0),
  };
}

export const PKG_INFO = [
  'Metadata-Version: 2.1',
  'Name: tidy-tables',
  'Version: 1.4.2',
  'Summary: Format tables for terminals',
  'Home-page: https://github.com/example/tidy-tables',
  'Author: Ada Example',
  'Author-email: ada@example.org',
  'License: MIT',
  'Classifier: Programming Language :: Python :: 3',
  'Classifier: License :: OSI Approved :: MIT License',
  'Requires-Dist: wcwidth',
  '',
  'Tidy tables prints aligned tables in the terminal, with colours and wrapping.',
  '',
].join('\n');
