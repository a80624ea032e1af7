// Writes people and their organisations, roles and memberships to libSQL (SCIM
// provisions them, RFC 7644 §3.3, §3.5.1, §3.6), and pages through them for
// SCIM's list (§3.4.2; the filter's WHERE is built by src/scim/filter-sql.ts). Each
// write is one db.batch (one transaction), so a failure leaves nothing half-written.
import { and, asc, count, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import {
  organisations,
  people,
  personOrganisations,
  professionalMemberships,
  roleAssignments,
} from '../../schema/people.ts';
import { randomTwelveDigits } from './cis2-identifiers.ts';
import type { Person } from './people.ts';
import { forgetPerson } from './person-cache.ts';
import { ScimError } from '../errors.ts';
import type { Database } from '../ports.ts';
import { organisationWrites, renamingError } from './organisation-names.ts';
import type { PersonRecord } from './person-record.ts';

type Statement = BatchItem<'sqlite'>;

/** The person changed between our read and our write. */
export class StaleVersionError extends Error {}

/** Random 12-digit identifiers rarely collide; a write that draws a taken one draws again. */
const MAX_ID_ATTEMPTS = 5;

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

/** The person_orgid and person_roleid values a write draws, to tell a collision from other failures. */
interface DrawnIds {
  organisations: string[];
  roles: string[];
  /** Draws one identifier; randomTwelveDigits unless a test forces a collision. */
  next: () => string;
}

/** The organisations, memberships and roles rows; ids kept for what stays, new ones drawn into `drawn`. */
function childWrites(db: Database, personId: string, record: PersonRecord, current: Person | null, drawn: DrawnIds): Statement[] {
  const draw = (into: string[]) => {
    const id = drawn.next();
    into.push(id);
    return id;
  };
  const writes: Statement[] = [];
  if (current) {
    writes.push(
      db.delete(professionalMemberships).where(eq(professionalMemberships.personId, personId)),
      db.delete(roleAssignments).where(eq(roleAssignments.personId, personId)),
      db.delete(personOrganisations).where(eq(personOrganisations.personId, personId)),
    );
  }
  if (record.organisations.length > 0) {
    writes.push(
      ...organisationWrites(db, record.organisations),
      db.insert(personOrganisations).values(
        record.organisations.map((o, position) => ({
          id: current?.organisations.find((c) => c.orgCode === o.orgCode)?.id ?? draw(drawn.organisations),
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
          id: current?.roles.find((c) => c.orgCode === r.orgCode && c.roleCode === r.roleCode)?.id ?? draw(drawn.roles),
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

const noneDrawn = (next: () => string): DrawnIds => ({ organisations: [], roles: [], next });

/** Did a drawn id collide with one already stored (the batch then rolled back)? */
async function drawnIdTaken(db: Database, drawn: DrawnIds): Promise<boolean> {
  const [orgs, roles] = await db.batch([
    db.select({ id: personOrganisations.id }).from(personOrganisations).where(inArray(personOrganisations.id, drawn.organisations)).limit(1),
    db.select({ id: roleAssignments.id }).from(roleAssignments).where(inArray(roleAssignments.id, drawn.roles)).limit(1),
  ]);
  return orgs.length > 0 || roles.length > 0;
}

/** Creates the person; a uid is generated when the record has none. */
export async function insertPerson(db: Database, record: PersonRecord, now: number, drawId = randomTwelveDigits): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const uid = record.uid ?? randomTwelveDigits();
    const before = await conflicts(db, record.userName, uid, null);
    if (before.userName) throw userNameTaken(record.userName);
    if (before.uid && record.uid) throw uidTaken(uid);
    if (!before.uid) {
      const id = crypto.randomUUID();
      const row = { ...personColumns(record), id, uid, version: 1, createdAt: now, updatedAt: now };
      const drawn = noneDrawn(drawId);
      try {
        await runBatch(db, [db.insert(people).values(row), ...childWrites(db, id, record, null, drawn)]);
        return id;
      } catch (err) {
        // A concurrent create may have taken the name or the uid first.
        const after = await conflicts(db, record.userName, uid, null);
        if (after.userName) throw userNameTaken(record.userName);
        if (record.uid && after.uid) throw uidTaken(uid);
        const renaming = await renamingError(db, record.organisations);
        if (renaming) throw renaming;
        // Otherwise a generated uid, person_orgid or person_roleid collided: draw again.
        if (!after.uid && !(await drawnIdTaken(db, drawn))) throw err;
      }
    }
    if (attempt >= MAX_ID_ATTEMPTS) throw new Error('could not find free 12-digit identifiers');
  }
}

/** Replaces the person as `current` read them; throws StaleVersionError if it changed since. */
export async function replacePerson(
  db: Database,
  current: Person,
  record: PersonRecord,
  now: number,
  drawId = randomTwelveDigits,
): Promise<void> {
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
  for (let attempt = 1; ; attempt++) {
    const drawn = noneDrawn(drawId);
    try {
      await runBatch(db, [update, guard, ...childWrites(db, current.id, record, current, drawn)]);
      forgetPerson(db, current.id);
      return;
    } catch (err) {
      const [row] = await db.select({ version: people.version }).from(people).where(eq(people.id, current.id));
      if (row?.version !== current.version) throw new StaleVersionError();
      if ((await conflicts(db, record.userName, current.uid, current.id)).userName) throw userNameTaken(record.userName);
      const renaming = await renamingError(db, record.organisations);
      if (renaming) throw renaming;
      if (attempt >= MAX_ID_ATTEMPTS || !(await drawnIdTaken(db, drawn))) throw err;
    }
  }
}

export async function deletePerson(db: Database, id: string): Promise<void> {
  await runBatch(db, [
    db.delete(professionalMemberships).where(eq(professionalMemberships.personId, id)),
    db.delete(roleAssignments).where(eq(roleAssignments.personId, id)),
    db.delete(personOrganisations).where(eq(personOrganisations.personId, id)),
    db.delete(people).where(eq(people.id, id)),
  ]);
  forgetPerson(db, id);
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
