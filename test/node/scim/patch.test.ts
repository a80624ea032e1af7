import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../src/errors.ts';
import { applyPatch } from '../../../src/scim/patch.ts';
import type { PatchOperation } from '../../../src/scim/user-schema.ts';

const RBAC = 'urn:nhs:scim:schemas:extension:rbac:2.0:User';
const ROLE = 'S8000:G8000:R8000';

function user(): Record<string, any> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', RBAC],
    id: 'p1',
    userName: 'ada',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [
      { value: 'ada@nhs.example', type: 'work', primary: true },
      { value: 'ada@home.example', type: 'home' },
    ],
    active: true,
    [RBAC]: {
      uid: '555000000001',
      identityAssuranceLevel: 3,
      professionalMemberships: { gmc_id: '7654321' },
      organisations: [{ orgCode: 'RX1', orgName: 'Example NHS Trust' }],
      roles: [{ id: 'r1', orgCode: 'RX1', roleCode: ROLE, roleName: 'Clinical', activityCodes: ['B0570'] }],
    },
    meta: { resourceType: 'User', version: 'W/"1"' },
  };
}

const patch = (...ops: PatchOperation[]): Record<string, any> => applyPatch(user(), ops);

function scimErrorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScimError) return err;
    throw err;
  }
  throw new Error('expected a ScimError');
}

describe('applyPatch: add (RFC 7644 §3.5.2.1)', () => {
  it('sets a single-valued attribute and a sub-attribute by path', () => {
    const out = patch({ op: 'add', path: 'displayName', value: 'Dr Ada' }, { op: 'add', path: 'name.middleName', value: 'Augusta' });
    expect(out.displayName).toBe('Dr Ada');
    expect(out.name).toEqual({ givenName: 'Ada', familyName: 'Lovelace', middleName: 'Augusta' });
  });

  it('appends to a multi-valued attribute, skipping a value already there', () => {
    const out = patch({ op: 'add', path: 'emails', value: [{ value: 'ada@home.example', type: 'home' }, { value: 'a@x.example', type: 'other' }] });
    expect(out.emails.map((e: any) => e.value)).toEqual(['ada@nhs.example', 'ada@home.example', 'a@x.example']);
  });

  it('without a path, treats each attribute of the value as a target, extension included', () => {
    const out = patch({
      op: 'add',
      value: { 'name.honorificPrefix': 'Dr', [RBAC]: { professionalMemberships: { nmc_id: '12A3456B' } } },
    });
    expect(out.name.honorificPrefix).toBe('Dr');
    expect(out[RBAC].professionalMemberships).toEqual({ gmc_id: '7654321', nmc_id: '12A3456B' });
  });

  it('sets the sub-attribute of the values a filter selects, and creates the value an eq filter names', () => {
    const out = patch(
      { op: 'add', path: 'emails[type eq "work"].value', value: 'ada@nhs.net' },
      { op: 'add', path: 'emails[type eq "other"].value', value: 'ada@other.example' },
    );
    expect(out.emails).toEqual([
      { value: 'ada@nhs.net', type: 'work', primary: true },
      { value: 'ada@home.example', type: 'home' },
      { type: 'other', value: 'ada@other.example' },
    ]);
  });

  it('appends a role through the extension path and activity codes to a selected role', () => {
    const out = patch(
      { op: 'add', path: `${RBAC}:roles`, value: { orgCode: 'RX1', roleCode: 'R2', roleName: 'Admin' } },
      { op: 'add', path: `${RBAC}:roles[roleCode eq "${ROLE}"].activityCodes`, value: ['B0570', 'B0278'] },
    );
    expect(out[RBAC].roles).toHaveLength(2);
    expect(out[RBAC].roles[0].activityCodes).toEqual(['B0570', 'B0278']);
  });

  it('makes a newly primary email the only primary one (RFC 7644 §3.5.2)', () => {
    const out = patch({ op: 'add', path: 'emails', value: [{ value: 'new@nhs.example', type: 'work', primary: true }] });
    expect(out.emails.filter((e: any) => e.primary === true).map((e: any) => e.value)).toEqual(['new@nhs.example']);
  });
});

describe('applyPatch: replace (RFC 7644 §3.5.2.3)', () => {
  it('replaces attributes by path, case-insensitively, and leaves unnamed sub-attributes alone', () => {
    const out = patch({ op: 'replace', path: 'NAME', value: { GIVENNAME: 'Augusta' } }, { op: 'replace', path: 'active', value: false });
    expect(out.name).toEqual({ givenName: 'Augusta', familyName: 'Lovelace' });
    expect(out.active).toBe(false);
  });

  it('replaces a whole multi-valued attribute without a filter', () => {
    const out = patch({ op: 'replace', path: 'emails', value: { value: 'only@nhs.example' } });
    expect(out.emails).toEqual([{ value: 'only@nhs.example' }]);
  });

  it('replaces the values a filter selects, and fails with noTarget when it selects none', () => {
    const out = patch({ op: 'replace', path: 'emails[type eq "home"]', value: { value: 'h@x.example', type: 'home' } });
    expect(out.emails[1]).toEqual({ value: 'h@x.example', type: 'home' });
    expect(scimErrorOf(() => patch({ op: 'replace', path: 'emails[type eq "other"].value', value: 'x@y' })).scimType).toBe('noTarget');
  });

  it('accepts the extension object without a path and keeps its other attributes', () => {
    const out = patch({ op: 'replace', value: { [RBAC]: { identityAssuranceLevel: 2 } } });
    expect(out[RBAC].identityAssuranceLevel).toBe(2);
    expect(out[RBAC].uid).toBe('555000000001');
  });

  it('allows an unchanged immutable or read-only value, and refuses a changed one with mutability', () => {
    expect(patch({ op: 'replace', path: `${RBAC}:uid`, value: '555000000001' })[RBAC].uid).toBe('555000000001');
    expect(patch({ op: 'replace', value: { id: 'p1', userName: 'ada2' } }).userName).toBe('ada2');
    expect(scimErrorOf(() => patch({ op: 'replace', path: `${RBAC}:uid`, value: '555000000002' })).scimType).toBe('mutability');
    expect(scimErrorOf(() => patch({ op: 'replace', path: 'id', value: 'p2' })).scimType).toBe('mutability');
    expect(scimErrorOf(() => patch({ op: 'replace', path: `${RBAC}:roles[roleCode eq "${ROLE}"].id`, value: 'x' })).scimType).toBe('mutability');
  });
});

describe('applyPatch: remove (RFC 7644 §3.5.2.2)', () => {
  it('removes an attribute, a sub-attribute, a membership and filtered values', () => {
    const out = patch(
      { op: 'remove', path: 'name.familyName' },
      { op: 'remove', path: 'emails[type eq "home"]' },
      { op: 'remove', path: `${RBAC}:professionalMemberships.gmc_id` },
      { op: 'remove', path: `${RBAC}:roles[roleCode eq "${ROLE}" and orgCode eq "RX1"]` },
    );
    expect(out.name).toEqual({ givenName: 'Ada' });
    expect(out.emails).toEqual([{ value: 'ada@nhs.example', type: 'work', primary: true }]);
    expect(out[RBAC].professionalMemberships).toBeUndefined();
    expect(out[RBAC].roles).toBeUndefined();
  });

  it('removes only the values named in value, when a client names them there instead of in a filter', () => {
    const out = patch({ op: 'remove', path: 'emails', value: [{ value: 'ada@home.example' }] });
    expect(out.emails).toEqual([{ value: 'ada@nhs.example', type: 'work', primary: true }]);
    const codes = patch({ op: 'remove', path: `${RBAC}:roles[roleCode eq "${ROLE}"].activityCodes` });
    expect(codes[RBAC].roles[0]).not.toHaveProperty('activityCodes');
  });

  it('requires a path (noTarget) and refuses to remove an immutable attribute', () => {
    expect(scimErrorOf(() => patch({ op: 'remove' })).scimType).toBe('noTarget');
    expect(scimErrorOf(() => patch({ op: 'remove', path: `${RBAC}:uid` })).scimType).toBe('mutability');
  });

  it.each([
    { op: 'remove', path: 'active' },
    { op: 'remove', path: 'userName' },
    { op: 'remove', path: `${RBAC}:identityAssuranceLevel` },
    { op: 'replace', path: 'active', value: null },
    { op: 'replace', value: { active: null } },
    { op: 'remove', path: RBAC },
  ] as PatchOperation[])('refuses %j with 400 mutability: an attribute that always has a value cannot be unset (RFC 7644 §3.5.2.2)', (op) => {
    const err = scimErrorOf(() => patch(op));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('mutability');
  });
});

describe('applyPatch: bad operations', () => {
  it.each([
    [{ op: 'add', path: 'nickName', value: 'x' }, 'invalidPath'],
    [{ op: 'add', path: 'urn:example:other:2.0:User:x', value: 'x' }, 'invalidPath'],
    [{ op: 'add', path: 'emails.value', value: 'x' }, 'invalidPath'],
    [{ op: 'add', path: 'name[givenName eq "a"]', value: 'x' }, 'invalidPath'],
    [{ op: 'add', path: 'emails[colour eq "red"].value', value: 'x' }, 'invalidFilter'],
    [{ op: 'add', path: 'schemas', value: ['x'] }, 'mutability'],
    [{ op: 'add', path: 'displayName' }, 'invalidValue'],
    [{ op: 'add', value: 'not an object' }, 'invalidValue'],
    [{ op: 'replace', path: 'name', value: 'not an object' }, 'invalidValue'],
  ] as [PatchOperation, string][])('refuses %j with %s', (op, scimType) => {
    const err = scimErrorOf(() => patch(op));
    expect(err.status).toBe(400);
    expect(err.scimType).toBe(scimType);
  });

  it('leaves the input untouched', () => {
    const before = user();
    applyPatch(before, [{ op: 'remove', path: 'emails' }]);
    expect(before).toEqual(user());
  });
});
