// A grant lives in the object of the session that made it, so its id names
// both: `<session object id>-<number>`. Access tokens carry it in their jti
// (`<grant id>.<random>`), so a check routes to the session's object without a
// lookup. Codes and refresh tokens are session handles (../session/handle.ts).

const GRANT_ID = /^([0-9a-f]{64})-([1-9][0-9]{0,8})$/;

interface GrantIdParts {
  objectId: string;
  grantNumber: number;
}

export function parseGrantId(value: string): GrantIdParts | null {
  const m = GRANT_ID.exec(value);
  return m ? { objectId: m[1]!, grantNumber: Number(m[2]) } : null;
}

export function isGrantId(value: string): boolean {
  return GRANT_ID.test(value);
}
