// POST /admin/users/{id}/unlock, with the admin token: lifts the person's locks and
// throttles on every sign-in method, and those on (address, username) pairs naming
// them, and forgets their failed attempts (src/limits/lockout.ts).
// Answers 200 {"locked": false, "was_locked": boolean}; 404 for an unknown id.
import { Hono } from 'hono';
import { findPersonRef } from '../directory/person-lookups.ts';
import { HttpError } from '../errors.ts';
import { requireAdmin } from '../http/admin-auth.ts';
import type { AppEnv } from '../http/context.ts';
import { unlockPerson } from '../limits/lockout.ts';
import { ADMIN, under } from '../paths.ts';

export const adminUnlockRoutes = new Hono<AppEnv>()
  .post(under(ADMIN.mount, ADMIN.unlock), requireAdmin, async (c) => {
    const { ports } = c.var;
    const personId = c.req.param('id');
    const person = await findPersonRef(ports.db, personId);
    if (!person) throw new HttpError(404, 'no such user');
    const wasLocked = await unlockPerson(ports, personId);
    await ports.audit.record({
      actor: 'admin',
      action: 'person.unlocked',
      subject: personId,
      outcome: 'success',
      details: { wasLocked },
      requestId: c.var.requestId,
    });
    return c.json({ locked: false, was_locked: wasLocked }, 200, { 'Cache-Control': 'no-store' });
  });
