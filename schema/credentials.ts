// Authenticators a person holds, and the one-time invitations that enrol them.
import { sqliteTable, text, integer, blob, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { people } from './people.ts';

export const webauthnCredentials = sqliteTable(
  'webauthn_credentials',
  {
    // base64url credential id, as WebAuthn hands it back.
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    publicKey: blob('public_key', { mode: 'buffer' }).$type<Uint8Array>().notNull(),
    counter: integer('counter').notNull().default(0),
    transports: text('transports', { mode: 'json' }).$type<string[]>().notNull().default([]),
    aaguid: text('aaguid').notNull(),
    // 'singleDevice' (device-bound) or 'multiDevice' (synced): decides AAL3 vs AAL2.
    deviceType: text('device_type').notNull(),
    backedUp: integer('backed_up', { mode: 'boolean' }).notNull(),
    attestationFormat: text('attestation_format').notNull().default('none'),
    // 'fido_metadata' when the attestation chained to the model's roots in a verified FIDO MDS
    // BLOB at registration; 'self_asserted' otherwise (the level rests on the flags alone).
    assuranceBasis: text('assurance_basis').notNull().default('self_asserted'),
    // The model's metadata statement, as verified: keyProtection and userVerificationMethods.
    keyProtection: text('key_protection', { mode: 'json' }).$type<string[]>(),
    userVerificationMethods: text('user_verification_methods', { mode: 'json' }).$type<string[]>(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    // A name the person gives it ("Work laptop"); null shows a default.
    name: text('name'),
    // NIST SP 800-63B §6.2: a revoked credential is kept (its audit trail, and so that
    // no reactivation or re-registration brings it back) but never signs anyone in.
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('webauthn_credentials_person').on(t.personId)],
);

// RFC 6238 TOTP secrets, encrypted at rest (docs/assurance.md, "Password + authenticator app").
export const totpSecrets = sqliteTable('totp_secrets', {
  personId: text('person_id')
    .primaryKey()
    .references(() => people.id, { onDelete: 'cascade' }),
  secretCiphertext: text('secret_ciphertext').notNull(),
  confirmedAt: integer('confirmed_at'),
  lastUsedStep: integer('last_used_step'),
  createdAt: integer('created_at').notNull(),
  // The invitation that set it up: one invitation sets up an app once (docs/assurance.md, "Setting up the app").
  enrolmentId: text('enrolment_id'),
});

export const enrolments = sqliteTable(
  'enrolments',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    // SHA-256 of the invitation code: the code itself is shown once and never stored.
    codeHash: text('code_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    spentAt: integer('spent_at'),
    createdBy: text('created_by').notNull(),
  },
  (t) => [uniqueIndex('enrolments_code_hash_unique').on(t.codeHash), index('enrolments_person').on(t.personId)],
);
