// The Worker's bindings, as wrangler.toml declares them.
import type { KeysObject } from './keys-object.ts';
import type { SessionObject } from './session-object.ts';
import type { GrantObject } from './grant-object.ts';
import type { RateLimiterObject } from './rate-limiter-object.ts';

export interface Env {
  KEYS: DurableObjectNamespace<KeysObject>;
  SESSIONS: DurableObjectNamespace<SessionObject>;
  GRANTS: DurableObjectNamespace<GrantObject>;
  LIMITS: DurableObjectNamespace<RateLimiterObject>;
  ISSUER?: string;
  ADMIN_TOKEN?: string;
  KEY_ENCRYPTION_SECRET?: string;
  LIBSQL_URL?: string;
  LIBSQL_AUTH_TOKEN?: string;
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  [name: string]: unknown;
}

// Keep state near UK users: western Europe.
export const LOCATION_HINT: DurableObjectLocationHint = 'weur';
