// The KeyStore port over the keys object. Signing keys are decrypted and
// imported here, in the Worker isolate, and cached briefly so that signing a
// token costs no Durable Object round trip.
import type { JSONWebKeySet } from 'jose';
import type { Config } from '../src/config.ts';
import { decryptPrivateJwk } from '../src/keys/key-encryption.ts';
import { importSigningKey, isSigningAlg } from '../src/keys/key-generation.ts';
import type { KeyRotation, KeyStore, SigningAlg, SigningKey } from '../src/ports.ts';
import { LOCATION_HINT } from './env.ts';
import type { KeysObject } from './keys-object.ts';

export const KEYS_OBJECT_NAME = 'keys';

/**
 * How long an isolate trusts what it read. After a rotation in another isolate
 * this one signs with the old key for at most this long; that key is retired by
 * then but still published, so its tokens verify.
 */
export const KEY_CACHE_TTL_MS = 60_000;

export interface KeyStoreOptions {
  cacheTtlMs?: number;
  now?: () => number;
}

export function keysObject(ns: DurableObjectNamespace<KeysObject>): DurableObjectStub<KeysObject> {
  return ns.get(ns.idFromName(KEYS_OBJECT_NAME), { locationHint: LOCATION_HINT });
}

/**
 * Caches promises, not values, so concurrent callers share one load; a failed
 * load is forgotten at once so the next caller tries again.
 */
class LoadCache<K, V> {
  private entries = new Map<K, { expires: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.value;
    const entry = { expires: this.now() + this.ttlMs, value: load() };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }

  clear(): void {
    this.entries.clear();
  }
}

export function createKeyStore(
  ns: DurableObjectNamespace<KeysObject>,
  config: Config,
  options: KeyStoreOptions = {},
): KeyStore {
  const ttl = options.cacheTtlMs ?? KEY_CACHE_TTL_MS;
  const now = options.now ?? (() => Date.now());
  const jwksCache = new LoadCache<'jwks', JSONWebKeySet>(ttl, now);
  const signingKeys = new LoadCache<SigningAlg, SigningKey>(ttl, now);

  async function loadSigningKey(alg: SigningAlg): Promise<SigningKey> {
    const sealed = await keysObject(ns).currentKey(alg);
    const privateJwk = await decryptPrivateJwk(config.keyEncryptionSecret, sealed.kid, sealed.encryptedPrivateJwk);
    return { kid: sealed.kid, alg: sealed.alg, privateKey: await importSigningKey(sealed.alg, privateJwk) };
  }

  async function loadJwks(): Promise<JSONWebKeySet> {
    const published = await keysObject(ns).publicKeys();
    // RFC 7517 §4.2, §4.4, §4.5: each key says what it is for, with which algorithm, under which id.
    return { keys: published.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' })) };
  }

  return {
    jwks: () => jwksCache.get('jwks', loadJwks),
    signingKey(alg) {
      if (!isSigningAlg(alg)) return Promise.reject(new TypeError(`unsupported signing algorithm ${String(alg)}`));
      return signingKeys.get(alg, () => loadSigningKey(alg));
    },
    async rotate(): Promise<KeyRotation[]> {
      const rotations = await keysObject(ns).rotate(config.ttl.retiredKey);
      // Also drops loads that were in flight during the rotation.
      jwksCache.clear();
      signingKeys.clear();
      return rotations;
    },
  };
}
