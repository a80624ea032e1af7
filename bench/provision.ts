// Provisions our service for the benchmark through the public contract only,
// as an operator and a person would: client registration with the admin token
// (RFC 7591), SCIM users, and a passkey per virtual user enrolled with the
// software authenticator through the enrolment JSON API (CONTRACT §3–§6).
import { exportJWK, generateKeyPair } from 'jose';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { SoftwareAuthenticator } from '../test/support/webauthn/authenticator.ts';
import type { ServerProcesses } from './cpu.ts';
import { basicAuthorization, Browser, expectJson, expectRedirect, StepError, type HttpClient } from './http.ts';
import { discover, discoveryDocument, type Target } from './target.ts';

export const REDIRECT_URI = 'https://bench.example/cb';
const RBAC = 'urn:nhs:scim:schemas:extension:rbac:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

interface Registered {
  client_id: string;
  client_secret?: string;
  registration_access_token: string;
  registration_client_uri: string;
}

async function register(http: HttpClient, path: string, adminToken: string, metadata: Record<string, unknown>): Promise<Registered> {
  return expectJson<Registered>('registration', await http.postJson(path, metadata, { authorization: `Bearer ${adminToken}` }), 201);
}

/** A person with one role, as SCIM provisioning from an HR feed would create them. */
async function createPerson(http: HttpClient, adminToken: string, index: number, run: string): Promise<string> {
  const body = {
    schemas: [CORE, RBAC],
    userName: `bench.${run}.${index}`,
    name: { givenName: 'Bench', familyName: `Person ${index}` },
    emails: [{ value: `bench.${run}.${index}@example.nhs.uk`, type: 'work', primary: true }],
    active: true,
    [RBAC]: {
      identityAssuranceLevel: 3,
      organisations: [{ orgCode: 'RX1', orgName: 'Example NHS Trust' }],
      roles: [{ orgCode: 'RX1', roleCode: 'S8000:G8000:R8000', roleName: 'Clinical Practitioner Access Role', activityCodes: ['B0570'], activities: ['Perform Patient Trace'] }],
    },
  };
  const res = await http.request('/scim/v2/Users', {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify(body),
  });
  return expectJson<{ id: string }>('SCIM create user', res, 201).id;
}

/** CONTRACT §5: an invitation, then the registration JSON API with a device-bound passkey. */
async function enrolPasskey(http: HttpClient, adminToken: string, personId: string, origin: string): Promise<SoftwareAuthenticator> {
  const admin = { authorization: `Bearer ${adminToken}` };
  const { code } = expectJson<{ code: string }>('enrolment invitation', await http.postJson(`/admin/users/${personId}/enrolments`, {}, admin), 201);
  const page = { origin };
  const options = expectJson<PublicKeyCredentialCreationOptionsJSON>('registration options', await http.postJson('/webauthn/registration/options', { code }, page));
  const authenticator = new SoftwareAuthenticator();
  const response = await authenticator.createCredential(options, { origin });
  expectJson('registration verify', await http.postJson('/webauthn/registration/verify', { code, response }, page));
  return authenticator;
}

function decodeAttribute(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * CONTRACT §6 as the sign-in page's script runs it: the page names the request
 * it shows (data-options-body), then options → assertion → verify → redirect_to.
 */
async function passkeySignIn(browser: Browser, authorizationPath: string, authenticator: SoftwareAuthenticator): Promise<URL> {
  const { res: page, url } = await browser.navigate(authorizationPath);
  if (page.status !== 200 || url.pathname !== '/signin') throw new StepError(`authorize: expected the sign-in page, got ${page.status} at ${url.pathname}`);
  const attribute = /data-options-body="([^"]*)"/.exec(page.text)?.[1];
  const optionsBody: unknown = attribute ? JSON.parse(decodeAttribute(attribute)) : {};
  const options = expectJson<PublicKeyCredentialRequestOptionsJSON>('authentication options', await browser.postJson('/webauthn/authentication/options', optionsBody));
  const assertion = await authenticator.getAssertion(options, { origin: browser.origin });
  const { redirect_to } = expectJson<{ redirect_to: string }>('authentication verify', await browser.postJson('/webauthn/authentication/verify', assertion));
  const { res } = await browser.navigate(redirect_to);
  return expectRedirect('authorize resume', res);
}

interface ProvisionOptions {
  http: HttpClient;
  adminToken: string;
  /** One person (and passkey) per virtual user, so each signs in with its own credential. */
  people: number;
  processes: ServerProcesses | null;
}

/** Removes what provisioning created (RFC 7592 delete, SCIM DELETE), for a service the bench did not start. */
async function deprovision(http: HttpClient, adminToken: string, clients: Registered[], personIds: string[]): Promise<void> {
  for (const client of clients) {
    await http.request(new URL(client.registration_client_uri).pathname, { method: 'DELETE', headers: { authorization: `Bearer ${client.registration_access_token}` } });
  }
  for (const id of personIds) {
    await http.request(`/scim/v2/Users/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${adminToken}` } });
  }
}

export async function provisionOurs(options: ProvisionOptions): Promise<Target & { deprovision(): Promise<void> }> {
  const { http, adminToken } = options;
  const endpoints = await discover(http);
  const origin = new URL(endpoints.issuer).origin;
  const registrationPath = new URL((await discoveryDocument<{ registration_endpoint: string }>(http)).registration_endpoint).pathname;

  const basic = await register(http, registrationPath, adminToken, {
    client_name: 'Bench resource server',
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_basic',
  });
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const kid = 'bench-es256';
  const jwt = await register(http, registrationPath, adminToken, {
    client_name: 'Bench private_key_jwt client',
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] },
  });
  const code = await register(http, registrationPath, adminToken, {
    client_name: 'Bench clinical system',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid',
  });

  const run = Date.now().toString(36);
  const authenticators: SoftwareAuthenticator[] = [];
  const personIds: string[] = [];
  for (let i = 0; i < options.people; i++) {
    personIds.push(await createPerson(http, adminToken, i, run));
    authenticators.push(await enrolPasskey(http, adminToken, personIds[i]!, origin));
  }

  return {
    name: 'ours',
    http,
    ...endpoints,
    basic: { clientId: basic.client_id, clientSecret: basic.client_secret! },
    jwt: { clientId: jwt.client_id, kid, privateKey },
    code: { clientId: code.client_id, clientSecret: code.client_secret!, redirectUri: REDIRECT_URI },
    introspected: {
      description: 'a JWT access token from client_credentials',
      issue: async () => {
        const issued = await http.postForm(endpoints.paths.token, { grant_type: 'client_credentials' }, {
          authorization: basicAuthorization(basic.client_id, basic.client_secret!),
        });
        return expectJson<{ access_token: string }>('token (client_credentials)', issued).access_token;
      },
    },
    signIn: (browser, path, vu) => passkeySignIn(browser, path, authenticators[vu % authenticators.length]!),
    processes: options.processes,
    deprovision: () => deprovision(http, adminToken, [basic, jwt, code], personIds),
  };
}
