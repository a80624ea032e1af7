// People who sign in with a password (and an authenticator app set up through
// their invitation page) for workerd tests.
import { AuthenticatorApp, confirmAppOnInvitation, PASSWORD, type PasswordHolder } from '../password-sign-in.ts';
import { invite } from '../webauthn/enrolment.ts';
import { Browser } from './browser.ts';
import { createUser, type ScimUser } from './scim.ts';

export { AuthenticatorApp, PASSWORD };
export * from '../password-sign-in.ts';

export interface PasswordPerson extends PasswordHolder {
  person: ScimUser;
}

/** Invites the person and sets up an app from the invitation page, as they would. */
export async function setUpApp(personId: string, browser = new Browser()): Promise<{ app: AuthenticatorApp; code: string; response: Response }> {
  const invitation = await invite(personId);
  const { app, response } = await confirmAppOnInvitation(browser, new URL(invitation.url).pathname);
  return { app, code: invitation.code, response };
}

/** A person with a password and, unless `app: false`, an authenticator app. */
export async function createPasswordPerson(options: { app?: boolean; overrides?: Record<string, unknown> } = {}): Promise<PasswordPerson> {
  const person = await createUser({ password: PASSWORD, ...options.overrides });
  const app = options.app === false ? null : (await setUpApp(person.id)).app;
  return { person, password: PASSWORD, app };
}
