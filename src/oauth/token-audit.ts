// Audit events of the token endpoints: issue, refresh reuse, revocation and
// failed client authentication (docs/assurance.md, "Audit queries"). Details never hold a token,
// code or secret: grant ids and jti values are identifiers, not credentials.
import type { AuditEvent, Ports } from '../ports.ts';

type TokenAuditAction =
  | 'token.issue'
  | 'token.code_reuse'
  | 'token.refresh_reuse'
  | 'token.revoke'
  | 'client.authenticate';

export async function recordTokenEvent(ports: Ports, event: AuditEvent & { action: TokenAuditAction }): Promise<void> {
  try {
    await ports.audit.record(event);
  } catch (err) {
    // The protocol outcome stands; the event is kept in the log instead.
    ports.log.error('audit event not recorded', { ...event, error: err instanceof Error ? err.message : String(err) });
  }
}
