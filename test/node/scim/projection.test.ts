import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../src/errors.ts';
import { parseAttributeList, projectUser } from '../../../src/scim/projection.ts';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const RBAC = 'urn:nhs:scim:schemas:extension:rbac:2.0:User';

function user(): Record<string, any> {
  return {
    schemas: [CORE, RBAC],
    id: 'p1',
    externalId: 'e1',
    userName: 'ada',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    displayName: 'Dr Ada Lovelace',
    emails: [{ value: 'ada@nhs.example', type: 'work', primary: true }, { value: 'ada@home.example' }],
    active: true,
    [RBAC]: {
      uid: '555000000001',
      identityAssuranceLevel: 3,
      professionalMemberships: { gmc_id: '7654321', nmc_id: '1A' },
      organisations: [{ orgCode: 'RX1', orgName: 'Example NHS Trust' }],
      roles: [{ id: '123456789012', orgCode: 'RX1', roleCode: 'R8000', roleName: 'Clinical', activityCodes: ['B0570'] }],
    },
    meta: { resourceType: 'User', created: 'c', lastModified: 'm', location: 'l', version: 'W/"1"' },
  };
}

const project = (attributes?: string, excludedAttributes?: string) =>
  projectUser(user(), { attributes: parseAttributeList(attributes), excludedAttributes: parseAttributeList(excludedAttributes) });

describe('attributes (RFC 7644 §3.4.2.5)', () => {
  it('returns only the named attributes, plus those returned always (schemas, id, userName)', () => {
    expect(project('displayName')).toEqual({ schemas: [CORE, RBAC], id: 'p1', userName: 'ada', displayName: 'Dr Ada Lovelace' });
  });

  it('reads names case-insensitively and with the core schema URN', () => {
    expect(project(`DISPLAYNAME, ${CORE}:active`)).toMatchObject({ displayName: 'Dr Ada Lovelace', active: true });
    expect(project(`DISPLAYNAME, ${CORE}:active`)).not.toHaveProperty('emails');
  });

  it('narrows to sub-attributes: name.familyName, emails.value, meta.lastModified', () => {
    const out = project('name.familyName,emails.value,meta.lastModified');
    expect(out.name).toEqual({ familyName: 'Lovelace' });
    expect(out.emails).toEqual([{ value: 'ada@nhs.example' }, { value: 'ada@home.example' }]);
    expect(out.meta).toEqual({ lastModified: 'm' });
    expect(out).not.toHaveProperty(RBAC);
  });

  it('selects extension attributes by their full URN path, with sub-attributes and open membership kinds', () => {
    expect(project(`${RBAC}:roles`)).toEqual({ schemas: [CORE, RBAC], id: 'p1', userName: 'ada', [RBAC]: { roles: user()[RBAC].roles } });
    expect(project(`${RBAC}:roles.roleCode,${RBAC}:professionalMemberships.gmc_id`)[RBAC]).toEqual({
      roles: [{ roleCode: 'R8000' }],
      professionalMemberships: { gmc_id: '7654321' },
    });
    expect(project(RBAC)[RBAC]).toEqual(user()[RBAC]);
  });

  it('selects nothing for names it does not know, and refuses a malformed name with 400 invalidValue', () => {
    expect(project('nickName,urn:example:x:2.0:User:y')).toEqual({ schemas: [CORE, RBAC], id: 'p1', userName: 'ada' });
    let err: unknown;
    try {
      project('name..x');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScimError);
    expect((err as ScimError).scimType).toBe('invalidValue');
  });
});

describe('excludedAttributes (RFC 7644 §3.4.2.5)', () => {
  it('leaves out the named attributes and sub-attributes, never those returned always', () => {
    const out = project(undefined, `emails,name.givenName,id,userName,schemas,${RBAC}:roles,meta`);
    expect(out).toMatchObject({ schemas: [CORE, RBAC], id: 'p1', userName: 'ada', name: { familyName: 'Lovelace' } });
    expect(out).not.toHaveProperty('emails');
    expect(out).not.toHaveProperty('meta');
    expect(out[RBAC]).not.toHaveProperty('roles');
    expect(out[RBAC]).toHaveProperty('uid');
  });

  it('leaves out the whole extension when its URN is named', () => {
    expect(project(undefined, RBAC)).not.toHaveProperty(RBAC);
  });

  it('changes nothing without either parameter', () => {
    expect(project()).toEqual(user());
  });
});
