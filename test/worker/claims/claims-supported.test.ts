// CONTRACT §8: discovery's claims_supported names every professional-membership
// kind people hold, the known registers always, and CIS2's azp and nhsid_org_roles.
import { describe, expect, it } from 'vitest';
import { DISCOVERY_CACHE_MS } from '../../../src/discovery.ts';
import { createUser, exampleUser, RBAC_USER } from '../../support/worker/scim.ts';
import { testApp } from '../../support/worker/test-app.ts';

async function claimsSupported(app: ReturnType<typeof testApp>): Promise<string[]> {
  const res = await app.fetch(new Request(`${app.ports.config.issuer}/.well-known/openid-configuration`));
  expect(res.status).toBe(200);
  return ((await res.json()) as { claims_supported: string[] }).claims_supported;
}

function personHolding(kind: string) {
  const base = exampleUser();
  return createUser({ [RBAC_USER]: { ...(base[RBAC_USER] as object), professionalMemberships: { [kind]: 'X123' } } });
}

const newKind = () => `t${crypto.randomUUID().slice(0, 8).replace(/-/g, '')}_id`;

describe('claims_supported (OpenID Connect Discovery 1.0 §3; CONTRACT §8)', () => {
  it('lists the known registers, azp and nhsid_org_roles', async () => {
    const claims = await claimsSupported(testApp());
    expect(claims).toEqual(expect.arrayContaining(['gmc_id', 'nmc_id', 'gphc_id', 'gdc_id', 'rcn_id', 'hcpc_id', 'azp', 'nhsid_org_roles']));
    expect(new Set(claims).size).toBe(claims.length);
  });

  it('lists a membership kind once someone holds it, re-reading the directory after the isolate cache expires', async () => {
    const first = newKind();
    await personHolding(first);
    const app = testApp();
    expect(await claimsSupported(app)).toContain(first);
    const second = newKind();
    await personHolding(second);
    // Cached briefly per isolate: the directory is not read on every request.
    expect(await claimsSupported(app)).not.toContain(second);
    app.advance(DISCOVERY_CACHE_MS + 1);
    expect(await claimsSupported(app)).toEqual(expect.arrayContaining([first, second]));
  });

  it('still answers, with the known registers, when the directory cannot be read', async () => {
    const app = testApp({ db: { all: () => Promise.reject(new Error('directory down')) } as never });
    expect(await claimsSupported(app)).toContain('gmc_id');
  });
});
