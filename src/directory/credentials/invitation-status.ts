// What an invitation code names, and why it cannot be used when it cannot: the
// page and the JSON API tell unknown, spent and expired codes apart for the person
// holding them. Spending stays in invitations.ts (one conditional update).
import { eq } from 'drizzle-orm';
import { enrolments } from '../../../schema/credentials.ts';
import { people } from '../../../schema/people.ts';
import type { Database } from '../../ports.ts';
import { sha256 } from '../../secrets.ts';

export interface Invitee {
  personId: string;
  userName: string;
  givenName: string | null;
  displayName: string;
}

export type InvitationStatus =
  | { state: 'valid'; invitationId: string; expiresAt: number; invitee: Invitee }
  | { state: 'expired' | 'spent' | 'inactive'; invitationId: string; invitee: Invitee }
  | { state: 'unknown' };

/** Codes are 32 random bytes, base64url: anything else is unknown without a query. */
const CODE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export async function invitationStatus(db: Database, code: string, now: number): Promise<InvitationStatus> {
  if (!CODE_PATTERN.test(code)) return { state: 'unknown' };
  const [row] = await db
    .select({
      id: enrolments.id,
      expiresAt: enrolments.expiresAt,
      spentAt: enrolments.spentAt,
      personId: people.id,
      userName: people.userName,
      givenName: people.givenName,
      familyName: people.familyName,
      displayName: people.displayName,
      active: people.active,
    })
    .from(enrolments)
    .innerJoin(people, eq(people.id, enrolments.personId))
    .where(eq(enrolments.codeHash, await sha256(code)))
    .limit(1);
  if (!row) return { state: 'unknown' };
  const fullName = [row.givenName, row.familyName].filter(Boolean).join(' ');
  const invitee: Invitee = {
    personId: row.personId,
    userName: row.userName,
    givenName: row.givenName,
    displayName: row.displayName ?? (fullName || row.userName),
  };
  if (row.spentAt !== null) return { state: 'spent', invitationId: row.id, invitee };
  if (row.expiresAt <= now) return { state: 'expired', invitationId: row.id, invitee };
  if (!row.active) return { state: 'inactive', invitationId: row.id, invitee };
  return { state: 'valid', invitationId: row.id, expiresAt: row.expiresAt, invitee };
}
