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
