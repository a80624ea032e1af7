// The person's own authenticators (NIST SP 800-63B §6.2, CONTRACT §10): each with
// a form to rename it and one to remove it (not the last one: only an operator
// may leave someone with none), and a button to add a passkey through the
// enrolment ceremony. Plain forms with the session's CSRF token: no script needed.
import type { AuthenticatorView } from '../directory/credentials/authenticators.ts';
import { CSRF_FIELD } from '../session/csrf.ts';
import { ErrorSummary } from './error-summary.tsx';
import { Page } from './layout.tsx';
import { SIGN_IN } from '../paths.ts';

export interface AuthenticatorsProps {
  authenticators: AuthenticatorView[];
  csrfToken: string;
  status?: string;
  error?: string;
}

const when = (iso: string | null) => (iso ? new Date(iso).toUTCString() : 'Never');

export function AuthenticatorsPage({ authenticators, csrfToken, status, error }: AuthenticatorsProps) {
  const last = authenticators.length <= 1;
  return (
    <Page title="Your sign-in methods" error={Boolean(error)}>
      <ErrorSummary errors={error ? [{ text: error, field: 'authenticators' }] : []} />
      <h1>Your sign-in methods</h1>
      {status ? <p role="status" class="nhsuk-body">{status}</p> : null}
      <ul class="nhsuk-list" id="authenticators">
        {authenticators.map((a, i) => (
          <li class="nhsuk-card">
            <div class="nhsuk-card__content">
              <h2 class="nhsuk-card__heading">{a.name}</h2>
              <p class="nhsuk-body-s">
                {a.type === 'totp' ? 'Authenticator app' : a.device_bound ? 'Passkey kept on one device' : 'Passkey synced between devices'}.
                {' '}Added {when(a.created_at)}. Last used {when(a.last_used_at)}.
              </p>
              {a.type === 'passkey' ? (
                <form method="post" action={SIGN_IN.renameAuthenticator} novalidate>
                  <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
                  <input type="hidden" name="id" value={a.id} />
                  <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for={`name-${i}`}>New name</label>
                    <input class="nhsuk-input nhsuk-u-width-one-half" id={`name-${i}`} name="name" type="text" maxlength={64} value={a.name} />
                  </div>
                  <button type="submit" class="nhsuk-button nhsuk-button--secondary">Rename</button>
                </form>
              ) : null}
              {last ? (
                <p class="nhsuk-body-s">This is your only sign-in method. Add another before removing it, or ask your administrator.</p>
              ) : (
                <form method="post" action={SIGN_IN.removeAuthenticator}>
                  <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
                  <input type="hidden" name="id" value={a.id} />
                  <button type="submit" class="nhsuk-button nhsuk-button--warning">Remove {a.name}</button>
                </form>
              )}
            </div>
          </li>
        ))}
      </ul>
      <form method="post" action={SIGN_IN.addAuthenticator}>
        <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
        <button type="submit" class="nhsuk-button">Add a passkey</button>
      </form>
    </Page>
  );
}
