// The challenge store port: WebAuthn challenges that are single-use and
// short-lived (W3C WebAuthn §13.4.3), held where a take is exactly-once.

export interface ChallengeStore {
  /** Holds `challenge` under `key` for `ttlSeconds`, replacing any earlier one. */
  put(key: string, challenge: string, ttlSeconds: number): Promise<void>;
  /** The challenge under `key`, removed as it is read; null when none or expired. */
  take(key: string): Promise<string | null>;
}
