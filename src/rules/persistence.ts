import { callHit, firstMatching, severityFor } from './context.js';
import type { Rule, RuleHit } from './types.js';

const PLACES: [string, RegExp][] = [
  ['Windows startup folder', /Start Menu[\\/]+Programs[\\/]+Startup|\\Startup\\|shell:startup/i],
  ['Windows Run registry key', /CurrentVersion[\\/]+Run(Once)?\b/i],
  [
    'shell startup file',
    /(^|[\\/~])\.(bashrc|bash_profile|zshrc|profile|zprofile)$|[\\/]\.(bashrc|bash_profile|zshrc|profile)\b/,
  ],
  ['crontab', /\bcrontab\b|\/etc\/cron|\/var\/spool\/cron/],
  ['macOS LaunchAgent', /LaunchAgents|LaunchDaemons/],
  ['systemd unit', /\/etc\/systemd\/system|\.config\/systemd\/user/],
  ['XDG autostart', /\.config\/autostart/],
  ['scheduled task', /\bschtasks\b/i],
];

const findPlace = firstMatching(PLACES);

const REGISTRY_WRITE = /^(winreg|_winreg)\.(SetValueEx|SetValue|CreateKey|CreateKeyEx)$/;

export const persistence: Rule = {
  id: 'persistence',
  category: 'persistence',
  severity: 'high',
  description:
    'Refers to places that make a program start again at login or boot (startup folder, Run key, shell rc files, cron, LaunchAgents, systemd), or writes the Windows registry.',
  rationale: 'Malware survives reboots by registering itself to start automatically.',
  check: (file) => {
    const table = { install: 'high', import: 'high', runtime: 'medium', test: 'low' } as const;
    const hits: RuleHit[] = [];
    for (const s of file.strings) {
      const place = findPlace(s.value);
      if (place)
        hits.push({ line: s.line, role: s.role, severity: severityFor(s.role, table), message: place[0] });
    }
    for (const c of file.calls) {
      if (REGISTRY_WRITE.test(c.name))
        hits.push(callHit(c, severityFor(c.role, table), `registry write with ${c.name}`));
    }
    return hits;
  },
};
