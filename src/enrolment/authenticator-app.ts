// Authenticator-app setup from an invitation (docs/assurance.md, "Setting up the app"; RFC 6238). The secret is
// derived from the invitation (src/totp/totp-keys.ts), so showing the page
// stores nothing; a correct code stores it, sealed, as the person's app.
// Setting up the app does not spend the invitation, so the same invitation can
// still create a passkey (which spends it, contract §5); "Finish" spends it
// for someone who sets up only the app. One invitation sets up one app.
import type { Context } from 'hono';
import { renderSVG } from 'uqr';
import type { AppEnv } from '../http/context.ts';
import { APP_CODE_FIELD, SETUP_TOKEN_FIELD, type AuthenticatorAppProps } from '../pages/authenticator-app.tsx';
import { timingSafeEqual } from '../secrets.ts';
import { setupFormToken, setupSecret } from '../totp/totp-keys.ts';
import { findTotp, saveConfirmedTotp } from '../directory/credentials/totp.ts';
import { base32, matchingStep, otpauthUri } from '../totp/totp.ts';
import type { Invitee } from '../directory/credentials/invitation-status.ts';
import { ENROL, pathTo } from '../paths.ts';

const APP_ISSUER = 'Workforce identity';

export interface ValidInvitation {
  code: string;
  invitationId: string;
  invitee: Invitee;
}

/** An SVG that sizes itself and is announced as a QR code; uqr draws with fill attributes only, so CSP allows it. */
function qrCode(text: string): string {
  return renderSVG(text, { ecc: 'M', border: 2 }).replace('<svg ', '<svg width="240" height="240" role="img" aria-label="QR code for your authenticator app" ');
}

/** What the invitation page shows in its authenticator-app section. */
export async function appSetupView(c: Context<AppEnv>, invitation: ValidInvitation, error?: string): Promise<AuthenticatorAppProps> {
  const { db, config } = c.var.ports;
  const secret = await setupSecret(config.keyEncryptionSecret, invitation.invitationId);
  const existing = await findTotp(db, invitation.invitee.personId);
  return {
    confirmed: existing?.enrolmentId === invitation.invitationId,
    qrSvg: qrCode(otpauthUri({ secret, issuer: APP_ISSUER, account: invitation.invitee.userName })),
    secret: base32(secret),
    confirmAction: pathTo(ENROL.authenticatorApp, { code: invitation.code }),
    finishAction: pathTo(ENROL.finish, { code: invitation.code }),
    formToken: await setupFormToken(config.keyEncryptionSecret, invitation.invitationId),
    error,
  };
}

/** The form's token must be the one rendered for this invitation (a CSRF defence that needs no session). */
export async function setupFormTokenMatches(c: Context<AppEnv>, invitationId: string, presented: string | undefined): Promise<boolean> {
  return presented !== undefined && timingSafeEqual(presented, await setupFormToken(c.var.ports.config.keyEncryptionSecret, invitationId));
}

type ConfirmOutcome = 'confirmed' | 'already_confirmed' | 'wrong_code';

/** RFC 6238: the code proves the app holds the secret; its step is spent, so it cannot sign in later. */
export async function confirmApp(c: Context<AppEnv>, invitation: ValidInvitation, code: string): Promise<ConfirmOutcome> {
  const { db, config, audit, now } = c.var.ports;
  const personId = invitation.invitee.personId;
  if ((await findTotp(db, personId))?.enrolmentId === invitation.invitationId) return 'already_confirmed';
  const secret = await setupSecret(config.keyEncryptionSecret, invitation.invitationId);
  const at = now();
  const step = await matchingStep(secret, code.replace(/\s/g, ''), at, null);
  const outcome = step === null ? 'wrong_code' : 'confirmed';
  if (step !== null) {
    await saveConfirmedTotp({ db, keySecret: config.keyEncryptionSecret }, { personId, secret, usedStep: step, enrolmentId: invitation.invitationId, now: at });
  }
  await audit.record({
    actor: personId,
    action: 'enrolment.totp',
    subject: personId,
    outcome: step === null ? 'failure' : 'success',
    details: { invitationId: invitation.invitationId, ...(step === null ? { reason: 'wrong_code' } : {}) },
    requestId: c.var.requestId,
  });
  return outcome;
}

export { APP_CODE_FIELD, SETUP_TOKEN_FIELD };
