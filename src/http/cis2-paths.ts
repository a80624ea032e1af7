// CONTRACT §7: relying parties that hard-code NHS CIS2's paths under the issuer
// reach the same handlers as the paths discovery names. Routing sees the
// canonical path, so every middleware on it (rate limits, CORS, body limits)
// applies alike; these aliases are never advertised (discovery stays the truth).
import { getPath } from 'hono/utils/url';
import { JWKS_PATH } from '../keys/jwks.ts';
import { END_SESSION_PATH } from '../logout/end-session.ts';
import { CIS2_TOKEN_PATH, TOKEN_PATH } from '../oauth/endpoints.ts';

const CIS2_PATH_ALIASES: Readonly<Record<string, string>> = {
  [CIS2_TOKEN_PATH]: TOKEN_PATH,
  '/connect/jwk_uri': JWKS_PATH,
  '/connect/endSession': END_SESSION_PATH,
};

/** Hono's getPath, with CIS2's paths read as ours. */
export function routedPath(request: Request): string {
  const path = getPath(request);
  return Object.hasOwn(CIS2_PATH_ALIASES, path) ? CIS2_PATH_ALIASES[path]! : path;
}
