// The verification page (RFC 8628 §3.3) over HTTP inside workerd: the code form
// with its CSRF token, codes typed in other forms, Unicode look-alikes refused,
// and wrong codes counted per address until the address must wait (§5.1).
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { errorSummaryItems, pageTitle } from '../../support/pages.ts';
import { hiddenField } from '../../support/password-sign-in.ts';
import { Browser } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { addressHeader } from '../../support/worker/lockout.ts';
import { postForm } from '../../support/worker/tokens.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

async function userCode(): Promise<string> {
  const client = await registerClient({ client_name: 'Kiosk', grant_types: [DEVICE_GRANT], token_endpoint_auth_method: 'none', scope: 'openid' });
  const res = await postForm('/device_authorization', { client_id: client.client_id }, null);
  return ((await res.json()) as { user_code: string }).user_code;
}

/** A browser from its own address, on the code form. */
async function onCodePage(headers = addressHeader()): Promise<{ browser: Browser; token: string }> {
  const browser = new Browser((request) => {
    for (const [k, v] of Object.entries(headers)) request.headers.set(k, v);
    return SELF.fetch(request);
  });
  const page = await browser.fetch('/device');
  expect(page.status).toBe(200);
  return { browser, token: hiddenField(await page.text(), 'csrf_token') };
}

const submit = (browser: Browser, token: string, code: string) => browser.postForm('/device', { csrf_token: token, user_code: code });

describe('the verification page (RFC 8628 §3.3)', () => {
  it('shows the code form, filled in from verification_uri_complete', async () => {
    const browser = new Browser();
    const res = await browser.fetch('/device?user_code=BCDF-GHJK');
    const html = await res.text();
    expect(pageTitle(html)).toMatch(/^Connect a device/);
    expect(html).toContain('value="BCDF-GHJK"');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('refuses a post without the session\'s CSRF token with 403', async () => {
    const { browser } = await onCodePage();
    expect((await submit(browser, 'forged', await userCode())).status).toBe(403);
  });

  it('takes the code in lower case, without the dash, with spaces, and goes on to sign in (§6.1)', async () => {
    for (const form of [(c: string) => c.toLowerCase(), (c: string) => c.replace('-', ''), (c: string) => ` ${c.slice(0, 4)} ${c.slice(5).toLowerCase()} `]) {
      const { browser, token } = await onCodePage();
      const res = await submit(browser, token, form(await userCode()));
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/signin\?interaction=/);
    }
  });

  it('refuses Unicode look-alikes of the letters with an error summary, never matching a real code', async () => {
    const code = await userCode();
    const { browser, token } = await onCodePage();
    const fullwidth = String.fromCharCode(code.charCodeAt(0) + 0xfee0) + code.slice(1);
    for (const typed of [fullwidth, code.replace('-', '\u2013'), code.slice(0, 8) + '\u017F']) {
      const res = await submit(browser, token, typed);
      expect(res.status).toBe(400);
      expect(errorSummaryItems(await res.text())[0]).toMatch(/Enter the 8 letters/);
    }
  });

  it('counts wrong codes against the address: past the threshold it must wait, even with a right code (§5.1)', async () => {
    const headers = addressHeader();
    const { browser, token } = await onCodePage(headers);
    const right = await userCode();
    const wrong = right.startsWith('B') ? 'CCCC-CCCC' : 'BBBB-BBBB';
    let refused: Response | null = null;
    for (let i = 0; i < 25 && !refused; i++) {
      const res = await submit(browser, token, wrong);
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(400);
    }
    expect(refused).not.toBeNull();
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(errorSummaryItems(await refused!.text())[0]).toMatch(/too many wrong codes/i);
    expect((await submit(browser, token, right)).status).toBe(429);
    // Another address is not affected.
    const other = await onCodePage();
    expect((await submit(other.browser, other.token, right)).status).toBe(303);
  });
});
