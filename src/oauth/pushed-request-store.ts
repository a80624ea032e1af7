// Pushed authorization requests (RFC 9126) held until /authorize takes them:
// short-lived, single use, bound to the client that pushed them (§4, §7.3). The
// store is the RecordStore port (src/state/record-store.ts): a take deletes the
// record by compare-and-set, so of two uses racing for one request_uri exactly
// one wins. Only a SHA-256 of the reference is used as the key.
import { applyWithRetry, type RecordStore } from '../state/record-store.ts';
import { randomToken, sha256, timingSafeEqual } from '../secrets.ts';

/** RFC 9126 §2.2: the URN prefix of the request_uri values this server issues. */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';

interface PushedRequest {
  clientId: string;
  /** The authorization request's parameters, as pushed and validated. */
  params: Record<string, string>;
  expiresAt: number;
}

type TakeOutcome =
  | { ok: true; params: Record<string, string> }
  | { ok: false; reason: 'unknown' | 'client_mismatch' };

export interface PushedRequestStore {
  /** Holds the request; answers its request_uri. */
  push(clientId: string, params: Record<string, string>, ttlSeconds: number): Promise<string>;
  /** The parameters, removed as they are read; a request pushed by another client is left in place. */
  take(requestUri: string, clientId: string): Promise<TakeOutcome>;
}

const REFERENCE = /^[A-Za-z0-9_-]{43}$/;

export function pushedRequestStoreOn(records: RecordStore, now: () => number = () => Date.now()): PushedRequestStore {
  return {
    async push(clientId, params, ttlSeconds) {
      const reference = randomToken();
      const expiresAt = now() + ttlSeconds * 1000;
      const value: PushedRequest = { clientId, params, expiresAt };
      // A fresh 256-bit key: the only possible conflict is a write that never happened.
      if (!(await records.compareAndSet(await sha256(reference), 0, value, expiresAt))) throw new Error('pushed request key collision');
      return `${REQUEST_URI_PREFIX}${reference}`;
    },
    async take(requestUri, clientId) {
      if (!requestUri.startsWith(REQUEST_URI_PREFIX)) return { ok: false, reason: 'unknown' };
      const reference = requestUri.slice(REQUEST_URI_PREFIX.length);
      if (!REFERENCE.test(reference)) return { ok: false, reason: 'unknown' };
      const at = now();
      return applyWithRetry<PushedRequest, TakeOutcome>(
        records,
        await sha256(reference),
        (current) => {
          if (!current || current.expiresAt <= at) return { next: 'unchanged', result: { ok: false, reason: 'unknown' } };
          // RFC 9126 §4: the request_uri is bound to the client that pushed it; another cannot spend it.
          if (!timingSafeEqual(current.clientId, clientId)) return { next: 'unchanged', result: { ok: false, reason: 'client_mismatch' } };
          return { next: null, result: { ok: true, params: current.params } };
        },
        (value) => value.expiresAt,
      );
    },
  };
}
