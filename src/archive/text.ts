// Text decoding for consumers of ArchiveEntry.data: UTF-8 with replacement, saying when it was lossy.

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

export interface DecodedText {
  text: string;
  /** True when some bytes were not valid UTF-8 and were replaced by U+FFFD. */
  lossy: boolean;
}

export function decodeText(data: Uint8Array): DecodedText {
  try {
    return { text: strict.decode(data), lossy: false };
  } catch {
    return { text: lenient.decode(data), lossy: true };
  }
}
