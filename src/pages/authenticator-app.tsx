// The invitation page's second way in (docs/assurance.md, "Setting up the app"): set up an authenticator
// app from a QR code (inline SVG, so no script is needed) or the key as text,
// and confirm it with a code. The form carries a token derived from the invitation.
import { Fragment } from 'hono/jsx';
import { TextField } from './text-field.tsx';

export const APP_CODE_FIELD = 'totp_code';
export const SETUP_TOKEN_FIELD = 'csrf_token';

export interface AuthenticatorAppProps {
  /** Whether this invitation has already set up an app. */
  confirmed: boolean;
  /** The QR code of the otpauth URI, as SVG markup made by this service. */
  qrSvg: string;
  /** The key in base32, for typing in by hand. */
  secret: string;
  confirmAction: string;
  finishAction: string;
  formToken: string;
  /** A problem with the code entered, shown beside the field. */
  error?: string;
}

/** Groups of four, as authenticator apps show keys. */
const grouped = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

export function AuthenticatorAppSection(props: AuthenticatorAppProps) {
  return (
    <section aria-labelledby="app-heading">
      <h2 id="app-heading" class="nhsuk-heading-l">
        Set up an authenticator app
      </h2>
      {props.confirmed ? <Finish {...props} /> : <Offer {...props} />}
    </section>
  );
}

function Offer({ qrSvg, secret, confirmAction, formToken, error }: AuthenticatorAppProps) {
  return (
    <Fragment>
      <p class="nhsuk-body">
        If your device cannot use passkeys, you can sign in with the password your registration authority gave you and a
        code from an authenticator app. Set up the app before creating a passkey: creating a passkey uses up this
        invitation.
      </p>
      <p class="nhsuk-body">Scan this QR code with the app:</p>
      <div id="totp-qr" class="app-qr" dangerouslySetInnerHTML={{ __html: qrSvg }}></div>
      <p class="nhsuk-body app-wrap">
        Or enter this key in the app: <code id="totp-secret" data-secret={secret}>{grouped(secret)}</code>
      </p>
      <form method="post" action={confirmAction} novalidate>
        <input type="hidden" name={SETUP_TOKEN_FIELD} value={formToken} />
        <TextField
          id="totp-code"
          name={APP_CODE_FIELD}
          label="Code from the app"
          hint="The 6 digits the app shows for this account"
          error={error}
          width="nhsuk-input--width-10"
          input={{ inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6 }}
        />
        <button type="submit" class="nhsuk-button nhsuk-button--secondary">
          Confirm the app
        </button>
      </form>
    </Fragment>
  );
}

function Finish({ finishAction, formToken }: AuthenticatorAppProps) {
  return (
    <Fragment>
      <p class="nhsuk-body">Your authenticator app is set up. You can still create a passkey with this invitation.</p>
      <form method="post" action={finishAction}>
        <input type="hidden" name={SETUP_TOKEN_FIELD} value={formToken} />
        <button type="submit" class="nhsuk-button nhsuk-button--secondary">
          Finish without a passkey
        </button>
      </form>
    </Fragment>
  );
}
