// /assets/: the files pages load under `script-src 'self'`, bundled into the Worker.
import { describe, expect, it } from 'vitest';
import { invite } from '../../support/webauthn/enrolment.ts';
import { call } from '../../support/worker/requests.ts';
import { createUser } from '../../support/worker/scim.ts';

describe('GET /assets/{name}', () => {
  const cases: [string, RegExp, string][] = [
    ['nhsuk.min.css', /^text\/css; charset=utf-8$/, '.nhsuk-button'],
    ['simplewebauthn-browser.js', /^text\/javascript; charset=utf-8$/, 'SimpleWebAuthnBrowser'],
    ['webauthn-errors.js', /^text\/javascript; charset=utf-8$/, 'error_description'],
    ['enrol.js', /^text\/javascript; charset=utf-8$/, '/webauthn/registration/verify'],
    ['passkey-signin.js', /^text\/javascript; charset=utf-8$/, '/webauthn/authentication/verify'],
    ['images/nhsuk-icon-cross.svg', /^image\/svg\+xml; charset=utf-8$/, '<svg'],
    ['favicon.svg', /^image\/svg\+xml; charset=utf-8$/, '<svg'],
  ];

  for (const [name, type, sample] of cases) {
    it(`serves ${name} with its type, nosniff and a cache lifetime`, async () => {
      const res = await call(`/assets/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(type);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
      expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(await res.text()).toContain(sample);
    });
  }

  it('serves every image the stylesheet refers to', async () => {
    const css = await (await call('/assets/nhsuk.min.css')).text();
    const images = [...new Set([...css.matchAll(/url\((\/assets\/[^)]+)\)/g)].map((m) => m[1]!))];
    expect(images.length).toBeGreaterThan(0);
    for (const path of images) expect((await call(path)).status, path).toBe(200);
  });

  it('keeps the stylesheet self-contained: no fonts or images from other origins', async () => {
    const css = await (await call('/assets/nhsuk.min.css')).text();
    expect(css).not.toMatch(/url\(\s*["']?(https?:)?\/\//);
    expect(css).not.toContain('@font-face');
  });

  it('answers a revalidation with the same ETag with 304 and no body', async () => {
    const first = await call('/assets/enrol.js');
    const etag = first.headers.get('etag')!;
    const again = await call('/assets/enrol.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
  });

  it('answers HEAD without a body', async () => {
    const res = await call('/assets/nhsuk.min.css', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await res.text()).toBe('');
  });

  it('answers an unknown asset, or a path that climbs out, with a JSON 404', async () => {
    for (const path of ['/assets/nope.js', '/assets/../wrangler.toml', '/assets/%2e%2e/wrangler.toml', '/assets/constructor', '/assets/']) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
    }
  });

  it('refuses other methods with 405 and Allow', async () => {
    const res = await call('/assets/enrol.js', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('has the passkey pages load the shared WebAuthn script after the library and before their own, all deferred in order', async () => {
    const person = await createUser();
    const { url } = await invite(person.id);
    for (const [path, own] of [['/signin', 'passkey-signin.js'], [new URL(url).pathname, 'enrol.js']] as const) {
      const html = await (await call(path)).text();
      const scripts = [...html.matchAll(/<script src="\/assets\/([^"]+)" defer/g)].map((m) => m[1]);
      expect(scripts, path).toEqual(['simplewebauthn-browser.js', 'webauthn-errors.js', own]);
    }
  });
});
