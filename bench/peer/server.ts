// The peer: oidc-provider (panva) in its own Node process, configured as ours
// is: RS256 ID tokens, ES256 JWT access tokens (RFC 9068, through resource
// indicators), in-memory storage, client_credentials, authorization_code with
// PKCE required and refresh tokens rotating on every use, private_key_jwt and
// client_secret_basic, introspection, DPoP (always on in oidc-provider 9:
// a proof binds the token, as ours), and a scripted login: visiting the
// interaction URL signs in one fixed person and grants what was asked.
// Prints {"url"} on stdout when listening; SIGTERM stops it.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { PEER_ACCOUNT, PEER_CONFIG_ENV, PEER_OPAQUE_RESOURCE, PEER_RESOURCE, PEER_SCOPE, type PeerConfig } from './config.ts';

const config = JSON.parse(process.env[PEER_CONFIG_ENV] ?? 'null') as PeerConfig | null;
if (!config) {
  process.stderr.write(`peer: ${PEER_CONFIG_ENV} must hold the JSON configuration\n`);
  process.exit(2);
}

function privateJwk(type: 'rsa' | 'ec', alg: string): Record<string, unknown> {
  const { privateKey } =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: `${alg.toLowerCase()}-1` };
}

const issuer = `http://127.0.0.1:${config.port}`;
const { basic, jwt, code } = config.clients;
const jwtAccessTokens = { scope: PEER_SCOPE, audience: PEER_RESOURCE, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
const opaqueAccessTokens = { scope: PEER_SCOPE, audience: PEER_OPAQUE_RESOURCE, accessTokenFormat: 'opaque' };

const provider = new Provider(issuer, {
  clients: [
    { ...basic, grant_types: ['client_credentials'], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic' },
    { ...jwt, grant_types: ['client_credentials'], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256' },
    { ...code, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' },
  ],
  // ID tokens default to RS256 (the first RSA key); access tokens name ES256 above.
  jwks: { keys: [privateJwk('rsa', 'RS256'), privateJwk('ec', 'ES256')] },
  cookies: { keys: ['bench-peer-cookie-key-not-secret'] },
  findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id }) }),
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf ?? PEER_RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx: unknown, resource: string) => (resource === PEER_OPAQUE_RESOURCE ? opaqueAccessTokens : jwtAccessTokens),
    },
  },
  pkce: { required: () => true },
  // Ours issues a refresh token to every client registered for the grant, without offline_access.
  issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  // Ours' lifetimes (README: ACCESS_TOKEN_TTL, ID_TOKEN_TTL, REFRESH_TOKEN_TTL, CODE_TTL).
  ttl: { AccessToken: 600, ClientCredentials: 600, IdToken: 600, RefreshToken: 43_200, AuthorizationCode: 60 },
  interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
});
provider.on('server_error', (_ctx: unknown, err: unknown) => process.stderr.write(`peer: server_error ${String(err)}\n`));

/** The scripted login: the fixed person signs in and every requested scope is granted. */
async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const clientId = String(details.params.client_id);
  const grant = new provider.Grant({ accountId: PEER_ACCOUNT, clientId });
  grant.addOIDCScope(String(details.params.scope ?? 'openid'));
  grant.addResourceScope(PEER_RESOURCE, PEER_SCOPE);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId: PEER_ACCOUNT }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url?.startsWith('/interaction/')) {
    interaction(req, res).catch((err: unknown) => {
      process.stderr.write(`peer: interaction failed: ${String(err)}\n`);
      if (!res.headersSent) res.writeHead(500).end();
    });
    return;
  }
  callback(req, res);
});
server.keepAliveTimeout = 60_000;
server.listen(config.port, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
