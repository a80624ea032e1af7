// One-time enrolment invitations: the code is shown once, only its hash is kept,
// and spending it is a single conditional update so two redemptions cannot both win.
import { and, eq, gt, isNull } from 'drizzle-orm';
import { enrolments } from '../../../schema/credentials.ts';
import type { Database } from '../../ports.ts';
import { randomToken, sha256 } from '../../secrets.ts';

export interface Invitation {
  id: string;
  personId: string;
  expiresAt: number;
}

interface IssuedInvitation extends Invitation {
  code: string;
}

export async function createInvitation(
  db: Database,
  input: { personId: string; ttlSeconds: number; createdBy: string; now: number },
): Promise<IssuedInvitation> {
  const code = randomToken();
  const invitation = {
    id: crypto.randomUUID(),
    personId: input.personId,
    codeHash: await sha256(code),
    createdAt: input.now,
    expiresAt: input.now + input.ttlSeconds * 1000,
    createdBy: input.createdBy,
  };
  await db.insert(enrolments).values(invitation);
  return { id: invitation.id, personId: invitation.personId, expiresAt: invitation.expiresAt, code };
}

/** Spends the code: only the first caller gets the invitation back. */
export async function spendInvitation(db: Database, code: string, now: number): Promise<Invitation | null> {
  const [row] = await db
    .update(enrolments)
    .set({ spentAt: now })
    .where(and(eq(enrolments.codeHash, await sha256(code)), isNull(enrolments.spentAt), gt(enrolments.expiresAt, now)))
    .returning({ id: enrolments.id, personId: enrolments.personId, expiresAt: enrolments.expiresAt });
  return row ?? null;
}
