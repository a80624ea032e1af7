// Operators for console tests in workerd: a person holding the operator role
// with a passkey, and the console sign-in as a browser runs it (the console's
// own authorization request, the passkey on the sign-in page, the callback).
import { expect } from 'vitest';
import { consoleCookieName } from '../../../src/console/console-cookie.ts';
import { OPERATOR_ROLE_CODE, OPERATOR_ROLE_NAME } from '../../../src/console/operator-role.ts';
import { TEST_ISSUER } from '../test-env.ts';
import { signInAndContinue } from '../sign-in.ts';
import type { CreateOptions } from '../webauthn/authenticator.ts';
import { enrolPasskey, type EnrolledPasskey } from '../webauthn/enrolment.ts';
import { Browser } from './browser.ts';
import { RBAC_USER, bareRole, createUser, exampleUser } from './scim.ts';

/** The console session cookie's name under the test issuer. */
export const CONSOLE_COOKIE = consoleCookieName(TEST_ISSUER);

export const OPERATOR_ROLE = bareRole('RX1', OPERATOR_ROLE_CODE, OPERATOR_ROLE_NAME);

/** A person with the operator role (or without, `operator: false`) and a passkey (device-bound unless `create` says otherwise). */
export async function enrolOperator(opts: { operator?: boolean; create?: Partial<CreateOptions> } = {}): Promise<EnrolledPasskey> {
  const base = exampleUser()[RBAC_USER] as Record<string, unknown>;
  const roles = opts.operator === false ? base.roles : [OPERATOR_ROLE];
  const person = await createUser({ [RBAC_USER]: { ...base, roles } });
  return enrolPasskey({ person, create: opts.create });
}

/** Opens `path` in the console, signing in with the passkey when the sign-in page appears; answers the final response. */
export async function consoleSignIn(operator: EnrolledPasskey, path = '/console/people', browser = new Browser()): Promise<{ browser: Browser; response: Response }> {
  const first = await browser.navigate(path);
  if (browser.url.pathname !== '/signin') return { browser, response: first };
  return { browser, response: await signInAndContinue(browser, operator.authenticator) };
}

/** The hidden CSRF token of the console page's first form. */
export function csrfTokenOf(html: string): string {
  const token = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('the page has no CSRF token');
  return token;
}

export interface SignedInOperator {
  operator: EnrolledPasskey;
  browser: Browser;
  /** The console session cookie as a Cookie header value (`name=value`). */
  cookie: string;
  /** The CSRF token of the first page's first form. */
  csrf: string;
}

/** A new operator signed in to the console at `path`, which must answer 200. */
export async function signedInOperator(path: string): Promise<SignedInOperator> {
  const operator = await enrolOperator();
  const { browser, response } = await consoleSignIn(operator, path);
  expect(response.status).toBe(200);
  return { operator, browser, cookie: `${CONSOLE_COOKIE}=${browser.cookie(CONSOLE_COOKIE)!.value}`, csrf: csrfTokenOf(await response.text()) };
}
