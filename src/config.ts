// Configuration, read once from the environment and validated, so that a bad
// value stops the service with a message naming the variable.
import { z } from 'zod';
import { ConfigError } from './errors.ts';

const AAGUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/;

/** FIDO_MDS_BLOB as the service takes it: the JWT, or an https URL (launchers resolve file paths first). */
export function isBlobOrUrl(value: string): boolean {
  return COMPACT_JWS.test(value.trim()) || /^https:\/\/\S+$/.test(value.trim());
}

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const count = seconds;

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
  // NIST SP 800-63B §4.3.3, §4.2.3: inactivity after which AAL3, then AAL2, classes need a new authentication.
  SESSION_IDLE_AAL3: seconds(15 * 60),
  SESSION_IDLE_AAL2: seconds(30 * 60),
  // Remembered device: the session cookie survives the browser closing (until SESSION_MAX_AGE).
  SESSION_REMEMBER_DEVICE: z.enum(['true', 'false']).default('false'),
  ENROLMENT_TTL: seconds(24 * 3600),
  // How long a rotated-out signing key stays in the JWKS: past every token it signed.
  RETIRED_KEY_TTL: seconds(24 * 3600),
  // RFC 7523 §3 item 4: how far ahead a client assertion's exp may be; its jti is kept that long.
  CLIENT_ASSERTION_MAX_AGE: seconds(3600).refine((s) => s <= 86_400, 'must be at most 86400 seconds (a day)'),
  DB_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  LOG_LEVEL: z.enum(['info', 'warn', 'error']).default('info'),
  // Contract §8: authenticator models (AAGUIDs, comma-separated) allowed AAL3; unset allows any.
  AAL3_AAGUIDS: z
    .string()
    .refine((v) => v.split(',').every((a) => AAGUID.test(a.trim())), 'must be comma-separated AAGUIDs')
    .optional(),
  // FIDO Metadata Service BLOB (a JWT), or the https URL it is fetched from: AAL3 then needs
  // verified attestation and metadata saying hardware-bound with user verification (assurance.md).
  FIDO_MDS_BLOB: z
    .string()
    .refine(isBlobOrUrl, 'must be the BLOB itself (a JWT) or an https URL')
    .optional(),
  // PEM root certificate(s) the BLOB's x5c must chain to; unset: the FIDO Alliance's MDS roots.
  FIDO_MDS_ROOT_CERT: z
    .string()
    .refine((v) => PEM_CERTIFICATE.test(v), 'must be PEM certificates (-----BEGIN CERTIFICATE-----)')
    .optional(),
  // docs/assurance.md "Lockout and rate limits": requests per RATE_LIMIT_WINDOW seconds. The defaults sit above what
  // one Worker serves on a 2-core machine, so a benchmark from one address is not throttled;
  // production should set them to its own traffic (docs/assurance.md, "Lockout and rate limits").
  RATE_LIMIT_WINDOW: seconds(60),
  RATE_LIMIT_TOKEN_PER_CLIENT: count(120_000),
  RATE_LIMIT_TOKEN_PER_ADDRESS: count(240_000),
  RATE_LIMIT_REGISTRATION_PER_ADDRESS: count(600),
  RATE_LIMIT_SCIM_PER_ADDRESS: count(6_000),
  RATE_LIMIT_WEBAUTHN_PER_ADDRESS: count(60_000),
  // Browser sessions one address may open per window (each is a stored object).
  RATE_LIMIT_SESSIONS_PER_ADDRESS: count(12_000),
  // Failed authentications: throttled with doubling delays from the first count, locked at the second.
  // NIST SP 800-63B §5.2.2: the (address, username) pair is throttled first; the person's
  // password method needs failures from several pairs (docs/assurance.md, "Lockout and rate limits").
  LOCKOUT_PAIR_THROTTLE_AFTER: count(5),
  LOCKOUT_PAIR_LOCK_AFTER: count(10),
  LOCKOUT_PERSON_THROTTLE_AFTER: count(20),
  LOCKOUT_PERSON_LOCK_AFTER: count(25),
  LOCKOUT_ADDRESS_THROTTLE_AFTER: count(20),
  LOCKOUT_ADDRESS_LOCK_AFTER: count(100),
  LOCKOUT_DELAY: seconds(15),
  LOCKOUT_DURATION: seconds(15 * 60),
  LOCKOUT_WINDOW: seconds(15 * 60),
  // RFC 9126 §5: every client must push its authorization requests.
  REQUIRE_PUSHED_AUTHORIZATION_REQUESTS: z.enum(['true', 'false']).default('false'),
  // RFC 9126 §2.2: a request_uri lives briefly (FAPI 2.0 §5.3.2.2 item 9: under 600 seconds).
  PUSHED_REQUEST_TTL: seconds(60).refine((s) => s < 600, 'must be under 600 seconds'),
  // RFC 9449 §8: require a server-provided nonce in every DPoP proof.
  DPOP_NONCES: z.enum(['true', 'false']).default('false'),
  // RFC 9449 §11.1: how far a proof's iat may be from now, either way.
  DPOP_PROOF_MAX_AGE: seconds(60).refine((s) => s <= 600, 'must be at most 600 seconds'),
  // FAPI 2.0 Security Profile for every client, not only those registered with the profile.
  FAPI2: z.enum(['true', 'false']).default('false'),
});

/** Every variable the Worker reads, so `npm start` can pass through those it does not set itself. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** The service's configuration, shaped from the validated variables. */
function toConfig(e: z.output<typeof schema>) {
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
      /** Seconds of inactivity after which a session no longer meets AAL3 classes. */
      sessionIdleAal3: e.SESSION_IDLE_AAL3,
      /** Seconds of inactivity after which a session no longer meets AAL2 classes. */
      sessionIdleAal2: e.SESSION_IDLE_AAL2,
      enrolment: e.ENROLMENT_TTL,
      retiredKey: e.RETIRED_KEY_TTL,
    },
    /** The session cookie lasts as long as the session (true) or ends with the browser (false, the default). */
    rememberDevice: e.SESSION_REMEMBER_DEVICE === 'true',
    /** Seconds: the longest client assertion lifetime accepted (RFC 7523 §3). */
    clientAssertionMaxAge: e.CLIENT_ASSERTION_MAX_AGE,
    /** RFC 9126: whether every client must push, and how long a request_uri lives (seconds). */
    par: { required: e.REQUIRE_PUSHED_AUTHORIZATION_REQUESTS === 'true', ttl: e.PUSHED_REQUEST_TTL },
    /** RFC 9449: server nonces required, and the iat window of a proof (seconds). */
    dpop: { nonces: e.DPOP_NONCES === 'true', proofMaxAge: e.DPOP_PROOF_MAX_AGE },
    /** FAPI 2.0 Security Profile for every client. */
    fapi2: e.FAPI2 === 'true',
    dbTimeoutMs: e.DB_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    /** Lower-case AAGUIDs that may reach AAL3; null when any device-bound authenticator may. */
    aal3Aaguids: e.AAL3_AAGUIDS ? e.AAL3_AAGUIDS.split(',').map((a) => a.trim().toLowerCase()) : null,
    /** FIDO Metadata Service BLOB; null: levels rest on the authenticator's own flags (self-asserted). */
    fidoMetadata: e.FIDO_MDS_BLOB
      ? {
          /** The BLOB (a JWT) itself, or an https URL to fetch it from. */
          blob: e.FIDO_MDS_BLOB.trim(),
          /** PEM certificates; null: the FIDO Alliance's roots that @simplewebauthn/server ships. */
          rootCertificates: e.FIDO_MDS_ROOT_CERT ? pemCertificates(e.FIDO_MDS_ROOT_CERT) : null,
        }
      : null,
    /** Requests per window, per client or per address (docs/assurance.md, "Lockout and rate limits"). */
    rateLimits: {
      windowSeconds: e.RATE_LIMIT_WINDOW,
      tokenPerClient: e.RATE_LIMIT_TOKEN_PER_CLIENT,
      tokenPerAddress: e.RATE_LIMIT_TOKEN_PER_ADDRESS,
      registrationPerAddress: e.RATE_LIMIT_REGISTRATION_PER_ADDRESS,
      scimPerAddress: e.RATE_LIMIT_SCIM_PER_ADDRESS,
      webauthnPerAddress: e.RATE_LIMIT_WEBAUTHN_PER_ADDRESS,
      sessionsPerAddress: e.RATE_LIMIT_SESSIONS_PER_ADDRESS,
    },
    lockout: {
      /** One address trying one username: throttled first. */
      pair: { throttleAfter: e.LOCKOUT_PAIR_THROTTLE_AFTER, lockAfter: e.LOCKOUT_PAIR_LOCK_AFTER },
      /** A person's password method, from every address. */
      person: { throttleAfter: e.LOCKOUT_PERSON_THROTTLE_AFTER, lockAfter: e.LOCKOUT_PERSON_LOCK_AFTER },
      /** One address, every username and method. */
      address: { throttleAfter: e.LOCKOUT_ADDRESS_THROTTLE_AFTER, lockAfter: e.LOCKOUT_ADDRESS_LOCK_AFTER },
      /** The first throttle delay; each further failure doubles it. */
      delaySeconds: e.LOCKOUT_DELAY,
      lockSeconds: e.LOCKOUT_DURATION,
      /** How long failures are remembered, from the first. */
      windowSeconds: e.LOCKOUT_WINDOW,
    },
  };
}

/** The configuration's type is what the schema's output becomes: never written out beside it. */
export type Config = ReturnType<typeof toConfig>;

/** Failures before throttling starts and before the subject is locked. */
export type LockoutThresholds = Config['lockout']['pair'];

/** Where the FIDO MDS BLOB comes from, and the roots its signing chain must reach. */
export type FidoMetadataSource = NonNullable<Config['fidoMetadata']>;

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
  for (const who of ['PAIR', 'PERSON', 'ADDRESS'] as const) {
    if (e[`LOCKOUT_${who}_LOCK_AFTER`] <= e[`LOCKOUT_${who}_THROTTLE_AFTER`]) {
      throw new ConfigError(`LOCKOUT_${who}_LOCK_AFTER`, `must be more than LOCKOUT_${who}_THROTTLE_AFTER`);
    }
  }
  if (e.SESSION_IDLE_AAL3 > e.SESSION_IDLE_AAL2) {
    throw new ConfigError('SESSION_IDLE_AAL3', 'must be at most SESSION_IDLE_AAL2 (AAL3 is the stricter level)');
  }
  // Within one LOCKOUT_WINDOW one address can bring a person at most two pair windows' failures,
  // each just short of the pair lock (while the lock lasts at least the window, as by default):
  // below this, one address alone could throttle a person's password for everyone.
  if (e.LOCKOUT_PERSON_THROTTLE_AFTER < 2 * e.LOCKOUT_PAIR_LOCK_AFTER) {
    throw new ConfigError('LOCKOUT_PERSON_THROTTLE_AFTER', 'must be at least twice LOCKOUT_PAIR_LOCK_AFTER');
  }
  if (e.FIDO_MDS_ROOT_CERT && !e.FIDO_MDS_BLOB) throw new ConfigError('FIDO_MDS_ROOT_CERT', 'is only used with FIDO_MDS_BLOB');
  // FAPI 2.0 §5.3.2.2: authorization codes live at most 60 seconds.
  if (e.FAPI2 === 'true' && e.CODE_TTL > 60) throw new ConfigError('CODE_TTL', 'must be at most 60 seconds with FAPI2=true');
  return toConfig(e);
}

function pemCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g) ?? [];
}
