// OpenID Connect Core §11: offline_access is a scope the service understands;
// the grant carries it, so the session rules can let it outlive logout (CONTRACT §7).
import { describe, expect, it } from 'vitest';
import { authorizePath } from '../../support/sign-in.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerWebClient } from '../../support/worker/client-auth.ts';
import { EVERY_SCOPE } from '../../support/worker/clients.ts';
import { createUser } from '../../support/worker/scim.ts';
import { issueTestCode, redeemCode, testPorts } from '../../support/worker/tokens.ts';

const authorize = async (client: { client_id: string; redirect_uris: string[] }, scope: string) =>
  redirectParams(await new Browser().fetch(authorizePath(client, { prompt: 'none', state: 's', scope })));

describe('the offline_access scope (OIDC Core §11, RFC 6749 §3.3)', () => {
  it('is accepted at the authorization endpoint from a client registered for it', async () => {
    const client = await registerWebClient({ scope: `${EVERY_SCOPE} offline_access` });
    expect(await authorize(client, 'openid offline_access')).toMatchObject({ error: 'login_required' });
  });

  it('is refused with invalid_scope for a client the operator did not register for it', async () => {
    const client = await registerWebClient();
    expect(await authorize(client, 'openid offline_access')).toMatchObject({ error: 'invalid_scope', state: 's' });
  });

  it('is listed in scopes_supported', async () => {
    const doc = (await (await new Browser().fetch('/.well-known/openid-configuration')).json()) as { scopes_supported: string[] };
    expect(doc.scopes_supported).toContain('offline_access');
  });

  it('is carried in the grant and the token response, with a refresh token as for any code grant', async () => {
    const client = await registerWebClient({ scope: `${EVERY_SCOPE} offline_access` });
    const code = await issueTestCode({ client, person: await createUser(), scope: ['openid', 'offline_access'] });
    const res = await redeemCode(client, code);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { scope: string; refresh_token?: string };
    expect(body.scope).toBe('openid offline_access');
    expect(body.refresh_token).toEqual(expect.any(String));
    const grant = await testPorts().grants.findGrant(code.grantId);
    expect(grant!.scope).toContain('offline_access');
  });

  it('still refuses a scope the service does not know (RFC 6749 §4.1.2.1 invalid_scope)', async () => {
    const client = await registerWebClient({ scope: `${EVERY_SCOPE} made_up` });
    expect(await authorize(client, 'openid made_up')).toMatchObject({ error: 'invalid_scope' });
  });
});
