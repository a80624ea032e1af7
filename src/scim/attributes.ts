// The User's attribute definitions (RFC 7643 §2.2, §7): one source for the
// /Schemas documents, for case-insensitive attribute names (§2.1) and for
// what PATCH needs to know (multi-valued? complex?).
import { KNOWN_MEMBERSHIP_KINDS } from '../directory/people.ts';
import { CORE_USER, RBAC_USER } from './urns.ts';

export interface AttributeDef {
  name: string;
  type: 'string' | 'boolean' | 'integer' | 'complex';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default';
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  subAttributes?: AttributeDef[];
  /** Always holds a value, so it cannot be removed (RFC 7644 §3.5.2.2); absent on create means a default. */
  valueRequired?: boolean;
  /** A complex attribute whose sub-attribute names are data, e.g. { gmc_id: "…" }: others than those declared are accepted. */
  openSubAttributes?: boolean;
}

type Options = Partial<Omit<AttributeDef, 'name' | 'type' | 'description'>>;

function attr(name: string, type: AttributeDef['type'], description: string, options: Options = {}): AttributeDef {
  return {
    name,
    type,
    description,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

const codes = (name: string, what: string) => attr(name, 'string', what, { multiValued: true, caseExact: true });

export const CORE_ATTRIBUTES: AttributeDef[] = [
  attr('userName', 'string', 'Unique identifier for the user, used to sign in; unique regardless of case.', {
    required: true,
    uniqueness: 'server',
    returned: 'always',
  }),
  attr('name', 'complex', "The components of the user's name.", {
    subAttributes: [
      attr('formatted', 'string', 'The full name, formatted for display.'),
      attr('familyName', 'string', 'The family name.'),
      attr('givenName', 'string', 'The given name.'),
      attr('middleName', 'string', 'The middle names (CIS2 middle_names).'),
      attr('honorificPrefix', 'string', 'The title, e.g. Dr (CIS2 title).'),
    ],
  }),
  attr('displayName', 'string', 'The name to display.'),
  attr('emails', 'complex', 'Email addresses.', {
    multiValued: true,
    subAttributes: [
      attr('value', 'string', 'The email address.'),
      attr('type', 'string', 'What the address is for.', { canonicalValues: ['work', 'home', 'other'] }),
      attr('primary', 'boolean', 'The preferred address; true at most once.'),
    ],
  }),
  attr('active', 'boolean', 'Whether the user may sign in; false ends their sessions and grants. True when not given on create; cannot be removed.', {
    valueRequired: true,
  }),
  attr('password', 'string', 'At least 12 characters, not the userName; stored as a slow salted hash and never returned.', {
    mutability: 'writeOnly',
    returned: 'never',
  }),
];

export const ROLE_ATTRIBUTES: AttributeDef[] = [
  attr('id', 'string', 'The person_roleid, assigned by the server.', { caseExact: true, mutability: 'readOnly' }),
  attr('orgCode', 'string', 'ODS code of the organisation the role is held at.', { required: true, caseExact: true }),
  attr('roleCode', 'string', 'National RBAC role code, e.g. S8000:G8000:R8000.', { required: true, caseExact: true }),
  attr('roleName', 'string', 'National RBAC role name.', { required: true }),
  codes('activityCodes', 'Activity (baseline business function) codes.'),
  attr('activities', 'string', 'Activity names.', { multiValued: true }),
  codes('workgroupCodes', 'Workgroup codes.'),
  attr('workgroups', 'string', 'Workgroup names.', { multiValued: true }),
  codes('areaOfWorkCodes', 'Area of work codes.'),
  attr('areasOfWork', 'string', 'Area of work names.', { multiValued: true }),
];

export const RBAC_ATTRIBUTES: AttributeDef[] = [
  attr('uid', 'string', 'The stable 12-digit national identifier; generated when absent.', {
    caseExact: true,
    mutability: 'immutable',
    uniqueness: 'global',
  }),
  attr('identityAssuranceLevel', 'integer', 'Identity assurance level, 1 to 3; 1 when not given on create; cannot be removed.', {
    valueRequired: true,
  }),
  attr('professionalMemberships', 'complex', 'Registration numbers by kind. The registers listed are known; any other lower-case `<register>_id` kind is accepted too.', {
    subAttributes: KNOWN_MEMBERSHIP_KINDS.map((kind) =>
      attr(kind, 'string', `Registration number with the register ${kind.slice(0, -3).toUpperCase()}.`, { caseExact: true }),
    ),
    openSubAttributes: true,
  }),
  attr('organisations', 'complex', 'Organisations the person works for.', {
    multiValued: true,
    subAttributes: [
      attr('orgCode', 'string', 'ODS code.', { required: true, caseExact: true }),
      attr('orgName', 'string', 'Organisation name.', { required: true }),
    ],
  }),
  attr('roles', 'complex', 'National RBAC roles, each at one of the organisations.', {
    multiValued: true,
    subAttributes: ROLE_ATTRIBUTES,
  }),
];

/** Attributes every resource has (RFC 7643 §3.1), outside the schemas' lists. */
export const COMMON_ATTRIBUTES: AttributeDef[] = [
  attr('schemas', 'string', 'Schema URNs.', { multiValued: true, caseExact: true, returned: 'always' }),
  attr('id', 'string', "The server's identifier.", { caseExact: true, mutability: 'readOnly', returned: 'always' }),
  attr('externalId', 'string', "The provisioning client's identifier.", { caseExact: true }),
  attr('meta', 'complex', 'Resource metadata.', {
    mutability: 'readOnly',
    subAttributes: [
      attr('resourceType', 'string', 'The resource type.', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'string', 'When the resource was created (dateTime).', { mutability: 'readOnly' }),
      attr('lastModified', 'string', 'When the resource last changed (dateTime).', { mutability: 'readOnly' }),
      attr('location', 'string', "The resource's URI.", { caseExact: true, mutability: 'readOnly' }),
      attr('version', 'string', 'The entity tag of this version.', { caseExact: true, mutability: 'readOnly' }),
    ],
  }),
];

export function findAttribute(defs: AttributeDef[], name: string): AttributeDef | undefined {
  const lower = name.toLowerCase();
  return defs.find((d) => d.name.toLowerCase() === lower);
}

const TOP_LEVEL = [...COMMON_ATTRIBUTES, ...CORE_ATTRIBUTES];

function canonicalObject(value: unknown, defs: AttributeDef[] | 'open'): unknown {
  if (Array.isArray(value)) return value.map((v) => canonicalObject(v, defs));
  if (value === null || typeof value !== 'object' || defs === 'open') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const def = findAttribute(defs, key);
    out[def?.name ?? key] = def ? canonicalValue(def, v) : v;
  }
  return out;
}

/** A value of `def` with its sub-attribute names spelled as the schema spells them. */
export function canonicalValue(def: AttributeDef, value: unknown): unknown {
  if (def.openSubAttributes) return value;
  return def.subAttributes ? canonicalObject(value, def.subAttributes) : value;
}

/**
 * A User body with attribute names spelled as the schema spells them, since
 * RFC 7643 §2.1 makes them case-insensitive; unknown names are left for the
 * schema to judge.
 */
export function canonicalUserNames(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === RBAC_USER.toLowerCase()) out[RBAC_USER] = canonicalObject(value, RBAC_ATTRIBUTES);
    else if (key.toLowerCase().startsWith(`${CORE_USER.toLowerCase()}:`)) {
      // A core attribute written with its schema URN (RFC 7644 §3.10).
      const def = findAttribute(CORE_ATTRIBUTES, key.slice(CORE_USER.length + 1));
      out[def?.name ?? key] = def ? canonicalValue(def, value) : value;
    } else {
      const def = findAttribute(TOP_LEVEL, key);
      out[def?.name ?? key] = def ? canonicalValue(def, value) : value;
    }
  }
  return out;
}
