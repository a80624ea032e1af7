// The SessionStore port over session Durable Objects (rules and handles: src/session/).
import type { Config } from '../src/config.ts';
import { sessionStoreOn } from '../src/session/session-store-on-objects.ts';
import type { SessionStore } from '../src/session/session-store.ts';
import type { SessionObject } from './session-object.ts';
import { durableSessionObjects } from './session-objects.ts';

export function createSessionStore(ns: DurableObjectNamespace<SessionObject>, config: Config, now?: () => number): SessionStore {
  return sessionStoreOn(durableSessionObjects(ns), config, now);
}
