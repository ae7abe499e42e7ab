import { callHit, PROCESS_CALL } from './context.js';
import type { Rule } from './types.js';

// Build helpers in setup.py run git, make, pytest or sphinx from inside functions; droppers run shells, downloaders
// and interpreters on inline code, usually straight at the top level.
const HOSTILE_COMMAND =
  /curl|wget|powershell|https?:|\.exe\b|base64|\bnohup\b|\bchmod\b|start\s|cmd(\.exe)?\s*\/c|python[\d.]*\s+-c|\bsh\s+-c|bash|mshta|rundll32|\/tmp\/|%TEMP%|AppData/i;

export const installTimeProcess: Rule = {
  id: 'install-time-process',
  category: 'install-hook',
  severity: 'high',
  description:
    'Starts another program while the package is being installed (setup.py, a cmdclass run(), a .pth line).',
  rationale:
    "Code in setup.py runs with the installing user's rights before anyone can review the package; malware uses it to launch its payload.",
  check: (file) =>
    file.calls
      .filter((c) => c.role === 'install' && PROCESS_CALL.test(c.name))
      .map((c) => {
        const hostile = HOSTILE_COMMAND.test(c.text);
        const topLevel = c.nestedIn === undefined || c.nestedIn === 'run';
        const severity = hostile || topLevel ? 'high' : 'medium';
        const why = hostile
          ? ' with a downloader, shell or interpreter'
          : topLevel
            ? ' at the top level or in run()'
            : '';
        return callHit(c, severity, `runs a process with ${c.name} during installation${why}`);
      }),
};
