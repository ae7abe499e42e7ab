// The two .wasm files tree-sitter needs: embedded in the bundle (wasm-embedded.ts, so dist/ stays one file),
// else read from node_modules (vitest, tsx).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { embeddedWasm } from './wasm-embedded.js';

const require = createRequire(import.meta.url);

const installed = (specifier: string) => new Uint8Array(readFileSync(require.resolve(specifier)));

export function runtimeWasm(): Uint8Array {
  return embeddedWasm?.runtime ?? installed('web-tree-sitter/web-tree-sitter.wasm');
}

export function pythonGrammarWasm(): Uint8Array {
  return embeddedWasm?.grammar ?? installed('tree-sitter-python/tree-sitter-python.wasm');
}
