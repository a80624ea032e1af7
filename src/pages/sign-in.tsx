// The sign-in page (contract §6): one username field serves passkey autofill
// (conditional mediation, `autocomplete="username webauthn"`) and the password
// form; the passkey button, the primary action, runs a WebAuthn assertion with
// discoverable credentials. Errors use the NHS error summary: the server's at
// the top of the page, the script's in the same place.
import { CSRF_FIELD } from '../session/csrf.ts';
import { ErrorSummary } from './error-summary.tsx';
import { Page } from './layout.tsx';
import { OutcomePage } from './outcome-page.tsx';
import { PasskeyNoscript } from './passkey-noscript.tsx';
import { PasswordFields } from './password-sign-in.tsx';
import { SIGN_IN } from '../paths.ts';

export interface SignInProps {
  /** The pending authorization request the sign-in continues. */
  interactionId?: string;
  /** The client's name, when the sign-in continues an authorization request. */
  clientName?: string;
  loginHint?: string;
  /** Shown when the request asks for more than the session's authentication gave. */
  stepUp?: boolean;
  /** The session's CSRF token, for the password form. */
  csrfToken?: string;
  /** A refused password sign-in: in the error summary and beside the password. */
  error?: string;
  /** The username the password form was sent with. */
  username?: string;
}

export function SignInPage({ interactionId, clientName, loginHint, stepUp, csrfToken, error, username }: SignInProps) {
  return (
    <Page title={clientName ? `Sign in to continue to ${clientName}` : 'Sign in'} error={Boolean(error)} scripts={['simplewebauthn-browser.js', 'webauthn-errors.js', 'passkey-signin.js']}>
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={error ? [{ text: error, field: 'password' }] : []} />
          {/* The script writes its error summary here. */}
          <div data-passkey-error></div>
          <h1>Sign in</h1>
          {clientName ? <p class="nhsuk-lede-text">to continue to {clientName}</p> : null}
          {stepUp ? (
            <div class="nhsuk-inset-text">
              <span class="nhsuk-u-visually-hidden">Information: </span>
              <p>This service needs a stronger sign-in than the one you used. Use a security key or a passkey kept only on this device.</p>
            </div>
          ) : null}
          <form method="post" action={SIGN_IN.password} novalidate>
            {csrfToken ? <input type="hidden" name={CSRF_FIELD} value={csrfToken} /> : null}
            {interactionId ? <input type="hidden" name="interaction" value={interactionId} /> : null}
            <div class="nhsuk-form-group">
              <label class="nhsuk-label" for="username">
                Username
              </label>
              <div class="nhsuk-hint" id="username-hint">
                Your browser may offer your passkey when you select this box. A passkey does not need the username.
              </div>
              <input
                class="nhsuk-input nhsuk-u-width-two-thirds"
                id="username"
                name="username"
                type="text"
                spellcheck={false}
                autocomplete="username webauthn"
                aria-describedby="username-hint"
                value={username ?? loginHint ?? ''}
              />
            </div>
            <button
              type="button"
              class="nhsuk-button"
              data-passkey-signin
              data-options-body={interactionId ? JSON.stringify({ interaction: interactionId }) : undefined}
            >
              Sign in with a passkey
            </button>
            <PasskeyNoscript>
              Signing in with a passkey needs JavaScript. Turn it on in your browser settings and reload this page,
              or sign in with a password and authenticator app below.
            </PasskeyNoscript>
            <PasswordFields error={error} />
            <button type="submit" class="nhsuk-button nhsuk-button--secondary">
              Sign in with a password
            </button>
          </form>
          <p>
            <a href={SIGN_IN.authenticators}>Manage your sign-in methods</a>
          </p>
        </div>
      </div>
    </Page>
  );
}

/** Where a sign-in with no pending authorization request ends. */
export function SignedInPage() {
  return (
    <OutcomePage title="You are signed in" outcome="You are signed in to your workforce identity account on this device.">
      <p>You can now return to the application you were using.</p>
      <p>
        <a href={SIGN_IN.authenticators}>Manage your sign-in methods</a>
      </p>
    </OutcomePage>
  );
}
