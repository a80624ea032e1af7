import { describe, expect, it } from 'vitest';
import { registerWebClient } from '../../support/worker/client-auth.ts';
import { createMultiRolePerson, createPersonWithoutRoles } from '../../support/worker/people.ts';
import { RBAC_USER, type ScimUser } from '../../support/worker/scim.ts';
import { signIn, userinfo } from '../../support/worker/tokens.ts';

async function claimsFor(person: ScimUser, scope: string[], selectedRoleId: string | null = null) {
  const client = await registerWebClient();
  const tokens = await signIn(client, { person, scope: ['openid', ...scope], selectedRoleId });
  const res = await userinfo(tokens.access_token);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

describe('userinfo releases what each scope grants, named as CIS2 names it (CONTRACT §8)', () => {
  it('releases nothing but sub for openid alone', async () => {
    const person = await createMultiRolePerson();
    expect(Object.keys(await claimsFor(person, []))).toEqual(['sub']);
  });

  it('nhsperson: nhsid_useruid, title, initials, middle_names, display_name, idassurancelevel', async () => {
    const person = await createMultiRolePerson();
    expect(await claimsFor(person, ['nhsperson'])).toEqual({
      sub: person[RBAC_USER].uid,
      nhsid_useruid: person[RBAC_USER].uid,
      title: 'Dr',
      initials: 'AA',
      middle_names: 'Augusta',
      display_name: 'Dr Ada Lovelace',
      idassurancelevel: '3',
    });
  });

  it('associatedorgs and organisationalmemberships: both organisations, with person_orgid', async () => {
    const person = await createMultiRolePerson();
    const claims = await claimsFor(person, ['associatedorgs', 'organisationalmemberships']);
    expect(claims.nhsid_user_orgs).toEqual([
      { org_code: 'RX1', org_name: 'Example NHS Trust' },
      { org_code: 'RX2', org_name: 'Second NHS Trust' },
    ]);
    expect(claims.nhsid_org_memberships).toEqual([
      { person_orgid: expect.any(String), org_code: 'RX1', org_name: 'Example NHS Trust' },
      { person_orgid: expect.any(String), org_code: 'RX2', org_name: 'Second NHS Trust' },
    ]);
  });

  it('nationalrbacaccess: every role with its organisation membership and codes', async () => {
    const person = await createMultiRolePerson();
    const claims = await claimsFor(person, ['nationalrbacaccess', 'organisationalmemberships']);
    const orgIds = Object.fromEntries(claims.nhsid_org_memberships.map((m: any) => [m.org_code, m.person_orgid]));
    const roles = person[RBAC_USER].roles as { id: string }[];
    expect(claims.nhsid_nrbac_roles).toHaveLength(3);
    expect(claims.nhsid_nrbac_roles[1]).toEqual({
      person_orgid: orgIds.RX1,
      person_roleid: roles[1]!.id,
      org_code: 'RX1',
      role_name: '"Clinical":"Clinical Provision":"Nurse Access Role"',
      role_code: 'S8000:G8000:R8001',
      activities: ['Perform Patient Trace'],
      activity_codes: ['B0570'],
      workgroups: ['Ward 1'],
      workgroups_codes: ['W1'],
      aow: ['Cardiology'],
      aow_codes: ['A1'],
    });
    expect(claims.nhsid_nrbac_roles[2]).toMatchObject({ person_orgid: orgIds.RX2, org_code: 'RX2' });
    // CIS2 leaves empty optional arrays out: the first role has no workgroups or areas of work.
    expect(Object.keys(claims.nhsid_nrbac_roles[0]).sort()).toEqual(
      ['activities', 'activity_codes', 'org_code', 'person_orgid', 'person_roleid', 'role_code', 'role_name'],
    );
    expect(claims.nhsid_org_roles).toEqual([
      { person_orgid: orgIds.RX1, org_code: 'RX1', org_name: 'Example NHS Trust' },
      { person_orgid: orgIds.RX2, org_code: 'RX2', org_name: 'Second NHS Trust' },
    ]);
  });

  it('professionalmemberships: each registration held', async () => {
    const person = await createMultiRolePerson();
    expect(await claimsFor(person, ['professionalmemberships'])).toMatchObject({ gmc_id: '7654321', nmc_id: '12A3456B' });
  });

  it('selectedrole: the role chosen at sign-in as selected_roleid', async () => {
    const person = await createMultiRolePerson();
    const chosen = (person[RBAC_USER].roles as { id: string }[])[2]!.id;
    expect((await claimsFor(person, ['selectedrole'], chosen)).selected_roleid).toBe(chosen);
  });

  it('a person with no roles: empty role list and no selected_roleid', async () => {
    const person = await createPersonWithoutRoles();
    const claims = await claimsFor(person, ['nationalrbacaccess', 'selectedrole', 'professionalmemberships']);
    expect(claims).toEqual({ sub: person[RBAC_USER].uid, nhsid_nrbac_roles: [], nhsid_org_roles: [] });
  });
});
