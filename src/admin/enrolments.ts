// POST /admin/users/{id}/enrolments: a one-time invitation to enrol an
// authenticator (contract §5). The page that redeems it lives under /enrol.
import { Hono } from 'hono';
import { z } from 'zod';
import { findPersonRef } from '../directory/person-lookups.ts';
import { createInvitation } from '../directory/credentials/invitations.ts';
import { HttpError } from '../errors.ts';
import { requireAdmin } from '../http/admin-auth.ts';
import { readJson } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { ADMIN, under } from '../paths.ts';

const MAX_TTL = 30 * 24 * 3600;

const body = z
  .object({ expires_in: z.number().int().min(60).max(MAX_TTL).optional() })
  .strict();

export const enrolmentRoutes = new Hono<AppEnv>()
  .post(under(ADMIN.mount, ADMIN.enrolments), requireAdmin, async (c) => {
    const { db, config, audit, now } = c.var.ports;
    const hasBody = (c.req.header('content-length') ?? '0') !== '0' || c.req.header('content-type');
    const input = hasBody ? await readJson(c, body) : {};
    const personId = c.req.param('id');
    const person = await findPersonRef(db, personId);
    if (!person) throw new HttpError(404, 'no such user');
    if (!person.active) throw new HttpError(409, 'the user is not active');
    const invitation = await createInvitation(db, {
      personId,
      ttlSeconds: input.expires_in ?? config.ttl.enrolment,
      createdBy: 'admin',
      now: now(),
    });
    await audit.record({
      actor: 'admin',
      action: 'enrolment.invite',
      subject: personId,
      outcome: 'success',
      details: { invitationId: invitation.id, expiresAt: invitation.expiresAt },
      requestId: c.var.requestId,
    });
    return c.json(
      {
        code: invitation.code,
        url: `${config.issuer}/enrol/${invitation.code}`,
        expires_at: new Date(invitation.expiresAt).toISOString(),
      },
      201,
      { 'Cache-Control': 'no-store' },
    );
  });
