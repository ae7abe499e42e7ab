// The lzma1 calls this project makes (see lzma1.js for why they are declared here).
/** Decodes an .lzma ("alone") stream: 5 bytes of properties, 8 of uncompressed size, the data. */
export function decompress(data: Uint8Array): Uint8Array;
/** Encodes as .lzma ("alone"); the tests build zip method-14 entries with it. */
export function compress(data: Uint8Array, mode?: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9): Int8Array;
