// The verification page's way through the authorization flow's interaction
// machinery (src/oauth/authorization-flow.ts): a device request is kept as a
// pending interaction like any authorization request, so the person signs in
// with the same pages, assurance (its acr_values) and role choice as /authorize;
// where /authorize would issue a code, the device flow asks for approval, and
// approval makes the grant in the approving person's session (RFC 8628 §3.3).
import type { Context } from 'hono';
import type { Client } from '../clients/client.ts';
import { findClient } from '../clients/client.ts';
import { OAuthError, type ServiceError } from '../errors.ts';
import type { AppEnv } from '../http/context.ts';
import { audit, continueAuthorization, type FlowEnds } from '../oauth/authorization-flow.ts';
import type { AuthorizationRequest } from '../oauth/authorization-request.ts';
import { DEVICE_GRANT_REDIRECT } from '../oauth/grant-rules.ts';
import { renderErrorPage } from '../pages/error.tsx';
import { renderPage } from '../pages/layout.tsx';
import { DeviceDonePage } from '../pages/device.tsx';
import type { BrowserSession } from '../session/browser-session.ts';
import type { PendingInteraction } from '../session/session-store.ts';
import { DEVICE_CODE_GRANT_TYPE } from '../oauth/vocabulary.ts';
import { DEVICE } from '../paths.ts';
import type { DeviceAuthorizationView } from './device-rules.ts';
import { formatUserCode } from './user-code.ts';

export const approvalUrl = (interactionId: string) => `${DEVICE.approve}?interaction=${interactionId}`;

export const isDeviceClient = (client: Client | null): client is Client =>
  client !== null && (client.metadata.grant_types as string[]).includes(DEVICE_CODE_GRANT_TYPE);

const gone = () => new OAuthError('invalid_request', 'this code has expired or was already used; start again on your device');

/**
 * A protocol error (no authenticator meets the requested assurance) ends the
 * device authorization as denied, so the device hears access_denied, and is
 * shown to the person; there is no redirect URI.
 */
async function refuse(c: Context<AppEnv>, request: AuthorizationRequest, err: ServiceError): Promise<Response> {
  if (request.device) await c.var.ports.devices.decide(request.device.id, null, c.var.ports.now());
  return renderErrorPage(c, err);
}

/** The session satisfies the request: on to the approval page, with the request kept as an interaction. */
const TO_APPROVAL: FlowEnds = {
  async issue(c, state) {
    const { sessions, now } = c.var.ports;
    const pending = state.interaction ?? (await sessions.addInteraction(state.browser!.handle, state.request, now()));
    if (!pending) throw gone();
    return c.redirect(approvalUrl(pending.id), 303);
  },
  refuse,
};

/** Approve pressed, and the session still satisfies the request: the grant, then the device record, once. */
const APPROVE: FlowEnds = {
  async issue(c, state, decision) {
    const { sessions, grants, devices, now } = c.var.ports;
    const { request, interaction } = state;
    const { session, handle } = state.browser!;
    const authentication = session.authentication!;
    const device = await devices.find(request.device!.id, now());
    if (!device || device.status !== 'pending' || device.expiresAt <= now()) throw gone();
    // Taking the interaction first: a replayed form cannot approve twice.
    if (!(await sessions.completeInteraction(handle, interaction?.id ?? null, request.clientId, now()))) throw gone();
    const issued = await grants.issueDeviceGrant(
      {
        clientId: request.clientId,
        personId: authentication.personId,
        sessionId: session.id,
        scope: request.scope,
        redirectUri: DEVICE_GRANT_REDIRECT,
        codeChallenge: '',
        authentication,
        acr: decision.acr,
        selectedRoleId: decision.selectedRoleId,
      },
      device.deviceCodeHash,
      device.expiresAt,
    );
    if (!issued) throw new OAuthError('invalid_request', 'no grant can be made in this session; sign in again');
    // Two tabs approving one code: the device record takes one decision only.
    if (!(await devices.decide(device.id, { grantId: issued.grantId, personId: authentication.personId }, now()))) {
      await grants.revoke(issued.grantId, 'device_decided_elsewhere');
      throw gone();
    }
    await audit(c, state, authentication.personId, 'success', { device_authorization: device.id, acr: decision.acr, aal: authentication.aal, grant_id: issued.grantId });
    return renderPage(c, DeviceDonePage({ approved: true, clientName: state.client.metadata.client_name ?? state.client.clientId }));
  },
  refuse,
};

/** The request a device authorization becomes, as an interaction of the person's session. */
function deviceRequest(issuer: string, device: DeviceAuthorizationView): AuthorizationRequest {
  return {
    // Not a redirect: the page the flow comes back to (and the form-action the sign-in pages allow).
    redirectUri: `${issuer}${DEVICE.verification}`,
    responseMode: 'query',
    clientId: device.clientId,
    scope: device.scope,
    codeChallenge: '',
    prompt: [],
    acrValues: device.acrValues,
    device: { id: device.id, userCode: formatUserCode(device.userCode) },
  };
}

/** A user code was entered: sign in (or reuse the session), then approval. */
export function startDeviceAuthorization(c: Context<AppEnv>, client: Client, device: DeviceAuthorizationView, browser: BrowserSession): Promise<Response> {
  return continueAuthorization(c, { client, request: deviceRequest(c.var.ports.config.issuer, device), browser, interaction: null, ends: TO_APPROVAL });
}

/** Back from a sign-in or role choice page (/authorize/resume). */
export async function resumeDeviceAuthorization(c: Context<AppEnv>, browser: BrowserSession, interaction: PendingInteraction): Promise<Response> {
  const client = await findClient(c.var.ports.db, interaction.request.clientId);
  if (!isDeviceClient(client)) throw new OAuthError('invalid_client', 'the application is no longer registered');
  return continueAuthorization(c, { client, request: interaction.request, browser, interaction, ends: TO_APPROVAL });
}

/** Approve or Deny pressed on the approval page. */
export async function decideDeviceAuthorization(
  c: Context<AppEnv>,
  client: Client,
  browser: BrowserSession,
  interaction: PendingInteraction,
  approve: boolean,
): Promise<Response> {
  const { devices, now } = c.var.ports;
  const { request } = interaction;
  if (approve) return continueAuthorization(c, { client, request, browser, interaction, ends: APPROVE });
  // No completeInteraction: a denial issues nothing, and the client is not one the session served.
  if (!(await devices.decide(request.device!.id, null, now()))) throw gone();
  const personId = browser.session.authentication?.personId ?? 'anonymous';
  await c.var.ports.audit.record({
    actor: personId,
    action: 'device.deny',
    subject: personId,
    clientId: request.clientId,
    outcome: 'success',
    details: { device_authorization: request.device!.id },
    requestId: c.var.requestId,
  });
  return renderPage(c, DeviceDonePage({ approved: false, clientName: client.metadata.client_name ?? client.clientId }));
}
