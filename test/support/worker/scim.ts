// SCIM helpers for workerd tests: the contract's example user (made unique, since
// every test shares one directory), creating users, and reading what was stored.
import { asc, eq } from 'drizzle-orm';
import { auditEvents } from '../../../schema/audit.ts';
import { CORE_USER, PATCH_OP, RBAC_USER } from '../../../src/scim/urns.ts';
import { testDatabase } from './directory.ts';
import { adminCall, unique } from './requests.ts';

export { CORE_USER, PATCH_OP, RBAC_USER };

export const SCIM_TYPE = 'application/scim+json';

/** A 12-digit uid unlikely to collide with another test's. */
export function uniqueUid(): string {
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(11)), (b) => String(b % 10)).join('');
  return `9${digits}`;
}

/** The contract's example user (CONTRACT.md §4) with a unique userName and uid. */
export function exampleUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const userName = unique('user');
  return {
    schemas: [CORE_USER, RBAC_USER],
    userName,
    externalId: unique('ext'),
    name: { givenName: 'Ada', familyName: 'Lovelace', middleName: 'Augusta', honorificPrefix: 'Dr', formatted: 'Dr Ada Augusta Lovelace' },
    displayName: 'Dr Ada Lovelace',
    emails: [{ value: `${userName}@nhs.example`, type: 'work', primary: true }],
    active: true,
    [RBAC_USER]: {
      uid: uniqueUid(),
      identityAssuranceLevel: 3,
      professionalMemberships: { gmc_id: '7654321' },
      organisations: [{ orgCode: 'RX1', orgName: 'Example NHS Trust' }],
      roles: [
        {
          orgCode: 'RX1',
          roleCode: 'S8000:G8000:R8000',
          roleName: '"Clinical":"Clinical Provision":"Clinical Practitioner Access Role"',
          activityCodes: ['B0570', 'B0278'],
          activities: ['Perform Patient Trace', 'Amend Patient Demographics'],
          workgroupCodes: [],
          workgroups: [],
          areaOfWorkCodes: [],
          areasOfWork: [],
        },
      ],
    },
    ...overrides,
  };
}

/** A role for the RBAC extension's `roles` (CONTRACT.md §4) with no activities, workgroups or areas of work. */
export function bareRole(orgCode: string, roleCode: string, roleName: string): Record<string, unknown> {
  return { orgCode, roleCode, roleName, activityCodes: [], activities: [], workgroupCodes: [], workgroups: [], areaOfWorkCodes: [], areasOfWork: [] };
}

export type ScimUser = Record<string, any> & { id: string; userName: string };

export function scimRequest(path: string, method: string, body?: unknown, contentType = SCIM_TYPE): Promise<Response> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': contentType };
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  return adminCall(`/scim/v2${path}`, init);
}

/** Creates a user from the example with `overrides`; fails the test unless 201. */
export async function createUser(overrides: Record<string, unknown> = {}): Promise<ScimUser> {
  const res = await scimRequest('/Users', 'POST', exampleUser(overrides));
  const body = (await res.json()) as ScimUser;
  if (res.status !== 201) throw new Error(`creating a user answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

export async function getUser(id: string): Promise<ScimUser> {
  const res = await scimRequest(`/Users/${id}`, 'GET');
  if (res.status !== 200) throw new Error(`reading user ${id} answered ${res.status}`);
  return (await res.json()) as ScimUser;
}

export function patchUser(id: string, operations: unknown[]): Promise<Response> {
  return scimRequest(`/Users/${id}`, 'PATCH', { schemas: [PATCH_OP], Operations: operations });
}

/** The audit rows about a subject, oldest first. */
export function auditEventsFor(subject: string) {
  return testDatabase().select().from(auditEvents).where(eq(auditEvents.subject, subject)).orderBy(asc(auditEvents.id));
}
