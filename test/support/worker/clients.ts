// Registers client applications through the public registration endpoint
// (RFC 7591), as an operator would, for tests that need a client.
import { adminJson, call } from './requests.ts';

/** The client information response (RFC 7591 §3.2.1, RFC 7592 §3). */
export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  client_id_issued_at: number;
  client_secret_expires_at?: number;
  registration_access_token: string;
  registration_client_uri: string;
  redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: string;
  [field: string]: unknown;
}

export const DEFAULT_CLIENT_METADATA = {
  client_name: 'Test relying party',
  redirect_uris: ['https://rp.example.com/callback'],
};

// CONTRACT §3: an absent scope registers `openid` alone; test clients ask for every scope.
export const EVERY_SCOPE = 'openid profile email nhsperson associatedorgs nationalrbacaccess professionalmemberships organisationalmemberships selectedrole';

/**
 * Registers a client (defaults: a confidential web client allowed every scope)
 * and fails loudly if refused. A `scope` in `metadata` replaces the default.
 */
export async function registerClient(metadata: Record<string, unknown> = DEFAULT_CLIENT_METADATA): Promise<RegisteredClient> {
  const res = await adminJson('/register', 'POST', { scope: EVERY_SCOPE, ...metadata });
  if (res.status !== 201) {
    throw new Error(`client registration answered ${res.status}: ${await res.text()}`);
  }
  return (await res.json()) as RegisteredClient;
}

/** Calls the client's configuration endpoint (RFC 7592) with its registration access token. */
export function callConfiguration(
  client: RegisteredClient,
  init: RequestInit = {},
  token: string | null = client.registration_access_token,
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  return call(new URL(client.registration_client_uri).pathname, { ...init, headers });
}
