// The Worker's bindings, as wrangler.toml declares them.
import type { KeysObject } from './keys-object.ts';
import type { SessionObject } from './session-object.ts';
import type { RateLimiterObject } from './rate-limiter-object.ts';
import type { ChallengeObject } from './challenge-object.ts';
import type { BackchannelLogoutObject } from './backchannel-logout-object.ts';
import type { DeviceAuthorizationObject } from './device-object.ts';
import type { RecordObject } from './record-object.ts';

export interface Env {
  KEYS: DurableObjectNamespace<KeysObject>;
  SESSIONS: DurableObjectNamespace<SessionObject>;
  LIMITS: DurableObjectNamespace<RateLimiterObject>;
  CHALLENGES: DurableObjectNamespace<ChallengeObject>;
  LOGOUTS: DurableObjectNamespace<BackchannelLogoutObject>;
  DEVICES: DurableObjectNamespace<DeviceAuthorizationObject>;
  RECORDS: DurableObjectNamespace<RecordObject>;
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
