import type { Context } from 'hono';
import type { Ports } from '../ports.ts';

export interface AppEnv {
  Variables: { ports: Ports; requestId: string };
}

export type AppContext = Context<AppEnv>;
