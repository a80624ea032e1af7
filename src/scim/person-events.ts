// What follows an administrative change to a person: the audit trail, and for a
// deactivation or deletion, the end of everything they are signed in to.
import { personObjects } from '../directory/person-index.ts';
import { endSession } from '../logout/session-logout.ts';
import type { Ports } from '../ports.ts';

export interface ChangeContext {
  ports: Ports;
  requestId: string;
}

export type PersonAction = 'person.create' | 'person.replace' | 'person.patch' | 'person.delete' | 'person.deactivate';

export async function recordPersonEvent(
  { ports, requestId }: ChangeContext,
  action: PersonAction,
  person: { id: string; userName: string },
  details: Record<string, unknown> = {},
): Promise<void> {
  const event = {
    actor: 'admin',
    action,
    subject: person.id,
    outcome: 'success' as const,
    details: { userName: person.userName, ...details },
    requestId,
  };
  try {
    await ports.audit.record(event);
  } catch (err) {
    // The change is written: answer with the truth so the client does not
    // repeat it, and keep the event in the log instead.
    ports.log.error('audit event not recorded', { ...event, error: err instanceof Error ? err.message : String(err) });
  }
}

export interface PersonAccess {
  /** Every grant lives in the session that made it, so the sessions lead to the grants too. */
  sessionIds: string[];
}

/**
 * The sessions indexed under a person, ended or not. Deleting the person deletes
 * these index rows with them (ON DELETE CASCADE), so DELETE reads them first.
 */
export async function personAccess({ ports }: ChangeContext, personId: string): Promise<PersonAccess> {
  return { sessionIds: await personObjects(ports.db, personId, 'session', ports.now()) };
}

/**
 * Contract §4: `active: false` or DELETE ends the person's sessions and revokes
 * their grants at once. Called after the directory says they are inactive or
 * gone, so no new session can start while the old ones end. Each ended session's
 * clients get a back-channel logout token, with the uid as `sub` (held by the
 * caller, since a deleted person can no longer be looked up).
 */
export async function endPersonAccess(
  context: ChangeContext,
  person: { id: string; userName: string; uid: string },
  reason: 'deactivated' | 'deleted',
  held?: PersonAccess,
): Promise<void> {
  const { ports } = context;
  const { sessionIds } = held ?? (await personAccess(context, person.id));
  // Each object ends by itself; one that fails must not spare the others. A
  // session that had already ended still holds grants, which are revoked too.
  const [ended, revoked] = await Promise.all([
    Promise.allSettled(sessionIds.map((id) => endSession(ports, id, { reason, subject: person.uid }))),
    Promise.allSettled(sessionIds.map((id) => ports.grants.revokePersonGrants(id, person.id, 'person deactivated'))),
  ]);
  const failed = [...ended, ...revoked].filter((r) => r.status === 'rejected').length;
  const grants = revoked.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0);
  if (failed > 0) ports.log.error('ending person access failed in part', { personId: person.id, failed, requestId: context.requestId });
  await recordPersonEvent(context, 'person.deactivate', person, { reason, sessions: sessionIds.length, grants, failed });
}
