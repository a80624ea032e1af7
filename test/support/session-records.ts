// Session records for tests of the pure rules: built by the dispatcher itself,
// deep-frozen so that a rule which changed its input instead of returning a
// new record fails loudly.
import type { AuthorizationRequest } from '../../src/oauth/authorization-request.ts';
import type { Authentication, GrantInput } from '../../src/ports.ts';
import { applySessionCommand, type SessionCommand, type SessionCommandResult } from '../../src/session/session-commands.ts';
import type { SessionRecord } from '../../src/session/session-record.ts';

export const T0 = 1_900_000_000_000;
export const ID = 'a'.repeat(64);
export const MAX_AGE_MS = 12 * 3600_000;
export const SECRET = 'secret-hash-1';
/** The default inactivity limits (NIST SP 800-63B §4.3.3, §4.2.3). */
export const IDLE = { aal3Ms: 15 * 60_000, aal2Ms: 30 * 60_000 };

export const REQUEST: AuthorizationRequest = {
  clientId: 'c', redirectUri: 'https://rp.example.com/cb', responseMode: 'query', state: 's',
  scope: ['openid'], codeChallenge: 'x'.repeat(43), prompt: [], acrValues: [],
};

export const AUTH: Authentication = { personId: 'p-1', authTime: T0 / 1000, amr: ['FIDO2'], aal: 3, method: 'passkey' };

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A record kept as a store keeps it: applies commands in turn, returns the last result. */
export class RecordHolder {
  record: SessionRecord | null = null;

  run<C extends SessionCommand>(command: C, now: number): SessionCommandResult<C> {
    const { next, result } = applySessionCommand(deepFreeze(this.record), command, now);
    if (next !== 'unchanged') this.record = next;
    return result;
  }
}

/** A session created and authenticated at `at` (its secret hash is SECRET). */
export function signedIn(at = T0, authentication: Authentication = { ...AUTH, authTime: at / 1000 }): RecordHolder {
  const holder = new RecordHolder();
  holder.run({ kind: 'create', id: ID, secretHash: 'initial', csrfToken: 'csrf' }, at);
  holder.run({ kind: 'authenticate', secretHash: 'initial', newSecretHash: SECRET, authentication, interactionId: null, maxAgeMs: MAX_AGE_MS }, at);
  return holder;
}

export function grantInput(overrides: Partial<GrantInput> = {}): GrantInput {
  return {
    clientId: 'client-1',
    personId: AUTH.personId,
    sessionId: ID,
    scope: ['openid', 'profile'],
    redirectUri: 'https://rp.example.com/cb',
    codeChallenge: 'challenge-of-verifier',
    authentication: AUTH,
    acr: 'AAL3_ANY',
    selectedRoleId: null,
    ...overrides,
  };
}
