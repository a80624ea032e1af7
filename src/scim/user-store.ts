// Writes people and their organisations, roles and memberships to libSQL. Each
// write is one db.batch (one transaction), so a failure leaves nothing half-written.
import { and, asc, count, eq, ne, or, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import {
  organisations,
  people,
  personOrganisations,
  professionalMemberships,
  roleAssignments,
} from '../../schema/people.ts';
import type { Person } from '../directory/people.ts';
import { ScimError } from '../errors.ts';
import type { Database } from '../ports.ts';
import type { PersonRecord } from './user-resource.ts';

type Statement = BatchItem<'sqlite'>;

/** The person changed between our read and our write. */
export class StaleVersionError extends Error {}

const MAX_UID_ATTEMPTS = 5;

/** A random 12-digit national identifier, without a leading zero. */
export function generateUid(): string {
  let uid = '';
  while (uid.length < 12) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      // Bytes from 250 up would make low digits likelier than high ones.
      if (byte >= 250 || (uid === '' && byte % 10 === 0) || uid.length === 12) continue;
      uid += String(byte % 10);
    }
  }
  return uid;
}

async function conflicts(db: Database, userName: string, uid: string, exceptId: string | null) {
  const sameName = sql`lower(${people.userName}) = lower(${userName})`;
  const rows = await db
    .select({ userName: people.userName, uid: people.uid })
    .from(people)
    .where(and(or(sameName, eq(people.uid, uid)), exceptId ? ne(people.id, exceptId) : undefined))
    .limit(2);
  return {
    userName: rows.some((r) => r.userName.toLowerCase() === userName.toLowerCase()),
    uid: rows.some((r) => r.uid === uid),
  };
}

const userNameTaken = (userName: string) =>
  new ScimError(409, `userName ${JSON.stringify(userName)} is already in use`, 'uniqueness');
const uidTaken = (uid: string) => new ScimError(409, `uid ${uid} is already in use`, 'uniqueness');

function personColumns(record: PersonRecord) {
  const { uid: _uid, professionalMemberships: _m, organisations: _o, roles: _r, ...columns } = record;
  return columns;
}

/** The organisations, memberships and roles rows; ids kept for what stays. */
function childWrites(db: Database, personId: string, record: PersonRecord, current: Person | null): Statement[] {
  const writes: Statement[] = [];
  if (current) {
    writes.push(
      db.delete(professionalMemberships).where(eq(professionalMemberships.personId, personId)),
      db.delete(roleAssignments).where(eq(roleAssignments.personId, personId)),
      db.delete(personOrganisations).where(eq(personOrganisations.personId, personId)),
    );
  }
  if (record.organisations.length > 0) {
    // The provisioning source is authoritative for organisation names: the latest wins.
    writes.push(
      db
        .insert(organisations)
        .values(record.organisations)
        .onConflictDoUpdate({ target: organisations.orgCode, set: { orgName: sql`excluded.org_name` } }),
      db.insert(personOrganisations).values(
        record.organisations.map((o, position) => ({
          id: current?.organisations.find((c) => c.orgCode === o.orgCode)?.id ?? crypto.randomUUID(),
          personId,
          orgCode: o.orgCode,
          position,
        })),
      ),
    );
  }
  if (record.roles.length > 0) {
    writes.push(
      db.insert(roleAssignments).values(
        record.roles.map((r, position) => ({
          ...r,
          // person_roleid is stable while the same role is held at the same organisation.
          id: current?.roles.find((c) => c.orgCode === r.orgCode && c.roleCode === r.roleCode)?.id ?? crypto.randomUUID(),
          personId,
          position,
        })),
      ),
    );
  }
  const memberships = Object.entries(record.professionalMemberships);
  if (memberships.length > 0) {
    writes.push(db.insert(professionalMemberships).values(memberships.map(([kind, value]) => ({ personId, kind, value }))));
  }
  return writes;
}

async function runBatch(db: Database, writes: Statement[]): Promise<void> {
  await db.batch(writes as [Statement, ...Statement[]]);
}

/** Creates the person; a uid is generated when the record has none. */
export async function insertPerson(db: Database, record: PersonRecord, now: number): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const uid = record.uid ?? generateUid();
    const before = await conflicts(db, record.userName, uid, null);
    if (before.userName) throw userNameTaken(record.userName);
    if (before.uid && record.uid) throw uidTaken(uid);
    if (!before.uid) {
      const id = crypto.randomUUID();
      const row = { ...personColumns(record), id, uid, version: 1, createdAt: now, updatedAt: now };
      try {
        await runBatch(db, [db.insert(people).values(row), ...childWrites(db, id, record, null)]);
        return id;
      } catch (err) {
        // A concurrent create may have taken the name or the uid first.
        const after = await conflicts(db, record.userName, uid, null);
        if (after.userName) throw userNameTaken(record.userName);
        if (!after.uid) throw err;
        if (record.uid) throw uidTaken(uid);
        // Otherwise a generated uid collided: draw another.
      }
    }
    if (attempt >= MAX_UID_ATTEMPTS) throw new Error('could not find a free uid');
  }
}

/** Replaces the person as `current` read them; throws StaleVersionError if it changed since. */
export async function replacePerson(db: Database, current: Person, record: PersonRecord, now: number): Promise<void> {
  if (record.uid !== null && record.uid !== current.uid) {
    throw new ScimError(400, 'uid is immutable: it cannot change once assigned', 'mutability');
  }
  if ((await conflicts(db, record.userName, current.uid, current.id)).userName) throw userNameTaken(record.userName);
  const update = db
    .update(people)
    .set({ ...personColumns(record), version: sql`${people.version} + 1`, updatedAt: now })
    .where(and(eq(people.id, current.id), eq(people.version, current.version)));
  // SQLite has no RAISE outside triggers: when the versioned update matched no
  // row, this insert breaks a NOT NULL constraint and so rolls the batch back.
  const guard = db.run(sql`insert into ${organisations} (org_code, org_name) select ${'stale-version-guard'}, null where changes() = 0`);
  try {
    await runBatch(db, [update, guard, ...childWrites(db, current.id, record, current)]);
  } catch (err) {
    const [row] = await db.select({ version: people.version }).from(people).where(eq(people.id, current.id));
    if (row?.version !== current.version) throw new StaleVersionError();
    if ((await conflicts(db, record.userName, current.uid, current.id)).userName) throw userNameTaken(record.userName);
    throw err;
  }
}

export async function deletePerson(db: Database, id: string): Promise<void> {
  await runBatch(db, [
    db.delete(professionalMemberships).where(eq(professionalMemberships.personId, id)),
    db.delete(roleAssignments).where(eq(roleAssignments.personId, id)),
    db.delete(personOrganisations).where(eq(personOrganisations.personId, id)),
    db.delete(people).where(eq(people.id, id)),
  ]);
}

/** One page of matching ids, oldest first, and how many match in all. */
export async function listPersonIds(
  db: Database,
  where: SQL | undefined,
  page: { startIndex: number; count: number },
): Promise<{ ids: string[]; total: number }> {
  const [rows, totals] = await db.batch([
    db
      .select({ id: people.id })
      .from(people)
      .where(where)
      .orderBy(asc(people.createdAt), asc(people.id))
      .limit(page.count)
      .offset(page.startIndex - 1),
    db.select({ total: count() }).from(people).where(where),
  ]);
  return { ids: rows.map((r) => r.id), total: totals[0]?.total ?? 0 };
}
