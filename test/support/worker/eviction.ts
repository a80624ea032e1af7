// Evicting Durable Objects in workerd tests (docs/security.md, faults): every object's
// instance is torn down (abortAllDurableObjects: storage kept, memory lost) and
// the next call re-creates it from storage, as after an eviction in production.
// A mark set on the live instance before shows that the object met afterwards
// really is a new instance, not the old one still in memory.
import { abortAllDurableObjects, runInDurableObject } from 'cloudflare:test';

const MARK = 'evictionTestMark';

// Any object class: only the instance's identity and its storage are looked at.
interface Namespace {
  get(id: DurableObjectId): unknown;
}

const stub = (ns: Namespace, id: DurableObjectId) => ns.get(id) as DurableObjectStub;

/** Whether the instance now serving `id` carries the mark (set on an instance, never stored). */
function isMarked(ns: Namespace, id: DurableObjectId): Promise<boolean> {
  return runInDurableObject(stub(ns, id), (instance: object) => MARK in instance);
}

/**
 * Evicts every object, and checks that the one behind `id` was in memory
 * before (it kept the mark between two calls) and is a fresh instance after.
 */
export async function evict(ns: Namespace, id: DurableObjectId): Promise<void> {
  await runInDurableObject(stub(ns, id), (instance: object) => {
    (instance as Record<string, unknown>)[MARK] = true;
  });
  if (!(await isMarked(ns, id))) throw new Error('the object was not kept in memory between two calls; the eviction check proves nothing');
  await abortAllDurableObjects();
  if (await isMarked(ns, id)) throw new Error('the object is still the instance from before the eviction');
}

/** The alarm the object behind `id` has set, read from its storage. */
export function alarmOf(ns: Namespace, id: DurableObjectId): Promise<number | null> {
  return runInDurableObject(stub(ns, id), (_: object, state: DurableObjectState) => state.storage.getAlarm());
}
