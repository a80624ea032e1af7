// Ending a session, as logout and deactivation both do: the session object is
// ended, then every client it served that registered a backchannel_logout_uri
// is queued a logout token (OIDC Back-Channel Logout 1.0 §2.3, §2.5).
import { findCachedClient } from '../clients/client-cache.ts';
import { findPerson } from '../directory/people.ts';
import type { Ports } from '../ports.ts';
import type { EndedSession } from '../session/session-store.ts';
import type { LogoutReason } from './backchannel-queue.ts';

interface SessionEnding {
  reason: LogoutReason;
  /** The person's uid when the caller already holds it (a deleted person can no longer be looked up). */
  subject?: string | null;
  /** End it only if this authenticator signed it in (CONTRACT §10: revocation). */
  signedInWith?: string;
}

/** Ends the session and queues its back-channel logouts; null when it was unknown or already ended. */
export async function endSession(ports: Ports, sessionId: string, ending: SessionEnding): Promise<EndedSession | null> {
  const ended = ending.signedInWith === undefined ? await ports.sessions.end(sessionId) : await ports.sessions.endSignedInWith(sessionId, ending.signedInWith);
  if (!ended || ended.clients.length === 0) return ended;
  // §2.2: only clients that registered a backchannel_logout_uri take part; the
  // queue looks each one up again before every attempt.
  const clients = await Promise.all(ended.clients.map((id) => findCachedClient(ports.db, id, ports.now())));
  const clientIds = clients.filter((c) => c?.metadata.backchannel_logout_uri).map((c) => c!.clientId);
  if (clientIds.length === 0) return ended;
  const subject =
    ending.subject !== undefined ? ending.subject : ended.personId ? ((await findPerson(ports.db, ended.personId))?.uid ?? null) : null;
  await ports.backchannelLogout.enqueue(
    { sessionId, personId: ended.personId, subject, clientIds, reason: ending.reason },
    ports.now(),
  );
  return ended;
}
