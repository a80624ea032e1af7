// Each error family takes its status from its own table of codes (src/errors.ts);
// a throw overrides the status only where an RFC says so, and only for protocol
// errors. The expected statuses are written out here so that a change to a table
// shows up as a failing test.
import { describe, expect, it } from 'vitest';
import { AuthenticationError, CatalogueError, HttpError, OAuthError, PROTOCOL_ERROR_STATUS, ServiceError } from '../../../src/errors.ts';
import type { AuthenticationErrorCode, ProtocolErrorCode } from '../../../src/errors.ts';
import { TooManyAttempts } from '../../../src/limits/too-many-attempts.ts';
import { PasskeyAssertionError } from '../../../src/webauthn/authentication.ts';

// RFC 6749 §5.2 (400 unless said), RFC 6749 §4.1.2.1 (server_error, temporarily_unavailable), RFC 6750 §3.1.
const PROTOCOL_STATUS_NOT_400: Partial<Record<ProtocolErrorCode, number>> = {
  server_error: 500,
  temporarily_unavailable: 503,
  invalid_token: 401,
  insufficient_scope: 403,
};

const AUTHENTICATION_STATUS: Record<AuthenticationErrorCode, number> = {
  authentication_failed: 400,
  too_many_attempts: 429, // NIST SP 800-63B §5.2.2, with Retry-After
  invalid_code: 400,
  expired_code: 400,
  invalid_challenge: 400,
  registration_failed: 400,
};

describe('error catalogues', () => {
  it('answers each protocol code with the status of the protocol table (RFC 6749 §5.2, RFC 6750 §3.1)', () => {
    const codes = Object.keys(PROTOCOL_ERROR_STATUS) as ProtocolErrorCode[];
    expect(codes.length).toBeGreaterThan(20);
    for (const code of codes) {
      const err = new OAuthError(code, 'd');
      expect([code, err.error, err.status]).toEqual([code, code, PROTOCOL_STATUS_NOT_400[code] ?? 400]);
    }
  });

  it('answers each sign-in and enrolment code with the status of its own table', () => {
    for (const [code, status] of Object.entries(AUTHENTICATION_STATUS) as [AuthenticationErrorCode, number][]) {
      const err = new AuthenticationError(code, 'd');
      expect([code, err.error, err.status, err.headers]).toEqual([code, code, status, {}]);
    }
  });

  it('overrides a protocol status only when the throw says so (RFC 6749 §5.2: invalid_client after header authentication is 401)', () => {
    const err = new OAuthError('invalid_client', 'd', { status: 401, headers: { 'WWW-Authenticate': 'Basic' } });
    expect([err.status, err.headers, err.description]).toEqual([401, { 'WWW-Authenticate': 'Basic' }, 'd']);
    expect(new OAuthError('invalid_client', 'd', { headers: { A: 'b' } }).status).toBe(400);
  });

  it('gives sign-in failures headers but keeps their status (NIST SP 800-63B §5.2.2: 429 with Retry-After)', () => {
    const err = new TooManyAttempts(30, false, { kind: 'address', id: '192.0.2.1' }, 'passkey');
    expect([err.error, err.status, err.headers]).toEqual(['too_many_attempts', 429, { 'Retry-After': '30' }]);
  });

  it('keeps each family a ServiceError and each subclass its family, for the renderers that test instanceof', () => {
    const assertion = new PasskeyAssertionError('unknown_credential', 'd');
    const tooMany = new TooManyAttempts(5, true, { kind: 'person', id: 'p' }, 'password');
    for (const err of [new OAuthError('invalid_request', 'd'), assertion, tooMany]) {
      expect(err).toBeInstanceOf(CatalogueError);
      expect(err).toBeInstanceOf(ServiceError);
      expect(err).toBeInstanceOf(Error);
    }
    expect([assertion, tooMany].every((e) => e instanceof AuthenticationError)).toBe(true);
    expect(new OAuthError('invalid_request', 'd')).not.toBeInstanceOf(AuthenticationError);
    expect(new HttpError(404, 'd')).not.toBeInstanceOf(CatalogueError);
    expect([new HttpError(413, 'd').error, new HttpError(405, 'd').error]).toEqual(['invalid_request', 'method_not_allowed']);
  });
});
