// The people who sign in with a password (people.password_hash, RFC 8018 §5.2):
// found by userName with their authenticator app and the person as the rest of
// the service sees them, in one round trip; and their hash, brought up to date.
import { eq, sql } from 'drizzle-orm';
import { people } from '../../schema/people.ts';
import type { Database } from '../ports.ts';
import { totpSecretRead, type StoredTotpSecret } from './credentials/totp.ts';
import { assemblePeople, personReads, type Person } from './people.ts';
import { personCacheGeneration } from './person-cache.ts';

export interface PasswordHolder {
  id: string;
  active: boolean;
  passwordHash: string | null;
  /** Their confirmed authenticator app, if any. */
  app: StoredTotpSecret | null;
  /** The person as the rest of the service sees them, read with the holder. */
  person: Person | null;
  /** The person cache's generation before the read (person-cache.ts). */
  generation: number;
}

/** userName is caseExact=false (RFC 7643 §4.1.1), so the lookup ignores case too. One round trip. */
export async function findPasswordHolder(db: Database, userName: string): Promise<PasswordHolder | null> {
  const generation = personCacheGeneration(db);
  const byName = sql`lower(${people.userName}) = lower(${userName.trim()})`;
  const holderId = db.select({ id: people.id }).from(people).where(byName).limit(1);
  const [rows, apps, ...personRows] = await db.batch([
    db.select({ id: people.id, active: people.active, passwordHash: people.passwordHash }).from(people).where(byName).limit(1),
    totpSecretRead(db, holderId),
    ...personReads(db, holderId),
  ]);
  const row = rows[0];
  if (!row) return null;
  const [person] = assemblePeople(personRows);
  return { ...row, app: apps[0] ?? null, person: person?.id === row.id ? person : null, generation };
}

/** Stores a new slow hash of the person's password (the caller hashes it). */
export async function setPasswordHash(db: Database, personId: string, passwordHash: string): Promise<void> {
  await db.update(people).set({ passwordHash }).where(eq(people.id, personId));
}
