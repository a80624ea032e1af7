// Enrolment through the public API for workerd tests: invite a person, run the
// registration JSON API with the software authenticator, and read back what was
// stored. Sign-in tests use enrolPasskey() to get a person holding a passkey.
import { eq } from 'drizzle-orm';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { webauthnCredentials } from '../../../schema/credentials.ts';
import { testDatabase } from '../worker/directory.ts';
import { adminJson, call, issuer } from '../worker/requests.ts';
import { createUser, type ScimUser } from '../worker/scim.ts';
import { SoftwareAuthenticator, type CreateOptions } from './authenticator.ts';

export const ORIGIN = new URL(issuer).origin;

export interface Invitation {
  code: string;
  url: string;
  expires_at: string;
}

export async function invite(personId: string): Promise<Invitation> {
  const res = await adminJson(`/admin/users/${personId}/enrolments`, 'POST', {});
  if (res.status !== 201) throw new Error(`inviting ${personId} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Invitation;
}

/** A same-origin JSON POST, as the enrolment page's script sends it. */
export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function registrationOptions(code: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const res = await postJson('/webauthn/registration/options', { code });
  if (res.status !== 200) throw new Error(`registration options answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as PublicKeyCredentialCreationOptionsJSON;
}

export interface EnrolledPasskey {
  person: ScimUser;
  authenticator: SoftwareAuthenticator;
  credentialId: string;
}

/** Creates a person (or takes one), invites them and registers a passkey end to end. */
export async function enrolPasskey(
  input: { person?: ScimUser; authenticator?: SoftwareAuthenticator; create?: Partial<CreateOptions> } = {},
): Promise<EnrolledPasskey> {
  const person = input.person ?? (await createUser());
  const authenticator = input.authenticator ?? new SoftwareAuthenticator();
  const { code } = await invite(person.id);
  const options = await registrationOptions(code);
  const response = await authenticator.createCredential(options, { origin: ORIGIN, ...input.create });
  const res = await postJson('/webauthn/registration/verify', { code, response });
  if (res.status !== 200) throw new Error(`registration verify answered ${res.status}: ${await res.text()}`);
  const { credentialId } = (await res.json()) as { credentialId: string };
  return { person, authenticator, credentialId };
}

export async function storedCredentialsOf(personId: string) {
  return testDatabase()
    .select({
      id: webauthnCredentials.id,
      counter: webauthnCredentials.counter,
      transports: webauthnCredentials.transports,
      aaguid: webauthnCredentials.aaguid,
      deviceType: webauthnCredentials.deviceType,
      backedUp: webauthnCredentials.backedUp,
      attestationFormat: webauthnCredentials.attestationFormat,
      createdAt: webauthnCredentials.createdAt,
      lastUsedAt: webauthnCredentials.lastUsedAt,
    })
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.personId, personId));
}
