// People, their organisations, national RBAC role assignments and professional
// memberships: the directory that SCIM writes and the claims are read from.
import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

export const people = sqliteTable(
  'people',
  {
    id: text('id').primaryKey(),
    // CIS2's stable national identifier (12 digits), released as `uid` / `nhsid_useruid`.
    uid: text('uid').notNull(),
    userName: text('user_name').notNull(),
    externalId: text('external_id'),
    givenName: text('given_name'),
    familyName: text('family_name'),
    middleName: text('middle_name'),
    honorificPrefix: text('honorific_prefix'),
    formattedName: text('formatted_name'),
    displayName: text('display_name'),
    emails: text('emails', { mode: 'json' }).$type<PersonEmail[]>().notNull().default([]),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    identityAssuranceLevel: integer('identity_assurance_level').notNull().default(1),
    // A slow salted hash (RFC 8018 §5.2, docs/assurance.md "Password hashing cost"); never returned by SCIM.
    passwordHash: text('password_hash'),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('people_uid_unique').on(t.uid),
    // RFC 7643 §4.1.1: userName is caseExact=false, so uniqueness ignores case too.
    uniqueIndex('people_user_name_lower_unique').on(sql`lower(${t.userName})`),
    index('people_external_id').on(t.externalId),
    // SCIM filters on meta.lastModified (RFC 7644 §3.4.2.2): provisioning tools' incremental sync.
    index('people_updated_at').on(t.updatedAt),
  ],
);

export interface PersonEmail {
  value: string;
  type?: string;
  primary?: boolean;
}

export const organisations = sqliteTable('organisations', {
  orgCode: text('org_code').primaryKey(),
  orgName: text('org_name').notNull(),
});

// A person's membership of an organisation: CIS2's `person_orgid`.
export const personOrganisations = sqliteTable(
  'person_organisations',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    orgCode: text('org_code')
      .notNull()
      .references(() => organisations.orgCode),
    position: integer('position').notNull().default(0),
  },
  (t) => [uniqueIndex('person_organisations_unique').on(t.personId, t.orgCode)],
);

// A national RBAC role held at an organisation: CIS2's `person_roleid`.
export const roleAssignments = sqliteTable(
  'role_assignments',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    orgCode: text('org_code')
      .notNull()
      .references(() => organisations.orgCode),
    roleCode: text('role_code').notNull(),
    roleName: text('role_name').notNull(),
    activityCodes: text('activity_codes', { mode: 'json' }).$type<string[]>().notNull().default([]),
    activities: text('activities', { mode: 'json' }).$type<string[]>().notNull().default([]),
    workgroupCodes: text('workgroup_codes', { mode: 'json' }).$type<string[]>().notNull().default([]),
    workgroups: text('workgroups', { mode: 'json' }).$type<string[]>().notNull().default([]),
    areaOfWorkCodes: text('area_of_work_codes', { mode: 'json' }).$type<string[]>().notNull().default([]),
    areasOfWork: text('areas_of_work', { mode: 'json' }).$type<string[]>().notNull().default([]),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('role_assignments_person').on(t.personId)],
);

// Registration numbers with professional bodies, e.g. gmc_id, nmc_id.
export const professionalMemberships = sqliteTable(
  'professional_memberships',
  {
    personId: text('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    value: text('value').notNull(),
  },
  // The kinds index lets discovery list the kinds held without reading every row.
  (t) => [primaryKey({ columns: [t.personId, t.kind] }), index('professional_memberships_kind').on(t.kind)],
);
