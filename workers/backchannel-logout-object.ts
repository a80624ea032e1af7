// The back-channel logout queue: one object per ended session, named by its
// sid, holding a delivery per client until each is delivered or given up; its
// alarm makes the attempts (src/logout/backchannel-delivery.ts) and then
// deletes everything.
//
// Why a dedicated object rather than the session object's own storage: an ended
// session must be gone at once (a late cookie finds nothing, a second end ends
// nothing), while delivery may take half an hour and needs the signing keys and
// the directory, which the session object otherwise never touches. Keeping the
// queue here leaves the session object's lifecycle simple and lets deliveries
// for many sessions (a deactivation ends them all) retry independently.
import { DurableObject } from 'cloudflare:workers';
import { attemptBackchannelLogout, type DeliveryJob, type DeliveryPorts } from '../src/logout/backchannel-delivery.ts';
import type { SessionLogout } from '../src/logout/backchannel-queue.ts';
import type { Env } from './env.ts';
import { migrateSchema, type SchemaStep } from './sql-schema.ts';
import { buildPorts } from './ports.ts';

type LogoutRow = { session_id: string; person_id: string | null; subject: string | null };
type DeliveryRow = { client_id: string; attempts: number; next_at: number };

const SCHEMA: readonly SchemaStep[] = [[
  // IF NOT EXISTS: objects made before the schema was versioned already hold these.
  `CREATE TABLE IF NOT EXISTS logout (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     session_id TEXT NOT NULL,
     person_id TEXT,
     subject TEXT,
     reason TEXT NOT NULL,
     created_at INTEGER NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS deliveries (
     client_id TEXT PRIMARY KEY,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_at INTEGER NOT NULL
   )`,
]];

export class BackchannelLogoutObject extends DurableObject<Env> {
  private ports: DeliveryPorts | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => this.createSchema());
  }

  /** Queues a delivery per client (each client once) and sets the alarm to start now. */
  async schedule(logout: SessionLogout, now: number): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      this.sql(
        `INSERT OR IGNORE INTO logout (id, session_id, person_id, subject, reason, created_at) VALUES (1, ?, ?, ?, ?, ?)`,
        logout.sessionId, logout.personId, logout.subject, logout.reason, now,
      );
      for (const clientId of logout.clientIds) {
        this.sql(`INSERT OR IGNORE INTO deliveries (client_id, next_at) VALUES (?, ?)`, clientId, now);
      }
    });
    await this.armAlarm();
  }

  /** What is still pending, for tests and operators. */
  async pending(): Promise<DeliveryRow[]> {
    return this.ctx.storage.sql.exec<DeliveryRow>(`SELECT * FROM deliveries ORDER BY client_id`).toArray();
  }

  override async alarm(): Promise<void> {
    const logout = this.ctx.storage.sql.exec<LogoutRow>(`SELECT * FROM logout WHERE id = 1`).toArray()[0];
    const rows = await this.pending();
    if (!logout || rows.length === 0) return this.wipe();
    // The alarm was set for the earliest delivery: that one is due even if the
    // alarm runs a little early (or a test runs it on purpose).
    const dueBy = Math.max(Date.now(), Math.min(...rows.map((r) => r.next_at)));
    const due = rows.filter((r) => r.next_at <= dueBy);
    this.ports ??= buildPorts(this.env);
    const ports = this.ports;
    await Promise.all(
      due.map(async (row) => {
        const job: DeliveryJob = {
          sessionId: logout.session_id,
          personId: logout.person_id,
          subject: logout.subject,
          clientId: row.client_id,
          attempt: row.attempts + 1,
        };
        const outcome = await attemptBackchannelLogout(ports, job);
        if (outcome.done) this.sql(`DELETE FROM deliveries WHERE client_id = ?`, row.client_id);
        else this.sql(`UPDATE deliveries SET attempts = ?, next_at = ? WHERE client_id = ?`, job.attempt, outcome.retryAt, row.client_id);
      }),
    );
    await this.armAlarm();
  }

  /** The alarm at the earliest pending delivery; with none left, nothing is kept. */
  private async armAlarm(): Promise<void> {
    const next = this.ctx.storage.sql.exec<{ at: number | null }>(`SELECT MIN(next_at) AS at FROM deliveries`).one().at;
    if (next === null) return this.wipe();
    await this.ctx.storage.setAlarm(next);
  }

  private async wipe(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.createSchema();
  }

  private createSchema(): void {
    migrateSchema(this.ctx.storage, SCHEMA);
  }

  private sql(query: string, ...bindings: unknown[]): void {
    this.ctx.storage.sql.exec(query, ...bindings);
  }
}
