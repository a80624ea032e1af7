// The WebAuthn credentials a person holds, in the directory (schema/credentials.ts).
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { webauthnCredentials } from '../../../schema/credentials.ts';
import type { AssuranceBasis, MetadataFacts } from '../../assurance/level.ts';
import { assemblePeople, personReads, type Person } from '../people.ts';
import type { Database } from '../../ports.ts';

export type CredentialDeviceType = 'singleDevice' | 'multiDevice';

export interface StoredCredential {
  id: string;
  personId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  aaguid: string;
  deviceType: CredentialDeviceType;
  backedUp: boolean;
  attestationFormat: string;
  /** Whether verified FIDO metadata vouched for the model at registration. */
  assuranceBasis: AssuranceBasis;
  /** The verified statement's facts; null unless assuranceBasis is 'fido_metadata'. */
  metadata: MetadataFacts | null;
  createdAt: number;
  lastUsedAt: number | null;
}

const c = webauthnCredentials;

export async function findCredential(db: Database, id: string): Promise<StoredCredential | null> {
  const [rows] = await db.batch([credentialRead(db, id)]);
  return storedCredential(rows[0]);
}

/**
 * The credential and its owner as the rest of the service sees them, in one
 * round trip: a sign-in reads the person once and carries them on.
 */
export async function findCredentialWithOwner(db: Database, id: string): Promise<{ credential: StoredCredential; owner: Person | null } | null> {
  const owner = db.select({ id: c.personId }).from(c).where(eq(c.id, id));
  const [rows, ...personRows] = await db.batch([credentialRead(db, id), ...personReads(db, owner)]);
  const credential = storedCredential(rows[0]);
  if (!credential) return null;
  const [person] = assemblePeople(personRows);
  return { credential, owner: person?.id === credential.personId ? person : null };
}

function credentialRead(db: Database, id: string) {
  return db
    .select({
      id: c.id,
      personId: c.personId,
      // As hex: drizzle turns a libSQL blob into a Buffer where Node's Buffer exists and
      // into TextDecoder-decoded text where it does not (workerd without nodejs_compat),
      // which would corrupt a key. Hex survives both.
      publicKeyHex: sql<string>`hex(${c.publicKey})`,
      counter: c.counter,
      transports: c.transports,
      aaguid: c.aaguid,
      deviceType: c.deviceType,
      backedUp: c.backedUp,
      attestationFormat: c.attestationFormat,
      assuranceBasis: c.assuranceBasis,
      keyProtection: c.keyProtection,
      userVerificationMethods: c.userVerificationMethods,
      createdAt: c.createdAt,
      lastUsedAt: c.lastUsedAt,
    })
    .from(c)
    // NIST SP 800-63B §6.2: a revoked credential signs nobody in.
    .where(and(eq(c.id, id), isNull(c.revokedAt)))
    .limit(1);
}

function storedCredential(row: Awaited<ReturnType<typeof credentialRead>>[number] | undefined): StoredCredential | null {
  if (!row) return null;
  const { publicKeyHex, keyProtection: _k, userVerificationMethods: _u, ...rest } = row;
  const metadata = metadataFromColumns(row);
  return {
    ...rest,
    publicKey: fromHex(publicKeyHex),
    deviceType: rest.deviceType as CredentialDeviceType,
    assuranceBasis: metadata ? 'fido_metadata' : 'self_asserted',
    metadata,
  };
}

/** The columns a credential's metadata facts are stored in. */
export function metadataColumns(credential: Pick<StoredCredential, 'assuranceBasis' | 'metadata'>) {
  return {
    assuranceBasis: credential.assuranceBasis,
    keyProtection: credential.metadata?.keyProtection ?? null,
    userVerificationMethods: credential.metadata?.userVerificationMethods ?? null,
  };
}

/** Reads the facts back from those columns (null unless the basis is verified metadata). */
export function metadataFromColumns(row: { assuranceBasis: string; keyProtection: string[] | null; userVerificationMethods: string[] | null }): MetadataFacts | null {
  return row.assuranceBasis === 'fido_metadata' && row.keyProtection && row.userVerificationMethods
    ? { keyProtection: row.keyProtection, userVerificationMethods: row.userVerificationMethods }
    : null;
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** What excludeCredentials needs (W3C WebAuthn §5.4.3): ids and transports. */
/** What decides the assurance each of the person's live (unrevoked) passkeys can give. */
export async function livePasskeyFacts(db: Database, personId: string) {
  const rows = await db
    .select({
      deviceType: c.deviceType,
      backedUp: c.backedUp,
      aaguid: c.aaguid,
      assuranceBasis: c.assuranceBasis,
      keyProtection: c.keyProtection,
      userVerificationMethods: c.userVerificationMethods,
    })
    .from(c)
    .where(and(eq(c.personId, personId), isNull(c.revokedAt)));
  return rows.map((r) => ({
    deviceType: (r.deviceType === 'singleDevice' ? 'singleDevice' : 'multiDevice') as CredentialDeviceType,
    backedUp: r.backedUp,
    aaguid: r.aaguid,
    metadata: metadataFromColumns(r),
  }));
}

export async function credentialDescriptorsOf(db: Database, personId: string): Promise<{ id: string; transports: string[] }[]> {
  return db
    .select({ id: webauthnCredentials.id, transports: webauthnCredentials.transports })
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.personId, personId));
}

export async function insertCredential(db: Database, credential: Omit<StoredCredential, 'lastUsedAt'>): Promise<boolean> {
  const { metadata: _facts, ...columns } = credential;
  const inserted = await db
    .insert(webauthnCredentials)
    .values({ ...columns, ...metadataColumns(credential), lastUsedAt: null })
    .onConflictDoNothing()
    .returning({ id: webauthnCredentials.id });
  return inserted.length === 1;
}

/**
 * Records a use: the counter moves only forwards, checked in the same statement,
 * so two assertions racing with one counter value cannot both be accepted.
 * Authenticators that never count (both zero) are always accepted.
 */
export async function recordCredentialUse(db: Database, input: CredentialUse): Promise<boolean> {
  const updated = await credentialUseQuery(db, input).returning({ id: webauthnCredentials.id });
  return updated.length === 1;
}

export interface CredentialUse {
  id: string;
  counter: number;
  backedUp: boolean;
  now: number;
}

/** The update of recordCredentialUse, unsent: it changes one row when the use is accepted, none otherwise. */
export function credentialUseQuery(db: Database, input: CredentialUse) {
  return db
    .update(webauthnCredentials)
    .set({ counter: input.counter, backedUp: input.backedUp, lastUsedAt: input.now })
    .where(
      and(
        eq(webauthnCredentials.id, input.id),
        // A revocation between verifying the assertion and recording it wins.
        isNull(webauthnCredentials.revokedAt),
        or(lt(webauthnCredentials.counter, input.counter), and(eq(webauthnCredentials.counter, 0), sql`${input.counter} = 0`)),
      ),
    );
}
