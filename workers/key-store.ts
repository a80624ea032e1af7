// The KeyStore port over the keys object: the object keeps the sealed keys,
// src/keys/sealed-keys.ts decrypts and caches them in the isolate.
import type { Config } from '../src/config.ts';
import { createCachedKeyStore, type KeyStoreOptions } from '../src/keys/sealed-keys.ts';
import type { KeyStore } from '../src/ports.ts';
import { LOCATION_HINT } from './env.ts';
import type { KeysObject } from './keys-object.ts';

export { KEY_CACHE_TTL_MS } from '../src/keys/sealed-keys.ts';

export const KEYS_OBJECT_NAME = 'keys';

export function keysObject(ns: DurableObjectNamespace<KeysObject>): DurableObjectStub<KeysObject> {
  return ns.get(ns.idFromName(KEYS_OBJECT_NAME), { locationHint: LOCATION_HINT });
}

export function createKeyStore(ns: DurableObjectNamespace<KeysObject>, config: Config, options: KeyStoreOptions = {}): KeyStore {
  // A stub belongs to the request that made it: workerd refuses its use from another.
  return createCachedKeyStore(
    {
      publicKeys: () => keysObject(ns).publicKeys(),
      currentKey: (alg) => keysObject(ns).currentKey(alg),
      rotate: (ttl) => keysObject(ns).rotate(ttl),
    },
    config,
    options,
  );
}
