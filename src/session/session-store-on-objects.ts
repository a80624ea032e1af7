// The SessionStore port over session objects (./session-objects.ts), whatever
// keeps them. Handles are parsed and secrets hashed here, in the Worker, so a
// malformed handle never reaches an object and an object only sees hashes.
import { idleTimeouts } from '../assurance/idle.ts';
import type { Config } from '../config.ts';
import { randomToken, sha256 } from '../secrets.ts';
import { newHandle, parseHandle } from './handle.ts';
import type { SessionObjects } from './session-objects.ts';
import { OBJECT_ID } from './session-objects.ts';
import type { OpenedSession, SessionStore } from './session-store.ts';

// Interaction ids are ours (base64url); anything else cannot name one.
const INTERACTION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `now` is the clock of the one call that takes no time from its caller, end(). */
export function sessionStoreOn(objects: SessionObjects, config: Config, now: () => number = () => Date.now()): SessionStore {
  async function open(handle: string) {
    const parsed = parseHandle(handle);
    return parsed && { id: parsed.objectId, secretHash: await sha256(parsed.secret) };
  }

  return {
    async create(now) {
      const id = objects.newId();
      const { handle, secret } = newHandle(id);
      const session = await objects.apply(id, { kind: 'create', id, secretHash: await sha256(secret), csrfToken: randomToken() }, now);
      return { handle, session };
    },
    async load(handle, now) {
      const s = await open(handle);
      return s ? objects.apply(s.id, { kind: 'load', secretHash: s.secretHash }, now) : null;
    },
    async addInteraction(handle, request, now) {
      const s = await open(handle);
      const interactionId = randomToken(16);
      return s ? objects.apply(s.id, { kind: 'addInteraction', secretHash: s.secretHash, interactionId, request }, now) : null;
    },
    async interaction(handle, interactionId, now, focus = false) {
      const s = await open(handle);
      if (!s || !INTERACTION_ID.test(interactionId)) return null;
      return objects.apply(s.id, { kind: 'interaction', secretHash: s.secretHash, interactionId, focus }, now);
    },
    async setChallenge(handle, challenge, now, interactionId = null) {
      const s = await open(handle);
      const interaction = interactionId && INTERACTION_ID.test(interactionId) ? interactionId : null;
      return s ? objects.apply(s.id, { kind: 'setChallenge', secretHash: s.secretHash, challenge, interactionId: interaction }, now) : false;
    },
    async takeChallenge(handle, now) {
      const s = await open(handle);
      return s ? objects.apply(s.id, { kind: 'takeChallenge', secretHash: s.secretHash }, now) : null;
    },
    async authenticate(handle, authentication, interactionId, now): Promise<OpenedSession | null> {
      const s = await open(handle);
      if (!s) return null;
      // Session fixation (OWASP): a new secret at every authentication.
      const next = newHandle(s.id);
      const session = await objects.apply(
        s.id,
        {
          kind: 'authenticate',
          secretHash: s.secretHash,
          newSecretHash: await sha256(next.secret),
          authentication,
          interactionId,
          maxAgeMs: config.ttl.sessionMaxAge * 1000,
        },
        now,
      );
      return session ? { handle: next.handle, session } : null;
    },
    async chooseRole(handle, interactionId, roleId, now) {
      const s = await open(handle);
      return s ? objects.apply(s.id, { kind: 'chooseRole', secretHash: s.secretHash, interactionId, roleId }, now) : false;
    },
    async completeInteraction(handle, interactionId, clientId, now) {
      const s = await open(handle);
      const idle = idleTimeouts(config);
      return s ? objects.apply(s.id, { kind: 'completeInteraction', secretHash: s.secretHash, interactionId, clientId, idle }, now) : false;
    },
    async end(sessionId) {
      return OBJECT_ID.test(sessionId) ? objects.apply(sessionId, { kind: 'end' }, now()) : null;
    },
    async endSignedInWith(sessionId, authenticatorId) {
      return OBJECT_ID.test(sessionId) ? objects.apply(sessionId, { kind: 'endSignedInWith', authenticatorId }, now()) : null;
    },
  };
}
