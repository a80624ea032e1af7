// Client records cached briefly in the isolate, so the token and introspection
// hot paths need no libSQL round trip for a client seen in the last few seconds
// (ARCHITECTURE.md). A change made through registration is seen here within
// CLIENT_CACHE_TTL_MS, or at once in this isolate via invalidateClient.
import type { Database } from '../ports.ts';
import { findClient, type Client } from './client.ts';

export const CLIENT_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 1000;

type Entry = { expires: number; value: Promise<Client | null> };

// One cache per database connection: tests that build their own ports get their own.
const caches = new WeakMap<Database, Map<string, Entry>>();

function cacheOf(db: Database): Map<string, Entry> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/**
 * The client registered as `clientId`, or null. Concurrent callers share one
 * load; unknown clients and failed loads are not kept, so a client registered
 * a moment ago is found at once.
 */
export function findCachedClient(db: Database, clientId: string, now: number = Date.now()): Promise<Client | null> {
  const cache = cacheOf(db);
  const hit = cache.get(clientId);
  if (hit && hit.expires > now) return hit.value;
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  const entry: Entry = { expires: now + CLIENT_CACHE_TTL_MS, value: findClient(db, clientId) };
  cache.set(clientId, entry);
  const forget = () => {
    if (cache.get(clientId) === entry) cache.delete(clientId);
  };
  entry.value.then((client) => {
    if (!client) forget();
  }, forget);
  return entry.value;
}

/** Forgets a client in this isolate, e.g. after RFC 7592 update or delete. */
export function invalidateClient(db: Database, clientId: string): void {
  caches.get(db)?.delete(clientId);
}
