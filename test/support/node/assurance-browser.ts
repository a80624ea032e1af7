// Browser-side helpers for the assurance end-to-end tests: a page with one
// virtual authenticator, synced or device-bound, enrolment from an invitation
// page, and a relying party whose callback the page never leaves for.
import { createHash, randomBytes } from 'node:crypto';
import type { CDPSession } from 'playwright-core';
import { addPlatformAuthenticator, type Browser, type Page } from './browser.ts';
import { admin, register } from './contract.ts';
import type { LocalStack } from './local-stack.ts';

export const CALLBACK = 'https://rp.assurance.example/cb';

/** A credential as CDP's WebAuthn.getCredentials answers it (private key included), to add back later. */
export interface Credential {
  credentialId: string;
  backupEligibility?: boolean;
  backupState?: boolean;
  [field: string]: unknown;
}

/** A page with one CTAP2 platform authenticator at a time, which can be swapped. */
export class AuthenticatorPage {
  private authenticatorId: string | null = null;
  callback = '';

  private constructor(
    readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  static async open(browser: Browser, options: { javaScript?: boolean } = {}): Promise<AuthenticatorPage> {
    const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true });
    // No passkey autofill (conditional mediation): a virtual authenticator answers it at
    // once, racing the button the test clicks. The button's ceremony is what is tested.
    await context.addInitScript(() => {
      if (window.PublicKeyCredential) PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const opened = new AuthenticatorPage(page, cdp);
    await context.route(`${new URL(CALLBACK).origin}/**`, (route) => {
      opened.callback = route.request().url();
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>relying party</p>' });
    });
    return opened;
  }

  /** A page whose authenticator, device-bound unless `synced`, holds a passkey enrolled for the person. */
  static async enrolled(browser: Browser, stack: LocalStack, personId: string, options: { synced?: boolean } = {}): Promise<AuthenticatorPage> {
    const opened = await AuthenticatorPage.open(browser);
    await opened.attach(options.synced ?? false);
    await opened.enrolPasskey(stack, personId);
    return opened;
  }

  /** Goes to `url`, which sends the person to the sign-in page, and presses the passkey button there. */
  async signInWithPasskey(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForURL((at) => at.pathname === '/signin');
    await this.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  }

  /** Replaces the authenticator with one that is synced (BE and BS set) or device-bound, holding `credentials`. */
  async attach(synced: boolean, credentials: Credential[] = []): Promise<void> {
    await this.detach();
    const authenticatorId = await addPlatformAuthenticator(this.cdp, synced);
    this.authenticatorId = authenticatorId;
    for (const credential of credentials) await this.cdp.send('WebAuthn.addCredential', { authenticatorId, credential: credential as never });
  }

  /** Removes the authenticator; answers the credentials it held, to attach again later. */
  async detach(): Promise<Credential[]> {
    if (!this.authenticatorId) return [];
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', { authenticatorId: this.authenticatorId });
    await this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: this.authenticatorId });
    this.authenticatorId = null;
    return credentials as unknown as Credential[];
  }

  /** Opens a new invitation for the person and creates a passkey with the attached authenticator. */
  enrolPasskey(stack: LocalStack, personId: string): Promise<void> {
    return enrolPasskey(this.page, stack, personId);
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }

  /** Waits until the relying party's callback is reached; answers its query. */
  async callbackParams(): Promise<URLSearchParams> {
    for (let i = 0; i < 150 && !this.callback; i++) await new Promise((r) => setTimeout(r, 100));
    if (!this.callback) throw new Error(`the callback was not reached; the page is at ${this.page.url()}`);
    const params = new URL(this.callback).searchParams;
    // The route answered; the navigation to it may still be committing, and a
    // goto started now would be interrupted by it.
    const origin = new URL(this.callback).origin;
    await this.page.waitForURL((url) => url.origin === origin);
    this.callback = '';
    return params;
  }
}

export interface TestRelyingParty {
  clientId: string;
  clientSecret: string;
}

export async function registerRelyingParty(stack: LocalStack): Promise<TestRelyingParty> {
  const client = await register(stack, {
    client_name: 'Assurance test RP',
    redirect_uris: [CALLBACK],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid profile nhsperson nationalrbacaccess associatedorgs selectedrole',
  });
  return { clientId: client.client_id, clientSecret: client.client_secret };
}

/** An authorization URL with a fresh PKCE pair (RFC 7636 S256). */
export function authorizationUrl(stack: LocalStack, rp: TestRelyingParty, params: Record<string, string> = {}): { url: string; verifier: string } {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${stack.url}/authorize`);
  const all = {
    response_type: 'code',
    client_id: rp.clientId,
    redirect_uri: CALLBACK,
    scope: 'openid',
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...params,
  };
  for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
  return { url: url.href, verifier };
}

/** Redeems a code at the token endpoint; answers the ID token's claims. */
export async function idTokenClaims(stack: LocalStack, rp: TestRelyingParty, code: string, verifier: string): Promise<Record<string, any>> {
  const res = await fetch(`${stack.url}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${rp.clientId}:${rp.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier }),
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  const { id_token } = (await res.json()) as { id_token: string };
  return JSON.parse(Buffer.from(id_token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, any>;
}

/** Opens a new invitation for the person on `page` and creates a passkey with the page's authenticator. */
export async function enrolPasskey(page: Page, stack: LocalStack, personId: string): Promise<void> {
  const invitation = await admin(stack, `/admin/users/${personId}/enrolments`, 'POST');
  await page.goto(invitation.json.url);
  await page.getByRole('button', { name: /passkey/i }).click();
  await page.getByRole('status').filter({ hasText: /saved/i }).waitFor({ timeout: 15_000 });
}
