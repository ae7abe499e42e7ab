// Credentials in index URLs (user:pass@host) must never reach logs, errors or findings.

/** The URL with any user and password replaced by '***'; non-URLs are returned with userinfo stripped. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@\s]*@/g, '//***@');
  }
}

/** Replaces every occurrence of each secret in text (for error messages that may echo a credential). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret.length > 0) masked = masked.split(secret).join('***');
  }
  return masked;
}

/**
 * The credentials one client has seen (configured tokens and passwords, those an index writes into its
 * links, the Basic values made from them), each also URL-encoded: masked in every message it produces.
 * Shared by reference with the HTTP settings, so a secret learned later is masked there too.
 */
export class SecretList {
  readonly values: string[] = [];

  add(secret: string): void {
    if (secret && !this.values.includes(secret)) this.values.push(secret, encodeURIComponent(secret));
  }

  mask(text: string): string {
    return maskSecrets(text, this.values);
  }
}
