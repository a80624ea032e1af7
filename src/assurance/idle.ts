// NIST SP 800-63B §4.2.3 (AAL2) and §4.3.3 (AAL3): reauthentication is required
// after a period of inactivity (30 and 15 minutes by default, configurable). A
// session idle that long keeps its person, but no longer meets that level's
// classes; AAL1 (§4.1.3) has no inactivity limit.

export interface IdleTimeouts {
  /** Milliseconds of inactivity after which the session no longer meets AAL3. */
  aal3Ms: number;
  /** Milliseconds of inactivity after which the session no longer meets AAL2 (nor AAL3). */
  aal2Ms: number;
}

/** The level an authentication still gives after `idleMs` without activity. */
function levelAfterIdle(aal: 1 | 2 | 3, idleMs: number, timeouts: IdleTimeouts): 1 | 2 | 3 {
  if (idleMs >= timeouts.aal2Ms) return 1;
  if (idleMs >= timeouts.aal3Ms) return aal > 2 ? 2 : aal;
  return aal;
}

/** The authentication with its level lowered by idleness (the same object when nothing changes). */
export function afterIdle<A extends { aal: 1 | 2 | 3 }>(authentication: A, idleMs: number, timeouts: IdleTimeouts): A {
  const aal = levelAfterIdle(authentication.aal, idleMs, timeouts);
  return aal === authentication.aal ? authentication : { ...authentication, aal };
}

/** The configured timeouts (seconds) in milliseconds. */
export function idleTimeouts(config: { ttl: { sessionIdleAal3: number; sessionIdleAal2: number } }): IdleTimeouts {
  return { aal3Ms: config.ttl.sessionIdleAal3 * 1000, aal2Ms: config.ttl.sessionIdleAal2 * 1000 };
}
