import { isNamespacePackageLine } from './namespace-pth.js';
import type { Rule } from './types.js';

export const pthExecutable: Rule = {
  id: 'pth-executable',
  category: 'persistence',
  severity: 'high',
  description: 'A .pth file with `import` lines, which Python runs at every interpreter start.',
  rationale:
    'Code in a .pth file runs whenever Python starts, even if the package is never imported: a quiet persistence hook.',
  check: (file) => {
    if (!file.path.toLowerCase().endsWith('.pth')) return [];
    const dangerous = file.calls.some((c) =>
      /exec|eval|system|Popen|b64decode|urlopen|__import__/.test(c.name),
    );
    return file.lines.flatMap((line, index) =>
      /^import[ \t]/.test(line) && (line.includes(';') || dangerous) && !isNamespacePackageLine(line)
        ? [
            {
              line: index + 1,
              role: 'install' as const,
              severity: dangerous ? 'critical' : 'medium',
              message: 'runs at every Python start',
            } as const,
          ]
        : [],
    );
  },
};
