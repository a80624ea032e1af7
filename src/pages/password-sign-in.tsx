// The sign-in page's second way in (contract §8): password and the code from an
// authenticator app, for devices without passkeys. These fields share one form
// with the username field the passkey autofill uses (src/pages/sign-in.tsx), so
// no script is needed; the form carries the session's CSRF token and the
// request it continues.
import { ErrorMessage } from './error-summary.tsx';

export function PasswordFields({ error }: { error?: string }) {
  return (
    <fieldset class="nhsuk-fieldset" aria-describedby="password-way-hint">
      <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
        <h2 class="nhsuk-fieldset__heading">Or sign in with a password and authenticator app</h2>
      </legend>
      <div class="nhsuk-hint" id="password-way-hint">
        For devices that cannot use passkeys. Use the username above.
      </div>
      <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
        <label class="nhsuk-label" for="password">
          Password
        </label>
        {error ? <ErrorMessage id="password-error" text={error} /> : null}
        <input
          class={`nhsuk-input nhsuk-u-width-two-thirds${error ? ' nhsuk-input--error' : ''}`}
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          aria-describedby={error ? 'password-error' : undefined}
        />
      </div>
      <div class="nhsuk-form-group">
        <label class="nhsuk-label" for="totp-code">
          Code from your authenticator app
        </label>
        <div class="nhsuk-hint" id="totp-code-hint">
          The 6 digits the app shows. Leave it empty only if you have no app set up.
        </div>
        <input
          class="nhsuk-input nhsuk-input--width-10"
          id="totp-code"
          name="totp_code"
          type="text"
          inputmode="numeric"
          autocomplete="one-time-code"
          maxlength={6}
          aria-describedby="totp-code-hint"
        />
      </div>
    </fieldset>
  );
}
