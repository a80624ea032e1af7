// "Register an application": the RFC 7591 choices an operator makes (redirect
// URIs, grant types, authentication method, key set URL, scopes, PKCE policy),
// and the page that shows the new client's secrets once. NHS form patterns:
// fieldsets with legends, hints, the error summary and inline errors.
import type { Child } from 'hono/jsx';
import type { Client } from '../../clients/client.ts';
import { TOKEN_ENDPOINT_AUTH_METHODS } from '../../oauth/vocabulary.ts';
import { ErrorMessage, type PageError } from '../../pages/error-summary.tsx';
import { CSRF_FIELD } from '../../session/csrf.ts';
import { ConsoleLayout, type ConsoleLayoutProps } from '../layout.tsx';
import type { ApplicationFormValues } from './application-form.ts';
import { ApplicationMetadata, applicationPath, AUTH_METHOD_NAMES, GRANT_NAMES, nameOf } from './application-pages.tsx';
import { CONSOLE } from '../../paths.ts';
import { DEVICE_CODE_GRANT_TYPE, type GRANT_TYPES } from '../../oauth/vocabulary.ts';

type Frame = Pick<ConsoleLayoutProps, 'operator' | 'csrfToken'>;

// Token exchange is left out: it needs audiences, which this form does not ask for.
const GRANT_CHOICES = ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT_TYPE] as const satisfies readonly (typeof GRANT_TYPES)[number][];

export interface RegisterProps extends Frame {
  values: ApplicationFormValues;
  errors: PageError[];
}

function Group({ field, errors, children }: { field: string; errors: PageError[]; children?: Child }) {
  const error = errors.find((e) => e.field === field);
  return (
    <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      {error ? <ErrorMessage id={`${field}-error`} text={error.text} /> : null}
      {children}
    </div>
  );
}

/** aria-describedby for a field: its hint, and its error when it has one. */
const describedBy = (field: string, errors: PageError[], hint = true) =>
  [hint ? `${field}-hint` : '', errors.some((e) => e.field === field) ? `${field}-error` : ''].filter(Boolean).join(' ') || undefined;

export function RegisterApplicationPage({ operator, csrfToken, values, errors }: RegisterProps) {
  const err = (field: string) => errors.some((e) => e.field === field);
  return (
    <ConsoleLayout title="Register an application" operator={operator} csrfToken={csrfToken} section={CONSOLE.applications} errors={errors}>
      <a class="nhsuk-back-link" href={CONSOLE.applications}>
        All applications
      </a>
      <h1>Register an application</h1>
      <p>The service checks these settings as it checks a registration request (RFC 7591) sent with the operator token.</p>
      <form method="post" action={CONSOLE.applications} novalidate>
        <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
        <Group field="client_name" errors={errors}>
          <label class="nhsuk-label nhsuk-label--s" for="client_name">Name</label>
          <div class="nhsuk-hint" id="client_name-hint">What people and operators will know it by.</div>
          <input class={`nhsuk-input${err('client_name') ? ' nhsuk-input--error' : ''}`} id="client_name" name="client_name" type="text" maxlength={256} value={values.client_name} aria-describedby={describedBy('client_name', errors)} />
        </Group>
        <Group field="redirect_uris" errors={errors}>
          <label class="nhsuk-label nhsuk-label--s" for="redirect_uris">Redirect URIs</label>
          <div class="nhsuk-hint" id="redirect_uris-hint">One on each line, matched exactly. https, or http on a loopback address for local development.</div>
          <textarea class={`nhsuk-textarea${err('redirect_uris') ? ' nhsuk-textarea--error' : ''}`} id="redirect_uris" name="redirect_uris" rows={3} spellcheck={false} aria-describedby={describedBy('redirect_uris', errors)}>
            {values.redirect_uris}
          </textarea>
        </Group>
        <Group field="post_logout_redirect_uris" errors={errors}>
          <label class="nhsuk-label nhsuk-label--s" for="post_logout_redirect_uris">Post-logout redirect URIs (optional)</label>
          <div class="nhsuk-hint" id="post_logout_redirect_uris-hint">One on each line: where people may return after signing out.</div>
          <textarea class={`nhsuk-textarea${err('post_logout_redirect_uris') ? ' nhsuk-textarea--error' : ''}`} id="post_logout_redirect_uris" name="post_logout_redirect_uris" rows={2} spellcheck={false} aria-describedby={describedBy('post_logout_redirect_uris', errors)}>
            {values.post_logout_redirect_uris}
          </textarea>
        </Group>
        <Group field="grant_types" errors={errors}>
          <fieldset class="nhsuk-fieldset" aria-describedby={describedBy('grant_types', errors)}>
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Grant types</legend>
            <div class="nhsuk-hint" id="grant_types-hint">Refresh tokens need the authorization code or device grant.</div>
            <div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes">
              {GRANT_CHOICES.map((grant, i) => (
                <div class="nhsuk-checkboxes__item">
                  <input class="nhsuk-checkboxes__input" id={i === 0 ? 'grant_types' : `grant_types-${i}`} name="grant_types" type="checkbox" value={grant} checked={values.grant_types.includes(grant)} />
                  <label class="nhsuk-label nhsuk-checkboxes__label" for={i === 0 ? 'grant_types' : `grant_types-${i}`}>
                    {GRANT_NAMES[grant]}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </Group>
        <Group field="token_endpoint_auth_method" errors={errors}>
          <fieldset class="nhsuk-fieldset" aria-describedby={describedBy('token_endpoint_auth_method', errors)}>
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">How it authenticates at the token endpoint</legend>
            <div class="nhsuk-hint" id="token_endpoint_auth_method-hint">With a secret method the service makes the secret and shows it once.</div>
            <div class="nhsuk-radios" data-module="nhsuk-radios">
              {TOKEN_ENDPOINT_AUTH_METHODS.map((method, i) => (
                <div class="nhsuk-radios__item">
                  <input class="nhsuk-radios__input" id={i === 0 ? 'token_endpoint_auth_method' : `token_endpoint_auth_method-${i}`} name="token_endpoint_auth_method" type="radio" value={method} checked={values.token_endpoint_auth_method === method} />
                  <label class="nhsuk-label nhsuk-radios__label" for={i === 0 ? 'token_endpoint_auth_method' : `token_endpoint_auth_method-${i}`}>
                    {AUTH_METHOD_NAMES[method]}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </Group>
        <Group field="jwks_uri" errors={errors}>
          <label class="nhsuk-label nhsuk-label--s" for="jwks_uri">Key set URL (jwks_uri, for private_key_jwt)</label>
          <div class="nhsuk-hint" id="jwks_uri-hint">Where the service fetches the application's public keys. https only.</div>
          <input class={`nhsuk-input${err('jwks_uri') ? ' nhsuk-input--error' : ''}`} id="jwks_uri" name="jwks_uri" type="url" spellcheck={false} value={values.jwks_uri} aria-describedby={describedBy('jwks_uri', errors)} />
        </Group>
        <Group field="scope" errors={errors}>
          <label class="nhsuk-label nhsuk-label--s" for="scope">Scopes</label>
          <div class="nhsuk-hint" id="scope-hint">Separated by spaces, for example: openid profile nationalrbacaccess. Without any, openid alone.</div>
          <input class={`nhsuk-input${err('scope') ? ' nhsuk-input--error' : ''}`} id="scope" name="scope" type="text" spellcheck={false} value={values.scope} aria-describedby={describedBy('scope', errors)} />
        </Group>
        <Group field="require_pkce" errors={errors}>
          <fieldset class="nhsuk-fieldset" aria-describedby={describedBy('require_pkce', errors)}>
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Require PKCE?</legend>
            <div class="nhsuk-hint" id="require_pkce-hint">Only a confidential client may go without it, and must then send a nonce (RFC 9700 §2.1.1).</div>
            <div class="nhsuk-radios nhsuk-radios--inline" data-module="nhsuk-radios">
              <div class="nhsuk-radios__item">
                <input class="nhsuk-radios__input" id="require_pkce" name="require_pkce" type="radio" value="yes" checked={values.require_pkce !== 'no'} />
                <label class="nhsuk-label nhsuk-radios__label" for="require_pkce">Yes</label>
              </div>
              <div class="nhsuk-radios__item">
                <input class="nhsuk-radios__input" id="require_pkce-no" name="require_pkce" type="radio" value="no" checked={values.require_pkce === 'no'} />
                <label class="nhsuk-label nhsuk-radios__label" for="require_pkce-no">No</label>
              </div>
            </div>
          </fieldset>
        </Group>
        <button type="submit" class="nhsuk-button">
          Register the application
        </button>
      </form>
    </ConsoleLayout>
  );
}

export interface SecretsProps extends Frame {
  client: Client;
  heading: string;
  clientSecret?: string;
  registrationAccessToken?: string;
}

/** The new secrets, shown on this one response and never again: only their hashes are kept. */
export function ApplicationSecretsPage({ operator, csrfToken, client, heading, clientSecret, registrationAccessToken }: SecretsProps) {
  return (
    <ConsoleLayout title={`${heading}: ${nameOf(client)}`} operator={operator} csrfToken={csrfToken} section={CONSOLE.applications}>
      <div class="nhsuk-panel" role="status">
        <h1 class="nhsuk-panel__title app-wrap">{heading}</h1>
        <div class="nhsuk-panel__body app-wrap">{nameOf(client)}</div>
      </div>
      {clientSecret || registrationAccessToken ? (
        <div class="nhsuk-warning-callout">
          <h2 class="nhsuk-warning-callout__label">
            <span role="text">
              <span class="nhsuk-u-visually-hidden">Important: </span>
              Copy these now: they are not shown again
            </span>
          </h2>
          <p>The service keeps only a hash of each. Give them to the application's owner through a secure channel.</p>
        </div>
      ) : null}
      <dl class="nhsuk-summary-list">
        <div class="nhsuk-summary-list__row">
          <dt class="nhsuk-summary-list__key">Client ID</dt>
          <dd class="nhsuk-summary-list__value app-wrap">
            <code>{client.clientId}</code>
          </dd>
        </div>
        {clientSecret ? (
          <div class="nhsuk-summary-list__row">
            <dt class="nhsuk-summary-list__key">Client secret</dt>
            <dd class="nhsuk-summary-list__value app-wrap">
              <code data-secret="client_secret">{clientSecret}</code>
            </dd>
          </div>
        ) : null}
        {registrationAccessToken ? (
          <div class="nhsuk-summary-list__row">
            <dt class="nhsuk-summary-list__key">Registration access token (RFC 7592)</dt>
            <dd class="nhsuk-summary-list__value app-wrap">
              <code data-secret="registration_access_token">{registrationAccessToken}</code>
            </dd>
          </div>
        ) : null}
      </dl>
      <h2>Its settings</h2>
      <ApplicationMetadata client={client} />
      <p>
        <a href={applicationPath(client.clientId)}>Go to the application's page</a>
      </p>
    </ConsoleLayout>
  );
}
