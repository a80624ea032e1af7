// The operator's side of the contract for end-to-end tests against `npm start`:
// admin calls with the stack's token, people created through SCIM, clients
// registered (RFC 7591), and enrolling a passkey from an invitation through the
// public JSON API (contract §5) with the software authenticator, as the
// enrolment page's script would.
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { expect } from 'vitest';
import { HttpBrowser } from '../http-browser.ts';
import { followAuthorization } from '../sign-in.ts';
import { SoftwareAuthenticator } from '../webauthn/authenticator.ts';
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

/** A person to create: the SCIM core attributes, and the NHS RBAC extension's when given (CONTRACT §4). */
export interface PersonSpec {
  userName: string;
  name?: { givenName: string; familyName: string };
  /** The extension's attributes: uid, identityAssuranceLevel, organisations, roles. */
  rbac?: Record<string, unknown>;
  /** Other attributes, such as password. */
  extra?: Record<string, unknown>;
}

export interface CreatedPerson {
  id: string;
  userName: string;
  /** The ids the service gave the person's roles, in the order given. */
  roleIds: string[];
}

/** Creates the person through SCIM (RFC 7644 §3.3); the setup fails unless it answers 201. */
export async function createPerson(stack: LocalStack, { userName, name, rbac, extra = {} }: PersonSpec): Promise<CreatedPerson> {
  const created = await admin(stack, '/scim/v2/Users', 'POST', {
    schemas: rbac ? [CORE_USER, RBAC_USER] : [CORE_USER],
    userName,
    ...(name ? { name } : {}),
    ...(rbac ? { [RBAC_USER]: rbac } : {}),
    ...extra,
  }, 'application/scim+json');
  expect(created.status).toBe(201);
  const roles = (created.json[RBAC_USER]?.roles ?? []) as { id: string }[];
  return { id: created.json.id as string, userName, roleIds: roles.map((r) => r.id) };
}

/** Roles named `roleNames`, each in the next of `organisations` in turn, with distinct role codes. */
export function rolesOver(organisations: { orgCode: string }[], roleNames: string[]): Record<string, string>[] {
  return roleNames.map((roleName, i) => ({ orgCode: organisations[i % organisations.length]!.orgCode, roleCode: `S8000:G8000:R80${i}${i}`, roleName }));
}

/** Registers a client with the admin token (RFC 7591 §3.1); the setup fails unless it answers 201. Answers the client information. */
export async function register(stack: LocalStack, metadata: Record<string, unknown>): Promise<Record<string, any> & { client_id: string }> {
  const registered = await admin(stack, '/register', 'POST', metadata);
  expect(registered.status).toBe(201);
  return registered.json as Record<string, any> & { client_id: string };
}

/** A person driven over HTTP: a cookie jar, and a software authenticator holding their passkey. */
export interface HttpPerson {
  id: string;
  browser: HttpBrowser;
  authenticator: SoftwareAuthenticator;
  /** Follows an authorization request, signing in with the passkey if the sign-in page appears; answers the final response. */
  authorize(url: string): Promise<Response>;
}

/** Creates the person and enrols a passkey for them from an invitation, as the enrolment page would. */
export async function enrolledPerson(stack: LocalStack, spec: PersonSpec): Promise<HttpPerson> {
  const { id } = await createPerson(stack, spec);
  const browser = new HttpBrowser(stack.url);
  const authenticator = new SoftwareAuthenticator();
  await enrolPasskey(stack, browser, id, authenticator);
  return { id, browser, authenticator, authorize: (url) => followAuthorization(browser, url, authenticator) };
}
