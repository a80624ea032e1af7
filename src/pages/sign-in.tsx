// The sign-in page (contract §6): a passkey button that runs a WebAuthn assertion
// with discoverable credentials, autofill (conditional mediation) on the
// username field, and an alert region the script fills with errors. Beside it,
// a form for a password and an authenticator-app code (issue 4).
import { Page } from './layout.tsx';
import { PasswordSignInForm } from './password-sign-in.tsx';

export interface SignInProps {
  /** The pending authorization request the passkey sign-in continues. */
  interactionId?: string;
  /** The client's name, when the sign-in continues an authorization request. */
  clientName?: string;
  loginHint?: string;
  /** Shown when the request asks for more than the session's authentication gave. */
  stepUp?: boolean;
  /** The session's CSRF token, for the password form. */
  csrfToken?: string;
  /** A refused password sign-in, said in the alert region. */
  error?: string;
  /** The username the password form was sent with. */
  username?: string;
}

export function SignInPage({ interactionId, clientName, loginHint, stepUp, csrfToken, error, username }: SignInProps) {
  return (
    <Page title="Sign in" scripts={['simplewebauthn-browser.js', 'passkey-signin.js']}>
      <h1>Sign in</h1>
      {clientName ? <p class="nhsuk-body-l">to continue to {clientName}</p> : null}
      {stepUp ? (
        <div class="nhsuk-inset-text">
          <p>This service needs a stronger sign-in than the one you used. Use a security key or a passkey kept only on this device.</p>
        </div>
      ) : null}
      {/* Empty until the script reports a failure; role="alert" makes screen readers announce it. */}
      <div role="alert" id="signin-error" data-passkey-error class={error ? 'nhsuk-error-message' : undefined}>
        {error ?? ''}
      </div>
      <div class="nhsuk-form-group">
        <label class="nhsuk-label" for="username">
          Username (optional)
        </label>
        <input
          class="nhsuk-input nhsuk-u-width-two-thirds"
          id="username"
          name="username"
          type="text"
          autocomplete="username webauthn"
          value={loginHint ?? ''}
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
      <noscript>
        <div class="nhsuk-warning-callout">
          <h2 class="nhsuk-warning-callout__label">JavaScript is needed</h2>
          <p>
            Signing in with a passkey needs JavaScript. Turn it on in your browser settings and reload this page, or sign in
            with a password and authenticator app below.
          </p>
        </div>
      </noscript>
      {csrfToken ? <PasswordSignInForm csrfToken={csrfToken} interactionId={interactionId} username={username ?? loginHint} /> : null}
    </Page>
  );
}

/** Where a sign-in with no pending authorization request ends. */
export function SignedInPage() {
  return (
    <Page title="You are signed in">
      <h1>You are signed in</h1>
      <p>You can now return to the application you were using.</p>
    </Page>
  );
}
