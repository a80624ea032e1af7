// RFC 8707 §2: a resource indicator is an absolute URI without a fragment.

/** Why `value` cannot be a resource indicator, or null when it can. */
export function resourceProblem(value: string): string | null {
  if (value.length > 2048) return 'must be at most 2048 characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URI (RFC 8707 §2)';
  }
  if (value.includes('#') || url.hash !== '') return 'must not contain a fragment (RFC 8707 §2)';
  return null;
}
