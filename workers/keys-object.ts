// The keys object: the one place signing keys are created, rotated and retired.
// Per algorithm it holds a `next` key (published, not yet signing), a `current`
// key (signing) and `retired` keys (published until every token they signed has
// expired). Private keys are stored and handed out only encrypted.
import { DurableObject } from 'cloudflare:workers';
import type { JWK } from 'jose';
import { readConfig } from '../src/config.ts';
import { encryptPrivateJwk } from '../src/keys/key-encryption.ts';
import { generateSigningKey, isSigningAlg, SIGNING_ALGS } from '../src/keys/key-generation.ts';
import type { KeyRotation, SigningAlg } from '../src/ports.ts';
import type { KeyState, PublishedKey, SealedSigningKey } from '../src/keys/sealed-keys.ts';
import type { Env } from './env.ts';
import { migrateSchema, type SchemaStep } from './sql-schema.ts';

type KeyRow = {
  kid: string;
  alg: string;
  state: string;
  public_jwk: string;
  encrypted_private_jwk: string;
  created_at: number;
  retire_until: number | null;
};

const SCHEMA: readonly SchemaStep[] = [[
  // IF NOT EXISTS: the keys object made before the schema was versioned already holds it.
  `CREATE TABLE IF NOT EXISTS signing_keys (
     kid TEXT PRIMARY KEY,
     alg TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('next', 'current', 'retired')),
     public_jwk TEXT NOT NULL,
     encrypted_private_jwk TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     retire_until INTEGER
   )`,
  // At most one next and one current key per algorithm.
  `CREATE UNIQUE INDEX IF NOT EXISTS signing_keys_live ON signing_keys (alg, state) WHERE state <> 'retired'`,
]];

const ALG_ORDER = `CASE alg ${SIGNING_ALGS.map((a, i) => `WHEN '${a}' THEN ${i}`).join(' ')} END`;
const STATE_ORDER = `CASE state WHEN 'current' THEN 0 WHEN 'next' THEN 1 ELSE 2 END`;

export class KeysObject extends DurableObject<Env> {
  private secret: string | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      migrateSchema(ctx.storage, SCHEMA);
    });
  }

  /** Every algorithm's next and current key, and retired keys still inside their TTL. */
  async publicKeys(): Promise<PublishedKey[]> {
    await this.ensureKeys(SIGNING_ALGS);
    return this.ctx.storage.sql
      .exec<KeyRow>(
        `SELECT * FROM signing_keys WHERE state <> 'retired' OR retire_until > ? ORDER BY ${ALG_ORDER}, ${STATE_ORDER}, created_at DESC`,
        Date.now(),
      )
      .toArray()
      .map((row) => ({
        kid: row.kid,
        alg: row.alg as SigningAlg,
        state: row.state as KeyState,
        publicJwk: JSON.parse(row.public_jwk) as JWK,
      }));
  }

  /** The algorithm's signing key; an algorithm first asked for gets its keys now. */
  async currentKey(alg: SigningAlg): Promise<SealedSigningKey> {
    if (!isSigningAlg(alg)) throw new TypeError(`unsupported signing algorithm ${String(alg)}`);
    await this.ensureKeys(SIGNING_ALGS);
    const row = this.liveKey(alg, 'current');
    if (!row) throw new Error(`no current ${alg} key`);
    return {
      kid: row.kid,
      alg,
      publicJwk: JSON.parse(row.public_jwk) as JWK,
      encryptedPrivateJwk: row.encrypted_private_jwk,
    };
  }

  /** For every algorithm in use: current → retired, next → current, a new next. */
  async rotate(retiredTtlSeconds: number): Promise<KeyRotation[]> {
    if (!Number.isInteger(retiredTtlSeconds) || retiredTtlSeconds <= 0) {
      throw new TypeError('retiredTtlSeconds must be a positive integer');
    }
    // Nothing may read a half-rotated set, nor may two rotations interleave.
    return this.ctx.blockConcurrencyWhile(async () => {
      const algs = SIGNING_ALGS;
      await this.createMissing(algs);
      const fresh = await Promise.all(algs.map((alg) => this.sealNewKey(alg)));
      const now = Date.now();
      const rotations = this.ctx.storage.transactionSync(() =>
        fresh.map((next) => {
          const current = this.liveKey(next.alg, 'current')!;
          const previousNext = this.liveKey(next.alg, 'next')!;
          this.ctx.storage.sql.exec(
            `UPDATE signing_keys SET state = 'retired', retire_until = ? WHERE kid = ?`,
            now + retiredTtlSeconds * 1000,
            current.kid,
          );
          this.ctx.storage.sql.exec(`UPDATE signing_keys SET state = 'current' WHERE kid = ?`, previousNext.kid);
          this.insert(next, 'next', now);
          return { alg: next.alg, retiredKid: current.kid, currentKid: previousNext.kid, nextKid: next.kid };
        }),
      );
      await this.scheduleCleanup();
      return rotations;
    });
  }

  /** Deletes retired keys whose TTL has passed, then waits for the next one. */
  override async alarm(): Promise<void> {
    this.ctx.storage.sql.exec(`DELETE FROM signing_keys WHERE state = 'retired' AND retire_until <= ?`, Date.now());
    await this.scheduleCleanup();
  }

  private async scheduleCleanup(): Promise<void> {
    const [soonest] = this.ctx.storage.sql
      .exec<{ at: number | null }>(`SELECT MIN(retire_until) AS at FROM signing_keys WHERE state = 'retired'`)
      .toArray();
    if (soonest?.at != null) await this.ctx.storage.setAlarm(soonest.at);
    else await this.ctx.storage.deleteAlarm();
  }

  private liveKey(alg: SigningAlg, state: 'next' | 'current'): KeyRow | undefined {
    return this.ctx.storage.sql
      .exec<KeyRow>(`SELECT * FROM signing_keys WHERE alg = ? AND state = ?`, alg, state)
      .toArray()[0];
  }

  private missing(algs: readonly SigningAlg[]): boolean {
    return algs.some((alg) => !this.liveKey(alg, 'current') || !this.liveKey(alg, 'next'));
  }

  // The fast path reads without blocking; creating keys blocks other requests so
  // that two first uses of an algorithm do not both create its keys.
  private async ensureKeys(algs: readonly SigningAlg[]): Promise<void> {
    if (!this.missing(algs)) return;
    await this.ctx.blockConcurrencyWhile(() => this.createMissing(algs));
  }

  private async createMissing(algs: readonly SigningAlg[]): Promise<void> {
    for (const alg of algs) {
      // The first current key of an algorithm cannot have been published before;
      // every later one has been, as a next key, since the previous rotation.
      for (const state of ['current', 'next'] as const) {
        if (this.liveKey(alg, state)) continue;
        this.insert(await this.sealNewKey(alg), state, Date.now());
      }
    }
  }

  private async sealNewKey(alg: SigningAlg): Promise<SealedSigningKey> {
    const key = await generateSigningKey(alg);
    this.secret ??= readConfig(this.env).keyEncryptionSecret;
    const encryptedPrivateJwk = await encryptPrivateJwk(this.secret, key.kid, key.privateJwk);
    return { kid: key.kid, alg, publicJwk: key.publicJwk, encryptedPrivateJwk };
  }

  private insert(key: SealedSigningKey, state: KeyState, now: number): void {
    this.ctx.storage.sql.exec(
      `INSERT INTO signing_keys (kid, alg, state, public_jwk, encrypted_private_jwk, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      key.kid,
      key.alg,
      state,
      JSON.stringify(key.publicJwk),
      key.encryptedPrivateJwk,
      now,
    );
  }
}
