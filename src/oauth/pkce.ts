// Proof Key for Code Exchange (RFC 7636), S256 only: plain offers nothing over
// no PKCE at all (RFC 9700 §2.1.1).
import { sha256 } from '../secrets.ts';

// RFC 7636 §4.1: code-verifier = 43*128 unreserved characters.
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function isCodeVerifier(value: string): boolean {
  return CODE_VERIFIER.test(value);
}

/** RFC 7636 §4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). */
export function s256CodeChallenge(codeVerifier: string): Promise<string> {
  return sha256(codeVerifier);
}
