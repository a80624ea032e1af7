// Maps between the directory's Person and the SCIM User resource (RFC 7643 §4.1
// with the NHS RBAC extension), both ways.
import type { Person } from '../directory/people.ts';
import type { PersonRecord } from '../directory/person-record.ts';
import type { UserInput } from './user-schema.ts';
import { CORE_USER, RBAC_USER } from './urns.ts';
import { pathTo, SCIM } from '../paths.ts';

export type { PersonRecord, RoleRecord } from '../directory/person-record.ts';

export function toPersonRecord(input: UserInput): PersonRecord {
  const ext = input[RBAC_USER];
  return {
    userName: input.userName,
    externalId: input.externalId,
    givenName: input.name?.givenName ?? null,
    familyName: input.name?.familyName ?? null,
    middleName: input.name?.middleName ?? null,
    honorificPrefix: input.name?.honorificPrefix ?? null,
    formattedName: input.name?.formatted ?? null,
    displayName: input.displayName,
    emails: input.emails.map((e) => ({
      value: e.value,
      ...(e.type !== null ? { type: e.type } : {}),
      ...(e.primary !== null ? { primary: e.primary } : {}),
    })),
    active: input.active,
    uid: ext?.uid ?? null,
    identityAssuranceLevel: ext?.identityAssuranceLevel ?? 1,
    professionalMemberships: ext?.professionalMemberships ?? {},
    organisations: ext?.organisations ?? [],
    roles: ext?.roles ?? [],
  };
}

/** RFC 7644 §3.14: the version as a weak entity tag. */
export function etagOf(person: Pick<Person, 'version'>): string {
  return `W/"${person.version}"`;
}

export function locationOf(issuer: string, id: string): string {
  return `${issuer}${pathTo(SCIM.user, { id })}`;
}

/** Keeps only assigned values: RFC 7643 §2.5 treats null and absent alike. */
function assigned<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

export function toScimUser(person: Person, issuer: string): Record<string, unknown> {
  const name = assigned({
    formatted: person.formattedName,
    familyName: person.familyName,
    givenName: person.givenName,
    middleName: person.middleName,
    honorificPrefix: person.honorificPrefix,
  });
  return {
    schemas: [CORE_USER, RBAC_USER],
    id: person.id,
    ...assigned({ externalId: person.externalId }),
    userName: person.userName,
    ...(Object.keys(name).length > 0 ? { name } : {}),
    ...assigned({ displayName: person.displayName }),
    ...(person.emails.length > 0 ? { emails: person.emails } : {}),
    active: person.active,
    [RBAC_USER]: {
      uid: person.uid,
      identityAssuranceLevel: person.identityAssuranceLevel,
      professionalMemberships: person.professionalMemberships,
      organisations: person.organisations.map(({ orgCode, orgName }) => ({ orgCode, orgName })),
      roles: person.roles.map((r) => ({
        id: r.id,
        orgCode: r.orgCode,
        roleCode: r.roleCode,
        roleName: r.roleName,
        activityCodes: r.activityCodes,
        activities: r.activities,
        workgroupCodes: r.workgroupCodes,
        workgroups: r.workgroups,
        areaOfWorkCodes: r.areaOfWorkCodes,
        areasOfWork: r.areasOfWork,
      })),
    },
    meta: {
      resourceType: 'User',
      created: new Date(person.createdAt).toISOString(),
      lastModified: new Date(person.updatedAt).toISOString(),
      location: locationOf(issuer, person.id),
      version: etagOf(person),
    },
  };
}
