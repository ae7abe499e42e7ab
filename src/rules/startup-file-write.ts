import type { CallSite, ParsedFile } from '../python/index.js';
import { foldedArgument } from './context.js';
import type { Rule, RuleHit } from './types.js';

// Files that make Python (or the shell, or Windows) run code at every start: .pth files in site-packages,
// sitecustomize/usercustomize, the shell's rc files and the Windows Startup folder.
const TARGET =
  /\.pth$|(^|[\\/*])(sitecustomize|usercustomize)\.py$|(^|[\\/*~])\.(bashrc|bash_profile|zshrc|profile|zprofile)$|Start Menu[\\/]+Programs[\\/]+Startup\b/i;
const PTH = /\.pth$/;
const SITE_DIR =
  /^(site\.(getsitepackages|getusersitepackages)|sysconfig\.get_paths|sysconfig\.get_path|distutils\.sysconfig\.get_python_lib)$/;
const WRITE =
  /^(open|io\.open|codecs\.open|<expr>\.(write_text|write_bytes)|shutil\.(copy|copy2|copyfile|move))$/;
const WRITE_MODE = /['"][wax]b?\+?['"]|mode\s*=\s*['"][wax]/;
const RC_FILE = /(^|[\\/*~])\.(bashrc|bash_profile|zshrc|profile|zprofile)$/;
// What a shell rc file is made to fetch at every login: a downloader in the written text. An address alone
// is not enough: installers sign the lines they add with their project's URL.
const FETCH_COMMAND = /\b(curl|wget|Invoke-WebRequest|iwr|certutil)\b/i;
// Or code that runs a payload kept encoded in the written text (`pickle.loads(zlib.decompress(b'x...'))`).
const LOADER = /\b(exec|eval|loads)\s*\(/;
const DECODER = /\b(b64decode|b32decode|b85decode|a85decode|decodebytes|decompress|fromhex|unhexlify)\b/;

/** A loader with a decoder after it on the same line: the first loader of each line, so one pass per line. */
function loadsEncoded(text: string): boolean {
  return text.split('\n').some((line) => {
    const loader = LOADER.exec(line);
    return loader !== null && DECODER.test(line.slice(loader.index + loader[0].length));
  });
}
const WRITE_TEXT = /\.(write|writelines|write_text)$/;

/** What a write call writes, in full: its arguments are cut to 200 characters, its line and folded values are not. */
function writtenText(file: ParsedFile, c: CallSite): string {
  const folded = c.args.map((a) => foldedArgument(file, c, a) ?? '');
  return [file.lines[c.line - 1] ?? '', ...c.args, ...folded].join('\n');
}

export const startupFileWrite: Rule = {
  id: 'startup-file-write',
  category: 'persistence',
  severity: 'critical',
  description:
    'Writes a .pth file, sitecustomize.py/usercustomize.py, a shell rc file or into the Windows Startup folder (names and paths folded), so code runs at every interpreter, shell or session start; critical when a download command is written into a shell rc file, or code that loads an encoded payload into any of them.',
  rationale:
    'Dropping a .pth or sitecustomize into site-packages, or a line into ~/.bashrc, survives the package being uninstalled and runs before any user code.',
  check: (file: ParsedFile) => {
    const writes = file.calls.filter(
      (c) =>
        c.role !== 'test' &&
        WRITE.test(c.name) &&
        (c.name.startsWith('shutil') ||
          c.name.includes('write_') ||
          WRITE_MODE.test(c.args.slice(1).join(','))),
    );
    if (writes.length === 0) return [];
    // sitecustomize/usercustomize and rc files name their purpose; a .pth name counts beside a site-packages
    // path or on the writing line itself (a model checkpoint is often called *.pth).
    const bodies = new Set<number>();
    const siteBodies = new Set<number>();
    const pthLines = new Set<number>();
    const pthBodies = new Set<number>();
    const rcBodies = new Set<number>();
    for (const c of file.calls) if (SITE_DIR.test(c.name)) siteBodies.add(c.inDef ?? -1);
    for (const s of file.strings) {
      if (s.role === 'test' || !TARGET.test(s.value)) continue;
      if (PTH.test(s.value)) {
        pthLines.add(s.line);
        pthBodies.add(s.inDef ?? -1);
      } else {
        bodies.add(s.inDef ?? -1);
        if (RC_FILE.test(s.value)) rcBodies.add(s.inDef ?? -1);
      }
    }
    for (const b of pthBodies) if (siteBodies.has(b)) bodies.add(b);
    const fetchingBodies = new Set<number>();
    for (const c of file.calls)
      if (bodies.has(c.inDef ?? -1) && WRITE_TEXT.test(c.name)) {
        const text = writtenText(file, c);
        if ((rcBodies.has(c.inDef ?? -1) && FETCH_COMMAND.test(text)) || loadsEncoded(text))
          fetchingBodies.add(c.inDef ?? -1);
      }
    const hits: RuleHit[] = [];
    for (const w of writes) {
      if (!bodies.has(w.inDef ?? -1) && !pthLines.has(w.line)) continue;
      const early = w.role === 'install' || w.role === 'import';
      // A download written into the shell's rc file, or an encoded payload's loader into any startup file, runs
      // at every login: an implant wherever it is written.
      const fetches = fetchingBodies.has(w.inDef ?? -1);
      hits.push({
        line: w.line,
        snippet: w.text,
        role: w.role,
        severity: fetches ? 'critical' : early ? 'high' : 'medium',
        message: `writes a startup file with ${w.name}${fetches ? ', and a download command or an encoded payload into it' : ''}${w.via ? `; ${w.via}` : ''}`,
      });
    }
    return hits;
  },
};
