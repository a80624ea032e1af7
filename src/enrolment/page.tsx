// The invitation page (contract §5): says whose invitation it is and offers a
// button that creates a passkey through /assets/enrol.js, and (docs/assurance.md) an
// authenticator app to set up without script. Unusable invitations get a page
// that says why and what to do, with no button.
import { AuthenticatorAppSection, type AuthenticatorAppProps } from '../pages/authenticator-app.tsx';
import { ErrorSummary } from '../pages/error-summary.tsx';
import { Page } from '../pages/layout.tsx';
import { PasskeyNoscript } from '../pages/passkey-noscript.tsx';

export interface EnrolPageProps {
  givenName: string | null;
  code: string;
  app?: AuthenticatorAppProps;
  /** A message for the page's status region, e.g. that the app was set up. */
  status?: string;
  /** A problem with the authenticator-app code, for the error summary (the section shows it inline). */
  error?: string;
}

export function EnrolPage({ givenName, code, app, status, error }: EnrolPageProps) {
  return (
    <Page title="Set up how you sign in" error={Boolean(error)} scripts={['simplewebauthn-browser.js', 'webauthn-errors.js', 'enrol.js']}>
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={error ? [{ text: error, field: 'totp-code' }] : []} />
          {/* enrol.js writes its error summary here. */}
          <div id="enrol-error" data-enrol-error></div>
          <div data-enrol-offer>
            <h1 class="nhsuk-heading-xl">Create a passkey</h1>
            <p class="nhsuk-lede-text">
              {givenName ? `${givenName}, you` : 'You'} have been invited to create a passkey for your workforce identity
              account.
            </p>
            <p class="nhsuk-body">
              A passkey lets you sign in with your fingerprint, face or device PIN instead of a smartcard or password. It
              stays on your device or security key and works only with this service.
            </p>
            <PasskeyNoscript>
              Creating a passkey needs JavaScript. Turn on JavaScript in your browser and reload this page, or set
              up an authenticator app below.
            </PasskeyNoscript>
          </div>
          <p id="enrol-status" class="nhsuk-body" role="status">
            {status ?? ''}
          </p>
          <PasskeySaved appConfirmed={app?.confirmed ?? false} />
          <div data-enrol-offer>
            <button type="button" class="nhsuk-button" id="enrol-button" data-enrol-code={code}>
              Create a passkey
            </button>
            {app ? <AuthenticatorAppSection {...app} /> : null}
          </div>
        </div>
      </div>
    </Page>
  );
}

/**
 * What to do once the passkey is saved, shown by enrol.js in place of the offer:
 * saving spends the invitation (contract §5), so its forms would only answer
 * that it was used.
 */
function PasskeySaved({ appConfirmed }: { appConfirmed: boolean }) {
  return (
    <div id="enrol-saved" hidden>
      <div class="nhsuk-panel">
        <h1 class="nhsuk-panel__heading" id="enrol-saved-title" tabindex={-1}>
          Your passkey is saved
        </h1>
        <div class="nhsuk-panel__body">You can now sign in with it. This invitation has been used.</div>
      </div>
      <h2>What to do next</h2>
      <p>
        Return to the application you were using and sign in: choose <strong>Sign in with a passkey</strong>, or select
        the username box and pick your passkey from what your browser offers.
      </p>
      {appConfirmed ? (
        <p>
          Your authenticator app is set up too. On a device that cannot use passkeys, sign in with your password and a
          code from the app.
        </p>
      ) : (
        <p>
          To sign in on devices that cannot use passkeys, add an authenticator app as a second way to sign in: ask your
          registration authority for a new invitation and choose <strong>Set up an authenticator app</strong> on its page.
        </p>
      )}
      <p>You can close this page.</p>
    </div>
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
    text: 'A passkey or an authenticator app has already been set up with this invitation. If it was you, return to the application you were using and sign in with it.',
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
