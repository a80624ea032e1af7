// Revoking an authenticator (CONTRACT §10, NIST SP 800-63B §6.2): it signs nobody
// in from now on, every session it signed in ends (its clients hear of it by
// back-channel logout) and the grants resting on it are revoked; audited.
import { personObjects } from '../directory/person-index.ts';
import { endSession } from '../logout/session-logout.ts';
import type { Ports } from '../ports.ts';
import { revokeStoredAuthenticator } from '../directory/credentials/authenticators.ts';

export interface Revocation {
  person: { id: string; uid: string };
  authenticatorId: string;
  /** 'admin', or the person's own id on their page. */
  actor: string;
  requestId: string;
}

/** False when the person holds no such authenticator. */
export async function revokeAuthenticator(ports: Ports, revocation: Revocation): Promise<boolean> {
  const { person, authenticatorId } = revocation;
  // Revoked in the directory first, so no new sign-in with it starts while its sessions end.
  if (!(await revokeStoredAuthenticator(ports.db, person.id, authenticatorId, ports.now()))) return false;
  const sessionIds = await personObjects(ports.db, person.id, 'session', ports.now());
  const settled = await Promise.allSettled(
    sessionIds.map((id) => endSession(ports, id, { reason: 'authenticator_revoked', subject: person.uid, signedInWith: authenticatorId })),
  );
  const ended = settled.filter((r) => r.status === 'fulfilled' && r.value !== null).length;
  const failed = settled.filter((r) => r.status === 'rejected').length;
  if (failed > 0) ports.log.error('ending sessions of a revoked authenticator failed in part', { personId: person.id, failed, requestId: revocation.requestId });
  await ports.audit.record({
    actor: revocation.actor,
    action: 'authenticator.revoke',
    subject: person.id,
    outcome: 'success',
    details: { authenticatorId, sessionsEnded: ended, failed },
    requestId: revocation.requestId,
  });
  return true;
}
