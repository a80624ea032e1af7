// What each scope releases about a person, named as NHS CIS2 names it so that
// existing relying parties work unchanged (CONTRACT §8). Pure functions of the
// person, the granted scopes and the grant's role choice.
import { MEMBERSHIP_KIND, type Person, type PersonRole } from '../directory/people.ts';
import type { Scope } from '../oauth/vocabulary.ts';

export type Claims = Record<string, unknown>;

/** What the grant adds to the person: the role chosen at sign-in. */
interface ClaimsContext {
  selectedRoleId?: string | null;
}

type ScopeClaims = (person: Person, context: ClaimsContext) => Claims;

/** Leaves out claims the directory holds no value for, rather than releasing nulls. */
function present(claims: Record<string, unknown>): Claims {
  return Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== null && v !== undefined && v !== ''));
}

function fullName(p: Person): string | null {
  const parts = [p.honorificPrefix, p.givenName, p.middleName, p.familyName].filter((s): s is string => Boolean(s));
  return p.formattedName ?? (parts.length > 0 ? parts.join(' ') : null);
}

/** CIS2 `initials`: the first letter of each forename, given and middle (e.g. "AA" for Ada Augusta). */
export function initials(p: Person): string | null {
  const forenames = [p.givenName, p.middleName].join(' ').split(/\s+/).filter(Boolean);
  return forenames.length > 0 ? forenames.map((n) => n[0]!.toUpperCase()).join('') : null;
}

function primaryEmail(p: Person): string | null {
  return (p.emails.find((e) => e.primary) ?? p.emails[0])?.value ?? null;
}

/** CONTRACT §8: CIS2 leaves the optional role arrays out when they are empty. */
function nonEmpty(arrays: Record<string, string[]>): Claims {
  return Object.fromEntries(Object.entries(arrays).filter(([, v]) => v.length > 0));
}

function nrbacRole(r: PersonRole): Claims {
  return {
    ...present({
      person_orgid: r.personOrgId,
      person_roleid: r.id,
      org_code: r.orgCode,
      role_name: r.roleName,
      role_code: r.roleCode,
    }),
    ...nonEmpty({
      activities: r.activities,
      activity_codes: r.activityCodes,
      workgroups: r.workgroups,
      workgroups_codes: r.workgroupCodes,
      aow: r.areasOfWork,
      aow_codes: r.areaOfWorkCodes,
    }),
  };
}

/** CONTRACT §8 `nhsid_org_roles`: the person's organisations in which they hold at least one role. */
function orgRoles(p: Person): Claims[] {
  const withRoles = new Set(p.roles.map((r) => r.orgCode));
  return p.organisations
    .filter((o) => withRoles.has(o.orgCode))
    .map((o) => ({ person_orgid: o.id, org_code: o.orgCode, org_name: o.orgName }));
}

/** CONTRACT §8, row by row. */
// Every scope but openid and offline_access releases claims: the type makes the compiler hold these keys to the vocabulary.
const SCOPE_CLAIMS: Readonly<Record<string, ScopeClaims>> = {
  profile: (p) => present({ name: fullName(p), given_name: p.givenName, family_name: p.familyName, uid: p.uid }),
  email: (p) => present({ email: primaryEmail(p) }),
  nhsperson: (p) =>
    present({
      nhsid_useruid: p.uid,
      title: p.honorificPrefix,
      initials: initials(p),
      middle_names: p.middleName,
      display_name: p.displayName,
      idassurancelevel: String(p.identityAssuranceLevel),
    }),
  associatedorgs: (p) => ({ nhsid_user_orgs: p.organisations.map((o) => ({ org_code: o.orgCode, org_name: o.orgName })) }),
  nationalrbacaccess: (p) => ({ nhsid_nrbac_roles: p.roles.map(nrbacRole), nhsid_org_roles: orgRoles(p) }),
  // Kinds are `<register>_id` (MEMBERSHIP_KIND); anything else stored before that rule is not released.
  professionalmemberships: (p) => Object.fromEntries(Object.entries(p.professionalMemberships).filter(([kind]) => MEMBERSHIP_KIND.test(kind))),
  organisationalmemberships: (p) => ({
    nhsid_org_memberships: p.organisations.map((o) => ({ person_orgid: o.id, org_code: o.orgCode, org_name: o.orgName })),
  }),
  // Only a role the person still holds: a role removed since sign-in is not asserted.
  selectedrole: (p, c) => (c.selectedRoleId && p.roles.some((r) => r.id === c.selectedRoleId) ? { selected_roleid: c.selectedRoleId } : {}),
} satisfies Record<Exclude<Scope, 'openid' | 'offline_access'>, ScopeClaims>;

/**
 * CONTRACT §8: the ID token carries identity, assurance and `selected_roleid`;
 * organisations, roles and memberships are for userinfo only.
 */
const ID_TOKEN_SCOPES: readonly string[] = ['profile', 'email', 'nhsperson', 'selectedrole'] satisfies Scope[];

/** Userinfo: everything the granted scopes release, with `sub` (OIDC Core §5.3.2). */
export function userinfoClaims(person: Person, scopes: readonly string[], context: ClaimsContext = {}): Claims {
  return { ...releasedClaims(person, scopes, context), sub: person.uid };
}

/** The identity claims of the ID token for these scopes. */
export function idTokenScopeClaims(person: Person, scopes: readonly string[], context: ClaimsContext = {}): Claims {
  return releasedClaims(person, scopes.filter((s) => ID_TOKEN_SCOPES.includes(s)), context);
}

export function releasedClaims(person: Person, scopes: readonly string[], context: ClaimsContext = {}): Claims {
  const claims: Claims = {};
  for (const scope of scopes) {
    // Own properties only: a scope named like "constructor" must release nothing.
    if (Object.hasOwn(SCOPE_CLAIMS, scope)) Object.assign(claims, SCOPE_CLAIMS[scope]!(person, context));
  }
  return claims;
}
