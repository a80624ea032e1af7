// person_orgid and person_roleid (CONTRACT §8): random 12-digit strings, unique,
// stable while the membership or role is held; a drawn id that is already taken
// is drawn again rather than failing the write.
import { describe, expect, it } from 'vitest';
import { findPerson } from '../../../src/directory/people.ts';
import { toPersonRecord } from '../../../src/scim/user-resource.ts';
import { parseUser } from '../../../src/scim/user-schema.ts';
import { insertPerson, replacePerson } from '../../../src/directory/person-writes.ts';
import { randomTwelveDigits } from '../../../src/directory/cis2-identifiers.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { createUser, exampleUser, RBAC_USER } from '../../support/worker/scim.ts';

const TWELVE = /^[1-9]\d{11}$/;

/** Draws `taken` first, then random ids: a forced collision. */
function collidingWith(taken: string) {
  let first = true;
  return () => {
    if (!first) return randomTwelveDigits();
    first = false;
    return taken;
  };
}

describe('12-digit person_orgid and person_roleid (CONTRACT §8)', () => {
  it('are 12 digits, unique per person, and stable across a replace that keeps them', async () => {
    const [a, b] = await Promise.all([createUser(), createUser()]);
    const db = testDatabase();
    const [pa, pb] = [(await findPerson(db, a.id))!, (await findPerson(db, b.id))!];
    for (const id of [pa.organisations[0]!.id, pa.roles[0]!.id, pb.organisations[0]!.id, pb.roles[0]!.id]) expect(id).toMatch(TWELVE);
    expect(pa.roles[0]!.id).not.toBe(pb.roles[0]!.id);
    expect(pa.organisations[0]!.id).not.toBe(pb.organisations[0]!.id);
    const record = toPersonRecord(parseUser(exampleUser({ userName: a.userName, [RBAC_USER]: { ...a[RBAC_USER], identityAssuranceLevel: 2 } })));
    await replacePerson(db, pa, record, Date.now());
    const after = (await findPerson(db, a.id))!;
    expect(after.roles[0]!.id).toBe(pa.roles[0]!.id);
    expect(after.organisations[0]!.id).toBe(pa.organisations[0]!.id);
  });

  it('draws again when a new person_roleid is already taken, on create and on replace', async () => {
    const existing = await createUser();
    const db = testDatabase();
    const takenRole = existing[RBAC_USER].roles[0].id as string;
    const takenOrg = (await findPerson(db, existing.id))!.organisations[0]!.id;
    // Organisations are drawn before roles: the first draw is the person_orgid.
    const id = await insertPerson(db, toPersonRecord(parseUser(exampleUser())), Date.now(), collidingWith(takenOrg));
    const created = (await findPerson(db, id))!;
    expect(created.organisations[0]!.id).toMatch(TWELVE);
    expect(created.organisations[0]!.id).not.toBe(takenOrg);

    const other = (await findPerson(db, (await createUser({ [RBAC_USER]: { organisations: [{ orgCode: 'RX1', orgName: 'Example NHS Trust' }] } })).id))!;
    const withRole = toPersonRecord(parseUser(exampleUser({ userName: other.userName, [RBAC_USER]: { ...exampleUser()[RBAC_USER] as object, uid: other.uid } })));
    await replacePerson(db, other, withRole, Date.now(), collidingWith(takenRole));
    const replaced = (await findPerson(db, other.id))!;
    expect(replaced.roles).toHaveLength(1);
    expect(replaced.roles[0]!.id).toMatch(TWELVE);
    expect(replaced.roles[0]!.id).not.toBe(takenRole);
    expect((await findPerson(db, existing.id))!.roles[0]!.id).toBe(takenRole);
  });
});
