// Every console action is audited in the operator's name: the actor is the
// operator's person id (as a person's own changes on their account page are),
// never the shared 'admin' of the token-authenticated APIs, and the details
// carry the operator's uid and that the change came through the console.
import type { ConsoleContext } from './context.ts';

export interface ConsoleAction {
  /** e.g. 'person.unlocked', 'enrolment.invite': the same names the admin APIs audit. */
  action: string;
  subject?: string | null;
  clientId?: string | null;
  outcome?: 'success' | 'failure';
  details?: Record<string, unknown>;
}

export async function auditConsoleAction(c: ConsoleContext, event: ConsoleAction): Promise<void> {
  const { operator } = c.var;
  await c.var.ports.audit.record({
    actor: operator.personId,
    action: event.action,
    subject: event.subject ?? null,
    clientId: event.clientId ?? null,
    outcome: event.outcome ?? 'success',
    details: { ...event.details, via: 'console', operatorUid: operator.uid },
    requestId: c.var.requestId,
  });
}
