// The SessionStore port over session objects. A handle is `<object id>.<secret>`:
// the id routes to the object without a lookup, the secret's SHA-256 is what
// the object checks. Handles are parsed here so a malformed one never reaches
// a Durable Object.
import type { Config } from '../src/config.ts';
import { randomToken, sha256 } from '../src/secrets.ts';
import type { OpenedSession, SessionStore } from '../src/session/session-store.ts';
import { LOCATION_HINT } from './env.ts';
import type { SessionObject } from './session-object.ts';

const HANDLE = /^([0-9a-f]{64})\.([A-Za-z0-9_-]{43})$/;

export function createSessionStore(ns: DurableObjectNamespace<SessionObject>, config: Config): SessionStore {
  function stubFor(id: DurableObjectId): DurableObjectStub<SessionObject> {
    return ns.get(id, { locationHint: LOCATION_HINT });
  }

  function idFrom(hex: string): DurableObjectId | null {
    try {
      // Throws for an id this namespace did not make.
      return ns.idFromString(hex);
    } catch {
      return null;
    }
  }

  async function open(handle: string) {
    const m = HANDLE.exec(handle);
    const id = m && idFrom(m[1]!);
    if (!m || !id) return null;
    return { stub: stubFor(id), hex: m[1]!, secretHash: await sha256(m[2]!) };
  }

  return {
    async create(now) {
      // A name of 256 random bits, not newUniqueId(): as unguessable, and in
      // workerd's profile newUniqueId was a tenth of a sign-in's CPU (issue 5).
      const id = ns.idFromName(randomToken());
      const secret = randomToken();
      const session = await stubFor(id).init(await sha256(secret), randomToken(), now);
      return { handle: `${id.toString()}.${secret}`, session };
    },
    async load(handle, now) {
      const s = await open(handle);
      return s ? s.stub.load(s.secretHash, now) : null;
    },
    async addInteraction(handle, request, now) {
      const s = await open(handle);
      return s ? s.stub.addInteraction(s.secretHash, randomToken(16), request, now) : null;
    },
    async interaction(handle, id, now, focus = false) {
      const s = await open(handle);
      // Interaction ids are ours (base64url); anything else cannot name one.
      if (!s || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
      return s.stub.interaction(s.secretHash, id, now, focus);
    },
    async setChallenge(handle, challenge, now, interactionId = null) {
      const s = await open(handle);
      const interaction = interactionId && /^[A-Za-z0-9_-]{1,64}$/.test(interactionId) ? interactionId : null;
      return s ? s.stub.setChallenge(s.secretHash, challenge, now, interaction) : false;
    },
    async takeChallenge(handle, now) {
      const s = await open(handle);
      return s ? s.stub.takeChallenge(s.secretHash, now) : null;
    },
    async authenticate(handle, authentication, interactionId, now): Promise<OpenedSession | null> {
      const s = await open(handle);
      if (!s) return null;
      // Session fixation (OWASP): a new secret at every authentication.
      const secret = randomToken();
      const maxAgeMs = config.ttl.sessionMaxAge * 1000;
      const session = await s.stub.authenticate(s.secretHash, await sha256(secret), authentication, interactionId, now, maxAgeMs);
      return session ? { handle: `${s.hex}.${secret}`, session } : null;
    },
    async chooseRole(handle, interactionId, roleId, now) {
      const s = await open(handle);
      return s ? s.stub.chooseRole(s.secretHash, interactionId, roleId, now) : false;
    },
    async completeInteraction(handle, interactionId, clientId, now) {
      const s = await open(handle);
      return s ? s.stub.completeInteraction(s.secretHash, interactionId, clientId, now) : false;
    },
    async end(sessionId) {
      const id = /^[0-9a-f]{64}$/.test(sessionId) ? idFrom(sessionId) : null;
      return id ? stubFor(id).end() : null;
    },
  };
}
