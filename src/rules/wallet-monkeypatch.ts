import type { CodeRole, ImportRecord, ParsedFile } from '../python/index.js';
import type { Severity } from '../types.js';
import type { Rule, RuleHit } from './types.js';

// Libraries that hold private keys, seeds and signing: replacing one of their functions lets a package see
// every key the user's own code creates or loads (the set-utils and "bip39" families patch
// eth_account.Account.create / from_key and send the key out).
const WALLET_LIBRARY =
  /^(eth_account|eth_keys|eth_keyfile|web3|bip_utils|bip32utils|bip32|bip39|mnemonic|hdwallet|bitcoinlib|bitcoin|bit|pycoin|cryptos|solana|solders|tronpy|tronapi|coincurve|xrpl|stellar_sdk|algosdk|monero|pywallet|ecdsa)$/;
// `Alias.attr(.attr)* = value`, the assignment statement itself (not `==`, not an augmented operator).
const ATTRIBUTE_WRITE = /^(\s*)([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)+)\s*=(?!=)\s*(.*)$/;
// What a stealer wraps: the functions that make, load, derive or use a key. A renamed method aliased back
// for an older caller (`Web3.toChecksumAddress = Web3.to_checksum_address`) touches none of these.
const KEY_MEMBER =
  /key|create|sign|mnemonic|seed|from_|encrypt|decrypt|private|wallet|account|transact|send|generate|derive|entropy|secret/i;
const DEF = /^\s*(async\s+)?def\s+\w+/;
// Hits kept per file: each costs a look for its function, and a hostile file can repeat the line at will.
const MAX_HITS = 32;
const SEVERITY: Record<CodeRole, Severity> = {
  install: 'high',
  import: 'high',
  runtime: 'medium',
  test: 'low',
};

/** Local names bound to a wallet library or to something imported from one, with the dotted path they stand for. */
function walletNames(imports: readonly ImportRecord[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of imports) {
    if (!WALLET_LIBRARY.test(i.module.split('.')[0] ?? '')) continue;
    out.set(
      i.alias,
      i.name ? `${i.module}.${i.name}` : i.alias === i.module.split('.')[0] ? i.alias : i.module,
    );
  }
  return out;
}

/** The role of the code on line `at`: the enclosing function body's (as reach gave it), or the file's. */
function roleAt(file: ParsedFile, at: number, indent: number): CodeRole {
  const topRole = file.imports.find((i) => i.inDef === undefined)?.role ?? 'import';
  const bodyRole = topRole === 'test' ? 'test' : 'runtime';
  // Up through the enclosing blocks (each less indented than the last) to a def, or to module level.
  let level = indent;
  for (let i = at - 2; i >= 0 && i >= at - 2000 && level > 0; i--) {
    const text = file.lines[i] ?? '';
    if (/^\s*(#.*)?$/.test(text)) continue;
    const own = text.length - text.trimStart().length;
    if (own >= level) continue;
    level = own;
    if (!DEF.test(text)) continue;
    const def = file.defs.findIndex((d) => d.line === i + 1 && d.kind === 'function');
    if (def < 0) return bodyRole;
    return file.defs[def]?.reached ?? file.calls.find((c) => c.inDef === def)?.role ?? bodyRole;
  }
  return topRole;
}

export const walletMonkeypatch: Rule = {
  id: 'wallet-monkeypatch',
  category: 'credentials',
  severity: 'high',
  description:
    'Replaces a key-handling function of a crypto-wallet or key library (eth_account, web3, bip_utils, mnemonic, solana, ...: create, from_key, sign, seed, ...) by assignment or setattr.',
  rationale:
    "A package that patches Account.create or from_key sees every private key the user's code makes or loads; honest code calls these libraries, it does not rewrite them.",
  check: (file: ParsedFile) => {
    const names = walletNames(file.imports);
    if (names.size === 0) return [];
    const hits: RuleHit[] = [];
    const hit = (line: number, indent: number, target: string, how: string) => {
      if (hits.length >= MAX_HITS) return;
      const role = roleAt(file, line, indent);
      if (role === 'test') return;
      hits.push({ line, role, severity: SEVERITY[role], message: `replaces ${target} with ${how}` });
    };
    file.lines.forEach((text, i) => {
      const m = ATTRIBUTE_WRITE.exec(text);
      const library = m && names.get(m[2] ?? '');
      if (!m || !library || !KEY_MEMBER.test(m[3] ?? '')) return;
      // The library's own function under another name is an alias, not a replacement.
      const value = /^([A-Za-z_]\w*)/.exec(m[4] ?? '')?.[1];
      if (value && names.has(value)) return;
      hit(i + 1, m[1]?.length ?? 0, `${library}${m[3]}`, 'an assignment');
    });
    for (const c of file.calls) {
      if (c.name !== 'setattr' || c.role === 'test') continue;
      const root = /^\s*([A-Za-z_]\w*)/.exec(c.args[0] ?? '')?.[1];
      const library = root && names.get(root);
      if (library && KEY_MEMBER.test(`${c.args[0]}.${c.args[1] ?? ''}`) && hits.length < MAX_HITS)
        hits.push({
          line: c.line,
          role: c.role,
          severity: SEVERITY[c.role],
          message: `replaces an attribute of ${library} with setattr`,
        });
    }
    return hits;
  },
};
