// Client records cached briefly in the isolate, so the token and introspection
// hot paths need no libSQL round trip for a client seen in the last few seconds
// (ARCHITECTURE.md). A change made through registration is seen here within
// CLIENT_CACHE_TTL_MS, or at once in this isolate via invalidateClient.
//
// Only loaded records are shared, never a load in flight: on Workers a request
// that awaits a promise whose I/O belongs to another request is cancelled as
// hung ("the script will never generate a response"), which the race tests
// (test/e2e/races.test.ts) hit whenever the entry expired under concurrent token requests. So
// concurrent misses each load; the last to finish refreshes the entry.
import type { Database } from '../ports.ts';
import { findClient, type Client } from './client.ts';

// The bound on how long another isolate may still honour a deleted or narrowed
// client (its tokens at userinfo and introspection included; the isolate that
// served the change forgets it at once). Also how long a client already seen
// keeps being served through a libSQL outage (test/e2e/faults-database.test.ts).
export const CLIENT_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 1000;

interface Cache {
  entries: Map<string, { expires: number; client: Client }>;
  /** Bumped by invalidateClient, so a load that started before a change is not kept. */
  generation: number;
}

// One cache per database connection: tests that build their own ports get their own.
const caches = new WeakMap<Database, Cache>();

function cacheOf(db: Database): Cache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { entries: new Map(), generation: 0 }));
  return cache;
}

/**
 * The client registered as `clientId`, or null. Unknown clients and failed
 * loads are not kept, so a client registered a moment ago is found at once.
 */
export async function findCachedClient(db: Database, clientId: string, now: number = Date.now()): Promise<Client | null> {
  const cache = cacheOf(db);
  const hit = cache.entries.get(clientId);
  if (hit && hit.expires > now) return hit.client;
  const generation = cache.generation;
  const client = await findClient(db, clientId);
  if (client && cache.generation === generation) {
    cache.entries.delete(clientId);
    if (cache.entries.size >= MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!);
    cache.entries.set(clientId, { expires: now + CLIENT_CACHE_TTL_MS, client });
  }
  return client;
}

/** Forgets a client in this isolate, e.g. after RFC 7592 update or delete. */
export function invalidateClient(db: Database, clientId: string): void {
  const cache = caches.get(db);
  if (!cache) return;
  cache.entries.delete(clientId);
  cache.generation += 1;
}
