import type { Context } from 'hono';
import type { Ports } from '../ports.ts';

export interface AppEnv {
  /** openSessionSlot: throws 429 when the caller's address has opened too many sessions (rate-limits.ts). */
  Variables: { ports: Ports; requestId: string; openSessionSlot?: () => Promise<void> };
}

export type AppContext = Context<AppEnv>;
