// The revocation list port: access tokens with no grant object behind them
// (client_credentials) are revoked by jti, and listed until they expire anyway.

export interface RevocationList {
  /** Lists `jti` as revoked until `expiresAt` (milliseconds since the epoch). */
  revoke(jti: string, expiresAt: number): Promise<void>;
  isRevoked(jti: string): Promise<boolean>;
}
