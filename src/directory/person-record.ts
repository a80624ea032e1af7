// What a write of a person carries (SCIM's create and replace, RFC 7643 §4.1 with
// the NHS RBAC extension, map onto it): the columns of people and its child rows.
// Derived from Person, so that a field added to what is read is typed once.
import type { Person, PersonOrganisation, PersonRole } from './people.ts';

/** A role as written: the server assigns its id and person_orgid, and the name of its organisation comes from the organisation rows. */
export type RoleRecord = Omit<PersonRole, 'id' | 'personOrgId' | 'orgName'>;

/** What a create or replace writes: a Person without server-assigned fields. */
export interface PersonRecord
  extends Pick<
    Person,
    | 'userName'
    | 'externalId'
    | 'givenName'
    | 'familyName'
    | 'middleName'
    | 'honorificPrefix'
    | 'formattedName'
    | 'displayName'
    | 'emails'
    | 'active'
    | 'identityAssuranceLevel'
    | 'professionalMemberships'
  > {
  /** null: generate one (create) or keep the current one (replace). */
  uid: string | null;
  organisations: Pick<PersonOrganisation, 'orgCode' | 'orgName'>[];
  roles: RoleRecord[];
  /** A new password's hash; null removes the password; undefined keeps what is stored. */
  passwordHash?: string | null;
}
