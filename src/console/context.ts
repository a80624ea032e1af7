// What every console handler sees: the service's ports (AppEnv) and, once the
// operator guard has run (operator-guard.ts), the signed-in operator and the
// CSRF token their forms carry.
import type { Context } from 'hono';
import type { AppEnv } from '../http/context.ts';

export interface Operator {
  /** The directory's person id: the actor of every audit event the console writes. */
  personId: string;
  /** The 12-digit national uid (the ID token's sub). */
  uid: string;
  userName: string;
  /** What the console shows: the display name, else the formatted or given + family name, else the username. */
  displayName: string;
}

export interface ConsoleEnv {
  Variables: AppEnv['Variables'] & { operator: Operator; csrfToken: string };
}

export type ConsoleContext = Context<ConsoleEnv>;
