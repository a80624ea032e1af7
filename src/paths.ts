// Every public path of the service, in one table: routes register these,
// redirects and page links point at them, and discovery advertises them, so a
// path is renamed in one place. Patterns use Hono's syntax (`:name`,
// `:name{regex}`); `pathTo` fills them for links.
//
// Routers mounted under a prefix (admin, SCIM, console) keep Hono's mount, so
// their middleware ('*': the admin token, the operator guard) stays under the
// prefix. Their group holds the `mount` and the full paths (what links and
// tests use); a mounted router registers `under(mount, fullPath)`, which reads
// as "this public path, seen from where I am mounted" and fails at start-up if
// the path is not under the mount.

/** OpenID Connect Discovery 1.0 §4 and RFC 8414 §3: the provider's metadata, and its keys (RFC 7517 §5). */
export const WELL_KNOWN = {
  openidConfiguration: '/.well-known/openid-configuration',
  oauthAuthorizationServer: '/.well-known/oauth-authorization-server',
  jwks: '/jwks.json',
} as const;

/** The protocol endpoints discovery names (CONTRACT §2), and the authorization flow's own steps. */
export const OAUTH = {
  /** RFC 6749 §3.1. */
  authorize: '/authorize',
  /** Where a sign-in or role choice hands back to the pending authorization request. */
  authorizeResume: '/authorize/resume',
  /** RFC 6749 §3.2. */
  token: '/token',
  /** OIDC Core §5.3. */
  userinfo: '/userinfo',
  /** RFC 7662 §2. */
  introspect: '/introspect',
  /** RFC 7009 §2. */
  revoke: '/revoke',
  /** RFC 9126 §2: pushed authorization requests. */
  par: '/par',
  /** RFC 7591 §3 registration, and RFC 7592 §2 the client configuration endpoint. */
  register: '/register',
  clientConfiguration: '/register/:client_id',
  /** OIDC RP-Initiated Logout 1.0 §2. */
  endSession: '/logout',
  /** RFC 8628 §3.1. */
  deviceAuthorization: '/device_authorization',
} as const;

/** RFC 8628 §3.3: the verification_uri where a user enters a code, and its approval step. */
export const DEVICE = {
  verification: '/device',
  approve: '/device/approve',
} as const;

/** The sign-in pages (CONTRACT §4) and the account's authenticators. */
export const SIGN_IN = {
  signIn: '/signin',
  password: '/signin/password',
  selectRole: '/select-role',
  signedIn: '/signed-in',
  authenticators: '/account/authenticators',
  renameAuthenticator: '/account/authenticators/rename',
  removeAuthenticator: '/account/authenticators/remove',
  addAuthenticator: '/account/authenticators/add',
} as const;

/** W3C WebAuthn ceremonies the page scripts call (src/pages/scripts/*.js). */
export const WEBAUTHN = {
  prefix: '/webauthn',
  authenticationOptions: '/webauthn/authentication/options',
  authenticationVerify: '/webauthn/authentication/verify',
  registrationOptions: '/webauthn/registration/options',
  registrationVerify: '/webauthn/registration/verify',
} as const;

/** Enrolment by invitation code (docs/assurance.md). */
export const ENROL = {
  prefix: '/enrol',
  invitation: '/enrol/:code',
  authenticatorApp: '/enrol/:code/authenticator-app',
  finish: '/enrol/:code/finish',
} as const;

/** Service pages every page links to, static assets, and the health check. */
export const SERVICE = {
  accessibility: '/accessibility',
  privacy: '/privacy',
  contact: '/contact',
  assets: '/assets',
  roleSearchScript: '/assets/role-search.js',
  health: '/healthz',
} as const;

/** The operator API (docs/endpoints.md), bearer ADMIN_TOKEN. */
export const ADMIN = {
  mount: '/admin',
  rotateKeys: '/admin/keys/rotate',
  audit: '/admin/audit',
  enrolments: '/admin/users/:id/enrolments',
  unlock: '/admin/users/:id/unlock',
  authenticators: '/admin/users/:id/authenticators',
  authenticator: '/admin/users/:id/authenticators/:authenticator',
} as const;

/** RFC 7644 §3.2: SCIM endpoints under the base URI. */
export const SCIM = {
  mount: '/scim/v2',
  users: '/scim/v2/Users',
  // '.search' is the RFC 7644 §3.4.3 query endpoint, not a user id.
  user: '/scim/v2/Users/:id{(?!\\.search$)[^/]+}',
  usersSearch: '/scim/v2/Users/.search',
  search: '/scim/v2/.search',
  serviceProviderConfig: '/scim/v2/ServiceProviderConfig',
  resourceTypes: '/scim/v2/ResourceTypes',
  resourceType: '/scim/v2/ResourceTypes/:id',
  schemas: '/scim/v2/Schemas',
  schema: '/scim/v2/Schemas/:id',
} as const;

/** The operator console (docs/console.md). */
export const CONSOLE = {
  mount: '/console',
  login: '/console/login',
  callback: '/console/callback',
  logout: '/console/logout',
  signedOut: '/console/signed-out',
  overview: '/console/overview',
  people: '/console/people',
  person: '/console/people/:id',
  revokeAuthenticator: '/console/people/:id/authenticators/revoke',
  endSessions: '/console/people/:id/sessions/end',
  unlock: '/console/people/:id/unlock',
  invitations: '/console/people/:id/invitations',
  applications: '/console/applications',
  newApplication: '/console/applications/new',
  application: '/console/applications/:client_id',
  rotateSecret: '/console/applications/:client_id/rotate-secret',
  deleteApplication: '/console/applications/:client_id/delete',
  keys: '/console/keys',
  rotateKeys: '/console/keys/rotate',
  audit: '/console/audit',
  auditExport: '/console/audit/export',
} as const;

/**
 * CONTRACT §7: NHS CIS2's paths, read as ours (src/http/cis2-paths.ts) for
 * relying parties that hard-code them. Never advertised: discovery names only
 * the paths above.
 */
export const CIS2 = {
  token: '/access_token',
  jwks: '/connect/jwk_uri',
  endSession: '/connect/endSession',
} as const;

/** Each CIS2 path → the path it stands for. */
export const CIS2_ALIASES: Readonly<Record<string, string>> = {
  [CIS2.token]: OAUTH.token,
  [CIS2.jwks]: WELL_KNOWN.jwks,
  [CIS2.endSession]: OAUTH.endSession,
};

/** What `path` is, seen from `mount`: a literal type, so Hono still infers the route's parameters. */
export type Under<M extends string, P extends string> = P extends M ? '/' : P extends `${M}/${infer Rest}` ? `/${Rest}` : never;

/** A public path as registered by a router mounted at `mount`. */
export function under<M extends string, P extends string>(mount: M, path: P): Under<M, P> {
  if ((path as string) === mount) return '/' as Under<M, P>;
  if (!path.startsWith(`${mount}/`)) throw new Error(`${path} is not under ${mount}`);
  return path.slice(mount.length) as Under<M, P>;
}

/** A pattern's `:name` (and `:name{regex}`) parameters filled in, each percent-encoded. */
export function pathTo(pattern: string, params: Readonly<Record<string, string>>): string {
  return pattern.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${pattern} needs ${name}`);
    return encodeURIComponent(value);
  });
}
