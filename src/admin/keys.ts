// POST /admin/keys/rotate: the operator rotates every algorithm's signing key
// (next → current → retired) and the audit log records which keys moved. The
// operator console rotates through rotateSigningKeys too, in its operator's name.
import { Hono } from 'hono';
import { requireAdmin } from '../http/admin-auth.ts';
import type { AppEnv } from '../http/context.ts';
import type { Ports } from '../ports.ts';
import { ADMIN, under } from '../paths.ts';

export interface RotatedKey {
  alg: string;
  retired_kid: string | null;
  current_kid: string;
  next_kid: string;
}

/** Rotates, then audits as keys.rotate by `actor`; answers which keys moved. */
export async function rotateSigningKeys(
  ports: Ports,
  author: { actor: string; requestId: string | null; details?: Record<string, unknown> },
): Promise<RotatedKey[]> {
  const { keys, audit, log } = ports;
  const rotated = (await keys.rotate()).map((r) => ({
    alg: r.alg,
    retired_kid: r.retiredKid,
    current_kid: r.currentKid,
    next_kid: r.nextKid,
  }));
  const event = {
    actor: author.actor,
    action: 'keys.rotate',
    outcome: 'success' as const,
    details: { rotated, ...author.details },
    requestId: author.requestId,
  };
  try {
    await audit.record(event);
  } catch (err) {
    // The keys have rotated: answer with the truth, so the operator does not
    // rotate again, and keep the event in the log instead.
    log.error('audit event not recorded', { ...event, error: err instanceof Error ? err.message : String(err) });
  }
  return rotated;
}

export const adminKeyRoutes = new Hono<AppEnv>()
  .post(under(ADMIN.mount, ADMIN.rotateKeys), requireAdmin, async (c) => {
    const rotated = await rotateSigningKeys(c.var.ports, { actor: 'admin', requestId: c.var.requestId });
    return c.json({ rotated }, 200, { 'Cache-Control': 'no-store' });
  });
