// The two .wasm files tree-sitter needs. In the bundle, esbuild inlines them (binary loader) so dist/ stays one
// file; unbundled (vitest, tsx) Node cannot import .wasm, so the same files are read from node_modules instead.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

async function embeddedOrInstalled(load: () => Promise<{ default: Uint8Array }>, specifier: string) {
  try {
    const mod = await load();
    if (mod.default instanceof Uint8Array) return mod.default;
  } catch {
    // Not bundled: fall through to the installed file.
  }
  return new Uint8Array(readFileSync(require.resolve(specifier)));
}

export function runtimeWasm(): Promise<Uint8Array> {
  return embeddedOrInstalled(
    () => import('web-tree-sitter/web-tree-sitter.wasm'),
    'web-tree-sitter/web-tree-sitter.wasm',
  );
}

export function pythonGrammarWasm(): Promise<Uint8Array> {
  return embeddedOrInstalled(
    () => import('tree-sitter-python/tree-sitter-python.wasm'),
    'tree-sitter-python/tree-sitter-python.wasm',
  );
}
