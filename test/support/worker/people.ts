// People shaped for claims tests: several roles at two organisations, one role,
// or none (CONTRACT §8).
import { RBAC_USER, createUser, exampleUser, type ScimUser } from './scim.ts';

const role = (orgCode: string, code: string, name: string, extra: Record<string, unknown> = {}) => ({
  orgCode,
  roleCode: `S8000:G8000:${code}`,
  roleName: `"Clinical":"Clinical Provision":"${name}"`,
  activityCodes: ['B0570'],
  activities: ['Perform Patient Trace'],
  workgroupCodes: [],
  workgroups: [],
  areaOfWorkCodes: [],
  areasOfWork: [],
  ...extra,
});

/** Three roles at two organisations, two professional memberships. */
export function createMultiRolePerson(): Promise<ScimUser> {
  const base = exampleUser();
  return createUser({
    [RBAC_USER]: {
      ...(base[RBAC_USER] as Record<string, unknown>),
      professionalMemberships: { gmc_id: '7654321', nmc_id: '12A3456B' },
      organisations: [
        { orgCode: 'RX1', orgName: 'Example NHS Trust' },
        { orgCode: 'RX2', orgName: 'Second NHS Trust' },
      ],
      roles: [
        role('RX1', 'R8000', 'Clinical Practitioner Access Role'),
        role('RX1', 'R8001', 'Nurse Access Role', { workgroupCodes: ['W1'], workgroups: ['Ward 1'], areaOfWorkCodes: ['A1'], areasOfWork: ['Cardiology'] }),
        role('RX2', 'R8003', 'Health Professional Access Role'),
      ],
    },
  });
}

/** One organisation and no role at all. */
export function createPersonWithoutRoles(): Promise<ScimUser> {
  const base = exampleUser();
  return createUser({ [RBAC_USER]: { ...(base[RBAC_USER] as Record<string, unknown>), professionalMemberships: {}, roles: [] } });
}
