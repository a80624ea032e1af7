// Passkey sign-in (contract §6): request options for discoverable credentials,
// and verification of an assertion into an Authentication. The routes and the
// session that hold the challenge live with the sign-in flow (src/session/).
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { personCacheGeneration, rememberPerson } from '../directory/person-cache.ts';
import { assuranceBasisOf, assuranceOf, type AuthenticatorUsed } from '../assurance/level.ts';
import type { Config } from '../config.ts';
import { AuthenticationError } from '../errors.ts';
import type { AuditSink, Authentication, Database } from '../ports.ts';
import { base64url } from '../secrets.ts';
import { findCredentialWithOwner, recordCredentialUse, type CredentialUse, type StoredCredential } from '../directory/credentials/webauthn.ts';
import { CEREMONY_TIMEOUT_SECONDS, relyingParty, userHandleOf } from './relying-party.ts';
import { describeVerificationFailure } from './verification-failure.ts';

export type AssertionFailure =
  | 'unknown_credential'
  | 'inactive_person'
  | 'user_handle_mismatch'
  | 'verification_failed'
  | 'counter_regression';

/** A refused assertion: `reason` and `personId` (when known) are for audit and lockout. */
export class PasskeyAssertionError extends AuthenticationError {
  constructor(
    readonly reason: AssertionFailure,
    description: string,
    readonly personId: string | null = null,
    readonly credentialId: string | null = null,
    /** What the verifier said, for the audit log only (it may echo expected values). */
    readonly detail: string | null = null,
  ) {
    super('authentication_failed', description);
  }
}

/**
 * W3C WebAuthn §5.5: options for navigator.credentials.get() with no
 * allowCredentials, so the authenticator offers its discoverable credentials.
 * Keep the returned `challenge` (base64url) as the expected challenge.
 */
export function passkeyAuthenticationOptions(input: {
  config: Config;
  challenge?: string | Uint8Array<ArrayBuffer>;
}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: relyingParty(input.config).id,
    allowCredentials: [],
    userVerification: 'required',
    timeout: CEREMONY_TIMEOUT_SECONDS * 1000,
    ...(input.challenge === undefined ? {} : { challenge: input.challenge }),
  });
}

type AssertionInput = {
  db: Database;
  config: Config;
  response: AuthenticationResponseJSON;
  expectedChallenge: string;
  now: number;
  /** Where a suspected clone is recorded; sign-in success and failure are the caller's to audit. */
  audit?: AuditSink;
  requestId?: string;
};

/** A verified assertion whose use is not yet recorded. */
export interface CheckedAssertion {
  authentication: Authentication;
  /** The counter to record (WebAuthn §6.1.1); see credentialUseQuery. */
  use: CredentialUse;
  /** The refusal when recording it changes no row: audits a suspected clone, then answers the error. */
  refused(): Promise<PasskeyAssertionError>;
}

/**
 * W3C WebAuthn §7.2: verifies an assertion against the stored credential and the
 * expected challenge (which the caller has already taken, single use), and
 * records the use. `now` is in milliseconds. Throws PasskeyAssertionError; never
 * a library error.
 */
export async function verifyPasskeyAssertion(input: AssertionInput): Promise<Authentication> {
  const checked = await checkPasskeyAssertion(input);
  if (!(await recordCredentialUse(input.db, checked.use))) throw await checked.refused();
  return checked.authentication;
}

/**
 * verifyPasskeyAssertion without the write: the caller records the use in its own
 * transaction (the sign-in's, src/session/sign-in-write.ts) and throws `refused()`
 * when it changed no row.
 */
export async function checkPasskeyAssertion(input: AssertionInput): Promise<CheckedAssertion> {
  const { db, config, response, now } = input;
  // One round trip for the credential and its owner, read live (never from a cache:
  // a deactivated person must not sign in); the owner is then kept for the requests
  // that follow this sign-in (person-cache.ts).
  const generation = personCacheGeneration(db);
  const found = typeof response?.id === 'string' ? await findCredentialWithOwner(db, response.id) : null;
  if (!found) throw new PasskeyAssertionError('unknown_credential', 'this passkey is not registered with this service');
  const { credential, owner: person } = found;
  const refuse = (reason: AssertionFailure, description: string, detail: string | null = null) =>
    new PasskeyAssertionError(reason, description, credential.personId, credential.id, detail);

  if (!person?.active) throw refuse('inactive_person', 'the account is not active');
  // §7.2 step 6: the user handle, when given, must name the credential's owner.
  const userHandle = response.response?.userHandle;
  if (userHandle && userHandle !== base64url(await userHandleOf(credential.personId))) {
    throw refuse('user_handle_mismatch', 'the passkey does not belong to this account');
  }

  const rp = relyingParty(config);
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // The counter is judged below, after the signature: an unsigned low counter proves nothing.
      credential: { id: credential.id, publicKey: new Uint8Array(credential.publicKey), counter: 0 },
      requireUserVerification: true,
    });
  } catch (err) {
    const failure = describeVerificationFailure(err);
    throw refuse('verification_failed', failure.description, failure.detail);
  }
  if (!verification.verified) throw refuse('verification_failed', 'the signature did not verify');
  const info = verification.authenticationInfo;

  // §6.1.1: a counter that does not move forwards may mean a cloned authenticator. The
  // write that records it checks again, so a race between two assertions is caught there.
  const refused = async () => {
    await reportPossibleClone(input, credential, info.newCounter);
    return refuse('counter_regression', 'this passkey reported a signature counter that did not increase; it may have been copied');
  };
  if ((info.newCounter > 0 || credential.counter > 0) && info.newCounter <= credential.counter) throw await refused();

  rememberPerson(db, person, now, generation);
  const used: AuthenticatorUsed = {
    method: 'passkey',
    // A credential once registered as syncable stays so, whatever it reports now.
    deviceType: credential.deviceType === 'multiDevice' ? 'multiDevice' : info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    userVerified: info.userVerified,
    aaguid: credential.aaguid,
    metadata: credential.metadata,
  };
  const assurance = assuranceOf(used, config);
  const authentication: Authentication = {
    personId: credential.personId,
    authTime: Math.floor(now / 1000),
    amr: assurance.amr,
    aal: assurance.aal,
    method: 'passkey',
    credentialId: credential.id,
    aaguid: credential.aaguid,
    assuranceBasis: assuranceBasisOf(used),
    person: { readAt: now, value: person },
  };
  return { authentication, use: { id: credential.id, counter: info.newCounter, backedUp: info.credentialBackedUp, now }, refused };
}

async function reportPossibleClone(
  input: { audit?: AuditSink; requestId?: string },
  credential: StoredCredential,
  presented: number,
): Promise<void> {
  await input.audit?.record({
    actor: credential.personId,
    action: 'credential.clone_suspected',
    subject: credential.personId,
    outcome: 'failure',
    details: { credentialId: credential.id, aaguid: credential.aaguid, storedCounter: credential.counter, presentedCounter: presented },
    requestId: input.requestId,
  });
}
