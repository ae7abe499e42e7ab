import type { CodeRole, ParsedFile } from '../python/index.js';
import type { EvidenceCategory, Severity } from '../types.js';

export interface RuleHit {
  line: number;
  /** Defaults to the source line (cut to 200 characters). */
  snippet?: string;
  message?: string;
  role: CodeRole;
  /** Overrides the rule's severity for this hit (context: install time weighs more than tests). */
  severity?: Severity;
}

export interface Rule {
  /** kebab-case and stable: it names SARIF rules and config settings. */
  id: string;
  category: EvidenceCategory;
  /** The highest severity the rule gives (hits may carry a lower one for their context). */
  severity: Severity;
  description: string;
  rationale: string;
  check(file: ParsedFile): RuleHit[];
}

/** A regex-level rule for non-Python text files (shell, batch, PowerShell, JavaScript). */
export interface TextRule {
  id: string;
  category: EvidenceCategory;
  severity: Severity;
  description: string;
  rationale: string;
  /** Which files it reads, by path. */
  applies(path: string): boolean;
  check(text: string): { line: number; message?: string }[];
}
