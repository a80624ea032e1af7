// The author of a change made through the console, for the shared functions that
// audit their own events (client-lifecycle.ts, rotateSigningKeys): the same
// actor and details as auditConsoleAction, so every console event reads alike.
import type { ConsoleContext } from './context.ts';

export function operatorAuthor(c: ConsoleContext): { actor: string; requestId: string | null; details: Record<string, unknown> } {
  const { operator } = c.var;
  return { actor: operator.personId, requestId: c.var.requestId, details: { via: 'console', operatorUid: operator.uid } };
}
