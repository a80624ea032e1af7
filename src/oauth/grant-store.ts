// The grant store port: one Durable Object per grant holds its authorization
// code, refresh token family and revocation state (ARCHITECTURE.md).
import type { GrantInput } from '../ports.ts';

export interface GrantStore {
  /** Creates the grant and its single-use authorization code, `<grant id>.<secret>`. */
  issueCode(input: GrantInput): Promise<{ grantId: string; code: string }>;
  /** Revokes the grant and everything issued under it; false when it was unknown. */
  revoke(grantId: string, reason: string): Promise<boolean>;
}
