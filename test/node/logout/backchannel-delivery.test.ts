import { describe, expect, it } from 'vitest';
import { OutboundAddressRefused } from '../../../src/clients/resolved-address.ts';
import { postLogoutToken } from '../../../src/logout/backchannel-delivery.ts';
import { BACKCHANNEL_LOGOUT_EVENT, logoutTokenClaims } from '../../../src/logout/logout-token.ts';
import type { Client } from '../../../src/clients/client.ts';

type Call = { url: string; init: RequestInit };

function recordingFetch(answer: (call: Call) => Promise<Response>): { send: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const send = (async (url: string, init: RequestInit) => {
    const call = { url, init };
    calls.push(call);
    return answer(call);
  }) as typeof fetch;
  return { send, calls };
}

describe('one back-channel logout request (OIDC Back-Channel Logout 1.0 §2.5)', () => {
  it('POSTs logout_token as a form, follows no redirect and counts any 2xx as delivered', async () => {
    const { send, calls } = recordingFetch(async () => new Response(null, { status: 204 }));
    expect(await postLogoutToken(send, 'https://rp.example/bcl', 'a.b.c')).toEqual({ ok: true, status: 204 });
    expect(calls[0]!.url).toBe('https://rp.example/bcl');
    expect(calls[0]!.init).toMatchObject({ method: 'POST', redirect: 'manual', body: 'logout_token=a.b.c' });
    expect(new Headers(calls[0]!.init.headers).get('content-type')).toBe('application/x-www-form-urlencoded');
  });

  it.each([
    [302, 'redirect not followed'],
    [400, 'answered 400'],
    [503, 'answered 503'],
  ])('treats %i as a failed attempt (%s)', async (status, error) => {
    const { send } = recordingFetch(async () => new Response(null, { status, headers: status === 302 ? { location: '/elsewhere' } : {} }));
    expect(await postLogoutToken(send, 'https://rp.example/bcl', 't')).toEqual({ ok: false, status, error });
  });

  it('treats a refused connection and a client that never answers as failed attempts', async () => {
    const refused = recordingFetch(async () => {
      throw new TypeError('fetch failed');
    });
    expect(await postLogoutToken(refused.send, 'https://rp.example/bcl', 't')).toEqual({ ok: false, error: 'could not connect' });
    const hanging = recordingFetch(
      ({ init }) =>
        new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason as Error))),
    );
    expect(await postLogoutToken(hanging.send, 'https://rp.example/bcl', 't', 50)).toEqual({ ok: false, error: 'no answer within 50 ms' });
  });

  it('says why the outbound port refused the address, for the audit record (SSRF check on resolved addresses)', async () => {
    const { send } = recordingFetch(async () => {
      throw new OutboundAddressRefused('rp.example resolves to a private, link-local or internal address (10.0.0.7)');
    });
    expect(await postLogoutToken(send, 'https://rp.example/bcl', 't')).toEqual({
      ok: false,
      error: 'refused: rp.example resolves to a private, link-local or internal address (10.0.0.7)',
    });
  });
});

describe('logout token claims (§2.4)', () => {
  const client = { clientId: 'client-1' } as Client;

  it('names the issuer, the client, the session and the person, with the logout event, a short exp and no nonce', () => {
    const claims = logoutTokenClaims({ client, issuer: 'https://id.example', sessionId: 'sid-1', subject: '555000000001', now: 1_000 });
    expect(claims).toEqual({
      iss: 'https://id.example',
      aud: 'client-1',
      iat: 1_000,
      exp: 1_120,
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      sid: 'sid-1',
      sub: '555000000001',
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    });
    expect(claims).not.toHaveProperty('nonce');
  });

  it('leaves sub out when the person is unknown: sid alone identifies the session (§2.4)', () => {
    const claims = logoutTokenClaims({ client, issuer: 'https://id.example', sessionId: 'sid-1', subject: null, now: 1 });
    expect(claims).not.toHaveProperty('sub');
    expect(logoutTokenClaims({ client, issuer: 'i', sessionId: 's', subject: null, now: 1 }).jti).not.toBe(claims.jti);
  });
});
