// Where the service may send back-channel logout tokens (OIDC Back-Channel
// Logout 1.0 §2.2). Checked at registration and again by the logout sender
// before every request, since the issuer may have moved off loopback since.
import { classifyHost } from './host-address.ts';
import { parseRegisteredUri } from './redirect-uri.ts';

function isLoopbackUrl(url: string): boolean {
  try {
    return classifyHost(new URL(url).hostname) === 'loopback';
  } catch {
    return false;
  }
}

/**
 * Why `uri` may not receive back-channel logout tokens from `issuer`, or null
 * if it may. Loopback targets are for local development only: allowed while
 * the issuer itself is on loopback. Private, link-local and internal names never.
 */
export function backchannelLogoutUriProblem(uri: string, issuer: string): string | null {
  const url = parseRegisteredUri(uri);
  if (typeof url === 'string') return url;
  if (url.username || url.password) return 'must not carry credentials';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https';
  const kind = classifyHost(url.hostname);
  if (kind === 'private') return 'must not point at a private, link-local or internal address';
  if (kind === 'loopback') {
    return isLoopbackUrl(issuer) ? null : 'must not point at a loopback address';
  }
  return url.protocol === 'https:' ? null : 'must use https';
}

export function isPermittedBackchannelLogoutUri(uri: string, issuer: string): boolean {
  return backchannelLogoutUriProblem(uri, issuer) === null;
}
