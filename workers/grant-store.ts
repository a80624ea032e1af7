// The GrantStore port over GrantObject: one Durable Object per grant, reached by
// the id every handle carries. Secrets are hashed here, in the Worker, so the
// object only ever sees SHA-256 hashes.
import type { Config } from '../src/config.ts';
import { indexPersonObject } from '../src/directory/person-index.ts';
import { newGrantHandle, parseGrantHandle } from '../src/oauth/grant-handle.ts';
import type { Grant, GrantOutcome, GrantStore } from '../src/oauth/grant-store.ts';
import type { Database } from '../src/ports.ts';
import { randomToken, sha256 } from '../src/secrets.ts';
import { LOCATION_HINT } from './env.ts';
import type { GrantObject, GrantResult } from './grant-object.ts';

export interface GrantStoreOptions {
  db: Database;
  /** Milliseconds since the epoch; tests may move it. */
  now?: () => number;
}

export function createGrantStore(ns: DurableObjectNamespace<GrantObject>, config: Config, options: GrantStoreOptions): GrantStore {
  const now = options.now ?? (() => Date.now());
  const accessTokenTtlMs = config.ttl.accessToken * 1000;

  /** The grant's object, or null when the id is not one this namespace made. */
  function grantObject(grantId: string): DurableObjectStub<GrantObject> | null {
    let id: DurableObjectId;
    try {
      id = ns.idFromString(grantId);
    } catch {
      return null;
    }
    return ns.get(id, { locationHint: LOCATION_HINT });
  }

  function refused(result: Extract<GrantResult, { ok: false }>, grantId: string | null): GrantOutcome {
    return { ok: false, refusal: result.refusal, grantId, personId: result.personId };
  }

  const unknown: GrantOutcome = { ok: false, refusal: 'unknown', grantId: null, personId: null };

  return {
    async issueCode(input) {
      // A name of 256 random bits, not newUniqueId(): as unguessable, and in
      // workerd's profile newUniqueId was a tenth of a sign-in's CPU (issue 5).
      const id = ns.idFromName(randomToken());
      const grantId = id.toString();
      const { handle, secret } = newGrantHandle(grantId);
      const at = now();
      // Within SESSION_MAX_AGE of the authentication, and never past the session's own
      // end, which a later step-up or prompt=login does not move.
      const expiresAt = Math.min(input.authentication.authTime * 1000 + config.ttl.sessionMaxAge * 1000, input.sessionExpiresAt ?? Infinity);
      // Indexed first, so deactivating the person finds every grant that exists (CONTRACT §4).
      await indexPersonObject(options.db, { personId: input.personId, kind: 'grant', objectId: grantId, now: at, expiresAt });
      await ns.get(id, { locationHint: LOCATION_HINT }).create({
        input,
        codeHash: await sha256(secret),
        now: at,
        codeTtlMs: config.ttl.code * 1000,
        expiresAt,
      });
      return { grantId, code: handle };
    },

    async revoke(grantId, reason) {
      const stub = grantObject(grantId);
      return stub ? stub.revoke(reason, now()) : false;
    },

    async redeemCode(request) {
      const handle = parseGrantHandle(request.code);
      const stub = handle && grantObject(handle.grantId);
      if (!handle || !stub) return unknown;
      const refresh = request.issueRefreshToken ? newGrantHandle(handle.grantId) : null;
      const result = await stub.redeemCode({
        codeHash: await sha256(handle.secret),
        clientId: request.clientId,
        redirectUri: request.redirectUri,
        verifierChallenge: request.verifierChallenge,
        now: now(),
        accessTokenTtlMs,
        refresh: refresh ? { hash: await sha256(refresh.secret), ttlMs: config.ttl.refreshToken * 1000 } : null,
      });
      if (!result.ok) return refused(result, handle.grantId);
      const issued = result.refreshExpiresAt !== null && refresh !== null;
      return {
        ok: true,
        grant: result.grant,
        refreshToken: issued ? refresh.handle : null,
        refreshExpiresAt: issued ? result.refreshExpiresAt : null,
      };
    },

    async rotateRefreshToken(request) {
      const handle = parseGrantHandle(request.refreshToken);
      const stub = handle && grantObject(handle.grantId);
      if (!handle || !stub) return unknown;
      const next = newGrantHandle(handle.grantId);
      const result = await stub.rotateRefresh({
        refreshHash: await sha256(handle.secret),
        newRefreshHash: await sha256(next.secret),
        clientId: request.clientId,
        requestedScope: request.scope,
        now: now(),
        accessTokenTtlMs,
        refreshTtlMs: config.ttl.refreshToken * 1000,
      });
      if (!result.ok) return refused(result, handle.grantId);
      return { ok: true, grant: result.grant, refreshToken: next.handle, refreshExpiresAt: result.refreshExpiresAt };
    },

    async findGrant(grantId): Promise<Grant | null> {
      const stub = grantObject(grantId);
      return stub ? stub.status(now()) : null;
    },

    async findByRefreshToken(refreshToken) {
      const handle = parseGrantHandle(refreshToken);
      const stub = handle && grantObject(handle.grantId);
      if (!handle || !stub) return null;
      return stub.refreshStatus(await sha256(handle.secret), now());
    },

    async revokeRefreshToken(refreshToken, clientId) {
      const handle = parseGrantHandle(refreshToken);
      const stub = handle && grantObject(handle.grantId);
      if (!handle || !stub) return 'unknown';
      return stub.revokeRefresh(await sha256(handle.secret), clientId, now());
    },
  };
}
