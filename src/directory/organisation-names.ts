// An organisation is shared by everyone who works there: a write for one person
// may add an organisation, never rename one (RFC 7644 §3.12 invalidValue). The
// check is a statement inside the write's own batch, so two concurrent writes
// cannot both slip a different name past it.
import { inArray, or, and, eq, ne, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { organisations } from '../../schema/people.ts';
import { ScimError } from '../errors.ts';
import type { Database } from '../ports.ts';

type Statement = BatchItem<'sqlite'>;
export interface OrganisationInput {
  orgCode: string;
  orgName: string;
}

const differs = (orgs: OrganisationInput[]) =>
  or(...orgs.map((o) => and(eq(organisations.orgCode, o.orgCode), ne(organisations.orgName, o.orgName))));

/** Adds organisations not yet known; the batch fails if one is known under another name. */
export function organisationWrites(db: Database, orgs: OrganisationInput[]): Statement[] {
  if (orgs.length === 0) return [];
  return [
    db.insert(organisations).values(orgs).onConflictDoNothing({ target: organisations.orgCode }),
    // SQLite has no RAISE outside triggers: a NOT NULL violation rolls the batch back.
    db.run(sql`insert into ${organisations} (org_code, org_name) select ${'org-name-guard'}, null where exists (select 1 from ${organisations} where ${differs(orgs)})`),
  ];
}

/** After a failed write: the 400 to answer if it named a known organisation differently. */
export async function renamingError(db: Database, orgs: OrganisationInput[]): Promise<ScimError | null> {
  if (orgs.length === 0) return null;
  const codes = orgs.map((o) => o.orgCode);
  const stored = await db.select().from(organisations).where(and(inArray(organisations.orgCode, codes), differs(orgs))).limit(1);
  const [row] = stored;
  if (!row) return null;
  return new ScimError(
    400,
    `organisation ${row.orgCode} is named ${JSON.stringify(row.orgName)}; a person's write cannot rename an organisation others share`,
    'invalidValue',
  );
}
