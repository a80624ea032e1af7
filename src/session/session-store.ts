// The session store port: one Durable Object per browser session holds who
// signed in, how, which clients it served, pending interactions and challenges.

export interface EndedSession {
  personId: string | null;
  /** Client ids the session served, for back-channel logout. */
  clients: string[];
}

export interface SessionStore {
  /** Ends a session by its id (logout, deactivation); null when it was unknown or already ended. */
  end(sessionId: string): Promise<EndedSession | null>;
}
