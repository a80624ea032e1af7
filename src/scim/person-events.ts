// What follows an administrative change to a person: the audit trail, and for a
// deactivation or deletion, the end of everything they are signed in to.
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

/**
 * Contract §4: `active: false` or DELETE ends the person's sessions and revokes
 * their grants at once. Called after the directory says they are inactive or
 * gone, so no new session can start while the old ones end.
 */
export async function endPersonAccess(
  context: ChangeContext,
  person: { id: string; userName: string },
  reason: 'deactivated' | 'deleted',
): Promise<void> {
  // Issue 3: end the person's sessions and revoke their grants here, through the
  // session and grant stores' ports, once they exist; until then only the audit
  // trail records that it should have happened.
  await recordPersonEvent(context, 'person.deactivate', person, { reason });
}
