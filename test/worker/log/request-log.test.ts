// The log the whole service writes, captured inside workerd: every request leaves
// a line with its request id, and no line carries a secret the request held
// (src/log.ts, src/http/middleware.ts; README security checklist).
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { base64url } from '../../../src/secrets.ts';
import { TEST_ADMIN_TOKEN } from '../../support/test-env.ts';
import { basicAuthorization } from '../../support/worker/client-auth.ts';
import { issuer } from '../../support/worker/requests.ts';
import { createUser } from '../../support/worker/scim.ts';
import { testApp } from '../../support/worker/test-app.ts';

function loggingApp() {
  const lines: string[] = [];
  const app = testApp({ log: createLogger((line) => lines.push(line), { level: 'info' }) });
  const send = (path: string, init: RequestInit = {}) => app.fetch(new Request(new URL(path, issuer), init));
  const asAdmin = (path: string, body: unknown) =>
    send(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { lines, send, asAdmin };
}

const requestIdOf = (res: Response) => {
  const id = res.headers.get('x-request-id');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return id!;
};

describe('the request log under real traffic (src/http/middleware.ts)', () => {
  it('names every request by its id and holds no client secret, admin token, access token, invitation code or query string', async () => {
    const { lines, send, asAdmin } = loggingApp();
    const ids: string[] = [];

    // Client registration with the admin token (RFC 7591 §3).
    const registered = await asAdmin('/register', { client_name: 'Log test service', grant_types: ['client_credentials'], scope: 'pds:read' });
    expect(registered.status).toBe(201);
    ids.push(requestIdOf(registered));
    const service = (await registered.json()) as { client_id: string; client_secret: string; registration_access_token: string };

    // client_credentials with client_secret_basic (RFC 6749 §4.4, §2.3.1).
    const basic = basicAuthorization(service.client_id, service.client_secret);
    const token = await send('/token', {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(token.status).toBe(200);
    ids.push(requestIdOf(token));
    const { access_token: accessToken } = (await token.json()) as { access_token: string };

    // An authorization request carrying PKCE and state in its query (RFC 6749 §4.1.1, RFC 7636 §4.3).
    const web = await asAdmin('/register', { client_name: 'Log test RP', redirect_uris: ['https://rp.example.com/callback'] });
    expect(web.status).toBe(201);
    ids.push(requestIdOf(web));
    const rp = (await web.json()) as { client_id: string; client_secret: string };
    const state = `state-${crypto.randomUUID()}`;
    const codeChallenge = base64url(crypto.getRandomValues(new Uint8Array(32)));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: rp.client_id,
      redirect_uri: 'https://rp.example.com/callback',
      scope: 'openid',
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    }).toString();
    const authorize = await send(`/authorize?${query}`, { redirect: 'manual' });
    expect(authorize.status).toBe(303);
    expect(new URL(authorize.headers.get('location')!, issuer).pathname).toBe('/signin');
    ids.push(requestIdOf(authorize));

    // An invitation (contract §5) and the page its URL opens.
    const person = await createUser();
    const invited = await asAdmin(`/admin/users/${person.id}/enrolments`, {});
    expect(invited.status).toBe(201);
    ids.push(requestIdOf(invited));
    const { code } = (await invited.json()) as { code: string };
    const page = await send(`/enrol/${code}`);
    expect(page.status).toBe(200);
    ids.push(requestIdOf(page));

    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.every((l) => typeof l.time === 'string' && typeof l.level === 'string' && typeof l.msg === 'string')).toBe(true);
    const requestLines = parsed.filter((l) => l.msg === 'request');
    for (const id of ids) expect(requestLines.filter((l) => l.requestId === id)).toHaveLength(1);
    expect(requestLines.map((l) => [l.method, l.path, l.status])).toEqual(
      expect.arrayContaining([
        ['POST', '/register', 201],
        ['POST', '/token', 200],
        ['GET', '/authorize', 303],
        ['POST', `/admin/users/${person.id}/enrolments`, 201],
        ['GET', '/enrol/[code]', 200],
      ]),
    );

    const text = lines.join('\n');
    const secrets = {
      'client secret': service.client_secret,
      'other client secret': rp.client_secret,
      'registration access token': service.registration_access_token,
      'Basic credentials': basic.slice('Basic '.length),
      'admin token': TEST_ADMIN_TOKEN,
      'access token': accessToken,
      'invitation code': code,
      'query string': query,
      state,
      code_challenge: codeChallenge,
    };
    for (const [what, secret] of Object.entries(secrets)) expect(text.includes(secret), `the log holds the ${what}`).toBe(false);
    expect(requestLines.filter((l) => String(l.path).includes('?'))).toEqual([]);
  });

  it('logs a refused request by id too, without the wrong credentials it carried', async () => {
    const { lines, send } = loggingApp();
    const wrong = `wrong-${crypto.randomUUID()}`;
    const res = await send('/register?debug=1', {
      method: 'POST',
      headers: { authorization: `Bearer ${wrong}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    const id = requestIdOf(res);
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === id);
    expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'POST', path: '/register', status: 401 });
    expect(lines.join('\n')).not.toContain(wrong);
    expect(lines.join('\n')).not.toContain('debug=1');
  });
});
