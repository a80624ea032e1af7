// Configuration, read once from the environment and validated, so that a bad
// value stops the service with a message naming the variable.
import { z } from 'zod';
import { ConfigError } from './errors.ts';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  ISSUER: z
    .url({ protocol: /^https?$/ })
    .refine((u) => !u.endsWith('/') && !u.includes('?') && !u.includes('#'), 'must have no trailing slash, query or fragment'),
  ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters'),
  KEY_ENCRYPTION_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 random bytes, base64url (43 characters)'),
  LIBSQL_URL: z.url({ protocol: /^(https?|libsql)$/ }),
  LIBSQL_AUTH_TOKEN: z.string().optional(),
  UPSTASH_REDIS_REST_URL: z.url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
  CODE_TTL: seconds(60),
  ACCESS_TOKEN_TTL: seconds(600),
  ID_TOKEN_TTL: seconds(600),
  REFRESH_TOKEN_TTL: seconds(12 * 3600),
  SESSION_MAX_AGE: seconds(12 * 3600),
  ENROLMENT_TTL: seconds(24 * 3600),
  // How long a rotated-out signing key stays in the JWKS: past every token it signed.
  RETIRED_KEY_TTL: seconds(24 * 3600),
  DB_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  LOG_LEVEL: z.enum(['info', 'warn', 'error']).default('info'),
});

export interface Config {
  issuer: string;
  adminToken: string;
  keyEncryptionSecret: string;
  libsql: { url: string; authToken?: string };
  upstash?: { url: string; token: string };
  ttl: {
    code: number;
    accessToken: number;
    idToken: number;
    refreshToken: number;
    sessionMaxAge: number;
    enrolment: number;
    retiredKey: number;
  };
  dbTimeoutMs: number;
  logLevel: 'info' | 'warn' | 'error';
}

export function readConfig(env: Record<string, unknown>): Config {
  const strings: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    strings[key] = typeof v === 'string' && v !== '' ? v : undefined;
  }
  const parsed = schema.safeParse(strings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(variable, strings[variable] === undefined ? 'is required' : issue.message);
  }
  const e = parsed.data;
  if (Boolean(e.UPSTASH_REDIS_REST_URL) !== Boolean(e.UPSTASH_REDIS_REST_TOKEN)) {
    throw new ConfigError('UPSTASH_REDIS_REST_TOKEN', 'UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN go together');
  }
  return {
    issuer: e.ISSUER,
    adminToken: e.ADMIN_TOKEN,
    keyEncryptionSecret: e.KEY_ENCRYPTION_SECRET,
    libsql: { url: e.LIBSQL_URL, authToken: e.LIBSQL_AUTH_TOKEN },
    upstash:
      e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN
        ? { url: e.UPSTASH_REDIS_REST_URL, token: e.UPSTASH_REDIS_REST_TOKEN }
        : undefined,
    ttl: {
      code: e.CODE_TTL,
      accessToken: e.ACCESS_TOKEN_TTL,
      idToken: e.ID_TOKEN_TTL,
      refreshToken: e.REFRESH_TOKEN_TTL,
      sessionMaxAge: e.SESSION_MAX_AGE,
      enrolment: e.ENROLMENT_TTL,
      retiredKey: e.RETIRED_KEY_TTL,
    },
    dbTimeoutMs: e.DB_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
  };
}
