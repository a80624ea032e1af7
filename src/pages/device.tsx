// The device verification pages (RFC 8628 §3.3): enter the code a device shows,
// then, once signed in, see which application asks for what and approve or deny.
// Plain forms with the session's CSRF token: no script needed.
import { CSRF_FIELD } from '../session/csrf.ts';
import { ContinueForm } from './continue-form.tsx';
import { ErrorSummary } from './error-summary.tsx';
import { Page } from './layout.tsx';
import { TextField } from './text-field.tsx';

/** What each scope lets the application see, in the person's words. */
const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are (your user ID)',
  profile: 'Your name',
  email: 'Your email address',
  nhsperson: 'Your title, initials and identity assurance level',
  associatedorgs: 'The organisations you belong to',
  nationalrbacaccess: 'Your national roles and what they allow',
  professionalmemberships: 'Your professional registration numbers',
  organisationalmemberships: 'Your organisation memberships',
  selectedrole: 'The role you choose to act in',
  offline_access: 'Stay signed in on the device after you sign out here',
};

export function DeviceCodePage({ action, csrfToken, value, error }: { action: string; csrfToken: string; value?: string; error?: string }) {
  return (
    <Page title="Connect a device" error={Boolean(error)}>
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={error ? [{ text: error, field: 'user-code' }] : []} />
          <h1>Connect a device</h1>
          <p>Enter the code shown on the device or application you want to sign in to.</p>
          <ContinueForm action={action} csrfToken={csrfToken}>
            <TextField
              id="user-code"
              name="user_code"
              label="Code from your device"
              labelClass="nhsuk-label nhsuk-label--s"
              hint="8 letters, for example BCDF-GHJK. Capital letters and the dash are optional."
              error={error}
              width="nhsuk-input--width-10"
              input={{ spellcheck: false, autocomplete: 'off', autocapitalize: 'characters', value: value ?? '' }}
            />
          </ContinueForm>
        </div>
      </div>
    </Page>
  );
}

export interface DeviceApprovalProps {
  action: string;
  csrfToken: string;
  clientName: string;
  scope: string[];
  /** XXXX-XXXX, for the person to compare with the device (RFC 8628 §5.4). */
  userCode: string;
}

export function DeviceApprovalPage({ action, csrfToken, clientName, scope, userCode }: DeviceApprovalProps) {
  return (
    <Page title={`Allow ${clientName} on your device`}>
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <h1>Allow {clientName} to sign you in on a device?</h1>
          <p>
            The device shows the code <strong class="app-device-code">{userCode}</strong>. Check that it is the same code.
          </p>
          <div class="nhsuk-warning-callout">
            <h2 class="nhsuk-warning-callout__label">
              <span role="text">
                <span class="nhsuk-u-visually-hidden">Important: </span>
                Only allow a device you have with you
              </span>
            </h2>
            <p>If someone sent you this code, or you did not start signing in on a device just now, choose Deny.</p>
          </div>
          <h2 class="nhsuk-heading-m">{clientName} will be able to</h2>
          <ul class="nhsuk-list nhsuk-list--bullet">
            {scope.map((s) => (
              <li>{SCOPE_TEXT[s] ?? s}</li>
            ))}
          </ul>
          <form method="post" action={action} novalidate>
            <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
            <div class="nhsuk-button-group app-button-group">
              <button type="submit" class="nhsuk-button" name="decision" value="approve">
                Approve
              </button>{' '}
              <button type="submit" class="nhsuk-button nhsuk-button--secondary" name="decision" value="deny">
                Deny
              </button>
            </div>
          </form>
        </div>
      </div>
    </Page>
  );
}

export function DeviceDonePage({ approved, clientName }: { approved: boolean; clientName: string }) {
  const title = approved ? 'Device connected' : 'Device not connected';
  return (
    <Page title={title}>
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <h1>{title}</h1>
          <p role="status">
            {approved
              ? `You allowed ${clientName}. Go back to your device: it will continue in a few seconds.`
              : `You denied ${clientName}. The device will not be signed in.`}
          </p>
          <p>You can close this page.</p>
        </div>
      </div>
    </Page>
  );
}
