// One Durable Object per grant: its authorization code (spent once), its
// refresh token family (rotated on every use, a spent one revokes the family)
// and the revocation state its access tokens are checked against. Only SHA-256
// hashes of secrets arrive here. Every operation checks and updates storage
// synchronously, with no await in between, so concurrent requests are ordered.
import { DurableObject } from 'cloudflare:workers';
import type { Grant, GrantRefusal, RefreshTokenRevocation } from '../src/oauth/grant-store.ts';
import type { GrantInput } from '../src/ports.ts';
import { timingSafeEqual } from '../src/secrets.ts';
import type { Env } from './env.ts';
import { GRANT_SCHEMA, toGrant, type CreateGrant, type GrantResult, type GrantRow, type RedeemCode, type RotateRefresh } from './grant-state.ts';

export type { GrantResult } from './grant-state.ts';

export class GrantObject extends DurableObject<Env> {
  private schemaReady = false;

  async create(init: CreateGrant): Promise<{ expiresAt: number }> {
    this.ensureSchema();
    if (this.row()) throw new Error('grant already exists');
    const { expiresAt } = init;
    const codeExpiresAt = Math.min(init.now + init.codeTtlMs, expiresAt);
    this.ctx.storage.sql.exec(
      `INSERT INTO grant_state (singleton, input, created_at, expires_at, code_hash, code_expires_at, live_until)
       VALUES (1, ?, ?, ?, ?, ?, ?)`,
      JSON.stringify(init.input),
      init.now,
      expiresAt,
      init.codeHash,
      codeExpiresAt,
      codeExpiresAt,
    );
    await this.ctx.storage.setAlarm(codeExpiresAt);
    return { expiresAt };
  }

  async redeemCode(req: RedeemCode): Promise<GrantResult> {
    const row = this.row();
    if (!row || !timingSafeEqual(row.code_hash, req.codeHash)) return this.refuse(null, 'unknown');
    const input = JSON.parse(row.input) as GrantInput;
    if (row.revoked_at !== null) return this.refuse(input, 'revoked');
    if (row.code_spent_at !== null) {
      // RFC 6749 §4.1.2: a second use of a code revokes what the first issued.
      this.markRevoked('code_reuse', req.now);
      return this.refuse(input, 'reused');
    }
    if (row.code_expires_at <= req.now) return this.refuse(input, 'expired');
    // RFC 6749 §4.1.3: issued to this client, for this redirect_uri; RFC 7636 §4.6: the verifier.
    if (input.clientId !== req.clientId) return this.refuse(input, 'client_mismatch');
    if (input.redirectUri !== req.redirectUri) return this.refuse(input, 'redirect_uri_mismatch');
    if (!timingSafeEqual(input.codeChallenge, req.verifierChallenge)) return this.refuse(input, 'pkce_mismatch');
    const refreshExpiresAt = req.refresh ? Math.min(req.now + req.refresh.ttlMs, row.expires_at) : null;
    const issueRefresh = req.refresh !== null && refreshExpiresAt! > req.now;
    const liveUntil = this.liveUntil(row, req.now + req.accessTokenTtlMs, issueRefresh ? refreshExpiresAt : null);
    this.ctx.storage.sql.exec(
      `UPDATE grant_state SET code_spent_at = ?, refresh_hash = ?, refresh_expires_at = ?, live_until = ?`,
      req.now,
      issueRefresh ? req.refresh!.hash : null,
      issueRefresh ? refreshExpiresAt : null,
      liveUntil,
    );
    // Awaited only after the check and update above, which ran without yielding.
    await this.ctx.storage.setAlarm(liveUntil);
    return { ok: true, grant: toGrant(this.grantId, row, input), refreshExpiresAt: issueRefresh ? refreshExpiresAt : null };
  }

  async rotateRefresh(req: RotateRefresh): Promise<GrantResult> {
    const row = this.row();
    if (!row) return this.refuse(null, 'unknown');
    const input = JSON.parse(row.input) as GrantInput;
    const current = row.refresh_hash !== null && timingSafeEqual(row.refresh_hash, req.refreshHash);
    if (!current) {
      if (!this.wasSpent(req.refreshHash)) return this.refuse(null, 'unknown');
      // Only the replay that revokes the family is 'reused' (and audited once); later ones find it revoked.
      if (row.revoked_at !== null) return this.refuse(input, 'revoked');
      // RFC 9700 §4.14.2: a spent refresh token was replayed; revoke the whole family.
      this.markRevoked('refresh_token_reuse', req.now);
      return this.refuse(input, 'reused');
    }
    if (row.revoked_at !== null) return this.refuse(input, 'revoked');
    if (row.refresh_expires_at! <= req.now) return this.refuse(input, 'expired');
    if (input.clientId !== req.clientId) return this.refuse(input, 'client_mismatch');
    // RFC 6749 §6: a narrower scope may be asked for, never a wider one.
    if (req.requestedScope && !req.requestedScope.every((s) => input.scope.includes(s))) {
      return this.refuse(input, 'scope_exceeded');
    }
    // RFC 9700 §4.14.2: sliding lifetime, never past the grant's absolute end.
    const refreshExpiresAt = Math.min(req.now + req.refreshTtlMs, row.expires_at);
    const liveUntil = this.liveUntil(row, req.now + req.accessTokenTtlMs, refreshExpiresAt);
    this.ctx.storage.transactionSync(() => {
      this.ctx.storage.sql.exec(`INSERT OR IGNORE INTO spent_refresh_tokens (hash, spent_at) VALUES (?, ?)`, row.refresh_hash, req.now);
      this.ctx.storage.sql.exec(
        `UPDATE grant_state SET refresh_hash = ?, refresh_expires_at = ?, live_until = ?`,
        req.newRefreshHash,
        refreshExpiresAt,
        liveUntil,
      );
    });
    // Awaited only after the check and update above, which ran without yielding.
    await this.ctx.storage.setAlarm(liveUntil);
    return { ok: true, grant: toGrant(this.grantId, row, input), refreshExpiresAt };
  }

  /** The grant while it is live: not revoked and within its absolute lifetime. */
  status(now: number): Grant | null {
    const row = this.row();
    if (!row || row.revoked_at !== null || row.code_spent_at === null || row.expires_at <= now) return null;
    return toGrant(this.grantId, row, JSON.parse(row.input) as GrantInput);
  }

  refreshStatus(refreshHash: string, now: number): { grant: Grant; refreshExpiresAt: number } | null {
    const row = this.row();
    if (!row || row.revoked_at !== null || row.refresh_hash === null) return null;
    if (!timingSafeEqual(row.refresh_hash, refreshHash) || row.refresh_expires_at! <= now) return null;
    return { grant: toGrant(this.grantId, row, JSON.parse(row.input) as GrantInput), refreshExpiresAt: row.refresh_expires_at! };
  }

  /** False when there is no such grant. */
  revoke(reason: string, now: number): boolean {
    const row = this.row();
    if (!row) return false;
    if (row.revoked_at === null) this.markRevoked(reason, now);
    return true;
  }

  /** RFC 7009 §2.1: only the current refresh token, presented by the client it was issued to. */
  revokeRefresh(refreshHash: string, clientId: string, now: number): RefreshTokenRevocation {
    const row = this.row();
    if (!row || row.revoked_at !== null || row.refresh_hash === null) return 'unknown';
    if (!timingSafeEqual(row.refresh_hash, refreshHash) || row.refresh_expires_at! <= now) return 'unknown';
    if ((JSON.parse(row.input) as GrantInput).clientId !== clientId) return 'other_client';
    this.markRevoked('revocation', now);
    return 'revoked';
  }

  /** Everything goes once no token issued under the grant can still be live. */
  override async alarm(): Promise<void> {
    const row = this.row();
    if (row && row.live_until > Date.now()) {
      await this.ctx.storage.setAlarm(row.live_until);
      return;
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.schemaReady = false;
  }

  private get grantId(): string {
    return this.ctx.id.toString();
  }

  private liveUntil(row: GrantRow, accessTokenExpiresAt: number, refreshExpiresAt: number | null): number {
    return Math.max(row.live_until, Math.min(accessTokenExpiresAt, row.expires_at), refreshExpiresAt ?? 0);
  }

  private markRevoked(reason: string, now: number): void {
    this.ctx.storage.sql.exec(`UPDATE grant_state SET revoked_at = ?, revoked_reason = ?`, now, reason);
  }

  private wasSpent(hash: string): boolean {
    return this.ctx.storage.sql.exec(`SELECT 1 FROM spent_refresh_tokens WHERE hash = ?`, hash).toArray().length > 0;
  }

  private refuse(input: GrantInput | null, refusal: GrantRefusal): GrantResult {
    return { ok: false, refusal, personId: input?.personId ?? null };
  }

  private ensureSchema(): void {
    if (this.schemaReady) return;
    for (const statement of GRANT_SCHEMA) this.ctx.storage.sql.exec(statement);
    this.schemaReady = true;
  }

  // Reads never create tables: a lookup of an unknown or expired grant writes nothing.
  private row(): GrantRow | null {
    if (!this.schemaReady) {
      const exists = this.ctx.storage.sql
        .exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grant_state'`)
        .toArray().length;
      if (!exists) return null;
      this.schemaReady = true;
    }
    return this.ctx.storage.sql.exec<GrantRow>(`SELECT * FROM grant_state`).toArray()[0] ?? null;
  }
}
