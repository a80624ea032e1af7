// The one libSQL write of a successful sign-in, a single transaction in one
// round trip: the update that spends the authenticator's one-time value (a
// passkey's signature counter, WebAuthn §6.1.1; an app's time step, RFC 6238
// §5.2), the `signin` audit row (must-write, src/audit.ts) and the person's
// index entry for the session (contract §4: deactivation ends every session,
// found through it). The audit row and the index entry are inserted only if the
// update changed its row, so a refused use leaves neither; without a one-time
// value (a password alone) they are written together unconditionally.
import type { Client, InArgs, InStatement } from '@libsql/client';
import { auditInsert } from '../audit.ts';
import { personIndexInsert } from '../directory/person-index.ts';
import type { AuditEvent, Database } from '../ports.ts';

/** The write that spends an authenticator's one-time value. */
export interface SignInGate {
  /** An UPDATE that changes exactly one row when the use is accepted, and none otherwise. */
  statement: InStatement;
  /** The error to throw when it changed none, after recording what that refusal needs. */
  refused(): Promise<Error>;
}

/** A drizzle query as a statement for the libSQL client's batch. */
export function statementOf(query: { toSQL(): { sql: string; params: unknown[] } }): InStatement {
  const { sql, params } = query.toSQL();
  return { sql, args: params as InArgs };
}

export async function writeSignIn(
  db: Database,
  input: { gate: SignInGate | null; event: AuditEvent; session: { personId: string; objectId: string; expiresAt: number }; at: number },
): Promise<void> {
  const { gate, event, session, at } = input;
  const index = { personId: session.personId, kind: 'session' as const, objectId: session.objectId, now: at, expiresAt: session.expiresAt };
  // With a gate: the audit row if the update changed one row, then the index entry if the audit row went in.
  const statements = gate
    ? [gate.statement, auditInsert(event, at, true), personIndexInsert(index, true)]
    : [auditInsert(event, at), personIndexInsert(index)];
  // drizzle(client) keeps the libSQL client it wraps as $client.
  const client = (db as Database & { $client: Pick<Client, 'batch'> }).$client;
  const [spent] = await client.batch(statements, 'write');
  if (gate && spent!.rowsAffected !== 1) throw await gate.refused();
}
