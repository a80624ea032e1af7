// One delivery attempt of a logout token to one client (OpenID Connect
// Back-Channel Logout 1.0 §2.5), and the retry schedule around it. The queue
// (workers/backchannel-logout-object.ts) stores what is pending and calls
// attemptBackchannelLogout from its alarm; everything here is runtime-neutral.
import { backchannelLogoutUriProblem } from '../clients/backchannel-uri.ts';
import { findClient } from '../clients/client.ts';
import { OutboundAddressRefused } from '../clients/resolved-address.ts';
import type { Ports } from '../ports.ts';
import { issueLogoutToken } from './logout-token.ts';

/** Waits after failed attempts 1..5: six attempts over about half an hour, then we give up. */
export const RETRY_DELAYS_MS = [30_000, 2 * 60_000, 5 * 60_000, 10 * 60_000, 15 * 60_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** A client that does not answer within this is treated as down for this attempt. */
export const DELIVERY_TIMEOUT_MS = 5_000;

/** outboundFetch: the runtime's fetch unless the entry (or a test) hands in another. */
export type DeliveryPorts = Pick<Ports, 'config' | 'db' | 'keys' | 'audit' | 'log' | 'now' | 'outboundFetch'>;

type PostResult = { ok: true; status: number } | { ok: false; status?: number; error: string };

/**
 * §2.5: POST `logout_token` as a form. Redirects are not followed (the client
 * registered this exact URI, and a redirect could point the service at its own
 * network); any 2xx is success, anything else or no answer in time a failure.
 */
export async function postLogoutToken(send: typeof fetch, uri: string, token: string, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<PostResult> {
  try {
    const res = await send(uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ logout_token: token }).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: res.status >= 300 && res.status < 400 ? 'redirect not followed' : `answered ${res.status}` };
  } catch (err) {
    // The name resolved to an address the service may not call: said as such in the audit.
    if (err instanceof OutboundAddressRefused) return { ok: false, error: `refused: ${err.message}` };
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { ok: false, error: timedOut ? `no answer within ${timeoutMs} ms` : 'could not connect' };
  }
}

export interface DeliveryJob {
  sessionId: string;
  personId: string | null;
  subject: string | null;
  clientId: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/** done: delivered or given up; otherwise when to try again (milliseconds since the epoch). */
type AttemptOutcome = { done: true; delivered: boolean } | { done: false; retryAt: number };

/**
 * Loads the client afresh, checks where it may be reached, signs a new token,
 * sends it and audits the outcome. A failure of our own (the directory or the
 * keys not answering) counts as a failed attempt too, so nothing retries forever.
 */
export async function attemptBackchannelLogout(ports: DeliveryPorts, job: DeliveryJob): Promise<AttemptOutcome> {
  try {
    return await attempt(ports, job);
  } catch (err) {
    ports.log.error('back-channel logout attempt failed', { ...job, error: err instanceof Error ? err.message : String(err) });
    return failed(ports, job, { error: 'internal error before sending' });
  }
}

async function attempt(ports: DeliveryPorts, job: DeliveryJob): Promise<AttemptOutcome> {
  const { config, db, keys, now } = ports;
  const client = await findClient(db, job.clientId);
  const uri = client?.metadata.backchannel_logout_uri;
  if (!client || !uri) {
    await audit(ports, job, 'failure', { error: 'the client no longer has a backchannel_logout_uri', final: true });
    return { done: true, delivered: false };
  }
  // Checked again before every request: the issuer may have moved off loopback,
  // and nothing stored may make the service call a private address.
  const problem = backchannelLogoutUriProblem(uri, config.issuer);
  if (problem) {
    await audit(ports, job, 'failure', { error: `backchannel_logout_uri ${problem}`, final: true });
    return { done: true, delivered: false };
  }
  const token = await issueLogoutToken(keys, {
    client,
    issuer: config.issuer,
    sessionId: job.sessionId,
    subject: job.subject,
    now: Math.floor(now() / 1000),
  });
  const result = await postLogoutToken(ports.outboundFetch ?? fetch, uri, token);
  if (result.ok) {
    await audit(ports, job, 'success', { status: result.status });
    return { done: true, delivered: true };
  }
  return failed(ports, job, { ...(result.status !== undefined ? { status: result.status } : {}), error: result.error });
}

/** A failed attempt: audited, then retried after the next delay or given up after the last (the specification sets no retry policy). */
async function failed(ports: DeliveryPorts, job: DeliveryJob, details: Record<string, unknown>): Promise<AttemptOutcome> {
  const final = job.attempt >= MAX_ATTEMPTS;
  const retryAt = final ? null : ports.now() + RETRY_DELAYS_MS[job.attempt - 1]!;
  await audit(ports, job, 'failure', {
    ...details,
    final,
    ...(retryAt !== null ? { next_attempt_at: new Date(retryAt).toISOString() } : {}),
  });
  return retryAt === null ? { done: true, delivered: false } : { done: false, retryAt };
}

async function audit(ports: DeliveryPorts, job: DeliveryJob, outcome: 'success' | 'failure', details: Record<string, unknown>) {
  const event = {
    actor: 'system',
    action: 'logout.backchannel',
    subject: job.personId,
    clientId: job.clientId,
    outcome,
    details: { sid: job.sessionId, attempts: job.attempt, ...details },
  };
  try {
    await ports.audit.record(event);
  } catch (err) {
    // The delivery happened (or not) regardless: keep the event in the log.
    ports.log.error('audit event not recorded', { ...event, error: err instanceof Error ? err.message : String(err) });
  }
}
