// Passkey registration from an enrolment invitation (contract §5): creation
// options bound to a single-use challenge, then verification of the
// authenticator's response and storage of the credential, spending the code.
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Config } from '../config.ts';
import { invitationStatus, type InvitationStatus, type Invitee } from '../directory/credentials/invitation-status.ts';
import { spendInvitation } from '../directory/credentials/invitations.ts';
import { AuthenticationError, OAuthError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { AuditSink, Database } from '../ports.ts';
import { sha256 } from '../secrets.ts';
import { AttestationMetadataError, attestationVerdict, type MetadataVerdict } from './attestation-metadata.ts';
import type { ChallengeStore } from './challenge-store.ts';
import { credentialDescriptorsOf, findCredential, insertCredential } from '../directory/credentials/webauthn.ts';
import { CEREMONY_TIMEOUT_SECONDS, relyingParty, SUPPORTED_ALGORITHM_IDS, userHandleOf } from './relying-party.ts';
import { describeVerificationFailure } from './verification-failure.ts';

export interface RegistrationContext {
  db: Database;
  config: Config;
  challenges: ChallengeStore;
  audit: AuditSink;
  /** Milliseconds since the epoch. */
  now: number;
  requestId?: string;
  /** Where an operator hears that the configured FIDO metadata cannot be loaded. */
  log?: Logger;
}

const TRANSPORTS = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

/** The challenge of an enrolment is keyed by the code's hash: the code itself is never stored. */
export async function registrationChallengeKey(code: string): Promise<string> {
  return `enrolment:${await sha256(code)}`;
}

function refuse(status: InvitationStatus): never {
  switch (status.state) {
    case 'expired':
      throw new AuthenticationError('expired_code', 'the invitation has expired: ask for a new one');
    case 'spent':
      throw new AuthenticationError('invalid_code', 'the invitation has already been used');
    case 'inactive':
      throw new AuthenticationError('invalid_code', 'the invited account is not active');
    default:
      throw new AuthenticationError('invalid_code', 'no such invitation');
  }
}

async function usableInvitee(ctx: RegistrationContext, code: string): Promise<{ invitee: Invitee; invitationId: string }> {
  const status = await invitationStatus(ctx.db, code, ctx.now);
  if (status.state === 'valid') return status;
  if (status.state !== 'unknown') await auditFailure(ctx, status.invitee.personId, { invitationId: status.invitationId, reason: status.state });
  refuse(status);
}

/** W3C WebAuthn §5.4: what navigator.credentials.create() needs, as JSON. */
export async function passkeyRegistrationOptions(ctx: RegistrationContext, code: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { invitee } = await usableInvitee(ctx, code);
  const rp = relyingParty(ctx.config);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: invitee.userName,
    userID: await userHandleOf(invitee.personId),
    userDisplayName: invitee.displayName,
    timeout: CEREMONY_TIMEOUT_SECONDS * 1000,
    // W3C WebAuthn §5.4.7: with FIDO metadata configured, 'direct' asks for the model's batch
    // attestation, enough to check the model against its metadata; 'enterprise' would add a
    // per-device identifier the service has no use for, and browsers allow it only to listed RPs.
    attestationType: ctx.config.fidoMetadata ? 'direct' : 'none',
    // §5.4.3: the person's authenticators that already hold a credential are skipped.
    excludeCredentials: await credentialDescriptorsOf(ctx.db, invitee.personId),
    // Discoverable credentials sign in without a username; UV makes a passkey two factors.
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    // §10.1.3 credProps: tells whether the authenticator really made it discoverable.
    extensions: { credProps: true },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHM_IDS,
  });
  // A newer request replaces an older challenge: only the latest ceremony can finish.
  await ctx.challenges.put(await registrationChallengeKey(code), options.challenge, CEREMONY_TIMEOUT_SECONDS);
  return options;
}

/** W3C WebAuthn §7.1: verifies a registration and stores the credential; the code is spent. */
export async function verifyPasskeyRegistration(
  ctx: RegistrationContext,
  code: string,
  response: RegistrationResponseJSON,
): Promise<{ credentialId: string; personId: string }> {
  const { invitee, invitationId } = await usableInvitee(ctx, code);
  const personId = invitee.personId;
  // Taken before verifying: a failed attempt uses the challenge up too (§13.4.3).
  const expectedChallenge = await ctx.challenges.take(await registrationChallengeKey(code));
  if (!expectedChallenge) {
    await auditFailure(ctx, personId, { invitationId, reason: 'no_challenge' });
    throw new AuthenticationError('invalid_challenge', 'no registration is in progress for this invitation, or it timed out: start again');
  }
  const rp = relyingParty(ctx.config);
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      supportedAlgorithmIDs: SUPPORTED_ALGORITHM_IDS,
    });
  } catch (err) {
    const failure = describeVerificationFailure(err);
    await auditFailure(ctx, personId, { invitationId, reason: failure.reason, detail: failure.detail });
    throw new AuthenticationError('registration_failed', failure.description);
  }
  if (!verification.verified) {
    await auditFailure(ctx, personId, { invitationId, reason: 'attestation' });
    throw new AuthenticationError('registration_failed', 'the attestation statement did not verify');
  }
  const info = verification.registrationInfo;
  const details = {
    invitationId,
    credentialId: info.credential.id,
    aaguid: info.aaguid,
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    attestationFormat: info.fmt,
  };
  // §5.1.3 credProps: a client that reports rk=false made a server-side credential.
  if (response.clientExtensionResults?.credProps?.rk === false) {
    await auditFailure(ctx, personId, { ...details, reason: 'not_discoverable' });
    throw new AuthenticationError('registration_failed', 'the passkey must be discoverable (stored on the authenticator)');
  }
  const verdict = await metadataVerdict(ctx, personId, details, info);
  Object.assign(details, verdictDetails(verdict));
  if (await findCredential(ctx.db, info.credential.id)) {
    await auditFailure(ctx, personId, { ...details, reason: 'credential_exists' });
    throw new AuthenticationError('registration_failed', 'this credential is already registered');
  }
  // One conditional update: of two verifications racing with one code, one wins.
  if (!(await spendInvitation(ctx.db, code, ctx.now))) {
    await auditFailure(ctx, personId, { ...details, reason: 'spent' });
    throw new AuthenticationError('invalid_code', 'the invitation has already been used');
  }
  const stored = await insertCredential(ctx.db, {
    id: info.credential.id,
    personId,
    publicKey: info.credential.publicKey,
    counter: info.credential.counter,
    transports: (response.response.transports ?? []).filter((t) => TRANSPORTS.has(t)),
    aaguid: info.aaguid,
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    attestationFormat: info.fmt,
    assuranceBasis: verdict?.basis === 'fido_metadata' ? 'fido_metadata' : 'self_asserted',
    metadata: verdict?.basis === 'fido_metadata' ? verdict.facts : null,
    createdAt: ctx.now,
  });
  if (!stored) {
    await auditFailure(ctx, personId, { ...details, reason: 'credential_exists' });
    throw new AuthenticationError('registration_failed', 'this credential is already registered');
  }
  await ctx.audit.record({
    actor: personId,
    action: 'credential.register',
    subject: personId,
    outcome: 'success',
    details,
    requestId: ctx.requestId,
  });
  return { credentialId: info.credential.id, personId };
}

/** With a FIDO MDS BLOB configured: what it says of this model (null without one). */
async function metadataVerdict(
  ctx: RegistrationContext,
  personId: string,
  details: Record<string, unknown>,
  info: { aaguid: string; attestationObject: Uint8Array },
): Promise<MetadataVerdict | null> {
  if (!ctx.config.fidoMetadata) return null;
  try {
    return await attestationVerdict(ctx.config.fidoMetadata, ctx.now, info);
  } catch (err) {
    if (!(err instanceof AttestationMetadataError)) throw err;
    await auditFailure(ctx, personId, { ...details, reason: err.reason, detail: err.detail });
    if (err.reason === 'metadata_unavailable') {
      ctx.log?.error('FIDO metadata unavailable: passkey registration refused', { problem: err.detail });
      throw new OAuthError('temporarily_unavailable', 'authenticator metadata cannot be checked just now: try again later');
    }
    if (err.reason === 'authenticator_compromised') {
      throw new AuthenticationError('registration_failed', 'this authenticator model is reported compromised: use another');
    }
    throw new AuthenticationError('registration_failed', "the attestation does not match this authenticator model's metadata");
  }
}

function verdictDetails(verdict: MetadataVerdict | null): Record<string, unknown> {
  if (!verdict) return { assuranceBasis: 'self_asserted' };
  if (verdict.basis === 'self_asserted') return { assuranceBasis: 'self_asserted', metadata: verdict.reason };
  return { assuranceBasis: 'fido_metadata', keyProtection: verdict.facts.keyProtection, userVerificationMethods: verdict.facts.userVerificationMethods };
}

function auditFailure(ctx: RegistrationContext, personId: string, details: Record<string, unknown>): Promise<void> {
  return ctx.audit.record({
    actor: personId,
    action: 'credential.register',
    subject: personId,
    outcome: 'failure',
    details,
    requestId: ctx.requestId,
  });
}
