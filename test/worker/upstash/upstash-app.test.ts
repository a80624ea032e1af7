// The service with Upstash in place of the Durable Objects for replay caches,
// the revocation list and rate limits (CONTRACT §1): the protocol behaviour that
// rests on them holds, the state lands in Redis, and an outage answers 503.
import { env } from 'cloudflare:test';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Ports } from '../../../src/ports.ts';
import type { Env } from '../../../workers/env.ts';
import { buildPorts } from '../../../workers/ports.ts';
import { createUpstashCalls, KEY_PREFIX } from '../../../src/upstash/client.ts';
import { basicAuthorization, CLIENT_ASSERTION_TYPE, clientAssertion, registerKeyClient, type TestClient } from '../../support/worker/client-auth.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { testApp, type TestApp } from '../../support/worker/test-app.ts';
import { upstashCalls, upstashEndpoint, upstashPorts } from '../../support/worker/upstash.ts';
import { TEST_ISSUER } from '../../support/test-env.ts';

function post(app: TestApp, path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return app.fetch(
    new Request(new URL(path, TEST_ISSUER), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params).toString(),
    }),
  );
}

const withAssertion = (assertion: string) => ({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion });
const inRedis = (key: string) => upstashCalls().call((redis) => redis.exists(`${KEY_PREFIX}${key}`));

describe('the service over Upstash', () => {
  it('refuses a replayed private_key_jwt client assertion (RFC 7523 §3 item 7), remembering its jti in Redis', async () => {
    const app = testApp(upstashPorts());
    const client = await registerKeyClient({ grant_types: ['client_credentials'] });
    const assertion = await clientAssertion(client);
    expect((await post(app, '/token', withAssertion(assertion))).status).toBe(200);
    const replayed = await post(app, '/token', withAssertion(assertion));
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ error: 'invalid_client', error_description: expect.stringContaining('jti') });
    const { jti } = decodeJwt(assertion);
    expect(await inRedis(`replay:client_assertion:${client.client_id}:${jti}`)).toBe(1);
  });

  it('introspects a revoked client_credentials access token as inactive (RFC 7009 §2.1, RFC 7662 §2.2)', async () => {
    const app = testApp(upstashPorts());
    const client = (await registerClient({ grant_types: ['client_credentials'] })) as TestClient;
    const basic = { authorization: basicAuthorization(client.client_id, client.client_secret!) };
    const res = await post(app, '/token', { grant_type: 'client_credentials' }, basic);
    const { access_token: token } = (await res.json()) as { access_token: string };
    const introspect = async () => (await post(app, '/introspect', { token }, basic)).json();
    expect(await introspect()).toMatchObject({ active: true });
    expect((await post(app, '/revoke', { token }, basic)).status).toBe(200);
    expect(await introspect()).toEqual({ active: false });
    expect(await inRedis(`revoked:${decodeJwt(token).jti}`)).toBe(1);
  });

  it('answers 503 temporarily_unavailable, not 500, while Upstash does not answer', async () => {
    const { silentUrl } = upstashEndpoint();
    const app = testApp(upstashPorts(createUpstashCalls({ url: silentUrl, token: 't' }, 300)));
    const client = await registerKeyClient({ grant_types: ['client_credentials'] });
    const res = await post(app, '/token', withAssertion(await clientAssertion(client)));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });
});

describe('buildPorts', () => {
  it('hands the replay cache, revocation list and rate limits to Upstash when it is configured', async () => {
    const { url, token } = upstashEndpoint();
    const ports: Ports = buildPorts({ ...(env as unknown as Env), UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token });
    const key = `ports-${crypto.randomUUID()}`;
    expect(await ports.replay.firstUse(key, Date.now() + 60_000)).toBe(true);
    await ports.revocations.revoke(key, Date.now() + 60_000);
    await ports.limits.hit(key, 'k', 60_000, Date.now());
    expect(await inRedis(`replay:${key}`)).toBe(1);
    expect(await inRedis(`revoked:${key}`)).toBe(1);
    expect(await inRedis(`rl:{${key}}:k`)).toBe(1);
  });

  it('keeps them in Durable Objects otherwise', async () => {
    const ports = buildPorts(env as unknown as Env);
    const key = `ports-${crypto.randomUUID()}`;
    expect(await ports.replay.firstUse(key, Date.now() + 60_000)).toBe(true);
    expect(await inRedis(`replay:${key}`)).toBe(0);
  });
});
