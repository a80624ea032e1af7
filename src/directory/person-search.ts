// Finding people for the console: a uid (12 digits) exactly, otherwise a part of
// the username or of any name, case-insensitively. LIKE's wildcards in the
// query are escaped, so they match themselves.
import { asc, eq, or, sql } from 'drizzle-orm';
import { people } from '../../schema/people.ts';
import type { Database } from '../ports.ts';
import { namedPersonColumns } from './person-lookups.ts';

export const SEARCH_LIMIT = 25;

export interface PersonSummary {
  id: string;
  uid: string;
  userName: string;
  name: string;
  active: boolean;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export async function searchPeople(db: Database, query: string): Promise<PersonSummary[]> {
  const q = query.trim();
  if (q.length === 0) return [];
  const pattern = `%${escapeLike(q.toLowerCase())}%`;
  const contains = (column: unknown) => sql`lower(coalesce(${column}, '')) like ${pattern} escape '\\'`;
  const fullName = sql`coalesce(${people.givenName}, '') || ' ' || coalesce(${people.familyName}, '')`;
  const rows = await db
    .select(namedPersonColumns)
    .from(people)
    .where(
      /^\d{12}$/.test(q)
        ? eq(people.uid, q)
        : or(contains(people.userName), contains(people.displayName), contains(people.formattedName), contains(fullName)),
    )
    .orderBy(asc(people.familyName), asc(people.givenName), asc(people.userName))
    .limit(SEARCH_LIMIT);
  return rows.map((r) => ({
    id: r.id,
    uid: r.uid,
    userName: r.userName,
    active: r.active,
    name: r.displayName || r.formattedName || [r.givenName, r.familyName].filter(Boolean).join(' ') || r.userName,
  }));
}
