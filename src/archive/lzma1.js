// lzma1 ships its TypeScript source as its types, which does not type-check under this project's
// strict settings; this re-export lets the compiler see lzma1.d.ts beside it instead.
export { compress, decompress } from 'lzma1';
