// What someone sees when the console refuses them: not an operator, not at
// AAL3, or a form that has expired. The service's plain page frame, since the
// console's own navigation is only for operators.
import type { Context } from 'hono';
import { Page, renderPage } from '../pages/layout.tsx';
import { CONSOLE } from '../paths.ts';

export interface Refusal {
  title: string;
  text: string;
  /** Offer to sign in to the console again (a stronger authenticator, a new session). */
  signInAgain?: boolean;
}

function RefusalPage({ title, text, signInAgain }: Refusal) {
  return (
    <Page title={title}>
      <h1>{title}</h1>
      <p>{text}</p>
      {signInAgain ? (
        <p>
          <a href={CONSOLE.login}>Sign in to the operator console again</a>
        </p>
      ) : null}
    </Page>
  );
}

export function renderRefusal(c: Context, refusal: Refusal, status = 403): Response | Promise<Response> {
  return renderPage(c, RefusalPage(refusal), status);
}

export const NOT_AN_OPERATOR: Refusal = {
  title: 'You cannot use the operator console',
  text: 'The operator console is only for people who run this service. Your account does not have the operator role, or it is no longer active. Ask the service desk if you think you should have access.',
};

export const NOT_AAL3: Refusal = {
  title: 'Sign in with a passkey kept on one device',
  text: 'The operator console needs the highest assurance level (AAL3): a passkey or security key that stays on one device, such as Windows Hello or a hardware security key. A synced passkey or a password and code are not enough.',
  signInAgain: true,
};

export const FORM_EXPIRED: Refusal = {
  title: 'This form has expired',
  text: 'The form was not sent from your current console session. Go back, reload the page and try again.',
};

function SignedOutPage() {
  return (
    <Page title="You have signed out of the operator console">
      <h1>You have signed out of the operator console</h1>
      <p>Your session has ended. Close the browser if you are on a shared computer.</p>
      <p>
        <a href={CONSOLE.login}>Sign in to the operator console</a>
      </p>
    </Page>
  );
}

export const renderSignedOut = (c: Context) => renderPage(c, SignedOutPage());
