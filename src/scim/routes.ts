// SCIM 2.0 under /scim/v2 (RFC 7644), guarded by the operator's bearer token:
// /Users, searches (/.search) and the documents that describe the service.
import { Hono, type Context } from 'hono';
import { requireAdmin } from '../http/admin-auth.ts';
import type { AppEnv } from '../http/context.ts';
import { parseParams } from '../http/body.ts';
import { ScimError } from '../errors.ts';
import type { Person } from '../directory/people.ts';
import type { ChangeContext } from './person-events.ts';
import { scimJson } from './response.ts';
import { serviceProviderRoutes } from './service-provider.ts';
import { parseAttributeList, projectUser, type Projection } from './projection.ts';
import { readPatch, readSearch, readUser } from './user-body.ts';
import { toPersonRecordWithPassword } from './user-password.ts';
import { etagOf, toScimUser } from './user-resource.ts';
import { listQuerySchema, projectionQuerySchema, type ListQuery, type SearchRequest } from './user-schema.ts';
import { LIST_RESPONSE } from './urns.ts';
import { createUser, deleteUser, getUser, listUsers, patchUser, replaceUser } from './users.ts';
import { SCIM, under } from '../paths.ts';

const invalidQuery = (detail: string) => new ScimError(400, detail, 'invalidValue');

function context(c: Context<AppEnv>): ChangeContext {
  return { ports: c.var.ports, requestId: c.var.requestId };
}

/** RFC 7644 §3.9: the attributes a response carries, from the query. */
function projectionOf(c: Context<AppEnv>): Projection {
  const query = parseParams(new URL(c.req.url).searchParams, projectionQuerySchema, invalidQuery);
  return { attributes: parseAttributeList(query.attributes), excludedAttributes: parseAttributeList(query.excludedAttributes) };
}

function renderUser(c: Context<AppEnv>, person: Person, status: 200 | 201 = 200): Response {
  const user = toScimUser(person, c.var.ports.config.issuer);
  const headers: Record<string, string> = { ETag: etagOf(person) };
  // RFC 7644 §3.3: a created resource's URI is in Location.
  if (status === 201) headers.Location = (user.meta as { location: string }).location;
  return scimJson(c, projectUser(user, projectionOf(c)), status, headers);
}

/** GET /Users and POST /.search share one query (RFC 7644 §3.4.2, §3.4.3). */
async function renderList(c: Context<AppEnv>, query: ListQuery | SearchRequest): Promise<Response> {
  const projection = { attributes: parseAttributeList(query.attributes), excludedAttributes: parseAttributeList(query.excludedAttributes) };
  const { people, total } = await listUsers(context(c), query);
  const issuer = c.var.ports.config.issuer;
  return scimJson(c, {
    schemas: [LIST_RESPONSE],
    totalResults: total,
    startIndex: query.startIndex,
    itemsPerPage: people.length,
    Resources: people.map((p) => projectUser(toScimUser(p, issuer), projection)),
  });
}

const search = async (c: Context<AppEnv>) => renderList(c, await readSearch(c));

// Seen from the mount. SCIM.user's pattern keeps '/Users/.search' from being read as a
// user id, so a GET on it is answered 405 (RFC 7644 §3.4.3 defines .search for POST only).
const USERS = under(SCIM.mount, SCIM.users);
const USER_PATH = under(SCIM.mount, SCIM.user);

const userRoutes = new Hono<AppEnv>()
  .get(USERS, async (c) => renderList(c, parseParams(new URL(c.req.url).searchParams, listQuerySchema, invalidQuery)))
  .post(USERS, async (c) => renderUser(c, await createUser(context(c), await toPersonRecordWithPassword(await readUser(c))), 201))
  .post(under(SCIM.mount, SCIM.usersSearch), search)
  // RFC 7644 §3.4.3: a search at the root covers every resource type; User is the only one.
  .post(under(SCIM.mount, SCIM.search), search)
  .get(USER_PATH, async (c) => {
    const person = await getUser(context(c), c.req.param('id'));
    // RFC 7644 §3.14: the client's copy is current.
    if (c.req.header('if-none-match')?.split(',').some((t) => t.trim() === etagOf(person))) {
      return c.body(null, 304, { ETag: etagOf(person) });
    }
    return renderUser(c, person);
  })
  .put(USER_PATH, async (c) => {
    const record = await toPersonRecordWithPassword(await readUser(c));
    return renderUser(c, await replaceUser(context(c), c.req.param('id'), record, c.req.header('if-match')));
  })
  .patch(USER_PATH, async (c) => {
    const operations = await readPatch(c);
    return renderUser(c, await patchUser(context(c), c.req.param('id'), operations, c.req.header('if-match')));
  })
  .delete(USER_PATH, async (c) => {
    await deleteUser(context(c), c.req.param('id'), c.req.header('if-match'));
    return c.body(null, 204);
  });

export const scimRoutes = new Hono<AppEnv>();
scimRoutes.use('*', requireAdmin);
scimRoutes.route('/', serviceProviderRoutes);
scimRoutes.route('/', userRoutes);
