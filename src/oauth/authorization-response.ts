// Authorization responses (RFC 6749 §4.1.2 and §4.1.2.1) in the query or
// form_post response mode, always with the issuer (RFC 9207 §2).
import type { Context } from 'hono';
import type { ServiceError } from '../errors.ts';
import { sha256 } from '../secrets.ts';
import { pageHeaders } from '../pages/layout.tsx';
import { AUTO_SUBMIT_SCRIPT, FormPostPage } from '../pages/form-post.tsx';
import type { ResponseTarget } from './authorization-request.ts';

type ResponseParams = Record<string, string | undefined>;

export function successParams(code: string, target: ResponseTarget, issuer: string): ResponseParams {
  return { code, state: target.state, iss: issuer };
}

// RFC 6749 §4.1.2.1: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
const safeDescription = (text: string) => text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, ' ').slice(0, 512);

export function errorParams(err: ServiceError, target: ResponseTarget, issuer: string): ResponseParams {
  return { error: err.error, error_description: safeDescription(err.description), state: target.state, iss: issuer };
}

/** The CSP source a form may post to: the redirect URI's origin, or its scheme for a private-use URI. */
export function formActionSource(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.origin !== 'null' ? url.origin : url.protocol;
}

let scriptHash: Promise<string> | undefined;

/** 'sha256-…' of the auto-submit script (CSP Level 3 §8.4 hash-source). */
export function autoSubmitScriptHash(): Promise<string> {
  // CSP wants standard base64 with padding, not base64url.
  scriptHash ??= sha256(AUTO_SUBMIT_SCRIPT).then((h) => `'sha256-${h.replace(/-/g, '+').replace(/_/g, '/')}='`);
  return scriptHash;
}

export async function formPostCsp(redirectUri: string): Promise<string> {
  return [
    "default-src 'none'",
    `script-src ${await autoSubmitScriptHash()}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `form-action ${formActionSource(redirectUri)}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export async function sendAuthorizationResponse(c: Context, target: ResponseTarget, params: ResponseParams): Promise<Response> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (value !== undefined) fields[name] = value;
  if (target.responseMode === 'form_post') {
    const page = FormPostPage({ action: target.redirectUri, fields });
    return c.html(`<!doctype html>${page}`, 200, pageHeaders(await formPostCsp(target.redirectUri)));
  }
  // RFC 6749 §3.1.2: keep the redirect URI's own query, add ours to it.
  const url = new URL(target.redirectUri);
  for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value);
  // 303 after a POST so the browser follows with GET; 302 as RFC 6749 shows otherwise.
  c.header('Cache-Control', 'no-store');
  return c.redirect(url.toString(), c.req.method === 'POST' ? 303 : 302);
}
