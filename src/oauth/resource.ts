// Resource indicators (RFC 8707): the client names the protected resource a
// token is for, and the access token's aud becomes that resource.
import { resourceProblem } from '../clients/resource-uri.ts';
import type { Client } from '../clients/client.ts';
import { OAuthError } from '../errors.ts';

const invalidTarget = (description: string) => new OAuthError('invalid_target', description);

/**
 * The resource asked for, validated for this client, or undefined when none
 * was. RFC 8707 §2: an absolute URI without a fragment; the server may limit
 * which a client may ask for (here: its allowed_resources, when registered).
 * One resource per request: an access token here has one audience.
 */
export function requestedResource(value: string | undefined, client: Client): string | undefined {
  if (value === undefined) return undefined;
  const why = resourceProblem(value);
  if (why) throw invalidTarget(`resource ${why}`);
  const allowed = client.metadata.allowed_resources;
  if (allowed && !allowed.includes(value)) throw invalidTarget('resource is not one this client may ask for');
  return value;
}

/**
 * RFC 8707 §2.2: at the token endpoint, a grant made for one resource issues
 * tokens for that resource only; a request naming another is refused.
 */
export function grantResource(requested: string | undefined, granted: string | undefined, client: Client): string | undefined {
  const resource = requestedResource(requested, client);
  if (resource === undefined) return granted;
  if (granted !== undefined && resource !== granted) throw invalidTarget('resource is not the one the grant was made for');
  return resource;
}
