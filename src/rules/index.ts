// The detection rules: each rule reads a ParsedFile (one parse, one walk) and returns located hits.
import type { ParsedFile } from '../python/index.js';
import type { Evidence } from '../types.js';
import { antiAnalysis } from './anti-analysis.js';
import { binaryDropper } from './binary-dropper.js';
import { chrChain } from './chr-chain.js';
import { clipboardAccess } from './clipboard-access.js';
import { credentialPaths } from './credential-paths.js';
import { dangerousCommand } from './dangerous-command.js';
import { downloadAndExecute } from './download-and-execute.js';
import { dynamicImport } from './dynamic-import.js';
import { encodedBlob } from './encoded-blob.js';
import { envExfil } from './env-exfil.js';
import { execAlias } from './exec-alias.js';
import { execDecodedPayload } from './exec-decoded-payload.js';
import { execStringLiteral } from './exec-string-literal.js';
import { exfilEndpoint } from './exfil-endpoint.js';
import { hiddenEndpoint } from './hidden-endpoint.js';
import { installTimeExec } from './install-time-exec.js';
import { installTimeNetwork } from './install-time-network.js';
import { installTimeProcess } from './install-time-process.js';
import { longLine } from './long-line.js';
import { marshalCodeLoad } from './marshal-code-load.js';
import { networkAccess } from './network-access.js';
import { obfuscatedIdentifiers } from './obfuscated-identifiers.js';
import { obfuscatorMarker } from './obfuscator-marker.js';
import { persistence } from './persistence.js';
import { processExecution } from './process-execution.js';
import { remoteCommand } from './remote-command.js';
import { reverseShell } from './reverse-shell.js';
import { secretBeacon } from './secret-beacon.js';
import { pthExecutable } from './pth-executable.js';
import { shellcodeLoader } from './shellcode-loader.js';
import { startupFileWrite } from './startup-file-write.js';
import { suspiciousUrl } from './suspicious-url.js';
import { sysinfoRead } from './sysinfo-read.js';
import { walletMonkeypatch } from './wallet-monkeypatch.js';
import type { Rule } from './types.js';

export { looksLikePickle, PICKLE_FILE, scanModelFile, scanPickle } from './pickle-code.js';
export { runTextRules, TEXT_RULES } from './text-rules.js';
export type { Rule, RuleHit, TextRule } from './types.js';

export const RULES: Rule[] = [
  execDecodedPayload,
  downloadAndExecute,
  shellcodeLoader,
  execStringLiteral,
  execAlias,
  marshalCodeLoad,
  dynamicImport,
  installTimeProcess,
  installTimeExec,
  installTimeNetwork,
  pthExecutable,
  processExecution,
  dangerousCommand,
  networkAccess,
  persistence,
  credentialPaths,
  clipboardAccess,
  sysinfoRead,
  antiAnalysis,
  exfilEndpoint,
  suspiciousUrl,
  obfuscatorMarker,
  obfuscatedIdentifiers,
  chrChain,
  longLine,
  encodedBlob,
  envExfil,
  startupFileWrite,
  binaryDropper,
  secretBeacon,
  reverseShell,
  walletMonkeypatch,
  hiddenEndpoint,
  remoteCommand,
];

const SNIPPET = 200;
const cut = (s: string) => (s.length > SNIPPET ? s.slice(0, SNIPPET) : s);

/**
 * Runs every rule on one parsed file. A rule that throws becomes a note-like evidence item of its own rather
 * than ending the run (errors are values).
 */
export function runRules(file: ParsedFile, rules: readonly Rule[] = RULES): Evidence[] {
  const evidence: Evidence[] = [];
  for (const rule of rules) {
    let hits: ReturnType<Rule['check']>;
    try {
      hits = rule.check(file);
    } catch (error) {
      evidence.push({
        rule: 'rule-error',
        category: rule.category,
        severity: 'low',
        path: file.path,
        line: 1,
        snippet: '',
        message: `rule ${rule.id} failed on ${file.path}: ${(error as Error).message}`,
      });
      continue;
    }
    for (const hit of hits) {
      const item: Evidence = {
        rule: rule.id,
        category: rule.category,
        severity: hit.severity ?? rule.severity,
        path: file.path,
        line: hit.line,
        snippet: cut(hit.snippet ?? (file.lines[hit.line - 1] ?? '').trim()),
        context: hit.role,
      };
      if (hit.message) item.message = hit.message;
      evidence.push(item);
    }
  }
  return evidence;
}
