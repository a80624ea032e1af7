// Codes and refresh tokens are `<grant object id>.<secret>`: the id lets the
// Worker route to the grant's Durable Object without a lookup, and the secret,
// of which only a SHA-256 hash is stored, proves possession (ARCHITECTURE.md).
import { randomToken } from '../secrets.ts';

// A Durable Object id is 64 hex digits; randomToken() is 32 bytes, base64url.
const HANDLE = /^([0-9a-f]{64})\.([A-Za-z0-9_-]{43})$/;

export interface GrantHandle {
  grantId: string;
  secret: string;
}

export function newGrantHandle(grantId: string): { handle: string; secret: string } {
  const secret = randomToken();
  return { handle: `${grantId}.${secret}`, secret };
}

/** The grant id and secret of a well-formed handle; null for anything else. */
export function parseGrantHandle(value: string): GrantHandle | null {
  const m = HANDLE.exec(value);
  return m ? { grantId: m[1]!, secret: m[2]! } : null;
}

export function isGrantId(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
