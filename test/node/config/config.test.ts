// src/config.ts: the Worker's environment, validated once so that a bad value
// stops the service with a message naming the variable (docs/configuration.md).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, readConfig } from '../../../src/config.ts';
import { ConfigError } from '../../../src/errors.ts';
import { TEST_ADMIN_TOKEN, TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';

const MINIMAL = {
  ISSUER: 'https://id.example.nhs.uk',
  ADMIN_TOKEN: TEST_ADMIN_TOKEN,
  KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET,
  LIBSQL_URL: 'http://127.0.0.1:8080',
};

/** The ConfigError readConfig throws for `env`; fails the test when it accepts it. */
function refusal(env: Record<string, unknown>): ConfigError {
  try {
    readConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`readConfig accepted ${JSON.stringify(env)}`);
}

function expectRefused(overrides: Record<string, unknown>, variable: string, problem?: RegExp) {
  const err = refusal({ ...MINIMAL, ...overrides });
  expect(err.variable).toBe(variable);
  expect(err.message.startsWith(`${variable}: `)).toBe(true);
  if (problem) expect(err.message).toMatch(problem);
}

describe('readConfig: a valid environment (docs/configuration.md)', () => {
  it('parses the four required variables and fills the documented defaults', () => {
    const config = readConfig(MINIMAL);
    expect(config).toMatchObject({
      issuer: MINIMAL.ISSUER,
      adminToken: TEST_ADMIN_TOKEN,
      keyEncryptionSecret: TEST_KEY_ENCRYPTION_SECRET,
      libsql: { url: MINIMAL.LIBSQL_URL },
      ttl: { code: 60, accessToken: 600, idToken: 600, refreshToken: 43_200, sessionMaxAge: 43_200, enrolment: 86_400, retiredKey: 86_400 },
      dbTimeoutMs: 5000,
      clientAssertionMaxAge: 3600,
      logLevel: 'info',
      aal3Aaguids: null,
    });
    expect(config.upstash).toBeUndefined();
    expect(config.libsql.authToken).toBeUndefined();
  });

  it('treats empty strings as unset, so an empty variable takes its default', () => {
    expect(readConfig({ ...MINIMAL, CODE_TTL: '', LOG_LEVEL: '' })).toMatchObject({ ttl: { code: 60 }, logLevel: 'info' });
  });

  it('reads lifetimes as whole seconds from strings, a libsql: URL, Upstash as a pair and AAGUIDs lower-cased', () => {
    const config = readConfig({
      ...MINIMAL,
      LIBSQL_URL: 'libsql://directory.turso.io',
      CODE_TTL: '30',
      ENROLMENT_TTL: '3600',
      LOG_LEVEL: 'warn',
      UPSTASH_REDIS_REST_URL: 'https://eu1-redis.upstash.io',
      UPSTASH_REDIS_REST_TOKEN: 'upstash-token',
      AAL3_AAGUIDS: '5EED0000-0000-4000-8000-00000000A0A0, ee882879-721c-4913-9775-3dfcce97072a',
    });
    expect(config).toMatchObject({
      libsql: { url: 'libsql://directory.turso.io' },
      ttl: { code: 30, enrolment: 3600 },
      logLevel: 'warn',
      upstash: { url: 'https://eu1-redis.upstash.io', token: 'upstash-token' },
      aal3Aaguids: ['5eed0000-0000-4000-8000-00000000a0a0', 'ee882879-721c-4913-9775-3dfcce97072a'],
    });
  });
});

describe('readConfig: a bad value throws ConfigError naming the variable', () => {
  it.each([
    ['missing', undefined, /is required/],
    ['not a URL', 'not a url', undefined],
    ['not http(s)', 'ftp://id.example.nhs.uk', undefined],
    ['with a trailing slash', 'https://id.example.nhs.uk/', /trailing slash/],
    ['with a query', 'https://id.example.nhs.uk?tenant=1', /query/],
    ['with a fragment', 'https://id.example.nhs.uk#top', /fragment/],
  ])('ISSUER %s', (_, value, problem) => {
    expectRefused({ ISSUER: value }, 'ISSUER', problem);
  });

  it('ADMIN_TOKEN missing or shorter than 32 characters', () => {
    expectRefused({ ADMIN_TOKEN: undefined }, 'ADMIN_TOKEN', /is required/);
    expectRefused({ ADMIN_TOKEN: 'a'.repeat(31) }, 'ADMIN_TOKEN', /32/);
    expect(readConfig({ ...MINIMAL, ADMIN_TOKEN: 'a'.repeat(32) }).adminToken).toHaveLength(32);
  });

  it.each([
    ['42 characters', TEST_KEY_ENCRYPTION_SECRET.slice(1)],
    ['44 characters', `${TEST_KEY_ENCRYPTION_SECRET}A`],
    ['standard base64 (+ and /)', `${TEST_KEY_ENCRYPTION_SECRET.slice(2)}+/`],
    ['padded', `${TEST_KEY_ENCRYPTION_SECRET.slice(1)}=`],
  ])('KEY_ENCRYPTION_SECRET of %s (not 43 base64url characters)', (_, value) => {
    expectRefused({ KEY_ENCRYPTION_SECRET: value }, 'KEY_ENCRYPTION_SECRET', /base64url/);
  });

  it.each([
    ['missing', undefined],
    ['ftp:', 'ftp://127.0.0.1:8080'],
    ['not a URL', '127.0.0.1:8080'],
  ])('LIBSQL_URL %s', (_, value) => {
    expectRefused({ LIBSQL_URL: value }, 'LIBSQL_URL');
  });

  const ttls = ['CODE_TTL', 'ACCESS_TOKEN_TTL', 'ID_TOKEN_TTL', 'REFRESH_TOKEN_TTL', 'SESSION_MAX_AGE', 'ENROLMENT_TTL', 'RETIRED_KEY_TTL'];
  it.each(ttls.flatMap((name) => ['0', '-1', '1.5', 'abc'].map((value) => [name, value])))('%s of %j', (name, value) => {
    expectRefused({ [name]: value }, name);
  });

  it('CLIENT_ASSERTION_MAX_AGE not a whole number of seconds between 1 and a day (RFC 7523 §3)', () => {
    for (const value of ['0', '-1', '1.5', 'abc']) expectRefused({ CLIENT_ASSERTION_MAX_AGE: value }, 'CLIENT_ASSERTION_MAX_AGE');
    expectRefused({ CLIENT_ASSERTION_MAX_AGE: '86401' }, 'CLIENT_ASSERTION_MAX_AGE', /86400/);
    expect(readConfig({ ...MINIMAL, CLIENT_ASSERTION_MAX_AGE: '300' }).clientAssertionMaxAge).toBe(300);
  });

  it('LOG_LEVEL outside info, warn, error', () => {
    expectRefused({ LOG_LEVEL: 'debug' }, 'LOG_LEVEL');
    expectRefused({ LOG_LEVEL: 'INFO' }, 'LOG_LEVEL');
  });

  it('AAL3_AAGUIDS with an entry that is not an AAGUID', () => {
    expectRefused({ AAL3_AAGUIDS: '5eed0000-0000-4000-8000-00000000a0a0,yubikey-5' }, 'AAL3_AAGUIDS', /AAGUID/);
    expectRefused({ AAL3_AAGUIDS: '5eed0000000040008000000000000a0a0' }, 'AAL3_AAGUIDS', /AAGUID/);
  });

  it('UPSTASH_REDIS_REST_URL without its token, and the token without the URL', () => {
    const pair = /UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN go together/;
    expectRefused({ UPSTASH_REDIS_REST_URL: 'https://eu1-redis.upstash.io' }, 'UPSTASH_REDIS_REST_TOKEN', pair);
    expectRefused({ UPSTASH_REDIS_REST_TOKEN: 'upstash-token' }, 'UPSTASH_REDIS_REST_TOKEN', pair);
  });

  it('a lock count not above the throttle count (docs/assurance.md, "Lockout and rate limits")', () => {
    expectRefused({ LOCKOUT_PERSON_THROTTLE_AFTER: '10', LOCKOUT_PERSON_LOCK_AFTER: '10' }, 'LOCKOUT_PERSON_LOCK_AFTER');
    expectRefused({ LOCKOUT_PAIR_THROTTLE_AFTER: '10', LOCKOUT_PAIR_LOCK_AFTER: '9' }, 'LOCKOUT_PAIR_LOCK_AFTER');
  });

  it('a person threshold one address could reach alone: below twice the pair lock (NIST SP 800-63B §5.2.2)', () => {
    expectRefused({ LOCKOUT_PERSON_THROTTLE_AFTER: '19' }, 'LOCKOUT_PERSON_THROTTLE_AFTER', /twice LOCKOUT_PAIR_LOCK_AFTER/);
    expectRefused({ LOCKOUT_PAIR_LOCK_AFTER: '11' }, 'LOCKOUT_PERSON_THROTTLE_AFTER', /twice LOCKOUT_PAIR_LOCK_AFTER/);
  });
});

/** The variables written in backticks in a docs/ page's section under `heading`, up to the next heading of its level or above. */
function documentedVariables(page: string, heading: string): string[] {
  const text = `\n${readFileSync(new URL(`../../../docs/${page}`, import.meta.url), 'utf8')}`;
  const start = text.indexOf(`\n${heading}\n`);
  expect(start, `docs/${page} has no "${heading}" section`).toBeGreaterThan(-1);
  const level = heading.split(' ')[0]!;
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  const section = end === -1 ? rest : rest.slice(0, end);
  return [...section.matchAll(/`([A-Z][A-Z0-9_]*[A-Z0-9])`/g)].map((m) => m[1]!);
}

describe('CONFIG_VARIABLES', () => {
  it('lists every variable the documentation names for the Worker, so npm start passes each one through', () => {
    // PORT and DATA_DIR are npm start's own (contract §1); the Worker never reads them.
    const named = [...documentedVariables('configuration.md', '# Configuration'), ...documentedVariables('assurance.md', '## Lockout and rate limits')].filter(
      (name) => name !== 'PORT' && name !== 'DATA_DIR',
    );
    expect(named).toEqual(expect.arrayContaining(['ISSUER', 'LIBSQL_AUTH_TOKEN', 'AAL3_AAGUIDS', 'LOCKOUT_WINDOW', 'RATE_LIMIT_WINDOW']));
    expect([...new Set(named)].filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });

  it('is exactly what readConfig reads: each listed variable, set badly, is refused by name', () => {
    for (const name of CONFIG_VARIABLES) {
      if (['LIBSQL_AUTH_TOKEN', 'UPSTASH_REDIS_REST_TOKEN'].includes(name)) continue; // any string is a valid token
      const err = refusal({ ...MINIMAL, [name]: name === 'LOG_LEVEL' ? 'debug' : '-1' });
      expect(err.variable).toBe(name);
    }
  });
});

describe('readConfig: FIDO metadata for AAL3 (contract §8)', () => {
  const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----';

  it('is off by default: passkey levels rest on the authenticator flags', () => {
    expect(readConfig(MINIMAL).fidoMetadata).toBeNull();
  });

  it('takes the BLOB itself or an https URL, and PEM roots (one or more)', () => {
    expect(readConfig({ ...MINIMAL, FIDO_MDS_BLOB: ' aGVhZA.cGF5bG9hZA.c2ln\n' }).fidoMetadata).toEqual({ blob: 'aGVhZA.cGF5bG9hZA.c2ln', rootCertificates: null });
    expect(readConfig({ ...MINIMAL, FIDO_MDS_BLOB: 'https://mds3.fidoalliance.org/', FIDO_MDS_ROOT_CERT: `${PEM}\n${PEM}\n` }).fidoMetadata).toEqual({
      blob: 'https://mds3.fidoalliance.org/',
      rootCertificates: [PEM, PEM],
    });
  });

  it('refuses a BLOB that is neither a JWT nor an https URL, a root that is not PEM, and a root without a BLOB', () => {
    expectRefused({ FIDO_MDS_BLOB: 'http://mds.example/blob' }, 'FIDO_MDS_BLOB', /JWT\) or an https URL/);
    expectRefused({ FIDO_MDS_BLOB: '/etc/mds.jwt' }, 'FIDO_MDS_BLOB');
    expectRefused({ FIDO_MDS_BLOB: 'https://mds3.fidoalliance.org/', FIDO_MDS_ROOT_CERT: 'MIIB' }, 'FIDO_MDS_ROOT_CERT', /PEM/);
    expectRefused({ FIDO_MDS_ROOT_CERT: PEM }, 'FIDO_MDS_ROOT_CERT', /only used with FIDO_MDS_BLOB/);
  });
});

describe('readConfig: session inactivity and the remembered-device policy (NIST SP 800-63B §4.3.3, §4.2.3)', () => {
  it('defaults to 15 and 30 idle minutes, and a cookie that ends with the browser', () => {
    const config = readConfig(MINIMAL);
    expect(config.ttl).toMatchObject({ sessionIdleAal3: 900, sessionIdleAal2: 1800 });
    expect(config.rememberDevice).toBe(false);
  });

  it('reads SESSION_IDLE_AAL3, SESSION_IDLE_AAL2 and SESSION_REMEMBER_DEVICE', () => {
    const config = readConfig({ ...MINIMAL, SESSION_IDLE_AAL3: '300', SESSION_IDLE_AAL2: '600', SESSION_REMEMBER_DEVICE: 'true' });
    expect(config.ttl).toMatchObject({ sessionIdleAal3: 300, sessionIdleAal2: 600 });
    expect(config.rememberDevice).toBe(true);
  });

  it('refuses an AAL3 timeout longer than the AAL2 one, and a policy that is not true or false', () => {
    expectRefused({ SESSION_IDLE_AAL3: '2000' }, 'SESSION_IDLE_AAL3', /at most SESSION_IDLE_AAL2/);
    expectRefused({ SESSION_REMEMBER_DEVICE: 'yes' }, 'SESSION_REMEMBER_DEVICE');
  });
});
