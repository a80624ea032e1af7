// The operator's view of a person's authenticators (CONTRACT §10, NIST SP 800-63B
// §6.2): list them, and revoke a lost or stolen one.
import { Hono } from 'hono';
import { listAuthenticators } from '../directory/credentials/authenticators.ts';
import { revokeAuthenticator } from '../authenticators/revocation.ts';
import { HttpError } from '../errors.ts';
import { requireAdmin } from '../http/admin-auth.ts';
import type { AppEnv } from '../http/context.ts';
import type { Database } from '../ports.ts';
import { findPersonRef } from '../directory/person-lookups.ts';
import { ADMIN, under } from '../paths.ts';

async function personOr404(db: Database, id: string): Promise<{ id: string; uid: string }> {
  const person = await findPersonRef(db, id);
  if (!person) throw new HttpError(404, 'no such user');
  return { id: person.id, uid: person.uid };
}

export const adminAuthenticatorRoutes = new Hono<AppEnv>()
  .get(under(ADMIN.mount, ADMIN.authenticators), requireAdmin, async (c) => {
    const person = await personOr404(c.var.ports.db, c.req.param('id'));
    return c.json({ authenticators: await listAuthenticators(c.var.ports.db, person.id) }, 200, { 'Cache-Control': 'no-store' });
  })
  .delete(under(ADMIN.mount, ADMIN.authenticator), requireAdmin, async (c) => {
    const person = await personOr404(c.var.ports.db, c.req.param('id'));
    const authenticatorId = c.req.param('authenticator');
    // An operator may remove the last one too: the person is then enrolled again by invitation.
    const revoked = await revokeAuthenticator(c.var.ports, { person, authenticatorId, actor: 'admin', requestId: c.var.requestId });
    if (!revoked) throw new HttpError(404, 'the user holds no such authenticator');
    return c.body(null, 204);
  });
