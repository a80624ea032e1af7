// The GrantStore port over session Durable Objects: a grant lives in the object
// of the session that made it (rules: src/oauth/grant-rules.ts).
import type { Config } from '../src/config.ts';
import { grantStoreOn, type GrantStoreOptions } from '../src/oauth/grant-store-on-objects.ts';
import type { GrantStore } from '../src/oauth/grant-store.ts';
import type { SessionObject } from './session-object.ts';
import { durableSessionObjects } from './session-objects.ts';

export function createGrantStore(ns: DurableObjectNamespace<SessionObject>, config: Config, options: GrantStoreOptions = {}): GrantStore {
  return grantStoreOn(durableSessionObjects(ns), config, options);
}
