// Shared helpers for workerd integration tests: requests to the Worker as an
// operator or an anonymous caller.
import { SELF } from 'cloudflare:test';
import { TEST_ADMIN_TOKEN, TEST_ISSUER } from '../test-env.ts';

export const issuer = TEST_ISSUER;

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(new URL(path, TEST_ISSUER), init);
}

export function adminCall(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${TEST_ADMIN_TOKEN}`);
  return call(path, { ...init, headers });
}

export function adminJson(path: string, method: string, body: unknown, contentType = 'application/json'): Promise<Response> {
  return adminCall(path, { method, headers: { 'content-type': contentType }, body: JSON.stringify(body) });
}

/** A unique suffix so tests sharing the one directory database do not collide. */
export function unique(prefix = 't'): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
