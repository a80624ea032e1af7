// Enrolment through the public API for workerd tests: invite a person, run the
// registration JSON API with the software authenticator, and read back what was
// stored. Sign-in tests use enrolPasskey() to get a person holding a passkey.
import { eq } from 'drizzle-orm';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { webauthnCredentials } from '../../../schema/credentials.ts';
import type { Fetcher } from '../http-browser.ts';
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

/** A same-origin JSON POST, as the enrolment page's script sends it (to SELF, or to `fetcher`). */
export function postJson(path: string, body: unknown, headers: Record<string, string> = {}, fetcher?: Fetcher): Promise<Response> {
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
  return fetcher ? fetcher(new Request(new URL(path, issuer), init)) : call(path, init);
}

export async function registrationOptions(code: string, fetcher?: Fetcher): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const res = await postJson('/webauthn/registration/options', { code }, {}, fetcher);
  if (res.status !== 200) throw new Error(`registration options answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as PublicKeyCredentialCreationOptionsJSON;
}

export interface EnrolledPasskey {
  person: ScimUser;
  authenticator: SoftwareAuthenticator;
  credentialId: string;
}

/** Creates a person (or takes one), invites them and registers a passkey end to end (through SELF, or `fetcher`). */
export async function enrolPasskey(
  input: { person?: ScimUser; authenticator?: SoftwareAuthenticator; create?: Partial<CreateOptions>; fetcher?: Fetcher } = {},
): Promise<EnrolledPasskey> {
  const person = input.person ?? (await createUser());
  const authenticator = input.authenticator ?? new SoftwareAuthenticator();
  const { code } = await invite(person.id);
  const options = await registrationOptions(code, input.fetcher);
  const response = await authenticator.createCredential(options, { origin: ORIGIN, ...input.create });
  const res = await postJson('/webauthn/registration/verify', { code, response }, {}, input.fetcher);
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
      assuranceBasis: webauthnCredentials.assuranceBasis,
      keyProtection: webauthnCredentials.keyProtection,
      userVerificationMethods: webauthnCredentials.userVerificationMethods,
      createdAt: webauthnCredentials.createdAt,
      lastUsedAt: webauthnCredentials.lastUsedAt,
    })
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.personId, personId));
}
