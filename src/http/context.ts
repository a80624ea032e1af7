import type { Context } from 'hono';
import type { Client } from '../clients/client.ts';
import type { Ports } from '../ports.ts';

export interface AppEnv {
  /**
   * authenticatedClient: set by the endpoints that authenticate a client, for CORS (src/http/cors.ts).
   * openSessionSlot: throws 429 when the caller's address has opened too many sessions (rate-limits.ts).
   */
  Variables: { ports: Ports; requestId: string; authenticatedClient?: Client; openSessionSlot?: () => Promise<void> };
}

export type AppContext = Context<AppEnv>;
