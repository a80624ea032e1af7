// Where sealed signing keys are kept (a Durable Object on Workers, libSQL on
// Deno), and the KeyStore the core uses over either: keys are decrypted and
// imported in the isolate and cached briefly, so signing costs no round trip.
import type { JSONWebKeySet, JWK } from 'jose';
import type { Config } from '../config.ts';
import type { KeyRotation, KeyStore, SigningAlg, SigningKey } from '../ports.ts';
import { decryptPrivateJwk } from './key-encryption.ts';
import { importSigningKey, isSigningAlg } from './key-generation.ts';

export type KeyState = 'next' | 'current' | 'retired';

/** A key as the JWKS publishes it, before kid/alg/use are added. */
export interface PublishedKey {
  kid: string;
  alg: SigningAlg;
  state: KeyState;
  publicJwk: JWK;
}

export interface SealedSigningKey {
  kid: string;
  alg: SigningAlg;
  publicJwk: JWK;
  /** AES-256-GCM under KEY_ENCRYPTION_SECRET; see key-encryption.ts. */
  encryptedPrivateJwk: string;
}

/** The one place keys are created, rotated (next → current → retired) and retired keys dropped. */
export interface SealedKeySource {
  /** Every algorithm's next and current key, and retired keys still inside their TTL. */
  publicKeys(): Promise<PublishedKey[]>;
  /** The algorithm's signing key; an algorithm first asked for gets its keys now. */
  currentKey(alg: SigningAlg): Promise<SealedSigningKey>;
  rotate(retiredTtlSeconds: number): Promise<KeyRotation[]>;
}

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

export function createCachedKeyStore(source: SealedKeySource, config: Config, options: KeyStoreOptions = {}): KeyStore {
  const ttl = options.cacheTtlMs ?? KEY_CACHE_TTL_MS;
  const now = options.now ?? (() => Date.now());
  const jwksCache = new LoadCache<'jwks', JSONWebKeySet>(ttl, now);
  const signingKeys = new LoadCache<SigningAlg, SigningKey>(ttl, now);

  async function loadSigningKey(alg: SigningAlg): Promise<SigningKey> {
    const sealed = await source.currentKey(alg);
    const privateJwk = await decryptPrivateJwk(config.keyEncryptionSecret, sealed.kid, sealed.encryptedPrivateJwk);
    return { kid: sealed.kid, alg: sealed.alg, privateKey: await importSigningKey(sealed.alg, privateJwk) };
  }

  async function loadJwks(): Promise<JSONWebKeySet> {
    const published = await source.publicKeys();
    // RFC 7517 §4.2, §4.4, §4.5: each key says what it is for, with which algorithm, under which id.
    return { keys: published.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig' })) };
  }

  return {
    jwks: () => jwksCache.get('jwks', loadJwks),
    signingKey(alg) {
      if (!isSigningAlg(alg)) return Promise.reject(new TypeError(`unsupported signing algorithm ${String(alg)}`));
      return signingKeys.get(alg, () => loadSigningKey(alg));
    },
    async publishedKeys() {
      return (await source.publicKeys()).map(({ kid, alg, state }) => ({ kid, alg, state }));
    },
    async rotate(): Promise<KeyRotation[]> {
      const rotations = await source.rotate(config.ttl.retiredKey);
      // Also drops loads that were in flight during the rotation.
      jwksCache.clear();
      signingKeys.clear();
      return rotations;
    },
  };
}
