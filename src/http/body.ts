// Reads and validates request bodies at the boundary, so handlers receive typed,
// already-valid values and bad input meets a 4xx, never a 500.
import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError, OAuthError } from '../errors.ts';

type InvalidBody = (description: string) => Error;

const defaultInvalid: InvalidBody = (d) => new OAuthError('invalid_request', d);

/** "path: message" of the first problem zod found, safe to show. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

const utf8 = new TextDecoder();

// workerd warns on every .text() of a body whose type is not text/*; decoding the
// bytes ourselves is the same UTF-8 decode without the noise.
export async function bodyText(c: Context): Promise<string> {
  return utf8.decode(await c.req.arrayBuffer());
}

/** Deeper than any document this service takes; deeper still would overflow later recursion (zod, structuredClone). */
export const MAX_JSON_DEPTH = 32;

export class JsonNestingError extends SyntaxError {}

/** JSON.parse that also refuses text nested deeper than MAX_JSON_DEPTH; throws SyntaxError on either. */
export function parseJson(text: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw new JsonNestingError(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return JSON.parse(text);
}

/** The request's media type, lower case, without parameters. */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
  options: { types?: string[]; invalid?: InvalidBody } = {},
): Promise<z.output<S>> {
  const types = options.types ?? ['application/json'];
  const invalid = options.invalid ?? defaultInvalid;
  if (!types.includes(mediaType(c))) {
    throw new HttpError(415, `content type must be ${types.join(' or ')}`);
  }
  let raw: unknown;
  try {
    raw = parseJson(await bodyText(c));
  } catch (err) {
    throw invalid(err instanceof JsonNestingError ? `body is ${err.message}` : 'body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalid(describeIssue(parsed.error));
  return parsed.data;
}

/** application/x-www-form-urlencoded, as RFC 6749 requires; a repeated parameter is an error (§3.1). */
export async function readForm<S extends z.ZodType>(
  c: Context,
  schema: S,
  options: { invalid?: InvalidBody } = {},
): Promise<z.output<S>> {
  const invalid = options.invalid ?? defaultInvalid;
  if (mediaType(c) !== 'application/x-www-form-urlencoded') {
    throw new OAuthError('invalid_request', 'content type must be application/x-www-form-urlencoded');
  }
  const params = new URLSearchParams(await bodyText(c));
  return parseParams(params, schema, invalid);
}

export function parseParams<S extends z.ZodType>(params: URLSearchParams, schema: S, invalid: InvalidBody = defaultInvalid): z.output<S> {
  const values: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k in values) throw invalid(`${k}: repeated parameter`);
    values[k] = v;
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw invalid(describeIssue(parsed.error));
  return parsed.data;
}
