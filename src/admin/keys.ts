// POST /admin/keys/rotate: the operator rotates every algorithm's signing key
// (next → current → retired) and the audit log records which keys moved.
import { Hono } from 'hono';
import { requireAdmin } from '../http/admin-auth.ts';
import type { AppEnv } from '../http/context.ts';

export const adminKeyRoutes = new Hono<AppEnv>()
  .post('/keys/rotate', requireAdmin, async (c) => {
    const { keys, audit, log } = c.var.ports;
    const rotated = (await keys.rotate()).map((r) => ({
      alg: r.alg,
      retired_kid: r.retiredKid,
      current_kid: r.currentKid,
      next_kid: r.nextKid,
    }));
    const event = {
      actor: 'admin',
      action: 'keys.rotate',
      outcome: 'success' as const,
      details: { rotated },
      requestId: c.var.requestId,
    };
    try {
      await audit.record(event);
    } catch (err) {
      // The keys have rotated: answer with the truth, so the operator does not
      // rotate again, and keep the event in the log instead.
      log.error('audit event not recorded', { ...event, error: err instanceof Error ? err.message : String(err) });
    }
    return c.json({ rotated }, 200, { 'Cache-Control': 'no-store' });
  });
