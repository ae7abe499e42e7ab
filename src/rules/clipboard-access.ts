import { callRule } from './context.js';

export const clipboardAccess = callRule({
  id: 'clipboard-access',
  category: 'credentials',
  description:
    'Reads or replaces the clipboard (pyperclip, win32clipboard, tkinter clipboard_get/clipboard_append).',
  rationale: "Clippers swap copied crypto addresses for the attacker's and stealers read copied passwords.",
  pattern:
    /^(pyperclip\.(paste|copy|waitForNewPaste)|win32clipboard\.(GetClipboardData|SetClipboardData|SetClipboardText|OpenClipboard)|clipboard\.(paste|copy)|<expr>\.(clipboard_get|clipboard_append)|[\w.]+\.(clipboard_get|clipboard_append))$/,
  roles: ['install', 'import', 'runtime', 'test'],
  severities: { install: 'high', import: 'high', runtime: 'medium', test: 'low' },
  message: (c) => `clipboard access with ${c.name}`,
});
