// The GrantStore port over session objects (../session/session-objects.ts): a
// grant lives in the object of the session that made it, so a sign-in creates
// one object, not two. Codes and refresh tokens are handles of that object;
// their secrets are hashed here, in the Worker, so the object only sees hashes.
import type { Config } from '../config.ts';
import { sha256 } from '../secrets.ts';
import { newHandle, parseHandle } from '../session/handle.ts';
import type { SessionObjects } from '../session/session-objects.ts';
import { OBJECT_ID } from '../session/session-objects.ts';
import { parseGrantId } from './grant-handle.ts';
import type { GrantResult } from './grant-rules.ts';
import type { GrantOutcome, GrantStore } from './grant-store.ts';

export interface GrantStoreOptions {
  /** Milliseconds since the epoch; tests may move it. */
  now?: () => number;
}

const unknown: GrantOutcome = { ok: false, refusal: 'unknown', grantId: null, personId: null };

function refused(result: Extract<GrantResult, { ok: false }>): GrantOutcome {
  return { ok: false, refusal: result.refusal, grantId: result.grantId, personId: result.personId };
}

export function grantStoreOn(objects: SessionObjects, config: Config, options: GrantStoreOptions = {}): GrantStore {
  const now = options.now ?? (() => Date.now());
  const accessTokenTtlMs = config.ttl.accessToken * 1000;

  return {
    async issueCode(input) {
      if (!OBJECT_ID.test(input.sessionId)) return null;
      const { handle, secret } = newHandle(input.sessionId);
      const issued = await objects.apply(
        input.sessionId,
        { kind: 'issueCode', input, codeHash: await sha256(secret), codeTtlMs: config.ttl.code * 1000, sessionMaxAgeMs: config.ttl.sessionMaxAge * 1000 },
        now(),
      );
      return issued ? { grantId: issued.grantId, code: handle } : null;
    },

    async issueDeviceGrant(input, deviceCodeHash, codeExpiresAt) {
      if (!OBJECT_ID.test(input.sessionId)) return null;
      const at = now();
      if (codeExpiresAt <= at) return null;
      return objects.apply(
        input.sessionId,
        { kind: 'issueCode', input, codeHash: deviceCodeHash, codeTtlMs: codeExpiresAt - at, sessionMaxAgeMs: config.ttl.sessionMaxAge * 1000 },
        at,
      );
    },

    async redeemDeviceCode(request) {
      const id = parseGrantId(request.grantId);
      if (!id) return unknown;
      const refresh = request.issueRefreshToken ? newHandle(id.objectId) : null;
      const result = await objects.apply(
        id.objectId,
        {
          kind: 'redeemDeviceCode',
          grantNumber: id.grantNumber,
          codeHash: request.deviceCodeHash,
          clientId: request.clientId,
          accessTokenTtlMs,
          refresh: refresh ? { hash: await sha256(refresh.secret), ttlMs: config.ttl.refreshToken * 1000 } : null,
        },
        now(),
      );
      if (!result.ok) return refused(result);
      const issued = result.refreshExpiresAt !== null && refresh !== null;
      return { ok: true, grant: result.grant, refreshToken: issued ? refresh.handle : null, refreshExpiresAt: issued ? result.refreshExpiresAt : null };
    },

    async revoke(grantId, reason) {
      const id = parseGrantId(grantId);
      return id ? objects.apply(id.objectId, { kind: 'revokeGrant', grantNumber: id.grantNumber, reason }, now()) : false;
    },

    async revokePersonGrants(sessionId, personId, reason) {
      return OBJECT_ID.test(sessionId) ? objects.apply(sessionId, { kind: 'revokePersonGrants', personId, reason }, now()) : 0;
    },

    async redeemCode(request) {
      const handle = parseHandle(request.code);
      if (!handle) return unknown;
      const refresh = request.issueRefreshToken ? newHandle(handle.objectId) : null;
      const result = await objects.apply(
        handle.objectId,
        {
          kind: 'redeemCode',
          codeHash: await sha256(handle.secret),
          clientId: request.clientId,
          redirectUri: request.redirectUri,
          verifierChallenge: request.verifierChallenge,
          accessTokenTtlMs,
          refresh: refresh ? { hash: await sha256(refresh.secret), ttlMs: config.ttl.refreshToken * 1000 } : null,
          dpopJkt: request.dpopJkt ?? null,
          bindRefreshToken: request.bindRefreshToken ?? false,
        },
        now(),
      );
      if (!result.ok) return refused(result);
      const issued = result.refreshExpiresAt !== null && refresh !== null;
      return { ok: true, grant: result.grant, refreshToken: issued ? refresh.handle : null, refreshExpiresAt: issued ? result.refreshExpiresAt : null };
    },

    async rotateRefreshToken(request) {
      const handle = parseHandle(request.refreshToken);
      if (!handle) return unknown;
      const next = newHandle(handle.objectId);
      const result = await objects.apply(
        handle.objectId,
        {
          kind: 'rotateRefresh',
          refreshHash: await sha256(handle.secret),
          newRefreshHash: await sha256(next.secret),
          clientId: request.clientId,
          requestedScope: request.scope,
          accessTokenTtlMs,
          refreshTtlMs: config.ttl.refreshToken * 1000,
          dpopJkt: request.dpopJkt ?? null,
        },
        now(),
      );
      if (!result.ok) return refused(result);
      return { ok: true, grant: result.grant, refreshToken: next.handle, refreshExpiresAt: result.refreshExpiresAt };
    },

    async findGrant(grantId) {
      const id = parseGrantId(grantId);
      return id ? objects.apply(id.objectId, { kind: 'findGrant', grantNumber: id.grantNumber }, now()) : null;
    },

    async findByRefreshToken(refreshToken) {
      const handle = parseHandle(refreshToken);
      if (!handle) return null;
      return objects.apply(handle.objectId, { kind: 'findByRefresh', refreshHash: await sha256(handle.secret) }, now());
    },

    async revokeRefreshToken(refreshToken, clientId) {
      const handle = parseHandle(refreshToken);
      if (!handle) return { outcome: 'unknown', grantId: null };
      return objects.apply(handle.objectId, { kind: 'revokeRefresh', refreshHash: await sha256(handle.secret), clientId }, now());
    },
  };
}
