import type { Rule, RuleHit } from './types.js';

const SANDBOX =
  /\b(vbox\w*|virtualbox|vmware|vmtoolsd|qemu-ga|sandboxie|sbiedll|wireshark|fiddler|processhacker|x64dbg|x32dbg|ollydbg|ida64|idaq|httpdebugger|cuckoo|joeboxserver|vmsrvc|vboxtray|df5serv)\b/i;
const DEBUGGER_CALL = /(IsDebuggerPresent|CheckRemoteDebuggerPresent)$/;

export const antiAnalysis: Rule = {
  id: 'anti-analysis',
  category: 'sysinfo',
  severity: 'high',
  description:
    'Checks for virtual machines, sandboxes, debuggers or analysis tools (several names, or IsDebuggerPresent).',
  rationale: 'Malware hides from analysts by quitting when it sees a VM, a sandbox or a debugger.',
  check: (file) => {
    const hits: RuleHit[] = [];
    for (const c of file.calls) {
      if (DEBUGGER_CALL.test(c.name)) {
        hits.push({
          line: c.line,
          snippet: c.text,
          role: c.role,
          severity: 'high',
          message: `debugger check ${c.name}`,
        });
      }
    }
    const named = file.strings.filter((s) => SANDBOX.test(s.value));
    const distinct = new Set(named.map((s) => SANDBOX.exec(s.value)?.[0]?.toLowerCase()));
    const first = named[0];
    // One VM name is a hardware-detection library; a list of them is an evasion check.
    if (first && distinct.size >= 3) {
      hits.push({
        line: first.line,
        role: first.role,
        severity: first.role === 'test' ? 'low' : 'high',
        message: `looks for ${distinct.size} VM/sandbox/debugger names: ${[...distinct].slice(0, 5).join(', ')}`,
      });
    }
    return hits;
  },
};
