// The operator's side of the contract for end-to-end tests against `npm start`:
// admin calls with the stack's token, and enrolling a passkey from an
// invitation through the public JSON API (contract §5) with the software
// authenticator, as the enrolment page's script would.
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { HttpBrowser } from '../http-browser.ts';
import type { SoftwareAuthenticator } from '../webauthn/authenticator.ts';
import type { LocalStack } from './local-stack.ts';

export const RBAC_USER = 'urn:nhs:scim:schemas:extension:rbac:2.0:User';
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

export interface AdminAnswer {
  status: number;
  json: Record<string, any>;
}

/** A call with the admin token (SCIM, /admin, registration); the body is JSON. */
export async function admin(stack: LocalStack, path: string, method = 'GET', body?: unknown, type = 'application/json'): Promise<AdminAnswer> {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body !== undefined ? { 'content-type': type } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

/** The SCIM id of a person by userName. */
export async function personId(stack: LocalStack, userName: string): Promise<string> {
  const found = await admin(stack, `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
  const id = found.json.Resources?.[0]?.id as string | undefined;
  if (!id) throw new Error(`no person ${userName}`);
  return id;
}

/** Invites the person and registers a passkey with the authenticator; answers the credential id. */
export async function enrolPasskey(stack: LocalStack, browser: HttpBrowser, id: string, authenticator: SoftwareAuthenticator): Promise<string> {
  const invitation = await admin(stack, `/admin/users/${id}/enrolments`, 'POST');
  if (invitation.status !== 201) throw new Error(`invitation answered ${invitation.status}`);
  const code = invitation.json.code as string;
  const options = await browser.postJson('/webauthn/registration/options', { code });
  if (options.status !== 200) throw new Error(`registration options answered ${options.status}: ${await options.text()}`);
  const response = await authenticator.createCredential((await options.json()) as PublicKeyCredentialCreationOptionsJSON, { origin: browser.origin });
  const verified = await browser.postJson('/webauthn/registration/verify', { code, response });
  if (verified.status !== 200) throw new Error(`registration verify answered ${verified.status}: ${await verified.text()}`);
  return ((await verified.json()) as { credentialId: string }).credentialId;
}
