// What a write of a person carries (SCIM's create and replace, RFC 7643 §4.1 with
// the NHS RBAC extension, map onto it): the columns of people and its child rows.
import type { PersonEmail } from '../../schema/people.ts';

export interface RoleRecord {
  orgCode: string;
  roleCode: string;
  roleName: string;
  activityCodes: string[];
  activities: string[];
  workgroupCodes: string[];
  workgroups: string[];
  areaOfWorkCodes: string[];
  areasOfWork: string[];
}

/** What a create or replace writes: a Person without server-assigned fields. */
export interface PersonRecord {
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
  /** null: generate one (create) or keep the current one (replace). */
  uid: string | null;
  identityAssuranceLevel: number;
  professionalMemberships: Record<string, string>;
  organisations: { orgCode: string; orgName: string }[];
  roles: RoleRecord[];
  /** A new password's hash; null removes the password; undefined keeps what is stored. */
  passwordHash?: string | null;
}
