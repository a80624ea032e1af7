// The professional-membership kinds people hold, for discovery's
// claims_supported (CONTRACT §8): the known registers plus any other kind in
// the directory that follows the `<register>_id` rule.
import { sql } from 'drizzle-orm';
import { professionalMemberships } from '../../schema/people.ts';
import type { Database } from '../ports.ts';
import { KNOWN_MEMBERSHIP_KINDS, MEMBERSHIP_KIND } from './people.ts';

/** Bounds the discovery document however many kinds are stored. */
export const MAX_LISTED_KINDS = 200;

export async function membershipKindsHeld(db: Database): Promise<string[]> {
  const rows = await db
    .selectDistinct({ kind: professionalMemberships.kind })
    .from(professionalMemberships)
    .orderBy(sql`${professionalMemberships.kind}`)
    .limit(MAX_LISTED_KINDS);
  const held = rows.map((r) => r.kind).filter((kind) => MEMBERSHIP_KIND.test(kind));
  return [...new Set<string>([...KNOWN_MEMBERSHIP_KINDS, ...held])];
}
