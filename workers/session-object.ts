// The session object: one per browser session (ARCHITECTURE.md). Every call but
// init and end presents the SHA-256 of the cookie secret, so a handle that was
// rotated away or guessed reaches nothing. The alarm deletes it all at expiry.
import { DurableObject } from 'cloudflare:workers';
import type { AuthorizationRequest } from '../src/oauth/authorization-request.ts';
import type { Authentication } from '../src/ports.ts';
import { timingSafeEqual } from '../src/secrets.ts';
import {
  CHALLENGE_TTL_MS,
  INTERACTION_TTL_MS,
  MAX_PENDING_INTERACTIONS,
  UNAUTHENTICATED_SESSION_TTL_MS,
  type EndedSession,
  type PendingInteraction,
  type Session,
} from '../src/session/session-store.ts';
import type { Env } from './env.ts';

type SessionRow = {
  secret_hash: string;
  created_at: number;
  expires_at: number;
  authentication: string | null;
  selected_role_id: string | null;
  csrf_token: string;
  challenge: string | null;
  challenge_expires_at: number | null;
  current_interaction: string | null;
};

type InteractionRow = {
  id: string;
  request: string;
  created_at: number;
  expires_at: number;
  authenticated_at: number | null;
  role_chosen: number;
};

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS session (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     secret_hash TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     authentication TEXT,
     selected_role_id TEXT,
     csrf_token TEXT NOT NULL,
     challenge TEXT,
     challenge_expires_at INTEGER,
     current_interaction TEXT
   )`,
  `CREATE TABLE IF NOT EXISTS clients (client_id TEXT PRIMARY KEY, first_served_at INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS interactions (
     id TEXT PRIMARY KEY,
     request TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     authenticated_at INTEGER,
     role_chosen INTEGER NOT NULL DEFAULT 0
   )`,
];

export class SessionObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => this.createSchema());
  }

  async init(secretHash: string, csrfToken: string, now: number): Promise<Session> {
    if (this.row()) throw new Error('session already initialised');
    const expiresAt = now + UNAUTHENTICATED_SESSION_TTL_MS;
    this.sql(
      `INSERT INTO session (id, secret_hash, created_at, expires_at, csrf_token) VALUES (1, ?, ?, ?, ?)`,
      secretHash, now, expiresAt, csrfToken,
    );
    await this.ctx.storage.setAlarm(expiresAt);
    return this.snapshot(this.row()!);
  }

  async load(secretHash: string, now: number): Promise<Session | null> {
    const row = this.authorised(secretHash, now);
    return row ? this.snapshot(row) : null;
  }

  async addInteraction(secretHash: string, id: string, request: AuthorizationRequest, now: number): Promise<PendingInteraction | null> {
    const row = this.authorised(secretHash, now);
    if (!row) return null;
    this.sql(`DELETE FROM interactions WHERE expires_at <= ?`, now);
    this.sql(
      `DELETE FROM interactions WHERE id NOT IN (SELECT id FROM interactions ORDER BY created_at DESC LIMIT ?)`,
      MAX_PENDING_INTERACTIONS - 1,
    );
    this.sql(
      `INSERT INTO interactions (id, request, created_at, expires_at) VALUES (?, ?, ?, ?)`,
      id, JSON.stringify(request), now, now + INTERACTION_TTL_MS,
    );
    this.sql(`UPDATE session SET current_interaction = ?`, id);
    // Nobody has signed in yet: the session lives as long as someone is trying to.
    if (!row.authentication) await this.extendTo(Math.max(row.expires_at, now + UNAUTHENTICATED_SESSION_TTL_MS));
    return this.interactionRow(id, now)!;
  }

  async interaction(secretHash: string, id: string, now: number, focus: boolean): Promise<{ session: Session; interaction: PendingInteraction } | null> {
    const row = this.authorised(secretHash, now);
    const interaction = row && this.interactionRow(id, now);
    if (!row || !interaction) return null;
    if (focus) this.sql(`UPDATE session SET current_interaction = ?`, id);
    return { session: this.snapshot(this.row()!), interaction };
  }

  async setChallenge(secretHash: string, challenge: string, now: number, interactionId: string | null): Promise<boolean> {
    if (!this.authorised(secretHash, now)) return false;
    this.sql(`UPDATE session SET challenge = ?, challenge_expires_at = ?`, challenge, now + CHALLENGE_TTL_MS);
    if (interactionId && this.interactionRow(interactionId, now)) this.sql(`UPDATE session SET current_interaction = ?`, interactionId);
    return true;
  }

  async takeChallenge(secretHash: string, now: number): Promise<string | null> {
    const row = this.authorised(secretHash, now);
    if (!row?.challenge) return null;
    this.sql(`UPDATE session SET challenge = NULL, challenge_expires_at = NULL`);
    return (row.challenge_expires_at ?? 0) > now ? row.challenge : null;
  }

  async authenticate(
    secretHash: string,
    newSecretHash: string,
    authentication: Authentication,
    interactionId: string | null,
    now: number,
    maxAgeMs: number,
  ): Promise<Session | null> {
    const row = this.authorised(secretHash, now);
    if (!row) return null;
    // The absolute lifetime starts at the first authentication; a step-up does not extend it.
    const expiresAt = row.authentication ? row.expires_at : now + maxAgeMs;
    this.ctx.storage.transactionSync(() => {
      this.sql(`UPDATE session SET secret_hash = ?, authentication = ?`, newSecretHash, JSON.stringify(authentication));
      if (interactionId) this.sql(`UPDATE interactions SET authenticated_at = ? WHERE id = ?`, now, interactionId);
    });
    await this.extendTo(expiresAt);
    return this.snapshot(this.row()!);
  }

  async chooseRole(secretHash: string, interactionId: string, roleId: string | null, now: number): Promise<boolean> {
    if (!this.authorised(secretHash, now) || !this.interactionRow(interactionId, now)) return false;
    this.ctx.storage.transactionSync(() => {
      this.sql(`UPDATE session SET selected_role_id = ?`, roleId);
      this.sql(`UPDATE interactions SET role_chosen = 1 WHERE id = ?`, interactionId);
    });
    return true;
  }

  async completeInteraction(secretHash: string, interactionId: string | null, clientId: string, now: number): Promise<boolean> {
    const row = this.authorised(secretHash, now);
    // Taking the interaction is the single-use guard: a replayed resume issues nothing.
    if (!row || (interactionId && !this.interactionRow(interactionId, now))) return false;
    this.ctx.storage.transactionSync(() => {
      if (interactionId) {
        this.sql(`DELETE FROM interactions WHERE id = ?`, interactionId);
        if (row.current_interaction === interactionId) this.sql(`UPDATE session SET current_interaction = NULL`);
      }
      this.sql(`INSERT OR IGNORE INTO clients (client_id, first_served_at) VALUES (?, ?)`, clientId, now);
    });
    return true;
  }

  /** Logout or deactivation: what the caller needs to tell clients, then nothing is left. */
  async end(): Promise<EndedSession | null> {
    const row = this.row();
    if (!row) return null;
    const authentication = row.authentication ? (JSON.parse(row.authentication) as Authentication) : null;
    const ended = { personId: authentication?.personId ?? null, clients: this.clientIds() };
    await this.wipe();
    return ended;
  }

  override async alarm(): Promise<void> {
    const row = this.row();
    if (row && row.expires_at > Date.now()) await this.ctx.storage.setAlarm(row.expires_at);
    else await this.wipe();
  }

  private createSchema(): void {
    for (const statement of SCHEMA) this.ctx.storage.sql.exec(statement);
  }

  private async wipe(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // deleteAll drops the tables too; a late request with an old cookie must still find none.
    this.createSchema();
  }

  private async extendTo(expiresAt: number): Promise<void> {
    this.sql(`UPDATE session SET expires_at = ?`, expiresAt);
    await this.ctx.storage.setAlarm(expiresAt);
  }

  private sql(query: string, ...bindings: unknown[]): void {
    this.ctx.storage.sql.exec(query, ...bindings);
  }

  private row(): SessionRow | undefined {
    return this.ctx.storage.sql.exec<SessionRow>(`SELECT * FROM session WHERE id = 1`).toArray()[0];
  }

  /** The session, if it is live and the presented secret is its current one. */
  private authorised(secretHash: string, now: number): SessionRow | undefined {
    const row = this.row();
    if (!row || row.expires_at <= now || !timingSafeEqual(secretHash, row.secret_hash)) return undefined;
    return row;
  }

  private clientIds(): string[] {
    return this.ctx.storage.sql
      .exec<{ client_id: string }>(`SELECT client_id FROM clients ORDER BY first_served_at, client_id`)
      .toArray()
      .map((r) => r.client_id);
  }

  private interactionRow(id: string, now: number): PendingInteraction | null {
    const row = this.ctx.storage.sql
      .exec<InteractionRow>(`SELECT * FROM interactions WHERE id = ? AND expires_at > ?`, id, now)
      .toArray()[0];
    if (!row) return null;
    return {
      id: row.id,
      request: JSON.parse(row.request) as AuthorizationRequest,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      authenticatedAt: row.authenticated_at,
      roleChosen: row.role_chosen === 1,
    };
  }

  private snapshot(row: SessionRow): Session {
    return {
      id: this.ctx.id.toString(),
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      authentication: row.authentication ? (JSON.parse(row.authentication) as Authentication) : null,
      selectedRoleId: row.selected_role_id,
      clients: this.clientIds(),
      csrfToken: row.csrf_token,
      currentInteraction: row.current_interaction,
    };
  }
}
