// The invitation page (contract §5): says whose invitation it is and offers a
// button that creates a passkey through /assets/enrol.js, and (issue 4) an
// authenticator app to set up without script. Unusable invitations get a page
// that says why and what to do, with no button.
import { AuthenticatorAppSection, type AuthenticatorAppProps } from '../pages/authenticator-app.tsx';
import { Page } from '../pages/layout.tsx';

export interface EnrolPageProps {
  givenName: string | null;
  code: string;
  app?: AuthenticatorAppProps;
  /** A message for the page's status region, e.g. that the app was set up. */
  status?: string;
  /** A problem to announce in the page's alert region. */
  error?: string;
}

export function EnrolPage({ givenName, code, app, status, error }: EnrolPageProps) {
  return (
    <Page title="Create a passkey" scripts={['simplewebauthn-browser.js', 'enrol.js']}>
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <h1 class="nhsuk-heading-xl">Create a passkey</h1>
          <p class="nhsuk-lede-text">
            {givenName ? `${givenName}, you` : 'You'} have been invited to create a passkey for your workforce identity
            account.
          </p>
          <p class="nhsuk-body">
            A passkey lets you sign in with your fingerprint, face or device PIN instead of a smartcard or password. It
            stays on your device or security key and works only with this service.
          </p>
          <noscript>
            <div class="nhsuk-card nhsuk-card--warning">
              <div class="nhsuk-card__content">
                <h2 class="nhsuk-card__heading">JavaScript is needed</h2>
                <p class="nhsuk-card__description">
                  Creating a passkey needs JavaScript. Turn on JavaScript in your browser and reload this page.
                </p>
              </div>
            </div>
          </noscript>
          {/* Live regions exist from the start so that assistive technology announces what is written into them. */}
          <div id="enrol-error" role="alert" class={error ? 'nhsuk-error-summary' : undefined}>
            {error ? (
              <>
                <h2 class="nhsuk-error-summary__heading">There is a problem</h2>
                <p class="nhsuk-error-summary__body">{error}</p>
              </>
            ) : null}
          </div>
          <p id="enrol-status" class="nhsuk-body" role="status" tabindex={-1}>
            {status ?? ''}
          </p>
          <button type="button" class="nhsuk-button" id="enrol-button" data-enrol-code={code}>
            Create a passkey
          </button>
          {app ? <AuthenticatorAppSection {...app} /> : null}
        </div>
      </div>
    </Page>
  );
}

export type InvitationProblem = 'unknown' | 'expired' | 'spent' | 'inactive';

const PROBLEMS: Record<InvitationProblem, { status: 404 | 410; title: string; text: string }> = {
  unknown: {
    status: 404,
    title: 'This invitation link is not valid',
    text: 'Check that you copied the whole link from your invitation.',
  },
  expired: {
    status: 410,
    title: 'This invitation has expired',
    text: 'Invitations can be used only for a short time after they are sent.',
  },
  spent: {
    status: 410,
    title: 'This invitation has already been used',
    text: 'A passkey or an authenticator app has already been set up with this invitation. If it was you, you can sign in with it.',
  },
  inactive: {
    status: 410,
    title: 'This account is not active',
    text: 'The account this invitation was sent for is not active at the moment.',
  },
};

export function invitationProblemStatus(problem: InvitationProblem): 404 | 410 {
  return PROBLEMS[problem].status;
}

export function InvitationProblemPage({ problem }: { problem: InvitationProblem }) {
  const { title, text } = PROBLEMS[problem];
  return (
    <Page title={title}>
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <h1 class="nhsuk-heading-xl">{title}</h1>
          <p class="nhsuk-body">{text}</p>
          <p class="nhsuk-body">
            If you still need a passkey, ask your registration authority or the person who invited you for a new
            invitation.
          </p>
        </div>
      </div>
    </Page>
  );
}
