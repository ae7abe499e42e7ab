// esbuild's binary loader turns an imported .wasm file into its bytes (build.mjs: loader '.wasm': 'binary').
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}
