// Reads SCIM request bodies: malformed JSON is `invalidSyntax`, JSON that is not
// a valid User or PatchOp is `invalidValue` (RFC 7644 §3.12).
import type { Context } from 'hono';
import { z } from 'zod';
import { ScimError } from '../errors.ts';
import { describeIssue, readJson } from '../http/body.ts';
import { canonicalPatchNames, parseUser, patchSchema, searchRequestSchema, type PatchOperation, type SearchRequest, type UserInput } from './user-schema.ts';
import { SCIM_REQUEST_TYPES } from './urns.ts';

function readBody(c: Context): Promise<unknown> {
  return readJson(c, z.unknown(), {
    types: SCIM_REQUEST_TYPES,
    invalid: (detail) => new ScimError(400, detail, 'invalidSyntax'),
  });
}

export async function readUser(c: Context): Promise<UserInput> {
  return parseUser(await readBody(c));
}

export async function readPatch(c: Context): Promise<PatchOperation[]> {
  const parsed = patchSchema.safeParse(canonicalPatchNames(await readBody(c)));
  if (!parsed.success) throw new ScimError(400, describeIssue(parsed.error), 'invalidValue');
  return parsed.data.Operations;
}

/** RFC 7644 §3.4.3: POST …/.search with a SearchRequest. */
export async function readSearch(c: Context): Promise<SearchRequest> {
  const parsed = searchRequestSchema.safeParse(await readBody(c));
  if (!parsed.success) throw new ScimError(400, describeIssue(parsed.error), 'invalidValue');
  return parsed.data;
}
