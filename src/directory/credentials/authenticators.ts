// The authenticators a person holds, as the operator API and the person's own
// page see them (CONTRACT §10, NIST SP 800-63B §6.2): passkeys from
// webauthn_credentials (revoked ones kept but never listed or used) and the
// authenticator app from totp_secrets.
import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { totpSecrets, webauthnCredentials } from '../../../schema/credentials.ts';
import type { Database } from '../../ports.ts';

/** The authenticator app has no id of its own: a person holds at most one. */
export const TOTP_AUTHENTICATOR_ID = 'totp';

export interface AuthenticatorView {
  id: string;
  type: 'passkey' | 'totp';
  name: string;
  aaguid: string | null;
  /** WebAuthn §6.1.3: single-device and not backed up, so it cannot be copied (AAL3 material). */
  device_bound: boolean;
  created_at: string;
  last_used_at: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const c = webauthnCredentials;
const live = (personId: string) => and(eq(c.personId, personId), isNull(c.revokedAt));

export async function listAuthenticators(db: Database, personId: string): Promise<AuthenticatorView[]> {
  const [passkeys, apps] = await Promise.all([
    db
      .select({ id: c.id, name: c.name, aaguid: c.aaguid, deviceType: c.deviceType, backedUp: c.backedUp, createdAt: c.createdAt, lastUsedAt: c.lastUsedAt })
      .from(c)
      .where(live(personId))
      .orderBy(desc(c.createdAt)),
    db
      .select({ createdAt: totpSecrets.createdAt, confirmedAt: totpSecrets.confirmedAt, lastUsedStep: totpSecrets.lastUsedStep })
      .from(totpSecrets)
      .where(and(eq(totpSecrets.personId, personId), isNotNull(totpSecrets.confirmedAt))),
  ]);
  const list: AuthenticatorView[] = passkeys.map((p) => ({
    id: p.id,
    type: 'passkey',
    name: p.name ?? 'Passkey',
    aaguid: p.aaguid,
    device_bound: p.deviceType === 'singleDevice' && !p.backedUp,
    created_at: iso(p.createdAt)!,
    last_used_at: iso(p.lastUsedAt),
  }));
  for (const app of apps) {
    list.push({
      id: TOTP_AUTHENTICATOR_ID,
      type: 'totp',
      name: 'Authenticator app',
      aaguid: null,
      device_bound: false,
      created_at: iso(app.confirmedAt ?? app.createdAt)!,
      // RFC 6238: the last accepted time step (30 s) is when the app was last used.
      last_used_at: iso(app.lastUsedStep === null ? null : app.lastUsedStep * 30_000),
    });
  }
  return list;
}

/** Revokes one of the person's authenticators; false when they hold no such (live) one. */
export async function revokeStoredAuthenticator(db: Database, personId: string, id: string, now: number): Promise<boolean> {
  if (id === TOTP_AUTHENTICATOR_ID) {
    const deleted = await db.delete(totpSecrets).where(eq(totpSecrets.personId, personId)).returning({ personId: totpSecrets.personId });
    return deleted.length === 1;
  }
  const revoked = await db
    .update(c)
    .set({ revokedAt: now })
    .where(and(eq(c.id, id), live(personId)))
    .returning({ id: c.id });
  return revoked.length === 1;
}

/** Names one of the person's passkeys; false when they hold no such (live) one. */
export async function renamePasskey(db: Database, personId: string, id: string, name: string): Promise<boolean> {
  const renamed = await db.update(c).set({ name }).where(and(eq(c.id, id), live(personId))).returning({ id: c.id });
  return renamed.length === 1;
}
