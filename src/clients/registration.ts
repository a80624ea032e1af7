// Client registration (RFC 7591) for operators holding the admin token, and the
// client configuration endpoint (RFC 7592) for the client, with its registration
// access token, and for the operator, with the admin token. Only hashes of
// secrets are stored; the clear values are shown once.
import { Hono } from 'hono';
import { z } from 'zod';
import { OAuthError } from '../errors.ts';
import { bearerToken, requireAdmin } from '../http/admin-auth.ts';
import { readJson } from '../http/body.ts';
import type { AppContext, AppEnv } from '../http/context.ts';
import { randomToken, secretMatchesHash, sha256, timingSafeEqual } from '../secrets.ts';
import type { Client } from './client.ts';
import { invalidClientMetadata, usesClientSecret, validateClientMetadata } from './client-metadata.ts';
import { invalidateClient } from './client-cache.ts';
import { nowSeconds, recordClientChange, registerClient, removeClient, sealedIfNeeded, type ChangeAuthor } from './client-lifecycle.ts';
import { replaceClient, selectClient, type StoredClient } from './client-store.ts';
import { wideningChange } from './registration-narrowing.ts';
import { OAUTH } from '../paths.ts';

// RFC 7591 §3.2.1: responses carrying secrets are not cached.
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

// Compared against when no client exists, so the time taken does not tell.
const ABSENT_HASH = 'A'.repeat(43);

const jsonObject = z.record(z.string(), z.unknown());

function invalidToken(presented: string | null): OAuthError {
  // RFC 6750 §3.1: no error code when no token was presented at all.
  return new OAuthError('invalid_token', 'a valid registration access token is required', {
    headers: { 'WWW-Authenticate': presented ? 'Bearer error="invalid_token"' : 'Bearer' },
  });
}

/** Who is configuring a client: the client itself, or the operator. */
type Configurer = { kind: 'client'; registrationAccessToken: string } | { kind: 'admin' };

/**
 * RFC 7592 §2: the registration access token for this client_id, or the admin
 * token (CONTRACT §3: the operator changes what it vetted). An unknown client
 * answers exactly as a wrong token does, so existence is not revealed.
 */
async function authenticateConfigurationRequest(c: AppContext): Promise<{ client: StoredClient; configurer: Configurer }> {
  const token = bearerToken(c.req.header('authorization'));
  if (!token) throw invalidToken(null);
  const client = await selectClient(c.var.ports.db, c.req.param('client_id') ?? '');
  if (timingSafeEqual(token, c.var.ports.config.adminToken)) {
    if (!client) throw invalidToken(token);
    return { client, configurer: { kind: 'admin' } };
  }
  const matches = await secretMatchesHash(token, client?.registrationAccessTokenHash ?? ABSENT_HASH);
  if (!client || !matches) throw invalidToken(token);
  return { client, configurer: { kind: 'client', registrationAccessToken: token } };
}

const actorOf = (configurer: Configurer, client: Client) => (configurer.kind === 'admin' ? 'admin' : `client:${client.clientId}`);

/** RFC 7591 §3.2.1 and RFC 7592 §3: the client information response. */
function clientInformation(
  c: AppContext,
  client: Client,
  secrets: { registrationAccessToken?: string; clientSecret?: string },
) {
  return {
    client_id: client.clientId,
    ...(secrets.clientSecret ? { client_secret: secrets.clientSecret } : {}),
    client_id_issued_at: client.clientIdIssuedAt,
    ...(client.clientSecretHash ? { client_secret_expires_at: client.clientSecretExpiresAt } : {}),
    // Only its hash is kept: the operator, who never held it, is not shown it.
    ...(secrets.registrationAccessToken ? { registration_access_token: secrets.registrationAccessToken } : {}),
    registration_client_uri: `${c.var.ports.config.issuer}/register/${client.clientId}`,
    ...client.metadata,
  };
}

const registrationSecrets = (configurer: Configurer) =>
  configurer.kind === 'client' ? { registrationAccessToken: configurer.registrationAccessToken } : {};

const authorOf = (c: AppContext, actor: string): ChangeAuthor => ({ actor, requestId: c.var.requestId });

export const registrationRoutes = new Hono<AppEnv>()
  .post(OAUTH.register, requireAdmin, async (c) => {
    const { config } = c.var.ports;
    const body = await readJson(c, z.unknown(), { invalid: invalidClientMetadata });
    const metadata = validateClientMetadata(body, { issuer: config.issuer });
    const { client, clientSecret, registrationAccessToken } = await registerClient(c.var.ports, metadata, authorOf(c, 'admin'));
    return c.json(clientInformation(c, client, { registrationAccessToken, clientSecret }), 201, NO_STORE);
  })
  .get(OAUTH.clientConfiguration, async (c) => {
    const { client, configurer } = await authenticateConfigurationRequest(c);
    return c.json(clientInformation(c, client, registrationSecrets(configurer)), 200, NO_STORE);
  })
  .put(OAUTH.clientConfiguration, async (c) => {
    const { db, config } = c.var.ports;
    const { client, configurer } = await authenticateConfigurationRequest(c);
    const body = await readJson(c, jsonObject, { invalid: invalidClientMetadata });
    // RFC 7592 §2.2: the body names the client being updated and may not rename it.
    if (body.client_id !== client.clientId) {
      throw invalidClientMetadata('client_id must be present and equal to the client being updated (RFC 7592 §2.2)');
    }
    const presentedSecret = body.client_secret;
    if (presentedSecret !== undefined && presentedSecret !== null) {
      const matches =
        typeof presentedSecret === 'string' &&
        client.clientSecretHash !== null &&
        (await secretMatchesHash(presentedSecret, client.clientSecretHash));
      if (!matches) throw invalidClientMetadata('client_secret does not match the current secret (RFC 7592 §2.2)');
    }
    const metadata = validateClientMetadata(body, { issuer: config.issuer });
    if (configurer.kind === 'client') {
      const widened = wideningChange(client.metadata, metadata);
      // CONTRACT §3: only the admin token widens what the operator vetted (RFC 7592 §2.2 lets us refuse).
      if (widened) throw invalidClientMetadata(`${widened} with the registration access token; the operator may change it`);
    }
    // A client that moves to a secret method gets a secret; one that leaves it loses it.
    // One that moves to client_secret_jwt gets a new one: only its hash was kept before.
    const method = metadata.token_endpoint_auth_method;
    let clientSecret: string | undefined;
    let clientSecretHash = usesClientSecret(method) ? client.clientSecretHash : null;
    let clientSecretSealed = method === 'client_secret_jwt' ? client.clientSecretSealed : null;
    if (usesClientSecret(method) && (!clientSecretHash || (method === 'client_secret_jwt' && !clientSecretSealed))) {
      clientSecret = randomToken();
      clientSecretHash = await sha256(clientSecret);
      clientSecretSealed = await sealedIfNeeded(config.keyEncryptionSecret, client.clientId, metadata, clientSecret);
    }
    const change = { metadata, clientSecretHash, clientSecretSealed };
    const updated: StoredClient = { ...client, ...change };
    if (!(await replaceClient(db, client.clientId, change, nowSeconds(c.var.ports)))) {
      throw invalidToken(bearerToken(c.req.header('authorization')));
    }
    invalidateClient(db, client.clientId);
    await recordClientChange(c.var.ports, authorOf(c, actorOf(configurer, client)), 'client.update', updated);
    return c.json(clientInformation(c, updated, { ...registrationSecrets(configurer), clientSecret }), 200, NO_STORE);
  })
  .delete(OAUTH.clientConfiguration, async (c) => {
    const { client, configurer } = await authenticateConfigurationRequest(c);
    // RFC 7592 §2.3: the client_id, secret and registration access token stop working at once.
    if (!(await removeClient(c.var.ports, client, authorOf(c, actorOf(configurer, client))))) throw invalidToken(bearerToken(c.req.header('authorization')));
    return c.body(null, 204, NO_STORE);
  });
