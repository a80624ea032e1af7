// What a grant object keeps and the messages it answers: its SQLite schema,
// the row it reads, and the RPC requests of workers/grant-object.ts.
import type { Grant, GrantRefusal } from '../src/oauth/grant-store.ts';
import type { GrantInput } from '../src/ports.ts';

export type GrantRow = {
  input: string;
  created_at: number;
  expires_at: number;
  code_hash: string;
  code_expires_at: number;
  code_spent_at: number | null;
  refresh_hash: string | null;
  refresh_expires_at: number | null;
  live_until: number;
  revoked_at: number | null;
};

export const GRANT_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS grant_state (
     singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
     input TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     code_hash TEXT NOT NULL,
     code_expires_at INTEGER NOT NULL,
     code_spent_at INTEGER,
     refresh_hash TEXT,
     refresh_expires_at INTEGER,
     live_until INTEGER NOT NULL,
     revoked_at INTEGER,
     revoked_reason TEXT
   )`,
  // RFC 9700 §4.14.2: spent refresh tokens are kept to recognise their reuse.
  `CREATE TABLE IF NOT EXISTS spent_refresh_tokens (hash TEXT PRIMARY KEY, spent_at INTEGER NOT NULL)`,
];

export type GrantResult =
  | { ok: true; grant: Grant; refreshExpiresAt: number | null }
  | { ok: false; refusal: GrantRefusal; personId: string | null };

export interface CreateGrant {
  input: GrantInput;
  codeHash: string;
  now: number;
  codeTtlMs: number;
  /** When the grant ends (milliseconds since the epoch): nothing it issues outlives this. */
  expiresAt: number;
}

export interface RedeemCode {
  codeHash: string;
  clientId: string;
  redirectUri: string;
  verifierChallenge: string;
  now: number;
  accessTokenTtlMs: number;
  refresh: { hash: string; ttlMs: number } | null;
}

export interface RotateRefresh {
  refreshHash: string;
  newRefreshHash: string;
  clientId: string;
  requestedScope: string[] | null;
  now: number;
  accessTokenTtlMs: number;
  refreshTtlMs: number;
}

export function toGrant(grantId: string, row: GrantRow, input: GrantInput): Grant {
  return { ...input, grantId, createdAt: row.created_at, expiresAt: row.expires_at };
}
