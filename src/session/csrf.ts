// Cross-site request forgery defence for the forms of the sign-in pages: a
// per-session synchroniser token in a hidden field, compared in constant time.
// (JSON posts are guarded by Origin and content type: src/webauthn/same-origin.ts
// and readJson's application/json check, which a cross-site form cannot send.)
import { HttpError } from '../errors.ts';
import { timingSafeEqual } from '../secrets.ts';

export const CSRF_FIELD = 'csrf_token';

/** OWASP synchroniser token: the form's hidden field must equal the session's token. */
export function checkCsrfToken(presented: string | undefined, expected: string): void {
  if (!presented || !timingSafeEqual(presented, expected)) {
    throw new HttpError(403, 'the form has expired; go back and try again');
  }
}
