import { callHit } from './context.js';
import type { Rule } from './types.js';

// Writing bytes into executable memory and jumping to them: VirtualAlloc/RtlMoveMemory/CreateThread and friends.
const LOADER_CALL =
  /(^|\.)(VirtualAlloc|VirtualAllocEx|VirtualProtect|RtlMoveMemory|WriteProcessMemory|CreateRemoteThread|CreateThread|NtCreateThreadEx|QueueUserAPC)$/;

export const shellcodeLoader: Rule = {
  id: 'shellcode-loader',
  category: 'process',
  severity: 'critical',
  description:
    'Allocates executable memory and runs raw machine code through ctypes (VirtualAlloc, RtlMoveMemory, CreateThread, ...).',
  rationale: 'Shellcode loaders run a native payload without ever writing an executable file to disk.',
  check: (file) => {
    const loaderCalls = file.calls.filter((c) => LOADER_CALL.test(c.name));
    const names = new Set(loaderCalls.map((c) => c.name.split('.').pop()));
    // One call alone is a debugger or a binding; an allocation with a copy or a thread is a loader.
    if (names.size < 2) return [];
    return loaderCalls.map((c) =>
      callHit(c, c.role === 'test' ? 'medium' : 'critical', `native loader call ${c.name}`),
    );
  },
};
