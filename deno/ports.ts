// The core's ports on Deno: Upstash Redis for everything that must be
// exactly-once or short-lived, libSQL for the directory, keys, audit and the
// back-channel logout outbox.
import { createAuditSink } from '../src/audit.ts';
import { readConfig } from '../src/config.ts';
import { createDatabase } from '../src/directory/database.ts';
import { ConfigError } from '../src/errors.ts';
import { createDirectoryKeySource } from '../src/keys/directory-key-source.ts';
import { createCachedKeyStore } from '../src/keys/sealed-keys.ts';
import { createLogger } from '../src/log.ts';
import { createOutboxQueue } from '../src/logout/backchannel-outbox.ts';
import type { Ports } from '../src/ports.ts';
import { createUpstashChallengeStore } from '../src/upstash/challenge-store.ts';
import { createUpstashCalls } from '../src/upstash/client.ts';
import { createUpstashRateLimitStore } from '../src/upstash/rate-limit-store.ts';
import { createUpstashRecordStore } from '../src/upstash/record-store.ts';
import { createUpstashReplayCache, createUpstashRevocationList } from '../src/upstash/ttl-store.ts';
import { pushedRequestStoreOn } from '../src/oauth/pushed-request-store.ts';
import { grantStoreOn } from '../src/oauth/grant-store-on-objects.ts';
import { recordStoreSessionObjects } from '../src/session/session-objects.ts';
import { sessionStoreOn } from '../src/session/session-store-on-objects.ts';
import { deviceStoreOn } from '../src/device/device-store.ts';
import { recordStoreDeviceObjects } from '../src/device/device-objects.ts';
import { loopbackAllowedFor } from '../src/clients/resolved-address.ts';
import { readAssets } from './assets.ts';
import { createCheckedFetch } from './checked-fetch.ts';

export function buildDenoPorts(env: Record<string, string | undefined>, root: URL): Ports {
  const config = readConfig(env);
  if (!config.upstash) {
    throw new ConfigError('UPSTASH_REDIS_REST_URL', 'the Deno entry keeps sessions and grants in Upstash Redis: set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN');
  }
  const now = () => Date.now();
  const db = createDatabase(config);
  const upstash = createUpstashCalls(config.upstash, config.dbTimeoutMs);
  // One record per browser session holds the session and every grant made in it.
  const objects = recordStoreSessionObjects(createUpstashRecordStore(upstash, 'session'), '');
  return {
    config,
    db,
    keys: createCachedKeyStore(createDirectoryKeySource(db, config.keyEncryptionSecret, now), config),
    sessions: sessionStoreOn(objects, config, now),
    grants: grantStoreOn(objects, config, { now }),
    // Device authorizations and their user codes, each a record with compare-and-set.
    devices: deviceStoreOn(recordStoreDeviceObjects(createUpstashRecordStore(upstash, 'device'))),
    replay: createUpstashReplayCache(upstash),
    revocations: createUpstashRevocationList(upstash),
    limits: createUpstashRateLimitStore(upstash),
    challenges: createUpstashChallengeStore(upstash),
    pushedRequests: pushedRequestStoreOn(createUpstashRecordStore(upstash, 'par'), now),
    assets: readAssets(root),
    backchannelLogout: createOutboxQueue(db),
    audit: createAuditSink(db, now),
    log: createLogger(undefined, { level: config.logLevel }),
    // Deno resolves names itself: jwks_uri and back-channel logout connect only to checked addresses.
    outboundFetch: createCheckedFetch({ allowLoopback: loopbackAllowedFor(config.issuer) }),
    now,
  };
}
