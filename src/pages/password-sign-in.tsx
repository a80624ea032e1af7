// The sign-in page's second way in (issue 4 point 4, contract §8): a plain form,
// no script needed, for devices without passkeys: username, password and the
// code from an authenticator app. It carries the session's CSRF token and the
// request it continues.
import { CSRF_FIELD } from '../session/csrf.ts';

export const PASSWORD_SIGNIN_PATH = '/signin/password';

export interface PasswordSignInFormProps {
  csrfToken: string;
  interactionId?: string;
  username?: string;
}

export function PasswordSignInForm({ csrfToken, interactionId, username }: PasswordSignInFormProps) {
  return (
    <form method="post" action={PASSWORD_SIGNIN_PATH} novalidate>
      <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
      {interactionId ? <input type="hidden" name="interaction" value={interactionId} /> : null}
      <fieldset class="nhsuk-fieldset">
        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
          <h2 class="nhsuk-fieldset__heading">Sign in with a password and authenticator app</h2>
        </legend>
        <div class="nhsuk-form-group">
          <label class="nhsuk-label" for="password-username">
            Username
          </label>
          <input class="nhsuk-input nhsuk-u-width-two-thirds" id="password-username" name="username" type="text" autocomplete="username" value={username ?? ''} />
        </div>
        <div class="nhsuk-form-group">
          <label class="nhsuk-label" for="password">
            Password
          </label>
          <input class="nhsuk-input nhsuk-u-width-two-thirds" id="password" name="password" type="password" autocomplete="current-password" />
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
      <button type="submit" class="nhsuk-button nhsuk-button--secondary">
        Sign in with a password
      </button>
    </form>
  );
}
