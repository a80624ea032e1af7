// SCIM responses: application/scim+json (RFC 7644 §3.1), never cached, since
// they describe people.
import type { Context } from 'hono';
import { SCIM_CONTENT_TYPE } from './urns.ts';

export function scimJson(c: Context, body: unknown, status: 200 | 201 = 200, headers: Record<string, string> = {}): Response {
  return c.json(body, status, { ...headers, 'Content-Type': SCIM_CONTENT_TYPE, 'Cache-Control': 'no-store' });
}
