// models/model.json as text when bundled: build.mjs replaces this module's source with a text import of the
// file (one JSON.parse when the model is first needed, not a megabyte object literal evaluated at load).
// Run from source (vitest, tsx) this says "not embedded" and bundled.ts reads the file.
export const embeddedModelText: string | undefined = undefined;
