// The replay cache port: single-use identifiers (client assertion jti now, DPoP
// proof jti later) remembered until the JWT carrying them expires.

export interface ReplayCache {
  /**
   * Records `key` until `expiresAt` (milliseconds since the epoch). True the
   * first time; false when the key was already used and has not expired.
   */
  firstUse(key: string, expiresAt: number): Promise<boolean>;
}
