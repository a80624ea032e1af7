// The back-channel logout queue port (OpenID Connect Back-Channel Logout 1.0):
// once a session has ended, every client it served that registered a
// backchannel_logout_uri must hear of it, even if that client is down for a
// while. workers/ keeps the queue in a Durable Object whose alarm retries.

/**
 * Why a session ended: the person or a client asked, an operator removed the
 * person, or another person signed in on the same browser ('replaced').
 */
export type LogoutReason = 'logout' | 'deactivated' | 'deleted' | 'replaced' | 'authenticator_revoked';

export interface SessionLogout {
  /** The ended session's id: the `sid` of its ID tokens and logout tokens. */
  sessionId: string;
  /** The person's directory id, for the audit trail; null if nobody had signed in. */
  personId: string | null;
  /** The person's uid: the `sub` of their ID tokens, hence of the logout token (§2.4). */
  subject: string | null;
  /** Clients to notify: those that shared the session and registered a backchannel_logout_uri. */
  clientIds: string[];
  reason: LogoutReason;
}

export interface BackchannelLogoutQueue {
  /**
   * Stores the notifications durably and starts delivering them; resolves once
   * they are stored, not when they are delivered. Queuing the same session
   * twice notifies each client once.
   */
  enqueue(logout: SessionLogout, now: number): Promise<void>;
}
