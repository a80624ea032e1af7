// Logout for workerd tests: a client registered for RP-initiated and
// back-channel logout, a person signed in to it with an ID token in hand, and
// the loopback receiver (../node/logout-receiver.ts) standing in for the client.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { inject } from 'vitest';
import type { ReceivedLogout } from '../node/logout-receiver.ts';
import { enrolPasskey, type EnrolledPasskey } from '../webauthn/enrolment.ts';
import { authorize, CODE_VERIFIER } from '../sign-in.ts';
import type { Env } from '../../../workers/env.ts';
import { backchannelLogoutStub } from '../../../workers/backchannel-logout-queue.ts';
import { Browser, redirectParams } from './browser.ts';
import { registerWebClient, type TestClient } from './client-auth.ts';
import { unique } from './requests.ts';
import { postForm, type TokenSet } from './tokens.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    logoutReceiverUrl: string;
    closedLoopbackUrl: string;
  }
}

export type { ReceivedLogout };

export const POST_LOGOUT_REDIRECT_URI = 'https://rp.example.com/signed-out';

const workerEnv = env as unknown as Env;

/** The receiver's endpoint for `key`: where a test client registers its backchannel_logout_uri. */
export const receiverUri = (key: string) => `${inject('logoutReceiverUrl')}/rp/${key}`;

/** Tells the receiver how to answer POSTs for `key` from now on. */
export async function answerWith(key: string, status: number): Promise<void> {
  await fetch(`${inject('logoutReceiverUrl')}/behaviour/${key}`, { method: 'PUT', body: JSON.stringify({ status }) });
}

export async function receivedAt(key: string): Promise<ReceivedLogout[]> {
  return (await (await fetch(`${inject('logoutReceiverUrl')}/received/${key}`)).json()) as ReceivedLogout[];
}

/** A code-flow client with a post-logout redirect URI and, given a key, a back-channel logout URI at the receiver. */
export function registerLogoutClient(key: string | null, metadata: Record<string, unknown> = {}): Promise<TestClient> {
  return registerWebClient({
    post_logout_redirect_uris: [POST_LOGOUT_REDIRECT_URI],
    ...(key ? { backchannel_logout_uri: receiverUri(key) } : {}),
    ...metadata,
  });
}

export interface SignedIn extends EnrolledPasskey {
  browser: Browser;
  /** The session cookie's value, kept after logout clears the cookie. */
  handle: string;
  sessionId: string;
  tokens: TokenSet;
  idToken: string;
}

/** Signs in to `client` through the sign-in page and redeems the code: the ID token is the hint RPs send. */
export async function signInTo(client: TestClient, enrolled?: EnrolledPasskey, browser = new Browser()): Promise<SignedIn> {
  const passkey = enrolled ?? (await enrolPasskey());
  const done = await authorize(browser, client, passkey.authenticator, { scope: 'openid profile' });
  const { code } = redirectParams(done);
  const res = await postForm('/token', { grant_type: 'authorization_code', code: code!, redirect_uri: client.redirect_uris[0]!, code_verifier: CODE_VERIFIER }, client);
  if (res.status !== 200) throw new Error(`redeeming the code answered ${res.status}: ${await res.text()}`);
  const tokens = (await res.json()) as TokenSet;
  const handle = browser.cookie('session')!.value;
  return { ...passkey, browser, handle, sessionId: handle.split('.')[0]!, tokens, idToken: tokens.id_token! };
}

/** A fresh key for the receiver, so tests do not read each other's deliveries. */
export const receiverKey = () => unique('rp');

export function logoutQueue(sessionId: string) {
  return backchannelLogoutStub(workerEnv.LOGOUTS, sessionId);
}

/** Runs the queue's alarm now, as if its time had come; false when none was set. */
export function runDeliveryAlarm(sessionId: string): Promise<boolean> {
  return runDurableObjectAlarm(logoutQueue(sessionId));
}

export function queueAlarm(sessionId: string): Promise<number | null> {
  return runInDurableObject(logoutQueue(sessionId), (_, state) => state.storage.getAlarm());
}

/** Polls until `check` answers something other than null (deliveries run from an alarm, a moment later). */
export async function eventually<T>(check: () => Promise<T | null>, what = 'the condition', timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The first `count` deliveries to the receiver's `key`, once they have arrived. */
export function deliveredTo(key: string, count = 1): Promise<ReceivedLogout[]> {
  return eventually(async () => {
    const list = await receivedAt(key);
    return list.length >= count ? list : null;
  }, `${count} logout token(s) at ${key}`);
}
