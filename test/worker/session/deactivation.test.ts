import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.ts';
import { personObjects } from '../../../src/directory/person-index.ts';
import type { Env } from '../../../workers/env.ts';
import { createSessionStore } from '../../../workers/session-store.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { auditEventsFor, patchUser, scimRequest } from '../../support/worker/scim.ts';
import { authorize, authorizePath } from '../../support/sign-in.ts';

const workerEnv = env as unknown as Env;
const sessions = createSessionStore(workerEnv.SESSIONS, readConfig(workerEnv));

async function signedIn() {
  const client = await registerClient();
  const { person, authenticator } = await enrolPasskey();
  const browser = new Browser();
  await authorize(browser, client, authenticator);
  const handle = browser.cookie('session')!.value;
  return { client, person, browser, handle, sessionId: handle.split('.')[0]! };
}

describe('deactivation ends the person\'s sessions at once (contract §4)', () => {
  it('indexes the session under the person when they sign in', async () => {
    const { person, sessionId } = await signedIn();
    expect(await personObjects(testDatabase(), person.id, 'session', Date.now())).toContain(sessionId);
  });

  it('after SCIM active:false the session yields no code: prompt=none answers login_required', async () => {
    const { client, person, browser, handle, sessionId } = await signedIn();
    const res = await patchUser(person.id, [{ op: 'replace', path: 'active', value: false }]);
    expect(res.status).toBe(200);
    const after = await browser.fetch(authorizePath(client, { prompt: 'none', state: 'gone' }));
    expect(redirectParams(after)).toMatchObject({ error: 'login_required', state: 'gone' });
    // The object itself is ended: the cookie finds nothing and a second end has nothing to end.
    expect(await sessions.load(handle, Date.now())).toBeNull();
    expect(await sessions.end(sessionId)).toBeNull();
    const event = (await auditEventsFor(person.id)).find((e) => e.action === 'person.deactivate');
    expect(event!.details).toMatchObject({ reason: 'deactivated', sessions: 1 });
  });

  it('after SCIM DELETE the session yields no code either', async () => {
    const { client, person, browser, handle } = await signedIn();
    expect((await scimRequest(`/Users/${person.id}`, 'DELETE')).status).toBe(204);
    const after = await browser.fetch(authorizePath(client, { prompt: 'none' }));
    expect(redirectParams(after).error).toBe('login_required');
    expect(await sessions.load(handle, Date.now())).toBeNull();
  });
});
