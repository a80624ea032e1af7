// People cached briefly in the isolate, so a refresh (and the code grant, and
// userinfo) needs no libSQL round trip for a person read in the last few
// seconds (ARCHITECTURE.md: keep libSQL off the token and refresh paths).
//
// The bound: a change made through SCIM is seen at once in the isolate that made
// it (forgetPerson) and within PERSON_CACHE_TTL_MS in every other isolate; until
// then a refresh there may carry the claims of before the change. Deactivation
// and deletion cannot be outlived by this cache: they revoke the person's grants
// in the session objects (CONTRACT §4), and a revoked grant is refused before
// any claim is read. Loads in flight are never shared between requests (see
// client-cache.ts for why), only loaded records.
import type { Authentication, Database } from '../ports.ts';
import { findPerson, type Person } from './people.ts';

export const PERSON_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 2000;

interface Cache {
  entries: Map<string, { expires: number; person: Person }>;
  /** When this isolate last forgot each person (its own clock): a snapshot read before may be stale. */
  forgotten: Map<string, number>;
  /** Bumped by forgetPerson, so a load that started before a change is not kept. */
  generation: number;
}

// One cache per database connection: tests that build their own ports get their own.
const caches = new WeakMap<Database, Cache>();

function cacheOf(db: Database): Cache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { entries: new Map(), forgotten: new Map(), generation: 0 }));
  return cache;
}

/** The person with this id, from the cache when read in the last PERSON_CACHE_TTL_MS; unknown people are not kept. */
export async function findCachedPerson(db: Database, id: string, now: number): Promise<Person | null> {
  const cache = cacheOf(db);
  const hit = cache.entries.get(id);
  if (hit && hit.expires > now) return hit.person;
  const generation = cache.generation;
  const person = await findPerson(db, id);
  if (person) rememberPerson(db, person, now, generation);
  return person;
}

/** Taken before a read whose result is later passed to rememberPerson, so a change in between wins. */
export function personCacheGeneration(db: Database): number {
  return cacheOf(db).generation;
}

/** Keeps a person just read (e.g. at sign-in) for the requests that follow in this isolate. */
export function rememberPerson(db: Database, person: Person, now: number, generation = cacheOf(db).generation): void {
  const cache = cacheOf(db);
  if (cache.generation !== generation) return;
  cache.entries.delete(person.id);
  if (cache.entries.size >= MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!);
  cache.entries.set(person.id, { expires: now + PERSON_CACHE_TTL_MS, person });
}

/** Forgets a person in this isolate: after every SCIM write or delete of them. */
export function forgetPerson(db: Database, id: string): void {
  const cache = cacheOf(db);
  cache.entries.delete(id);
  cache.generation += 1;
  const at = Date.now();
  for (const [other, when] of cache.forgotten) if (when <= at - PERSON_CACHE_TTL_MS) cache.forgotten.delete(other);
  cache.forgotten.set(id, at);
}

/**
 * The person an authentication is for: the snapshot it carries (read live at
 * sign-in) while younger than PERSON_CACHE_TTL_MS and while this isolate has not
 * changed that person since, otherwise as findCachedPerson finds them.
 */
export async function findAuthenticatedPerson(db: Database, authentication: Authentication, now: number): Promise<Person | null> {
  const snapshot = authentication.person;
  const forgotten = caches.get(db)?.forgotten.get(authentication.personId);
  const fresh =
    snapshot !== undefined &&
    snapshot.value.id === authentication.personId &&
    now - snapshot.readAt < PERSON_CACHE_TTL_MS &&
    (forgotten === undefined || forgotten <= Date.now() - PERSON_CACHE_TTL_MS);
  return fresh ? snapshot.value : findCachedPerson(db, authentication.personId, now);
}
