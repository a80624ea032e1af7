// Turns @simplewebauthn/server's verification errors into a reason for the audit
// log and a description safe to show. Its messages may echo expected values, so
// only a short detail is kept, and only in the audit log.

export interface VerificationFailure {
  reason: string;
  description: string;
  detail: string;
}

// Matched on the library's own phrases, most specific first, so a value it echoes
// (an origin, a challenge) cannot pick the wrong reason.
const KNOWN: [RegExp, string, string][] = [
  [/response challenge|challenge verifier/, 'challenge', 'the response does not answer the current challenge'],
  [/response origin|top origin/, 'origin', 'the response was made for another origin'],
  [/RP ID/, 'rp_id', 'the response was made for another relying party'],
  [/User verification (was )?required/, 'user_verification', 'user verification (a PIN or biometric) is required'],
  [/User presence was required|User not present/, 'user_presence', 'user presence is required'],
  [/response type/, 'type', 'the response is of the wrong type'],
  [/public key alg|numeric alg/, 'algorithm', 'the key algorithm is not supported'],
  [/counter value/, 'counter', 'the signature counter did not increase'],
];

export function describeVerificationFailure(err: unknown): VerificationFailure {
  const message = err instanceof Error ? err.message : String(err);
  const detail = message.slice(0, 200);
  for (const [pattern, reason, description] of KNOWN) {
    if (pattern.test(message)) return { reason, description, detail };
  }
  return { reason: 'malformed', description: 'the authenticator response could not be verified', detail };
}
