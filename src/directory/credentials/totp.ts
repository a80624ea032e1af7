// Authenticator-app secrets in the directory (schema/credentials.ts totp_secrets),
// sealed at rest. Accepting a code moves last_used_step forward with one
// conditional update (sent in the sign-in's own transaction), so a code cannot
// be used twice even by two sign-ins at once.
import { and, eq, isNotNull, isNull, lt, or, type SQLWrapper } from 'drizzle-orm';
import { totpSecrets } from '../../../schema/credentials.ts';
import type { Database } from '../../ports.ts';
import { openTotpSecret, sealTotpSecret } from '../../totp/totp-keys.ts';
import { matchingStep } from '../../totp/totp.ts';

interface TotpContext {
  db: Database;
  /** KEY_ENCRYPTION_SECRET */
  keySecret: string;
}

interface StoredTotp {
  enrolmentId: string | null;
  confirmedAt: number;
}

/** The person's confirmed authenticator app, if any. */
export async function findTotp(db: Database, personId: string): Promise<StoredTotp | null> {
  const [row] = await db
    .select({ enrolmentId: totpSecrets.enrolmentId, confirmedAt: totpSecrets.confirmedAt })
    .from(totpSecrets)
    .where(and(eq(totpSecrets.personId, personId), isNotNull(totpSecrets.confirmedAt)))
    .limit(1);
  return row && row.confirmedAt !== null ? { enrolmentId: row.enrolmentId, confirmedAt: row.confirmedAt } : null;
}

/**
 * Stores a confirmed secret, replacing the person's previous app. `usedStep` is
 * the step of the confirmation code, which therefore cannot sign anyone in.
 */
export async function saveConfirmedTotp(
  { db, keySecret }: TotpContext,
  input: { personId: string; secret: Uint8Array<ArrayBuffer>; usedStep: number; enrolmentId: string; now: number },
): Promise<void> {
  const row = {
    secretCiphertext: await sealTotpSecret(keySecret, input.personId, input.secret),
    confirmedAt: input.now,
    lastUsedStep: input.usedStep,
    createdAt: input.now,
    enrolmentId: input.enrolmentId,
  };
  await db.insert(totpSecrets).values({ personId: input.personId, ...row }).onConflictDoUpdate({ target: totpSecrets.personId, set: row });
}

type TotpCheck = 'accepted' | 'wrong_code' | 'code_replayed';

/** A confirmed app's stored state, as a sign-in reads it. */
export interface StoredTotpSecret {
  sealed: string;
  lastUsedStep: number | null;
}

/** The person's confirmed app as a query, to send in the batch of a caller's own read. */
export function totpSecretRead(db: Database, personId: string | SQLWrapper) {
  return db
    .select({ sealed: totpSecrets.secretCiphertext, lastUsedStep: totpSecrets.lastUsedStep })
    .from(totpSecrets)
    .where(and(eq(totpSecrets.personId, personId), isNotNull(totpSecrets.confirmedAt)))
    .limit(1);
}

/**
 * RFC 6238 §5.2: checks `code` against the stored app without spending it. An
 * accepted code answers the step that spendTotpStep must then move to.
 */
export async function checkTotp(keySecret: string, personId: string, stored: StoredTotpSecret, code: string, now: number): Promise<{ check: TotpCheck; step: number | null }> {
  const secret = await openTotpSecret(keySecret, personId, stored.sealed);
  const step = await matchingStep(secret, code, now, stored.lastUsedStep);
  if (step !== null) return { check: 'accepted', step };
  // Tell a replay apart for the audit log only: the person is told the same either way.
  return { check: (await matchingStep(secret, code, now, null)) === null ? 'wrong_code' : 'code_replayed', step: null };
}

/** Spends `step` (compare-and-set on last_used_step): changes one row, or none when it (or a later one) was spent already. */
export function spendTotpStep(db: Database, personId: string, step: number) {
  return db
    .update(totpSecrets)
    .set({ lastUsedStep: step })
    .where(and(eq(totpSecrets.personId, personId), or(isNull(totpSecrets.lastUsedStep), lt(totpSecrets.lastUsedStep, step))));
}
