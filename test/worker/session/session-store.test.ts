import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.ts';
import type { AuthorizationRequest } from '../../../src/oauth/authorization-request.ts';
import type { Authentication } from '../../../src/ports.ts';
import { CHALLENGE_TTL_MS, INTERACTION_TTL_MS, UNAUTHENTICATED_SESSION_TTL_MS } from '../../../src/session/session-store.ts';
import type { SessionRecord } from '../../../src/session/session-record.ts';
import type { Env } from '../../../workers/env.ts';
import type { SessionObject } from '../../../workers/session-object.ts';
import { createSessionStore } from '../../../workers/session-store.ts';

const workerEnv = env as unknown as Env;
const config = readConfig(workerEnv);
const store = createSessionStore(workerEnv.SESSIONS, config);
const T0 = 1_900_000_000_000;

const REQUEST: AuthorizationRequest = {
  clientId: 'c', redirectUri: 'https://rp.example.com/cb', responseMode: 'query', state: 's',
  scope: ['openid'], codeChallenge: 'x'.repeat(43), prompt: [], acrValues: [],
};
const AUTH: Authentication = { personId: 'p-1', authTime: T0 / 1000, amr: ['FIDO2'], aal: 3, method: 'passkey' };

const stubOf = (sessionId: string) => workerEnv.SESSIONS.get(workerEnv.SESSIONS.idFromString(sessionId));

describe('session handles: `<object id>.<secret>`, only the secret\'s hash stored (ARCHITECTURE.md)', () => {
  it('loads with the handle and nothing else: a wrong secret, a malformed or foreign handle find nothing', async () => {
    const { handle, session } = await store.create(T0);
    expect(handle).toMatch(/^[0-9a-f]{64}\.[A-Za-z0-9_-]{43}$/);
    expect(await store.load(handle, T0)).toEqual(session);
    const [id, secret] = handle.split('.');
    expect(await store.load(`${id}.${'A'.repeat(43)}`, T0)).toBeNull();
    expect(await store.load(`${'0'.repeat(64)}.${secret}`, T0)).toBeNull();
    expect(await store.load('garbage', T0)).toBeNull();
    expect(await store.end('not-an-id')).toBeNull();
  });

  it('stores the SHA-256 of the secret, never the secret', async () => {
    const { handle, session } = await store.create(T0);
    const secret = handle.split('.')[1]!;
    const stored = await runInDurableObject(stubOf(session.id), (_: SessionObject, state: DurableObjectState) =>
      state.storage.sql.exec<{ value: string }>('SELECT value FROM session_record').one().value,
    );
    expect(stored).not.toContain(secret);
    expect((JSON.parse(stored) as SessionRecord).session!.secretHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('authentication in a session (contract §6, §8)', () => {
  it('rotates the secret on authentication (session fixation): the old handle stops working', async () => {
    const { handle } = await store.create(T0);
    const opened = await store.authenticate(handle, AUTH, null, T0 + 1000);
    expect(opened!.handle).not.toBe(handle);
    expect(opened!.handle.split('.')[0]).toBe(handle.split('.')[0]);
    expect(await store.load(handle, T0 + 1000)).toBeNull();
    expect((await store.load(opened!.handle, T0 + 1000))!.authentication).toEqual(AUTH);
  });

  it('lives SESSION_MAX_AGE from the first authentication; a step-up replaces the authentication but not the lifetime', async () => {
    const { handle } = await store.create(T0);
    const first = await store.authenticate(handle, { ...AUTH, aal: 2 }, null, T0);
    expect(first!.session.expiresAt).toBe(T0 + config.ttl.sessionMaxAge * 1000);
    const stepped = await store.authenticate(first!.handle, AUTH, null, T0 + 60_000);
    expect(stepped!.session).toMatchObject({ authentication: AUTH, expiresAt: first!.session.expiresAt });
    expect(await store.load(stepped!.handle, first!.session.expiresAt)).toBeNull();
  });

  it('ends: answers the person and the clients served, then nothing is left (logout, deactivation)', async () => {
    const { handle, session } = await store.create(T0);
    const opened = await store.authenticate(handle, AUTH, null, T0);
    await store.completeInteraction(opened!.handle, null, 'client-a', T0);
    await store.completeInteraction(opened!.handle, null, 'client-b', T0);
    expect(await store.end(session.id)).toEqual({ personId: 'p-1', clients: ['client-a', 'client-b'] });
    expect(await store.load(opened!.handle, T0)).toBeNull();
    expect(await store.end(session.id)).toBeNull();
  });
});

describe('pending interactions and challenges', () => {
  it('keeps an interaction for 10 minutes and takes it once', async () => {
    const { handle } = await store.create(T0);
    const pending = await store.addInteraction(handle, REQUEST, T0);
    expect(pending).toMatchObject({ request: REQUEST, expiresAt: T0 + INTERACTION_TTL_MS, authenticatedAt: null, roleChosen: false });
    expect((await store.load(handle, T0))!.currentInteraction).toBe(pending!.id);
    expect(await store.interaction(handle, pending!.id, T0 + INTERACTION_TTL_MS - 1)).not.toBeNull();
    expect(await store.interaction(handle, pending!.id, T0 + INTERACTION_TTL_MS)).toBeNull();
    expect(await store.completeInteraction(handle, pending!.id, 'c', T0)).toBe(true);
    expect(await store.completeInteraction(handle, pending!.id, 'c', T0)).toBe(false);
    expect(await store.interaction(handle, pending!.id, T0)).toBeNull();
  });

  it('marks the interaction authenticated and its role chosen', async () => {
    const { handle } = await store.create(T0);
    const pending = await store.addInteraction(handle, REQUEST, T0);
    const opened = await store.authenticate(handle, AUTH, pending!.id, T0 + 5);
    expect(await store.chooseRole(opened!.handle, pending!.id, 'role-1', T0 + 6)).toBe(true);
    const found = await store.interaction(opened!.handle, pending!.id, T0 + 7);
    expect(found!.interaction).toMatchObject({ authenticatedAt: T0 + 5, roleChosen: true });
    expect(found!.session.selectedRoleId).toBe('role-1');
  });

  it('uses a WebAuthn challenge at most once, and not after 5 minutes (W3C WebAuthn §13.4.3)', async () => {
    const { handle } = await store.create(T0);
    await store.setChallenge(handle, 'ch-1', T0);
    expect(await store.takeChallenge(handle, T0 + 1)).toBe('ch-1');
    expect(await store.takeChallenge(handle, T0 + 2)).toBeNull();
    await store.setChallenge(handle, 'ch-2', T0);
    expect(await store.takeChallenge(handle, T0 + CHALLENGE_TTL_MS)).toBeNull();
  });
});

describe('expiry', () => {
  it('gives a session nobody signed in to an hour, extended while requests keep coming', async () => {
    const { handle, session } = await store.create(T0);
    expect(session.expiresAt).toBe(T0 + UNAUTHENTICATED_SESSION_TTL_MS);
    await store.addInteraction(handle, REQUEST, T0 + 30 * 60_000);
    expect((await store.load(handle, T0 + UNAUTHENTICATED_SESSION_TTL_MS))!.expiresAt).toBe(T0 + 90 * 60_000);
  });

  it('keeps a live session when the alarm fires early, and sets it again for the expiry', async () => {
    const at = Date.now();
    const { handle, session } = await store.create(at);
    const stub = stubOf(session.id);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await store.load(handle, at)).not.toBeNull();
    const alarm = await runInDurableObject(stub, (_: SessionObject, state: DurableObjectState) => state.storage.getAlarm());
    expect(alarm).toBe(session.expiresAt);
  });

  it('deletes everything once the alarm fires after expiry', async () => {
    // Created an hour ago: its alarm is already due and fires at once.
    const at = Date.now() - UNAUTHENTICATED_SESSION_TTL_MS - 1000;
    const { session } = await store.create(at);
    const stub = stubOf(session.id);
    await runDurableObjectAlarm(stub);
    // Nothing left at all: not the record, not even its table.
    const count = () =>
      runInDurableObject(stub, (_: SessionObject, state: DurableObjectState) =>
        state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'session_record'`).one().n,
      );
    await expect.poll(count, { timeout: 3000 }).toBe(0);
    expect(await runInDurableObject(stub, (_: SessionObject, state: DurableObjectState) => state.storage.getAlarm())).toBeNull();
  });
});
