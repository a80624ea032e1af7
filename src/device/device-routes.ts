// The verification page (RFC 8628 §3.3) at verification_uri: GET shows the code
// form (prefilled from verification_uri_complete, still to be confirmed, §3.3.1),
// POST looks the code up and starts the sign-in; /device/approve shows what the
// application asks for and takes Approve or Deny. Wrong codes count against the
// address (§5.1) as failed sign-ins do, on top of the per-address request limit.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { findClient } from '../clients/client.ts';
import { readForm } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { clientAddress } from '../limits/client-address.ts';
import { addressSubject, assertMayAttempt, recordFailedAttempts, TooManyAttempts } from '../limits/lockout.ts';
import { DeviceApprovalPage, DeviceCodePage } from '../pages/device.tsx';
import { renderPage } from '../pages/layout.tsx';
import { currentSession, sessionHandle, startSession, type BrowserSession } from '../session/browser-session.ts';
import { checkCsrfToken, CSRF_FIELD } from '../session/csrf.ts';
import { expiredInteraction, page } from '../session/page-errors.ts';
import type { PendingInteraction } from '../session/session-store.ts';
import { DEVICE } from '../paths.ts';
import { approvalUrl, decideDeviceAuthorization, isDeviceClient, startDeviceAuthorization } from './device-flow.ts';
import { normaliseUserCode } from './user-code.ts';

const codeForm = z.looseObject({ [CSRF_FIELD]: z.string().max(256).optional(), user_code: z.string().max(256).optional() });
const decisionForm = z.looseObject({ [CSRF_FIELD]: z.string().max(256).optional(), decision: z.enum(['approve', 'deny']).optional() });

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

async function showCodePage(c: Context<AppEnv>, browser: BrowserSession, value?: string, error?: string, status = 200, headers: Record<string, string> = {}) {
  for (const [name, v] of Object.entries(headers)) c.header(name, v);
  return renderPage(c, DeviceCodePage({ action: DEVICE.verification, csrfToken: browser.session.csrfToken, value, error }), status);
}

async function enterCode(c: Context<AppEnv>): Promise<Response> {
  const { ports } = c.var;
  const { db, devices, audit, now } = ports;
  const form = await readForm(c, codeForm);
  const browser = await currentSession(c);
  checkCsrfToken(form[CSRF_FIELD], browser?.session.csrfToken ?? '');
  const typed = (form.user_code ?? '').slice(0, 64);
  let attempt;
  try {
    attempt = await assertMayAttempt(ports, 'user_code', [addressSubject(clientAddress(c))]);
  } catch (err) {
    if (!(err instanceof TooManyAttempts)) throw err;
    return showCodePage(c, browser!, typed, capitalised(err.description), 429, err.headers);
  }
  const code = normaliseUserCode(typed);
  if (!code) return showCodePage(c, browser!, typed, 'Enter the 8 letters shown on your device, for example BCDF-GHJK', 400);
  const device = await devices.findByUserCode(code, now());
  const client = device ? await findClient(db, device.clientId) : null;
  if (!device || device.status !== 'pending' || !isDeviceClient(client)) {
    // A well-formed code that names nothing live is a guess until shown otherwise (RFC 8628 §5.1).
    await recordFailedAttempts(ports, 'user_code', attempt, { requestId: c.var.requestId, personId: null });
    await audit.record({
      actor: 'anonymous',
      action: 'device.user_code',
      outcome: 'failure',
      details: { reason: device ? 'decided' : 'unknown', address: clientAddress(c) },
      requestId: c.var.requestId,
    });
    return showCodePage(c, browser!, typed, 'The code is not right, has expired or was already used. Check the code on your device', 400);
  }
  return startDeviceAuthorization(c, client, device, browser!);
}

/** The approval page's pending device request, for a signed-in session. */
async function approving(c: Context<AppEnv>): Promise<{ browser: BrowserSession; interaction: PendingInteraction }> {
  const { sessions, now } = c.var.ports;
  const handle = sessionHandle(c);
  const found = handle ? await sessions.interaction(handle, c.req.query('interaction') ?? '', now()) : null;
  if (!handle || !found || !found.interaction.request.device || !found.session.authentication) throw expiredInteraction();
  return { browser: { handle, session: found.session }, interaction: found.interaction };
}

export const devicePageRoutes = new Hono<AppEnv>()
  .get(
    DEVICE.verification,
    page(async (c) => {
      const browser = (await currentSession(c)) ?? (await startSession(c));
      return showCodePage(c, browser, (c.req.query('user_code') ?? '').slice(0, 64));
    }),
  )
  .post(DEVICE.verification, page(enterCode))
  .get(
    DEVICE.approve,
    page(async (c) => {
      const { browser, interaction } = await approving(c);
      const { request } = interaction;
      const device = await c.var.ports.devices.find(request.device!.id, c.var.ports.now());
      const client = await findClient(c.var.ports.db, request.clientId);
      if (!device || device.status !== 'pending' || !isDeviceClient(client)) throw expiredInteraction();
      return renderPage(
        c,
        DeviceApprovalPage({
          action: approvalUrl(interaction.id),
          csrfToken: browser.session.csrfToken,
          clientName: client.metadata.client_name ?? client.clientId,
          scope: request.scope,
          userCode: request.device!.userCode,
        }),
      );
    }),
  )
  .post(
    DEVICE.approve,
    page(async (c) => {
      const { browser, interaction } = await approving(c);
      const form = await readForm(c, decisionForm);
      checkCsrfToken(form[CSRF_FIELD], browser.session.csrfToken);
      const client = await findClient(c.var.ports.db, interaction.request.clientId);
      if (!isDeviceClient(client)) throw expiredInteraction();
      if (!form.decision) return c.redirect(approvalUrl(interaction.id), 303);
      return decideDeviceAuthorization(c, client, browser, interaction, form.decision === 'approve');
    }),
  );
