// Which redirect URIs a client may register: RFC 9700 §2.1 and §4.1 (exact
// strings, no open redirectors), RFC 8252 §7 for native apps, RFC 6749 §3.1.2.

// RFC 8252 §7.3: loopback IP literals; `localhost` is tolerated for local development.
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

// RFC 8252 §7.1: a private-use scheme is a reverse domain name such as com.example.app.
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9][a-z0-9+-]*)+:$/;

/**
 * `uri` parsed, or why it cannot be registered as an endpoint of the client
 * (redirect or back-channel logout): it must be absolute and carry no fragment.
 */
export function parseRegisteredUri(uri: string): URL | string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URI';
  }
  // RFC 6749 §3.1.2: no fragment, not even an empty one (which URL.hash hides).
  if (uri.includes('#')) return 'must not have a fragment';
  return url;
}

/** Why `uri` may not be registered as a redirect URI, or null if it may. */
export function redirectUriProblem(uri: string): string | null {
  const url = parseRegisteredUri(uri);
  if (typeof url === 'string') return url;
  if (url.protocol === 'https:' || url.protocol === 'http:') {
    if (url.username || url.password) return 'must not carry credentials';
    if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
      return 'must use https, or http only on a loopback address (127.0.0.1, [::1], localhost)';
    }
    return null;
  }
  if (PRIVATE_USE_SCHEME.test(url.protocol)) return null;
  return 'must use https, http on loopback, or a private-use scheme in reverse-domain form';
}
