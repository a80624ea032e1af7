import { describe, expect, it } from 'vitest';
import { idTokenScopeClaims, initials, releasedClaims, userinfoClaims } from '../../../src/claims/scope-claims.ts';
import type { Person, PersonRole } from '../../../src/directory/people.ts';

const role = (id: string, personOrgId: string, orgCode: string, roleCode: string, extra: Partial<PersonRole> = {}): PersonRole => ({
  id,
  personOrgId,
  orgCode,
  orgName: orgCode === 'RX1' ? 'Example NHS Trust' : 'Second NHS Trust',
  roleCode,
  roleName: `"Clinical":"Clinical Provision":"${roleCode}"`,
  activityCodes: ['B0570', 'B0278'],
  activities: ['Perform Patient Trace', 'Amend Patient Demographics'],
  workgroupCodes: [],
  workgroups: [],
  areaOfWorkCodes: [],
  areasOfWork: [],
  ...extra,
});

function person(overrides: Partial<Person> = {}): Person {
  return {
    id: 'p1',
    uid: '555000000001',
    userName: 'ada',
    externalId: null,
    givenName: 'Ada',
    familyName: 'Lovelace',
    middleName: 'Augusta Byron',
    honorificPrefix: 'Dr',
    formattedName: null,
    displayName: 'Dr Ada Lovelace',
    emails: [{ value: 'other@nhs.example' }, { value: 'ada@nhs.example', primary: true }],
    active: true,
    identityAssuranceLevel: 3,
    version: 1,
    createdAt: 0,
    updatedAt: 0,
    organisations: [
      { id: 'po1', orgCode: 'RX1', orgName: 'Example NHS Trust' },
      { id: 'po2', orgCode: 'RX2', orgName: 'Second NHS Trust' },
    ],
    roles: [
      role('pr1', 'po1', 'RX1', 'R8000'),
      role('pr2', 'po1', 'RX1', 'R8001', { workgroupCodes: ['W1'], workgroups: ['Ward 1'], areaOfWorkCodes: ['A1'], areasOfWork: ['Cardiology'] }),
      role('pr3', 'po2', 'RX2', 'R8003'),
    ],
    professionalMemberships: { gmc_id: '7654321', nmc_id: '12A3456B' },
    ...overrides,
  };
}

const oneRole = () => person({ organisations: [{ id: 'po1', orgCode: 'RX1', orgName: 'Example NHS Trust' }], roles: [role('pr1', 'po1', 'RX1', 'R8000')] });
const noRoles = () => person({ roles: [], professionalMemberships: {} });

describe('scope → claims, CONTRACT §8 row by row', () => {
  it('profile: name, given_name, family_name, uid', () => {
    expect(releasedClaims(person(), ['profile'])).toEqual({
      name: 'Dr Ada Augusta Byron Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      uid: '555000000001',
    });
    expect(releasedClaims(person({ formattedName: 'Ada Lovelace' }), ['profile']).name).toBe('Ada Lovelace');
  });

  it('email: the primary email, else the first', () => {
    expect(releasedClaims(person(), ['email'])).toEqual({ email: 'ada@nhs.example' });
    expect(releasedClaims(person({ emails: [{ value: 'x@nhs.example' }] }), ['email'])).toEqual({ email: 'x@nhs.example' });
    expect(releasedClaims(person({ emails: [] }), ['email'])).toEqual({});
  });

  it('nhsperson: nhsid_useruid, title, initials, middle_names, display_name, idassurancelevel', () => {
    expect(releasedClaims(person(), ['nhsperson'])).toEqual({
      nhsid_useruid: '555000000001',
      title: 'Dr',
      initials: 'AAB',
      middle_names: 'Augusta Byron',
      display_name: 'Dr Ada Lovelace',
      idassurancelevel: '3',
    });
  });

  it('nhsperson leaves out what the directory does not hold', () => {
    const bare = person({ honorificPrefix: null, middleName: null, displayName: null });
    expect(releasedClaims(bare, ['nhsperson'])).toEqual({ nhsid_useruid: '555000000001', initials: 'A', idassurancelevel: '3' });
  });

  it('associatedorgs: nhsid_user_orgs [{org_code, org_name}]', () => {
    expect(releasedClaims(person(), ['associatedorgs'])).toEqual({
      nhsid_user_orgs: [
        { org_code: 'RX1', org_name: 'Example NHS Trust' },
        { org_code: 'RX2', org_name: 'Second NHS Trust' },
      ],
    });
  });

  it('nationalrbacaccess: every role with the eleven CIS2 fields', () => {
    const { nhsid_nrbac_roles: roles } = releasedClaims(person(), ['nationalrbacaccess']) as { nhsid_nrbac_roles: Record<string, unknown>[] };
    expect(roles).toHaveLength(3);
    expect(roles[1]).toEqual({
      person_orgid: 'po1',
      person_roleid: 'pr2',
      org_code: 'RX1',
      role_name: '"Clinical":"Clinical Provision":"R8001"',
      role_code: 'R8001',
      activities: ['Perform Patient Trace', 'Amend Patient Demographics'],
      activity_codes: ['B0570', 'B0278'],
      workgroups: ['Ward 1'],
      workgroups_codes: ['W1'],
      aow: ['Cardiology'],
      aow_codes: ['A1'],
    });
    expect(roles[2]).toMatchObject({ person_orgid: 'po2', person_roleid: 'pr3', org_code: 'RX2' });
    expect(releasedClaims(oneRole(), ['nationalrbacaccess']).nhsid_nrbac_roles).toHaveLength(1);
    expect(releasedClaims(noRoles(), ['nationalrbacaccess'])).toEqual({ nhsid_nrbac_roles: [], nhsid_org_roles: [] });
  });

  it('nationalrbacaccess: the optional role arrays are left out when empty, as CIS2 does', () => {
    const { nhsid_nrbac_roles: roles } = releasedClaims(person(), ['nationalrbacaccess']) as { nhsid_nrbac_roles: Record<string, unknown>[] };
    expect(roles[0]).toEqual({
      person_orgid: 'po1',
      person_roleid: 'pr1',
      org_code: 'RX1',
      role_name: '"Clinical":"Clinical Provision":"R8000"',
      role_code: 'R8000',
      activities: ['Perform Patient Trace', 'Amend Patient Demographics'],
      activity_codes: ['B0570', 'B0278'],
    });
    const bare = person({ roles: [role('pr9', 'po1', 'RX1', 'R8009', { activities: [], activityCodes: [] })] });
    const [only] = (releasedClaims(bare, ['nationalrbacaccess']) as { nhsid_nrbac_roles: Record<string, unknown>[] }).nhsid_nrbac_roles;
    expect(Object.keys(only!).sort()).toEqual(['org_code', 'person_orgid', 'person_roleid', 'role_code', 'role_name']);
  });

  it('nationalrbacaccess: nhsid_org_roles names each organisation where a role is held, once', () => {
    expect(releasedClaims(person(), ['nationalrbacaccess']).nhsid_org_roles).toEqual([
      { person_orgid: 'po1', org_code: 'RX1', org_name: 'Example NHS Trust' },
      { person_orgid: 'po2', org_code: 'RX2', org_name: 'Second NHS Trust' },
    ]);
    // A membership without a role is an organisational membership, not an org role.
    expect(releasedClaims(oneRole(), ['nationalrbacaccess']).nhsid_org_roles).toEqual([
      { person_orgid: 'po1', org_code: 'RX1', org_name: 'Example NHS Trust' },
    ]);
    const rolesAtRx2Only = person({ roles: [role('pr3', 'po2', 'RX2', 'R8003')] });
    expect(releasedClaims(rolesAtRx2Only, ['nationalrbacaccess']).nhsid_org_roles).toEqual([
      { person_orgid: 'po2', org_code: 'RX2', org_name: 'Second NHS Trust' },
    ]);
  });

  it('professionalmemberships: each registration held, and nothing when none', () => {
    expect(releasedClaims(person(), ['professionalmemberships'])).toEqual({ gmc_id: '7654321', nmc_id: '12A3456B' });
    expect(releasedClaims(noRoles(), ['professionalmemberships'])).toEqual({});
  });

  it('professionalmemberships: never a kind that could take another claim\'s name (stored before the _id rule)', () => {
    const p = { ...person(), professionalMemberships: { sub: '999', email: 'x@evil.example', uid: '1', gmc_id: '7654321' } };
    expect(releasedClaims(p, ['professionalmemberships'])).toEqual({ gmc_id: '7654321' });
    const claims = userinfoClaims(p, ['openid', 'email', 'professionalmemberships']);
    expect(claims.sub).toBe('555000000001');
    expect(claims.email).toBe('ada@nhs.example');
  });

  it('organisationalmemberships: nhsid_org_memberships [{person_orgid, org_code, org_name}]', () => {
    expect(releasedClaims(oneRole(), ['organisationalmemberships'])).toEqual({
      nhsid_org_memberships: [{ person_orgid: 'po1', org_code: 'RX1', org_name: 'Example NHS Trust' }],
    });
  });

  it('selectedrole: selected_roleid only for a role the person holds', () => {
    expect(releasedClaims(person(), ['selectedrole'], { selectedRoleId: 'pr3' })).toEqual({ selected_roleid: 'pr3' });
    expect(releasedClaims(person(), ['selectedrole'], { selectedRoleId: 'gone' })).toEqual({});
    expect(releasedClaims(noRoles(), ['selectedrole'], { selectedRoleId: null })).toEqual({});
    expect(releasedClaims(person(), ['profile'], { selectedRoleId: 'pr3' })).not.toHaveProperty('selected_roleid');
  });

  it('releases nothing for scopes outside the table, even names on Object.prototype', () => {
    expect(releasedClaims(person(), ['openid', 'constructor', '__proto__', 'toString', 'unknown'])).toEqual({});
  });
});

describe('where the claims go (CONTRACT §8)', () => {
  it('userinfo: sub = uid plus everything the scopes release', () => {
    const claims = userinfoClaims(person(), ['openid', 'profile', 'nationalrbacaccess']);
    expect(claims.sub).toBe('555000000001');
    expect(claims).toHaveProperty('nhsid_nrbac_roles');
  });

  it('ID token: identity and selected_roleid, never organisations, roles or memberships', () => {
    const all = ['openid', 'profile', 'email', 'nhsperson', 'associatedorgs', 'nationalrbacaccess', 'professionalmemberships', 'organisationalmemberships', 'selectedrole'];
    const claims = idTokenScopeClaims(person(), all, { selectedRoleId: 'pr1' });
    expect(Object.keys(claims).sort()).toEqual(
      ['name', 'given_name', 'family_name', 'uid', 'email', 'nhsid_useruid', 'title', 'initials', 'middle_names', 'display_name', 'idassurancelevel', 'selected_roleid'].sort(),
    );
  });

  it('initials: first letter of each forename, upper case', () => {
    expect(initials(person({ givenName: 'mary  jane', middleName: null }))).toBe('MJ');
    expect(initials(person({ givenName: null, middleName: null }))).toBeNull();
  });
});
