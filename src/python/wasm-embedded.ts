// The two .wasm files as bytes when bundled. build.mjs replaces this module's source with static imports of
// the files through esbuild's binary loader (a plain `var x = base64-decoded bytes`); unbundled (vitest, tsx)
// Node cannot import .wasm, so this source says "not embedded" and wasm.ts reads node_modules instead.
// Not a dynamic import(): esbuild wraps a dynamically imported file as a CommonJS module and its ESM interop
// then defines one getter per byte of the Uint8Array (seconds of start-up and ~250 MB, issue 13).
export const embeddedWasm: { runtime: Uint8Array; grammar: Uint8Array } | undefined = undefined;
