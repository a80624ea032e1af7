// Session cookies, authorization codes and refresh tokens are all
// `<session object id>.<secret>`: the id routes to the session's object without
// a lookup, and the secret, of which only a SHA-256 hash is stored, proves
// possession (ARCHITECTURE.md). Inside the object each kind is compared only
// with hashes of its own kind, so one kind of handle never passes for another.
import { randomToken } from '../secrets.ts';

// An object id is 64 hex digits; randomToken() is 32 bytes, base64url.
const HANDLE = /^([0-9a-f]{64})\.([A-Za-z0-9_-]{43})$/;

export interface Handle {
  objectId: string;
  secret: string;
}

export function newHandle(objectId: string): { handle: string; secret: string } {
  const secret = randomToken();
  return { handle: `${objectId}.${secret}`, secret };
}

/** The object id and secret of a well-formed handle; null for anything else. */
export function parseHandle(value: string): Handle | null {
  const m = HANDLE.exec(value);
  return m ? { objectId: m[1]!, secret: m[2]! } : null;
}
