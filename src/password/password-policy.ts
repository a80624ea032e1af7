// What a password must be (NIST SP 800-63B §5.1.1.2): long enough, not absurdly
// long, not the username, not a commonly used or breached one; no composition
// rules, which only make passwords harder to remember and no harder to guess.
import { COMMON_PASSWORDS } from './common-passwords.ts';

export const MIN_PASSWORD_LENGTH = 12;
/** NIST asks for at least 64; more only lets a caller make PBKDF2 hash megabytes. */
export const MAX_PASSWORD_LENGTH = 256;

// Built on the first password set in this isolate (SCIM writes only; sign-in never
// needs it): about 44,000 entries, a few milliseconds once, then one hash lookup.
let commonPasswords: Set<string> | undefined;

/** NIST SP 800-63B §5.1.1.2: in the blocklist, whatever the letter case. */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(COMMON_PASSWORDS.split('\n'));
  return commonPasswords.has(password.toLowerCase());
}

/** The first problem with `password`, in words an operator can pass on; null when it is acceptable. */
export function passwordProblem(password: string, userName: string): string | null {
  // Counted in code points, as a person counts characters.
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (/\p{Cc}/u.test(password)) return 'password must not contain control characters';
  if (password.trim().toLowerCase() === userName.trim().toLowerCase()) return 'password must not be the userName';
  if (new Set(password).size === 1) return 'password must not repeat one character';
  if (isCommonPassword(password)) return 'password is too common: it is on a list of breached and commonly used passwords';
  return null;
}
