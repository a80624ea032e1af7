// Sealed signing keys in libSQL, for runtimes without Durable Objects (Deno).
// The partial unique index on (alg, state) is what keeps one next and one
// current key per algorithm when several instances create or rotate at once:
// the loser's insert is ignored, or its rotation batch fails and is read again.
import { and, asc, eq, lte, ne, or, gt } from 'drizzle-orm';
import type { JWK } from 'jose';
import { signingKeys } from '../../schema/signing-keys.ts';
import type { Database, KeyRotation, SigningAlg } from '../ports.ts';
import { encryptPrivateJwk } from './key-encryption.ts';
import { generateSigningKey, isSigningAlg, SIGNING_ALGS } from './key-generation.ts';
import type { KeyState, PublishedKey, SealedKeySource, SealedSigningKey } from './sealed-keys.ts';

type Row = typeof signingKeys.$inferSelect;

const order = (row: Row) => [SIGNING_ALGS.indexOf(row.alg as SigningAlg), { current: 0, next: 1, retired: 2 }[row.state as KeyState] ?? 3, -row.createdAt];
const byOrder = (a: Row, b: Row) => {
  const [x, y] = [order(a), order(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
};

const sealed = (row: Row): SealedSigningKey => ({
  kid: row.kid,
  alg: row.alg as SigningAlg,
  publicJwk: JSON.parse(row.publicJwk) as JWK,
  encryptedPrivateJwk: row.encryptedPrivateJwk,
});

export function createDirectoryKeySource(db: Database, keyEncryptionSecret: string, now: () => number = Date.now): SealedKeySource {
  async function seal(alg: SigningAlg): Promise<SealedSigningKey> {
    const key = await generateSigningKey(alg);
    return { kid: key.kid, alg, publicJwk: key.publicJwk, encryptedPrivateJwk: await encryptPrivateJwk(keyEncryptionSecret, key.kid, key.privateJwk) };
  }

  const insertion = (key: SealedSigningKey, state: KeyState) =>
    db.insert(signingKeys).values({
      kid: key.kid,
      alg: key.alg,
      state,
      publicJwk: JSON.stringify(key.publicJwk),
      encryptedPrivateJwk: key.encryptedPrivateJwk,
      createdAt: now(),
    });

  const liveRows = () => db.select().from(signingKeys).where(ne(signingKeys.state, 'retired'));

  /** Creates what is missing; a key another instance created first wins, and ours is dropped. */
  async function ensure(algs: readonly SigningAlg[]): Promise<Row[]> {
    let rows = await liveRows();
    const missing = algs.flatMap((alg) =>
      (['current', 'next'] as const).filter((state) => !rows.some((r) => r.alg === alg && r.state === state)).map((state) => ({ alg, state })),
    );
    if (missing.length === 0) return rows;
    const keys = await Promise.all(missing.map(({ alg }) => seal(alg)));
    await db.batch(missing.map(({ state }, i) => insertion(keys[i]!, state).onConflictDoNothing()) as [ReturnType<typeof insertion>]);
    rows = await liveRows();
    return rows;
  }

  return {
    async publicKeys(): Promise<PublishedKey[]> {
      await ensure(SIGNING_ALGS);
      const rows = await db
        .select()
        .from(signingKeys)
        .where(or(ne(signingKeys.state, 'retired'), gt(signingKeys.retireUntil, now())))
        .orderBy(asc(signingKeys.alg));
      return rows.sort(byOrder).map((row) => ({ ...sealed(row), state: row.state as KeyState }));
    },

    async currentKey(alg) {
      if (!isSigningAlg(alg)) throw new TypeError(`unsupported signing algorithm ${String(alg)}`);
      const rows = await ensure(SIGNING_ALGS);
      const row = rows.find((r) => r.alg === alg && r.state === 'current');
      if (!row) throw new Error(`no current ${alg} key`);
      return sealed(row);
    },

    async rotate(retiredTtlSeconds) {
      if (!Number.isInteger(retiredTtlSeconds) || retiredTtlSeconds <= 0) throw new TypeError('retiredTtlSeconds must be a positive integer');
      const rows = await ensure(SIGNING_ALGS);
      const algs = SIGNING_ALGS.filter((alg) => rows.some((r) => r.alg === alg));
      const fresh = await Promise.all(algs.map((alg) => seal(alg)));
      const at = now();
      const rotations: KeyRotation[] = [];
      const statements = fresh.flatMap((next) => {
        const current = rows.find((r) => r.alg === next.alg && r.state === 'current')!;
        const previousNext = rows.find((r) => r.alg === next.alg && r.state === 'next')!;
        rotations.push({ alg: next.alg, retiredKid: current.kid, currentKid: previousNext.kid, nextKid: next.kid });
        return [
          db.update(signingKeys).set({ state: 'retired', retireUntil: at + retiredTtlSeconds * 1000 }).where(and(eq(signingKeys.kid, current.kid), eq(signingKeys.state, 'current'))),
          db.update(signingKeys).set({ state: 'current' }).where(and(eq(signingKeys.kid, previousNext.kid), eq(signingKeys.state, 'next'))),
          // A rotation that raced another fails here (a second next key) and rolls back whole.
          insertion(next, 'next'),
        ];
      });
      // Retired keys whose tokens have all expired are no longer published.
      const prune = db.delete(signingKeys).where(and(eq(signingKeys.state, 'retired'), lte(signingKeys.retireUntil, at)));
      await db.batch([prune, ...statements]);
      return rotations;
    },
  };
}
