// The end-session pages (OpenID Connect RP-Initiated Logout 1.0 §2): the
// question asked when the request cannot prove which application sent it, and
// the page shown after signing out when no application takes the browser back.
import { CSRF_FIELD } from '../session/csrf.ts';
import { Page } from './layout.tsx';
import { OutcomePage } from './outcome-page.tsx';

export interface ConfirmLogoutProps {
  action: string;
  csrfToken: string;
  /** The validated request, carried through the form. */
  fields: Record<string, string>;
  clientName?: string;
}

export function ConfirmLogoutPage({ action, csrfToken, fields, clientName }: ConfirmLogoutProps) {
  return (
    <Page title="Sign out">
      <h1>Do you want to sign out?</h1>
      <p>
        {clientName ? `${clientName} asked to sign you out.` : 'An application asked to sign you out.'} Signing out ends your
        sign-in to every application you used with this account on this device.
      </p>
      <form method="post" action={action} novalidate>
        <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit" class="nhsuk-button">
          Sign out
        </button>
      </form>
      <p>If you did not ask to sign out, close this page: you will stay signed in.</p>
    </Page>
  );
}

export function SignedOutPage() {
  return (
    <OutcomePage title="You have signed out" outcome="You have signed out of your workforce identity account on this device.">
      <p>Applications you used will ask you to sign in again. On a shared computer, close the browser too.</p>
    </OutcomePage>
  );
}
