// A real browser for end-to-end tests: Debian's Chromium driven by
// playwright-core, with a CDP virtual authenticator standing in for a passkey
// device. Screenshots go to test-artifacts/ for people to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Locator, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const ARTIFACTS = join(root, 'test-artifacts');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // This machine has no network beyond loopback: keep Chromium from reaching out.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface AuthenticatorOptions {
  /** A synced passkey (backup eligible and backed up) rather than a device-bound one. */
  synced?: boolean;
}

/** Adds a CTAP2 platform authenticator with user verification to the page's browser. */
export async function addVirtualAuthenticator(page: Page, options: AuthenticatorOptions = {}): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const authenticatorId = await addPlatformAuthenticator(cdp, options.synced ?? false);
  return { cdp, authenticatorId };
}

/** Adds the CTAP2 platform authenticator to a session with WebAuthn enabled; answers its id. */
export async function addPlatformAuthenticator(cdp: CDPSession, synced: boolean): Promise<string> {
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      // Synced: backup eligible and backed up (WebAuthn §6.1 flags BE and BS).
      defaultBackupEligibility: synced,
      defaultBackupState: synced,
    },
  });
  return authenticatorId;
}

/**
 * Lets a test turn passkey autofill (conditional mediation) off on the service's
 * pages, so that it presses the passkey button itself: with a virtual
 * authenticator, Chromium completes an autofill request at once, before any click.
 * Answers a switch; autofill starts on.
 */
export async function passkeyAutofillSwitch(context: BrowserContext, origin: string): Promise<(on: boolean) => Promise<void>> {
  await context.addInitScript(() => {
    if (document.cookie.split('; ').includes('e2e-autofill=off') && 'PublicKeyCredential' in window) {
      Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', { value: () => Promise.resolve(false) });
    }
  });
  return async (on) => {
    if (on) await context.clearCookies({ name: 'e2e-autofill' });
    else await context.addCookies([{ name: 'e2e-autofill', value: 'off', url: origin }]);
  };
}

/**
 * A page in a context of its own with a virtual authenticator, and passkey
 * autofill turned off on `origin`'s pages so the test presses the passkey button;
 * answers the page and the autofill switch.
 */
export async function passkeyPage(browser: Browser, origin: string): Promise<{ page: Page; autofill: (on: boolean) => Promise<void> }> {
  const context = await browser.newContext();
  const autofill = await passkeyAutofillSwitch(context, origin);
  await autofill(false);
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  return { page, autofill };
}

let shot = 0;

/** Saves a full-page screenshot under test-artifacts/, numbered in the order taken. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export type { Browser, BrowserContext, Locator, Page };
