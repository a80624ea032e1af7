// The /Users operations of RFC 7644 §3.3–§3.6 as plain functions over the
// ports: values in, a Person or an error out, no HTTP.
import { findPeople, findPerson, type Person } from '../directory/people.ts';
import { ScimError } from '../errors.ts';
import { parseFilter } from './filter.ts';
import { filterToSql } from './filter-sql.ts';
import { applyPatch } from './patch.ts';
import { endPersonAccess, personAccess, recordPersonEvent, type ChangeContext } from './person-events.ts';
import { passwordChange, removesPassword, toPersonRecordWithPassword } from './user-password.ts';
import { etagOf, toScimUser, type PersonRecord } from './user-resource.ts';
import { parseUser, type PatchOperation } from './user-schema.ts';
import { deletePerson, insertPerson, listPersonIds, replacePerson, StaleVersionError } from '../directory/person-writes.ts';

const MAX_WRITE_ATTEMPTS = 3;

export const userNotFound = () => new ScimError(404, 'no such user');

/** RFC 7232 §3.1 with weak comparison, as RFC 7644 §3.14 allows. */
export function matchesIfMatch(header: string | undefined, person: Person): boolean {
  if (header === undefined) return true;
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etagOf(person).replace(/^W\//, ''));
}

export async function getUser({ ports }: ChangeContext, id: string): Promise<Person> {
  const person = await findPerson(ports.db, id);
  if (!person) throw userNotFound();
  return person;
}

export async function listUsers(
  { ports }: ChangeContext,
  query: { filter?: string; startIndex: number; count: number },
): Promise<{ people: Person[]; total: number }> {
  const where = query.filter === undefined ? undefined : filterToSql(parseFilter(query.filter));
  const { ids, total } = await listPersonIds(ports.db, where, query);
  return { people: await findPeople(ports.db, ids), total };
}

export async function createUser(context: ChangeContext, record: PersonRecord): Promise<Person> {
  const { db, now } = context.ports;
  const id = await insertPerson(db, record, now());
  const person = await findPerson(db, id);
  if (!person) throw userNotFound();
  await recordPersonEvent(context, 'person.create', person, passwordDetails(record));
  return person;
}

/**
 * Read, build the replacement, write if nothing changed in between; a
 * concurrent change makes us start again unless the client named a version.
 */
async function rewriteUser(
  context: ChangeContext,
  id: string,
  ifMatch: string | undefined,
  action: 'person.replace' | 'person.patch',
  build: (current: Person) => Promise<PersonRecord>,
): Promise<Person> {
  const { db, now } = context.ports;
  for (let attempt = 1; ; attempt++) {
    const current = await getUser(context, id);
    if (!matchesIfMatch(ifMatch, current)) throw new ScimError(412, 'the user has changed since that version');
    const record = await build(current);
    try {
      await replacePerson(db, current, record, now());
    } catch (err) {
      if (!(err instanceof StaleVersionError)) throw err;
      if (ifMatch !== undefined) throw new ScimError(412, 'the user has changed since that version');
      if (attempt >= MAX_WRITE_ATTEMPTS) throw new ScimError(409, 'the user keeps changing; try again');
      continue;
    }
    const person = await getUser(context, id);
    await recordPersonEvent(context, action, person, passwordDetails(record));
    if (current.active && !person.active) await endPersonAccess(context, person, 'deactivated');
    return person;
  }
}

export function replaceUser(context: ChangeContext, id: string, record: PersonRecord, ifMatch?: string): Promise<Person> {
  return rewriteUser(context, id, ifMatch, 'person.replace', async () => record);
}

export function patchUser(context: ChangeContext, id: string, operations: PatchOperation[], ifMatch?: string): Promise<Person> {
  return rewriteUser(context, id, ifMatch, 'person.patch', async (current) => {
    const patched = applyPatch(toScimUser(current, context.ports.config.issuer), operations);
    const record = await toPersonRecordWithPassword(parseUser(patched));
    return record.passwordHash === undefined && removesPassword(operations) ? { ...record, passwordHash: null } : record;
  });
}

/** RFC 7643 §4.1.1 (password is write-only): the audit trail says that a password was set or removed, never what it is. */
function passwordDetails(record: PersonRecord): Record<string, unknown> {
  const change = passwordChange(record);
  return change ? { password: change } : {};
}

export async function deleteUser(context: ChangeContext, id: string, ifMatch?: string): Promise<void> {
  const current = await getUser(context, id);
  if (!matchesIfMatch(ifMatch, current)) throw new ScimError(412, 'the user has changed since that version');
  const held = await personAccess(context, id);
  await deletePerson(context.ports.db, id);
  await recordPersonEvent(context, 'person.delete', current);
  await endPersonAccess(context, current, 'deleted', held);
}
