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
  const kind = professionalMemberships.kind;
  // A loose index scan over professional_memberships_kind: one index seek per
  // distinct kind, where SELECT DISTINCT would read every membership.
  const rows = await db.all<{ kind: string | null }>(sql`
    with recursive kinds(kind) as (
      select min(${kind}) from ${professionalMemberships}
      union all
      select (select min(${kind}) from ${professionalMemberships} where ${kind} > kinds.kind) from kinds
      where kinds.kind is not null
      limit ${MAX_LISTED_KINDS}
    )
    select kind from kinds where kind is not null`);
  const held = rows.flatMap((r) => (typeof r.kind === 'string' && MEMBERSHIP_KIND.test(r.kind) ? [r.kind] : []));
  return [...new Set<string>([...KNOWN_MEMBERSHIP_KINDS, ...held])];
}
