// CONTRACT §7: relying parties that hard-code NHS CIS2's paths under the issuer
// reach the same handlers as the paths discovery names. Routing sees the
// canonical path, so every middleware on it (rate limits, CORS, body limits)
// applies alike; these aliases are never advertised (discovery stays the truth).
import { getPath } from 'hono/utils/url';
import { CIS2_ALIASES } from '../paths.ts';

/** Hono's getPath, with CIS2's paths read as ours. */
export function routedPath(request: Request): string {
  const path = getPath(request);
  return Object.hasOwn(CIS2_ALIASES, path) ? CIS2_ALIASES[path]! : path;
}
