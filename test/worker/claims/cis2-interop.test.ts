// Signs in the way CIS2 relying parties do (contract §8; NHS CIS2 integration
// guidance): scopes openid profile nhsperson nationalrbacaccess associatedorgs
// selectedrole, acr_values=AAL2_OR_AAL3_ANY, max_age=300, then resolves
// selected_roleid to its role and ODS code through nhsid_nrbac_roles, as those
// relying parties do, for people with several roles, one role and none.
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import { createPasswordPerson, passwordSignInAndContinue } from '../../support/worker/password.ts';
import { createMultiRolePerson, createPersonWithoutRoles } from '../../support/worker/people.ts';
import { issuer } from '../../support/worker/requests.ts';
import { RBAC_USER, type ScimUser } from '../../support/worker/scim.ts';
import { CODE_VERIFIER, authorizePath, signInAndContinue } from '../../support/sign-in.ts';
import { postForm, publishedKeys, userinfo } from '../../support/worker/tokens.ts';

const CIS2_REQUEST = {
  scope: 'openid profile nhsperson nationalrbacaccess associatedorgs selectedrole',
  acr_values: 'AAL2_OR_AAL3_ANY',
  max_age: '300',
};

interface Cis2Result {
  idToken: Record<string, any>;
  userinfo: Record<string, any>;
}

/** The relying party's side: redeem the code, verify the ID token against the JWKS, call userinfo. */
async function redeem(client: TestClient, callback: Response): Promise<Cis2Result> {
  const { code } = redirectParams(callback);
  expect(code).toBeDefined();
  const res = await postForm('/token', { grant_type: 'authorization_code', code: code!, redirect_uri: client.redirect_uris[0]!, code_verifier: CODE_VERIFIER }, client);
  expect(res.status).toBe(200);
  const tokens = (await res.json()) as { id_token: string; access_token: string };
  const { payload } = await jwtVerify(tokens.id_token, await publishedKeys(), { issuer, audience: client.client_id, maxTokenAge: '5m' });
  const info = await userinfo(tokens.access_token);
  expect(info.status).toBe(200);
  return { idToken: payload, userinfo: (await info.json()) as Record<string, any> };
}

/** What a CIS2 relying party does with selected_roleid: find the role it names. */
function selectedRole(result: Cis2Result) {
  return (result.userinfo.nhsid_nrbac_roles as { person_roleid: string; role_code: string; org_code: string }[]).find(
    (r) => r.person_roleid === result.idToken.selected_roleid,
  );
}

function expectCis2Assurance(result: Cis2Result, aal: string, amr: string[]) {
  const now = Math.floor(Date.now() / 1000);
  expect(result.idToken).toMatchObject({ acr: 'AAL2_OR_AAL3_ANY', amr, authentication_assurance_level: aal, id_assurance_level: '3' });
  expect(now - result.idToken.auth_time).toBeLessThanOrEqual(300);
}

describe('a CIS2 relying party, unchanged (contract §8, docs/cis2.md)', () => {
  it('signs in a person with several roles at two organisations, who chooses one, and resolves it to role and ODS code', async () => {
    const client = await registerWebClient();
    const person: ScimUser = await createMultiRolePerson();
    const { authenticator } = await enrolPasskey({ person });
    const browser = new Browser();
    await browser.navigate(authorizePath(client, CIS2_REQUEST));
    const choice = await signInAndContinue(browser, authenticator);
    expect(browser.url.pathname).toBe('/select-role');
    const html = await choice.text();
    const chosen = (person[RBAC_USER].roles as { id: string; orgCode: string; roleCode: string }[])[2]!;
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)![1]!;
    const callback = await browser.fetch(`${browser.url.pathname}${browser.url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: browser.origin },
      body: new URLSearchParams({ csrf_token: csrf, role: chosen.id }).toString(),
    }).then((r) => browser.navigate(r.headers.get('location')!));
    const result = await redeem(client, callback);
    expectCis2Assurance(result, '3', ['FIDO2']);
    expect(result.idToken.selected_roleid).toBe(chosen.id);
    expect(selectedRole(result)).toMatchObject({ role_code: 'S8000:G8000:R8003', org_code: 'RX2' });
    expect(result.userinfo.nhsid_user_orgs).toEqual([
      { org_code: 'RX1', org_name: 'Example NHS Trust' },
      { org_code: 'RX2', org_name: 'Second NHS Trust' },
    ]);
    expect(result.userinfo).toMatchObject({ nhsid_useruid: person[RBAC_USER].uid, uid: person[RBAC_USER].uid, given_name: 'Ada', family_name: 'Lovelace' });
    expect(result.idToken).not.toHaveProperty('nhsid_nrbac_roles');
  });

  it('signs in a person with one role (password + authenticator app) without a page, and resolves that role', async () => {
    const client = await registerWebClient();
    const who = await createPasswordPerson();
    const browser = new Browser();
    await browser.navigate(authorizePath(client, CIS2_REQUEST));
    const result = await redeem(client, await passwordSignInAndContinue(browser, who));
    expectCis2Assurance(result, '2', ['PWD', 'TOTP']);
    const only = (who.person[RBAC_USER].roles as { id: string }[])[0]!;
    expect(result.idToken.selected_roleid).toBe(only.id);
    expect(selectedRole(result)).toMatchObject({ role_code: 'S8000:G8000:R8000', org_code: 'RX1' });
  });

  it('signs in a person with no roles without selected_roleid', async () => {
    const client = await registerWebClient();
    const person = await createPersonWithoutRoles();
    const { authenticator } = await enrolPasskey({ person, create: { backedUp: true } });
    const browser = new Browser();
    await browser.navigate(authorizePath(client, CIS2_REQUEST));
    const result = await redeem(client, await signInAndContinue(browser, authenticator));
    expectCis2Assurance(result, '2', ['FIDO2']);
    expect(result.idToken).not.toHaveProperty('selected_roleid');
    expect(result.userinfo.nhsid_nrbac_roles).toEqual([]);
    expect(result.userinfo).not.toHaveProperty('selected_roleid');
  });

  it('refuses, as CIS2 does, a password without an app for AAL2_OR_AAL3_ANY', async () => {
    const client = await registerWebClient();
    const who = await createPasswordPerson({ app: false });
    const browser = new Browser();
    await browser.navigate(authorizePath(client, { ...CIS2_REQUEST, state: 'aal1' }));
    const done = await passwordSignInAndContinue(browser, who);
    expect(redirectParams(done)).toMatchObject({ error: 'unmet_authentication_requirements', state: 'aal1' });
  });
});
