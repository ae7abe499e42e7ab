// seek-bzip ships no types; this is the one call the reader makes.
declare module 'seek-bzip' {
  interface ByteSink {
    writeByte(byte: number): void;
  }
  const Bunzip: {
    /** Decodes `input` into `output`; `multistream` continues past the end of a stream (pbzip2 files). */
    decode(input: Uint8Array, output: ByteSink, multistream?: boolean): void;
  };
  export default Bunzip;
}
