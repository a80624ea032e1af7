// Scope values (RFC 6749 §3.3): space-delimited, case-sensitive tokens.

// scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** The distinct scope tokens of a scope parameter, in order; null when malformed. */
export function parseScope(value: string): string[] | null {
  const tokens = value.split(' ');
  if (tokens.some((t) => !SCOPE_TOKEN.test(t))) return null;
  return [...new Set(tokens)];
}

export function formatScope(scope: readonly string[]): string {
  return scope.join(' ');
}

/** Whether every requested token is among the allowed ones. */
export function isSubset(requested: readonly string[], allowed: readonly string[]): boolean {
  const set = new Set(allowed);
  return requested.every((s) => set.has(s));
}

/** OpenID Connect Core §11: the scope asking for access that outlives the browser session. */
export const OFFLINE_ACCESS = 'offline_access';
