import { DurableObject } from 'cloudflare:workers';
import type { Env } from './env.ts';

// PLACEHOLDER: being written.
export class RateLimiterObject extends DurableObject<Env> {}
