// What a User body, a PatchOp and a list query may hold (RFC 7643 §4.1, the
// NHS RBAC extension; RFC 7644 §3.4.2, §3.5.2), checked with zod at the
// boundary so the rest of the SCIM code receives valid values.
import { z } from 'zod';
import { ScimError } from '../errors.ts';
import { describeIssue } from '../http/body.ts';
import { MEMBERSHIP_KIND } from '../directory/people.ts';
import { canonicalUserNames } from './attributes.ts';
import { MAX_FILTER_LENGTH } from './filter.ts';
import { CORE_USER, PATCH_OP, RBAC_USER, SEARCH_REQUEST } from './urns.ts';

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** Absent, null and "" all mean unassigned (RFC 7643 §2.5). */
const optionalText = (max: number) =>
  z.preprocess((v) => (v === '' ? null : v), text(max).nullish()).transform((v) => v ?? null);

const code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9:._-]{0,63}$/, 'must be a code of letters, digits and :._-');
const codes = z.array(code).max(500).nullish().transform((v) => v ?? []);
const names = z.array(text(512)).max(500).nullish().transform((v) => v ?? []);

// Some provisioning clients send booleans as "True" / "False".
const bool = z.preprocess((v) => (typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : v), z.boolean());


const schemasIncluding = (urn: string) =>
  z.array(z.string()).refine((s) => s.some((x) => x.toLowerCase() === urn.toLowerCase()), `must include ${urn}`);

const email = z.object({
  value: z.string().trim().max(320).regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address'),
  type: optionalText(32),
  primary: z.boolean().nullish().transform((v) => v ?? null),
});

const role = z.object({
  orgCode: code,
  roleCode: code,
  roleName: text(512),
  activityCodes: codes,
  activities: names,
  workgroupCodes: codes,
  workgroups: names,
  areaOfWorkCodes: codes,
  areasOfWork: names,
});

const organisation = z.object({ orgCode: code, orgName: text(256) });

const rbac = z
  .object({
    uid: z
      .string()
      .regex(/^\d{12}$/, 'must be 12 digits')
      .nullish()
      .transform((v) => v ?? null),
    identityAssuranceLevel: z.int().min(1).max(3).nullish().transform((v) => v ?? 1),
    professionalMemberships: z
      .record(z.string().regex(MEMBERSHIP_KIND, 'kinds are lower-case register names ending _id, like gmc_id'), text(64))
      .refine((m) => Object.keys(m).length <= 32, 'at most 32 memberships')
      .nullish()
      .transform((v) => v ?? {}),
    organisations: z.array(organisation).max(100).nullish().transform((v) => v ?? []),
    roles: z.array(role).max(100).nullish().transform((v) => v ?? []),
  })
  .superRefine((ext, ctx) => {
    const orgCodes = ext.organisations.map((o) => o.orgCode);
    orgCodes.forEach((orgCode, i) => {
      if (orgCodes.indexOf(orgCode) !== i) {
        ctx.addIssue({ code: 'custom', path: ['organisations', i, 'orgCode'], message: `${orgCode} is listed twice` });
      }
    });
    const seen = new Set<string>();
    ext.roles.forEach((r, i) => {
      // A role is held at one of the person's organisations; naming it there
      // too keeps memberships explicit rather than created as a side effect.
      if (!orgCodes.includes(r.orgCode)) {
        ctx.addIssue({ code: 'custom', path: ['roles', i, 'orgCode'], message: `${r.orgCode} is not among the organisations` });
      }
      const key = `${r.orgCode}\u0000${r.roleCode}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['roles', i, 'roleCode'], message: `${r.roleCode} at ${r.orgCode} is listed twice` });
      }
      seen.add(key);
    });
  });

export const userSchema = z.object({
  schemas: schemasIncluding(CORE_USER),
  userName: text(256),
  externalId: optionalText(256),
  name: z
    .object({
      formatted: optionalText(512),
      familyName: optionalText(256),
      givenName: optionalText(256),
      middleName: optionalText(256),
      honorificPrefix: optionalText(64),
    })
    .nullish(),
  displayName: optionalText(256),
  emails: z
    .array(email)
    .max(20)
    .refine((list) => list.filter((e) => e.primary).length <= 1, 'primary may be true for one email at most')
    .nullish()
    .transform((v) => v ?? []),
  active: bool.nullish().transform((v) => v ?? true),
  // RFC 7643 §4.1.1 writeOnly, returned never: hashed before it is stored (src/scim/user-password.ts).
  password: z.string().max(1024).optional(),
  [RBAC_USER]: rbac.nullish(),
});

export type UserInput = z.output<typeof userSchema>;

export function parseUser(raw: unknown): UserInput {
  const parsed = userSchema.safeParse(canonicalUserNames(raw));
  if (!parsed.success) throw new ScimError(400, describeIssue(parsed.error), 'invalidValue');
  return parsed.data;
}

const operation = z.object({
  op: z.string().transform((op) => op.toLowerCase()).pipe(z.enum(['add', 'replace', 'remove'])),
  path: z.string().min(1).max(MAX_FILTER_LENGTH).optional(),
  value: z.unknown().optional(),
});

export const patchSchema = z.object({
  schemas: schemasIncluding(PATCH_OP),
  Operations: z.array(operation).min(1).max(100),
});

export type PatchOperation = z.output<typeof operation>;

function spelled(o: unknown, names: string[]): unknown {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return o;
  const spell = (k: string) => names.find((n) => n.toLowerCase() === k.toLowerCase()) ?? k;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [spell(k), v]));
}

/** PatchOp member names are case-insensitive too (RFC 7643 §2.1). */
export function canonicalPatchNames(body: unknown): unknown {
  const top = spelled(body, ['schemas', 'Operations']);
  if (top === null || typeof top !== 'object' || !('Operations' in top) || !Array.isArray(top.Operations)) return top;
  return { ...top, Operations: top.Operations.map((op) => spelled(op, ['op', 'path', 'value'])) };
}

const index = (fallback: number) =>
  z
    .string()
    .regex(/^-?\d{1,9}$/, 'must be an integer')
    .transform(Number)
    .optional()
    .transform((v) => v ?? fallback);

export const MAX_RESULTS = 200;

const attributeList = z.string().max(4000).optional();

/** RFC 7644 §3.4.2.5 (and §3.9 for single resources): which attributes to return. */
export const projectionQuerySchema = z.object({
  attributes: attributeList,
  excludedAttributes: attributeList,
});

/** RFC 7644 §3.4.2.4: startIndex below 1 means 1, count below 0 means 0. */
export const listQuerySchema = projectionQuerySchema.extend({
  filter: z.string().optional(),
  startIndex: index(1).transform((v) => Math.max(1, v)),
  count: index(MAX_RESULTS).transform((v) => Math.min(MAX_RESULTS, Math.max(0, v))),
});

export type ListQuery = z.output<typeof listQuerySchema>;

const attributeNames = z.array(z.string().max(1000)).max(100).optional();
const bodyIndex = (fallback: number) => z.int().optional().transform((v) => v ?? fallback);

/**
 * RFC 7644 §3.4.3: a SearchRequest carries the list query in the body, with
 * attribute lists as arrays. sortBy and sortOrder are ignored as on GET
 * (sort.supported is false).
 */
export const searchRequestSchema = z.object({
  schemas: schemasIncluding(SEARCH_REQUEST),
  attributes: attributeNames,
  excludedAttributes: attributeNames,
  filter: z.string().optional(),
  startIndex: bodyIndex(1).transform((v) => Math.max(1, v)),
  count: bodyIndex(MAX_RESULTS).transform((v) => Math.min(MAX_RESULTS, Math.max(0, v))),
});

export type SearchRequest = z.output<typeof searchRequestSchema>;
