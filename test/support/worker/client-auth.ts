// Client authentication for workerd tests: registered clients of each method and
// the credentials each presents at the token, introspection and revocation
// endpoints (RFC 6749 §2.3, RFC 7523).
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { EVERY_SCOPE, registerClient, type RegisteredClient } from './clients.ts';
import { issuer } from './requests.ts';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const REDIRECT_URI = 'https://rp.example.com/callback';

/** A registered client with the private key it signs client assertions with, when it uses private_key_jwt. */
export interface TestClient extends RegisteredClient {
  signingKey?: { alg: string; kid: string; privateKey: CryptoKey };
}

/** A confidential code-flow client with refresh tokens (client_secret_basic unless overridden). */
export function registerWebClient(metadata: Record<string, unknown> = {}): Promise<TestClient> {
  return registerClient({
    client_name: 'Token test RP',
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    scope: EVERY_SCOPE,
    ...metadata,
  });
}

/** A client registered for private_key_jwt with a fresh key pair of `alg`. */
export async function registerKeyClient(metadata: Record<string, unknown> = {}, alg = 'ES256'): Promise<TestClient> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `k-${crypto.randomUUID().slice(0, 8)}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const client = await registerWebClient({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] }, ...metadata });
  return { ...client, signingKey: { alg, kid, privateKey } };
}

export interface AssertionOptions {
  aud?: string | string[];
  /** Seconds from now. */
  expiresIn?: number;
  jti?: string;
  iss?: string;
  sub?: string;
  omitExp?: boolean;
  /** Send no kid in the header, as Python Authlib does. */
  omitKid?: boolean;
  key?: CryptoKey;
}

/** An RFC 7523 client assertion: iss = sub = client_id, aud = the issuer by default (the one value every client, FAPI 2.0 ones included, may use). */
export async function clientAssertion(client: TestClient, options: AssertionOptions = {}): Promise<string> {
  const key = client.signingKey!;
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: options.iss ?? client.client_id,
    sub: options.sub ?? client.client_id,
    aud: options.aud ?? issuer,
    jti: options.jti ?? crypto.randomUUID(),
    iat: now,
  };
  if (!options.omitExp) payload.exp = now + (options.expiresIn ?? 60);
  const header = options.omitKid ? { alg: key.alg, typ: 'JWT' } : { alg: key.alg, kid: key.kid };
  return new SignJWT(payload).setProtectedHeader(header).sign(options.key ?? key.privateKey);
}

/** An RFC 7523 client assertion MACed with HS256 over the client secret (client_secret_jwt). */
export async function secretAssertion(client: TestClient, options: AssertionOptions & { secret?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: options.iss ?? client.client_id,
    sub: options.sub ?? client.client_id,
    aud: options.aud ?? `${issuer}/token`,
    jti: options.jti ?? crypto.randomUUID(),
    iat: now,
    exp: now + (options.expiresIn ?? 60),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(options.secret ?? client.client_secret!));
}

/** RFC 6749 §2.3.1: each part form-urlencoded, then joined with ":" and base64-encoded. */
export function basicAuthorization(clientId: string, secret: string): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  const bytes = new TextEncoder().encode(`${encode(clientId)}:${encode(secret)}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * The headers and form parameters with which `client` authenticates by its
 * registered method: Basic, client_secret in the form, a fresh assertion, or client_id alone.
 */
export async function clientCredentials(client: TestClient): Promise<{ headers: Record<string, string>; params: Record<string, string> }> {
  switch (client.token_endpoint_auth_method) {
    case 'client_secret_basic':
      return { headers: { authorization: basicAuthorization(client.client_id, client.client_secret!) }, params: {} };
    case 'client_secret_post':
      return { headers: {}, params: { client_id: client.client_id, client_secret: client.client_secret! } };
    case 'private_key_jwt':
      return { headers: {}, params: { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await clientAssertion(client) } };
    case 'client_secret_jwt':
      return { headers: {}, params: { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await secretAssertion(client) } };
    default:
      return { headers: {}, params: { client_id: client.client_id } };
  }
}
