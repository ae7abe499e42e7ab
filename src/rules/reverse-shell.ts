import type { CallSite } from '../python/index.js';
import { callHit, PROCESS_CALL } from './context.js';
import type { Rule, RuleHit } from './types.js';

// The reverse shell: a socket's descriptor made the standard streams of a shell. No honest program hands
// a network peer an interactive shell, so the shape decides wherever it runs (a trojanized Image.open too).
const SOCKET = /^(socket\.(socket|create_connection|fromfd)|<expr>\.connect)$/;
const DUP2 = /^os\.dup2?$/;
const SHELL_START = /^(pty\.spawn|os\.exec[lv]p?e?)$/;
const SHELL = /\/bin\/|\b(sh|bash|zsh|dash|ash|ksh|cmd(\.exe)?|powershell(\.exe)?|pwsh)\b/i;
const FILENO = /\.fileno\s*\(\s*\)/;

function startsShell(c: CallSite): boolean {
  if (SHELL_START.test(c.name)) return SHELL.test(c.args.join(',')) || c.name === 'pty.spawn';
  return PROCESS_CALL.test(c.name) && SHELL.test(c.args[0] ?? '');
}

export const reverseShell: Rule = {
  id: 'reverse-shell',
  category: 'dynamic-code',
  severity: 'critical',
  description:
    "Gives a socket a shell: a socket's descriptor duplicated onto stdin/stdout/stderr (os.dup2) or passed as a shell's streams, in the same function or module body.",
  rationale:
    'A reverse shell hands the attacker an interactive session on the victim; it is the payload of many install-time and trojanized-release implants.',
  check: (file) => {
    const bodies = new Map<number, { socket: boolean; dup: boolean; shells: CallSite[] }>();
    for (const c of file.calls) {
      if (c.role === 'test') continue;
      const key = c.inDef ?? -1;
      const body = bodies.get(key) ?? { socket: false, dup: false, shells: [] };
      bodies.set(key, body);
      if (SOCKET.test(c.name)) body.socket = true;
      else if (DUP2.test(c.name) && FILENO.test(c.args[0] ?? '')) body.dup = true;
      else if (startsShell(c)) body.shells.push(c);
    }
    const hits: RuleHit[] = [];
    for (const { socket, dup, shells } of bodies.values()) {
      if (!socket) continue;
      const shell = shells.find((s) => dup || FILENO.test(s.args.slice(1).join(',')));
      if (shell)
        hits.push(callHit(shell, 'critical', `starts a shell on a socket's descriptors with ${shell.name}`));
    }
    return hits;
  },
};
