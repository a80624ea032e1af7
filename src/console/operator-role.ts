// Who is an operator: an active person holding OPERATOR_ROLE_CODE at any
// organisation, a role assignment in the directory like any national RBAC role,
// so the same SCIM provisioning that grants and removes clinical roles grants
// and removes console access (the urn:nhs:scim:schemas:extension:rbac:2.0:User
// extension's roles[].roleCode). Read live from libSQL on every console request.
import { findRoleHolder } from '../directory/person-lookups.ts';
import type { Database } from '../ports.ts';
import type { Operator } from './context.ts';

/** The role code that makes a person an operator of this service. */
export const OPERATOR_ROLE_CODE = 'IDSVC:OPERATOR';
/** Its name in the directory (CIS2's quoted triple). */
export const OPERATOR_ROLE_NAME = '"Identity Service":"Operations":"Console Operator"';

/** The active person holding the operator role, or null (unknown, deactivated, or not an operator). */
export async function findOperator(db: Database, personId: string): Promise<Operator | null> {
  const row = await findRoleHolder(db, personId, OPERATOR_ROLE_CODE);
  if (!row?.active) return null;
  const fullName = [row.givenName, row.familyName].filter(Boolean).join(' ');
  return { personId: row.id, uid: row.uid, userName: row.userName, displayName: row.displayName || row.formattedName || fullName || row.userName };
}
