// The console is a client of the service itself (OpenID Connect Core §3.1): a
// public client (token_endpoint_auth_method none) with PKCE S256, redirecting
// only to ISSUER/console/callback. It needs no secret: the code is redeemed in
// this same process, the redirect URI is on the issuer's own origin, and PKCE
// binds the code to the browser that started the sign-in (RFC 9700 §2.1.1).
// Provisioned from ISSUER on first use, on either entry, and put back as it
// should be whenever it is missing or its record differs (an operator deleting
// or editing it through registration cannot lock operators out or widen it).
import { clients } from '../../schema/clients.ts';
import { invalidateClient } from '../clients/client-cache.ts';
import type { Client } from '../clients/client.ts';
import { clientMetadataSchema } from '../clients/client-metadata.ts';
import { selectClient } from '../clients/client-store.ts';
import type { Ports } from '../ports.ts';
import { randomToken, sha256 } from '../secrets.ts';
import { CONSOLE } from '../paths.ts';

/** Not a shape registration issues (22 base64url characters), so no registered client can hold it. */
export const CONSOLE_CLIENT_ID = 'operator-console';
/** CONTRACT §8: a passkey or security key bound to one device. */
export const CONSOLE_ACR = 'AAL3_ANY';
export const CONSOLE_SCOPE = 'openid profile';

export const consoleRedirectUri = (issuer: string) => `${issuer}${CONSOLE.callback}`;

function consoleMetadata(issuer: string) {
  return clientMetadataSchema.parse({
    client_name: 'Operator console',
    redirect_uris: [consoleRedirectUri(issuer)],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    require_pkce: true,
    // Only the console's own pushed requests (operator-sign-in.ts): a hand-made /authorize for it is refused.
    require_pushed_authorization_requests: true,
    scope: CONSOLE_SCOPE,
    default_acr_values: [CONSOLE_ACR],
    id_token_signed_response_alg: 'ES256',
  });
}

/** The console's client record, created or restored when absent or altered. */
export async function ensureConsoleClient(ports: Ports): Promise<Client> {
  const { db, config, now } = ports;
  const metadata = consoleMetadata(config.issuer);
  const stored = await selectClient(db, CONSOLE_CLIENT_ID);
  const nowSeconds = Math.floor(now() / 1000);
  if (stored && JSON.stringify(stored.metadata) === JSON.stringify(metadata) && stored.clientSecretHash === null) {
    const { registrationAccessTokenHash: _, ...client } = stored;
    return client;
  }
  // A registration access token nobody holds: RFC 7592 management of this client is impossible.
  const row = {
    clientId: CONSOLE_CLIENT_ID,
    clientSecretHash: null,
    clientSecretSealed: null,
    clientSecretExpiresAt: 0,
    registrationAccessTokenHash: await sha256(randomToken()),
    metadata,
    clientIdIssuedAt: stored?.clientIdIssuedAt ?? nowSeconds,
    updatedAt: nowSeconds,
  };
  await db
    .insert(clients)
    .values(row)
    .onConflictDoUpdate({ target: clients.clientId, set: { metadata, clientSecretHash: null, clientSecretSealed: null, clientSecretExpiresAt: 0, updatedAt: nowSeconds } });
  invalidateClient(db, CONSOLE_CLIENT_ID);
  return { clientId: CONSOLE_CLIENT_ID, clientIdIssuedAt: row.clientIdIssuedAt, clientSecretHash: null, clientSecretSealed: null, clientSecretExpiresAt: 0, metadata };
}
