// The RecordStore port over RecordObject: one object per (purpose, key), placed near UK users.
import type { RecordStore } from '../src/state/record-store.ts';
import { LOCATION_HINT } from './env.ts';
import type { RecordObject } from './record-object.ts';

export function createRecordStore(ns: DurableObjectNamespace<RecordObject>, purpose: string): RecordStore {
  const object = (key: string) => ns.get(ns.idFromName(`${purpose}:${key}`), { locationHint: LOCATION_HINT });
  return {
    read: (key) => object(key).read(),
    compareAndSet: (key, expectedVersion, value, expiresAt) => object(key).compareAndSet(expectedVersion, value, expiresAt),
  };
}
