// Small reads of one person by id, for callers that need a fact or two rather
// than the person as the rest of the service sees them (people.ts findPerson).
import { and, eq } from 'drizzle-orm';
import { people, roleAssignments } from '../../schema/people.ts';
import type { Database } from '../ports.ts';

export interface PersonRef {
  id: string;
  /** The 12-digit national identifier. */
  uid: string;
  active: boolean;
}

/** The person's id, uid and whether they are active; null for an unknown id. */
export async function findPersonRef(db: Database, id: string): Promise<PersonRef | null> {
  const [row] = await db.select({ id: people.id, uid: people.uid, active: people.active }).from(people).where(eq(people.id, id)).limit(1);
  return row ?? null;
}

/** Whether the person has a password set (an unknown id has none). */
export async function hasPassword(db: Database, id: string): Promise<boolean> {
  const [row] = await db.select({ passwordHash: people.passwordHash }).from(people).where(eq(people.id, id)).limit(1);
  return Boolean(row?.passwordHash);
}

/** The columns that say who a person is: ids, state and every name a display name is made from. */
export const namedPersonColumns = {
  id: people.id,
  uid: people.uid,
  userName: people.userName,
  active: people.active,
  displayName: people.displayName,
  formattedName: people.formattedName,
  givenName: people.givenName,
  familyName: people.familyName,
};

export interface RoleHolder {
  id: string;
  uid: string;
  userName: string;
  active: boolean;
  displayName: string | null;
  formattedName: string | null;
  givenName: string | null;
  familyName: string | null;
}

/** The person, with their names, if they hold `roleCode` at any organisation; null otherwise. */
export async function findRoleHolder(db: Database, personId: string, roleCode: string): Promise<RoleHolder | null> {
  const [row] = await db
    .select(namedPersonColumns)
    .from(people)
    .innerJoin(roleAssignments, and(eq(roleAssignments.personId, people.id), eq(roleAssignments.roleCode, roleCode)))
    .where(eq(people.id, personId))
    .limit(1);
  return row ?? null;
}
