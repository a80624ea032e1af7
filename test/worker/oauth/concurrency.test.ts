import { describe, expect, it } from 'vitest';
import { registerWebClient } from '../../support/worker/client-auth.ts';
import { createUser } from '../../support/worker/scim.ts';
import { introspect, issueTestCode, redeemCode, refresh, signIn } from '../../support/worker/tokens.ts';

const PARALLEL = 50;

async function settle(responses: Response[]) {
  return Promise.all(responses.map(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string> })));
}

describe('exactly once under concurrency (RFC 6749 §4.1.2, RFC 9700 §4.14.2)', () => {
  it(`lets exactly one of ${PARALLEL} parallel redemptions of a code win, then revokes its tokens (RFC 6749 §4.1.2)`, async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const code = await issueTestCode({ client, person });
    const results = await settle(await Promise.all(Array.from({ length: PARALLEL }, () => redeemCode(client, code))));
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 400 && r.body.error === 'invalid_grant')).toHaveLength(PARALLEL - 1);
    const tokens = winners[0]!.body;
    expect(await introspect(client, tokens.access_token!)).toEqual({ active: false });
    expect(await introspect(client, tokens.refresh_token!)).toEqual({ active: false });
    expect((await refresh(client, tokens.refresh_token!)).status).toBe(400);
  });

  it(`lets exactly one of ${PARALLEL} parallel uses of a refresh token win, then revokes the family (RFC 9700 §4.14.2)`, async () => {
    const [client, person] = await Promise.all([registerWebClient(), createUser()]);
    const first = await signIn(client, { person });
    const results = await settle(await Promise.all(Array.from({ length: PARALLEL }, () => refresh(client, first.refresh_token!))));
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 400 && r.body.error === 'invalid_grant')).toHaveLength(PARALLEL - 1);
    const rotated = winners[0]!.body;
    expect(await introspect(client, rotated.access_token!)).toEqual({ active: false });
    expect(await introspect(client, rotated.refresh_token!)).toEqual({ active: false });
    expect(await introspect(client, first.access_token)).toEqual({ active: false });
  });
});
