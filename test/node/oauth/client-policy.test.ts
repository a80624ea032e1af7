// Which protections apply to a client: its registration or the operator's
// setting for every client (RFC 9126 §5, RFC 9449 §5.2, FAPI 2.0).
import { describe, expect, it } from 'vitest';
import type { Client } from '../../../src/clients/client.ts';
import { validateClientMetadata } from '../../../src/clients/client-metadata.ts';
import { readConfig } from '../../../src/config.ts';
import { ConfigError, OAuthError } from '../../../src/errors.ts';
import { assertFapi2Client, requiresDpop, requiresPushedRequest, usesFapi2 } from '../../../src/oauth/client-policy.ts';
import { buildDiscoveryDocument } from '../../../src/discovery.ts';
import { TEST_ADMIN_TOKEN, TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';

const ISSUER = 'https://id.example.nhs.uk';
const env = (extra: Record<string, string> = {}) =>
  readConfig({ ISSUER, ADMIN_TOKEN: TEST_ADMIN_TOKEN, KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET, LIBSQL_URL: 'http://127.0.0.1:8080', ...extra });

const client = (metadata: Record<string, unknown> = {}): Client => ({
  clientId: 'rp-1',
  clientIdIssuedAt: 0,
  clientSecretHash: 'x',
  clientSecretExpiresAt: 0,
  clientSecretSealed: null,
  metadata: validateClientMetadata({ redirect_uris: ['https://rp.example.com/cb'], ...metadata }, { issuer: ISSUER }),
});

describe('client policy', () => {
  it('asks nothing extra of an ordinary client on a default service', () => {
    const config = env();
    expect([usesFapi2(client(), config), requiresPushedRequest(client(), config), requiresDpop(client(), config)]).toEqual([false, false, false]);
  });

  it('requires PAR of every client with REQUIRE_PUSHED_AUTHORIZATION_REQUESTS=true, and discovery says so (RFC 9126 §5)', () => {
    const config = env({ REQUIRE_PUSHED_AUTHORIZATION_REQUESTS: 'true' });
    expect(requiresPushedRequest(client(), config)).toBe(true);
    expect(buildDiscoveryDocument(ISSUER, [], { requirePushedRequests: true }).require_pushed_authorization_requests).toBe(true);
  });

  it('with FAPI2=true requires PAR, DPoP and private_key_jwt of every client (FAPI 2.0 §5.3.2.1)', () => {
    const config = env({ FAPI2: 'true' });
    expect([requiresPushedRequest(client(), config), requiresDpop(client(), config)]).toEqual([true, true]);
    expect(() => assertFapi2Client(client(), config)).toThrow(OAuthError);
  });

  it('refuses FAPI2=true with codes living over 60 seconds (FAPI 2.0 §5.3.2.2)', () => {
    expect(() => env({ FAPI2: 'true', CODE_TTL: '120' })).toThrow(ConfigError);
    expect(env({ FAPI2: 'true' }).ttl.code).toBe(60);
  });

  it('refuses PUSHED_REQUEST_TTL of 600 seconds or more (FAPI 2.0 §5.3.2.2: expires_in under 600)', () => {
    expect(() => env({ PUSHED_REQUEST_TTL: '600' })).toThrow(ConfigError);
  });
});
