// Reads a person as the rest of the service sees them: core attributes with their
// organisations (CIS2 person_orgid), national RBAC roles (person_roleid) and
// professional memberships. SCIM renders it; the claims code releases it.
import { asc, eq, inArray, type SQLWrapper } from 'drizzle-orm';
import {
  organisations,
  people,
  personOrganisations,
  professionalMemberships,
  roleAssignments,
  type PersonEmail,
} from '../../schema/people.ts';
import type { Database } from '../ports.ts';

export interface PersonOrganisation {
  /** CIS2's person_orgid. */
  id: string;
  orgCode: string;
  orgName: string;
}

export interface PersonRole {
  /** CIS2's person_roleid: stable while a role with this orgCode and roleCode is held. */
  id: string;
  /** The person_orgid of the organisation the role is held at, if the membership exists. */
  personOrgId: string | null;
  orgCode: string;
  orgName: string;
  roleCode: string;
  roleName: string;
  activityCodes: string[];
  activities: string[];
  workgroupCodes: string[];
  workgroups: string[];
  areaOfWorkCodes: string[];
  areasOfWork: string[];
}

// CIS2 names each register's number `<register>_id` (gmc_id, nmc_id, gphc_id…), and
// userinfo releases them as claims of that name: the suffix keeps a kind from
// ever taking the name of another claim (sub, email, uid).
export const MEMBERSHIP_KIND = /^[a-z][a-z0-9_]{0,28}_id$/;

/**
 * The registers CIS2 relying parties know by name: declared in /Schemas and in
 * discovery's claims_supported even before anyone holds them. Other kinds that
 * match MEMBERSHIP_KIND stay accepted and are listed once someone holds one.
 */
export const KNOWN_MEMBERSHIP_KINDS = [
  'gmc_id', // General Medical Council
  'nmc_id', // Nursing and Midwifery Council
  'gphc_id', // General Pharmaceutical Council
  'gdc_id', // General Dental Council
  'rcn_id', // Royal College of Nursing
  'hcpc_id', // Health and Care Professions Council
  'goc_id', // General Optical Council
  'gosc_id', // General Osteopathic Council
  'gcc_id', // General Chiropractic Council
  'psni_id', // Pharmaceutical Society of Northern Ireland
] as const;

export interface Person {
  id: string;
  /** The 12-digit national identifier. */
  uid: string;
  userName: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  middleName: string | null;
  honorificPrefix: string | null;
  formattedName: string | null;
  displayName: string | null;
  emails: PersonEmail[];
  active: boolean;
  identityAssuranceLevel: number;
  version: number;
  createdAt: number;
  updatedAt: number;
  organisations: PersonOrganisation[];
  roles: PersonRole[];
  /** Registration numbers by kind, e.g. { gmc_id: '7654321' }. */
  professionalMemberships: Record<string, string>;
}

export async function findPerson(db: Database, id: string): Promise<Person | null> {
  const [person] = await findPeople(db, [id]);
  return person ?? null;
}

/** The people with these ids, in the order given; unknown ids are left out. */
export async function findPeople(db: Database, ids: string[]): Promise<Person[]> {
  if (ids.length === 0) return [];
  // One round trip: the four reads travel as a single batch.
  const byId = new Map(assemblePeople(await db.batch(personReads(db, ids))).map((p) => [p.id, p]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * The four reads of findPeople, for the people `ids` names: a list, or a
 * subquery (e.g. the owner of a credential), so that a caller can send them in
 * the batch of its own read and pay one round trip for both.
 */
export function personReads(db: Database, ids: string[] | SQLWrapper) {
  return [
    db
      .select({
        id: people.id,
        uid: people.uid,
        userName: people.userName,
        externalId: people.externalId,
        givenName: people.givenName,
        familyName: people.familyName,
        middleName: people.middleName,
        honorificPrefix: people.honorificPrefix,
        formattedName: people.formattedName,
        displayName: people.displayName,
        emails: people.emails,
        active: people.active,
        identityAssuranceLevel: people.identityAssuranceLevel,
        version: people.version,
        createdAt: people.createdAt,
        updatedAt: people.updatedAt,
      })
      .from(people)
      .where(inArray(people.id, ids)),
    db
      .select({
        id: personOrganisations.id,
        personId: personOrganisations.personId,
        orgCode: personOrganisations.orgCode,
        orgName: organisations.orgName,
      })
      .from(personOrganisations)
      .innerJoin(organisations, eq(organisations.orgCode, personOrganisations.orgCode))
      .where(inArray(personOrganisations.personId, ids))
      .orderBy(asc(personOrganisations.position)),
    db
      .select({ role: roleAssignments, orgName: organisations.orgName })
      .from(roleAssignments)
      .innerJoin(organisations, eq(organisations.orgCode, roleAssignments.orgCode))
      .where(inArray(roleAssignments.personId, ids))
      .orderBy(asc(roleAssignments.position)),
    db.select().from(professionalMemberships).where(inArray(professionalMemberships.personId, ids)),
  ] as const;
}

type PersonRows = readonly [
  Awaited<ReturnType<typeof personReads>[0]>,
  Awaited<ReturnType<typeof personReads>[1]>,
  Awaited<ReturnType<typeof personReads>[2]>,
  Awaited<ReturnType<typeof personReads>[3]>,
];

/** The people the results of personReads describe, in the order of the people rows. */
export function assemblePeople([rows, orgRows, roleRows, membershipRows]: PersonRows): Person[] {
  const byId = new Map<string, Person>();
  for (const row of rows) {
    byId.set(row.id, { ...row, organisations: [], roles: [], professionalMemberships: {} });
  }
  for (const { personId, ...org } of orgRows) byId.get(personId)?.organisations.push(org);
  for (const { role, orgName } of roleRows) {
    const person = byId.get(role.personId);
    if (!person) continue;
    const { personId: _, position: __, ...fields } = role;
    const personOrgId = person.organisations.find((o) => o.orgCode === role.orgCode)?.id ?? null;
    person.roles.push({ ...fields, orgName, personOrgId });
  }
  for (const m of membershipRows) {
    const person = byId.get(m.personId);
    if (person) person.professionalMemberships[m.kind] = m.value;
  }
  return [...byId.values()];
}
