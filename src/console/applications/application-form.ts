// The console's "Register an application" form, read into an RFC 7591
// registration request and handed to the same validation as POST /register
// (validateClientMetadata): the console adds no rules of its own and skips none.
import { OAuthError } from '../../errors.ts';
import { validateClientMetadata, type ClientMetadata, type TokenEndpointAuthMethod } from '../../clients/client-metadata.ts';
import type { PageError } from '../../pages/error-summary.tsx';

/** What the operator typed, kept to show the form again with their answers. */
export interface ApplicationFormValues {
  client_name: string;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  grant_types: string[];
  token_endpoint_auth_method: string;
  jwks_uri: string;
  scope: string;
  require_pkce: string;
}

export const EMPTY_APPLICATION_FORM: ApplicationFormValues = {
  client_name: '',
  redirect_uris: '',
  post_logout_redirect_uris: '',
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'client_secret_basic',
  jwks_uri: '',
  scope: 'openid profile',
  require_pkce: 'yes',
};

// Bounds that keep a hostile form small before validation sees it.
const MAX_FIELD = 8_192;
const MAX_NAME = 256;

const text = (fields: URLSearchParams, name: string, max = MAX_FIELD) => (fields.get(name) ?? '').slice(0, max);
const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

export function readApplicationForm(fields: URLSearchParams): ApplicationFormValues {
  return {
    client_name: text(fields, 'client_name', MAX_NAME).trim(),
    redirect_uris: text(fields, 'redirect_uris'),
    post_logout_redirect_uris: text(fields, 'post_logout_redirect_uris'),
    grant_types: fields.getAll('grant_types').slice(0, 10).map((g) => g.slice(0, 128)),
    token_endpoint_auth_method: text(fields, 'token_endpoint_auth_method', 64),
    jwks_uri: text(fields, 'jwks_uri', 2048).trim(),
    scope: text(fields, 'scope', 1024).trim().replace(/\s+/g, ' '),
    require_pkce: text(fields, 'require_pkce', 8),
  };
}

/** The RFC 7591 request the form stands for: absent fields left out, so the registration defaults apply. */
export function registrationRequest(values: ApplicationFormValues): Record<string, unknown> {
  return {
    ...(values.client_name ? { client_name: values.client_name } : {}),
    redirect_uris: lines(values.redirect_uris),
    post_logout_redirect_uris: lines(values.post_logout_redirect_uris),
    grant_types: values.grant_types,
    token_endpoint_auth_method: values.token_endpoint_auth_method as TokenEndpointAuthMethod,
    ...(values.jwks_uri ? { jwks_uri: values.jwks_uri } : {}),
    ...(values.scope ? { scope: values.scope } : {}),
    require_pkce: values.require_pkce !== 'no',
  };
}

// Which form field a registration error is about: its description starts with the metadata name.
const FIELD_OF: [RegExp, string][] = [
  [/^redirect_uris|^redirect URI/, 'redirect_uris'],
  [/^post_logout_redirect_uris/, 'post_logout_redirect_uris'],
  [/^grant_types|^response_types|refresh_token|token-exchange/, 'grant_types'],
  [/token_endpoint_auth_method/, 'token_endpoint_auth_method'],
  [/jwks/, 'jwks_uri'],
  [/^scope/, 'scope'],
  [/^require_pkce/, 'require_pkce'],
  [/^client_name/, 'client_name'],
];

export function fieldOfError(description: string): string | undefined {
  return FIELD_OF.find(([pattern]) => pattern.test(description))?.[1];
}

export type ApplicationFormResult = { ok: true; metadata: ClientMetadata } | { ok: false; errors: PageError[] };

/** Validates as RFC 7591 registration does (§3.2.2 invalid_redirect_uri / invalid_client_metadata), plus a name. */
export function validateApplicationForm(values: ApplicationFormValues, issuer: string): ApplicationFormResult {
  // The console lists applications by name, so it asks for one (RFC 7591 §2 makes it optional).
  if (!values.client_name) return { ok: false, errors: [{ text: 'Enter a name for the application', field: 'client_name' }] };
  try {
    return { ok: true, metadata: validateClientMetadata(registrationRequest(values), { issuer }) };
  } catch (err) {
    if (!(err instanceof OAuthError) || err.status !== 400) throw err;
    const field = fieldOfError(err.description);
    return { ok: false, errors: [{ text: err.description, ...(field ? { field } : {}) }] };
  }
}
