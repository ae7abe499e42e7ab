import type { ParsedFile } from '../python/index.js';
import { callHit, NETWORK_CALL, PROCESS_CALL } from './context.js';
import type { Rule, RuleHit } from './types.js';

// A program the package carries (or writes from bytes it carries) made executable and started, with no
// download: a dropper that download-and-execute does not see.
const WRITE_BINARY = /['"]wb\+?['"]|mode\s*=\s*['"]wb/;
const MAKE_EXECUTABLE = /^os\.chmod$/;
const EXEC_BITS = /0o?[1-7][0-7]{2}\b|S_IX(USR|GRP|OTH)|S_IEXEC|\b(493|511|365)\b/;
const START = /^(os\.startfile|os\.exec[lv]p?e?|os\.spawn[lv]p?e?)$/;
// A program name that says what it is; a chmod +x says it too. Building a man page with `ronn` in setup.py
// writes files and runs a tool, and is neither.
const BUNDLED = /\.(exe|dll|scr|elf|com|bat|ps1|vbs)['"]/i;

export const binaryDropper: Rule = {
  id: 'binary-dropper',
  category: 'process',
  severity: 'high',
  description:
    'Writes a binary file (or one the package carries) and makes it executable or starts it in the same function, without a download.',
  rationale:
    'Droppers ship their payload inside the package, write it to a temporary folder, chmod +x it and start it; honest packages call their bundled tools without writing them out first.',
  check: (file: ParsedFile) => {
    // Only a call that starts a program can be a hit: most files have none, and need no look at the rest.
    const starts = file.calls.filter(
      (c) => c.role !== 'test' && (PROCESS_CALL.test(c.name) || START.test(c.name)),
    );
    if (starts.length === 0) return [];
    const bodies = new Map<number, { writes: boolean; chmod: boolean; bundled: boolean; fetch: boolean }>();
    const at = (k: number) => {
      let b = bodies.get(k);
      if (!b) {
        b = { writes: false, chmod: false, bundled: false, fetch: false };
        bodies.set(k, b);
      }
      return b;
    };
    for (const c of file.calls) {
      if (c.role === 'test') continue;
      const b = at(c.inDef ?? -1);
      const args = c.args.join(',');
      if ((c.name === 'open' || c.name.endsWith('.open')) && WRITE_BINARY.test(args)) b.writes = true;
      if (/<expr>\.write_bytes$|^shutil\.(copy|copy2|copyfile)$/.test(c.name)) b.writes = true;
      if (MAKE_EXECUTABLE.test(c.name) && EXEC_BITS.test(args)) b.chmod = true;
      if (BUNDLED.test(c.text)) b.bundled = true;
      if (NETWORK_CALL.test(c.name)) b.fetch = true;
    }
    const hits: RuleHit[] = [];
    for (const c of starts) {
      const b = bodies.get(c.inDef ?? -1);
      if (!b || b.fetch || !b.writes || !(b.chmod || b.bundled)) continue;
      const early = c.role === 'install' || c.role === 'import';
      hits.push(
        callHit(
          c,
          early ? 'high' : 'medium',
          `starts a program written out in the same function (${c.name})`,
        ),
      );
    }
    return hits;
  },
};
