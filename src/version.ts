// The tool's version, from package.json (the one place it is written). build.mjs defines __PMG_VERSION__
// (esbuild `define`), so the bundle carries it as a literal; from source (tsx, vitest) nothing defines it
// and package.json, one folder up from src/, is read instead.
import { readFileSync } from 'node:fs';

declare const __PMG_VERSION__: string | undefined;

export const PACKAGE_VERSION: string =
  typeof __PMG_VERSION__ === 'string'
    ? __PMG_VERSION__
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
        .version;
