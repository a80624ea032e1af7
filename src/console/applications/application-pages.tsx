// Applications: the list of registered clients, and one client's metadata with
// links to its actions (confirm-page.tsx asks before each). Plain links: no script.
import type { Child } from 'hono/jsx';
import type { Client } from '../../clients/client.ts';
import { usesClientSecret } from '../../clients/client-metadata.ts';
import { ConsoleLayout, type ConsoleLayoutProps } from '../layout.tsx';
import { ScrollTable } from '../table.tsx';
import { CONSOLE, pathTo } from '../../paths.ts';
import { DEVICE_CODE_GRANT_TYPE, GRANT_TYPES, TOKEN_ENDPOINT_AUTH_METHODS, TOKEN_EXCHANGE_GRANT_TYPE } from '../../oauth/vocabulary.ts';

export const applicationPath = (clientId: string) => pathTo(CONSOLE.application, { client_id: clientId });

export type Frame = Pick<ConsoleLayoutProps, 'operator' | 'csrfToken'>;

export const AUTH_METHOD_NAMES: Readonly<Record<string, string>> = {
  client_secret_basic: 'Client secret, HTTP Basic (client_secret_basic)',
  client_secret_post: 'Client secret in the form (client_secret_post)',
  client_secret_jwt: 'JWT signed with the client secret (client_secret_jwt)',
  private_key_jwt: 'JWT signed with its private key (private_key_jwt)',
  none: 'None: a public client with PKCE (none)',
} satisfies Record<(typeof TOKEN_ENDPOINT_AUTH_METHODS)[number], string>;

export const GRANT_NAMES: Readonly<Record<string, string>> = {
  authorization_code: 'Authorization code',
  refresh_token: 'Refresh token',
  client_credentials: 'Client credentials',
  [DEVICE_CODE_GRANT_TYPE]: 'Device authorization',
  [TOKEN_EXCHANGE_GRANT_TYPE]: 'Token exchange',
} satisfies Record<(typeof GRANT_TYPES)[number], string>;

export const nameOf = (client: Client) => client.metadata.client_name ?? client.clientId;
const date = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

export interface ApplicationListProps extends Frame {
  clients: Client[];
  /** The list stopped at this many. */
  limit: number;
  consoleClientId: string;
  status?: string;
}

export function ApplicationListPage({ operator, csrfToken, clients, limit, consoleClientId, status }: ApplicationListProps) {
  return (
    <ConsoleLayout title="Applications" operator={operator} csrfToken={csrfToken} section={CONSOLE.applications}>
      <h1>Applications</h1>
      {status ? <p role="status" class="nhsuk-body">{status}</p> : null}
      <p>
        <a class="nhsuk-button" href={CONSOLE.newApplication} role="button" draggable="false">
          Register an application
        </a>
      </p>
      <ScrollTable
        caption={clients.length === limit ? `The first ${limit} registered applications` : `${clients.length} registered ${clients.length === 1 ? 'application' : 'applications'}`}
        captionId="applications-caption"
        headers={['Name', 'Client ID', 'Authentication', 'Registered']}
      >
        {clients.map((client) => (
          <tr class="nhsuk-table__row">
            <td class="nhsuk-table__cell">
              <a href={applicationPath(client.clientId)}>{nameOf(client)}</a>
              {client.clientId === consoleClientId ? <span class="nhsuk-body-s"> (this console)</span> : null}
            </td>
            <td class="nhsuk-table__cell">
              <code>{client.clientId}</code>
            </td>
            <td class="nhsuk-table__cell">{client.metadata.token_endpoint_auth_method}</td>
            <td class="nhsuk-table__cell">{date(client.clientIdIssuedAt)}</td>
          </tr>
        ))}
      </ScrollTable>
    </ConsoleLayout>
  );
}

function Row({ name, children }: { name: string; children?: Child }) {
  return (
    <div class="nhsuk-summary-list__row">
      <dt class="nhsuk-summary-list__key">{name}</dt>
      <dd class="nhsuk-summary-list__value app-wrap">{children}</dd>
    </div>
  );
}

const list = (values: readonly string[] | undefined, empty = 'None') =>
  values && values.length > 0 ? (
    <ul class="nhsuk-list">
      {values.map((v) => (
        <li>{v}</li>
      ))}
    </ul>
  ) : (
    empty
  );

const yesNo = (value: boolean | undefined) => (value ? 'Yes' : 'No');

/** Every metadata field the service stores for the client (client-metadata.ts), by its RFC 7591 name. */
export function ApplicationMetadata({ client }: { client: Client }) {
  const m = client.metadata;
  return (
    <dl class="nhsuk-summary-list">
      <Row name="Name (client_name)">{m.client_name ?? 'None'}</Row>
      <Row name="Client ID (client_id)">
        <code>{client.clientId}</code>
      </Row>
      <Row name="Registered">{date(client.clientIdIssuedAt)}</Row>
      <Row name="Authentication (token_endpoint_auth_method)">{AUTH_METHOD_NAMES[m.token_endpoint_auth_method] ?? m.token_endpoint_auth_method}</Row>
      <Row name="Client secret">{client.clientSecretHash ? 'Set (only its hash is stored)' : 'None'}</Row>
      <Row name="Grant types (grant_types)">{list(m.grant_types.map((g) => `${GRANT_NAMES[g] ?? g} (${g})`))}</Row>
      <Row name="Redirect URIs (redirect_uris)">{list(m.redirect_uris)}</Row>
      <Row name="Post-logout redirect URIs">{list(m.post_logout_redirect_uris)}</Row>
      <Row name="Scopes (scope)">{list(m.scope.split(' '))}</Row>
      <Row name="PKCE required (require_pkce)">{yesNo(m.require_pkce)}</Row>
      <Row name="Pushed authorization requests required">{yesNo(m.require_pushed_authorization_requests)}</Row>
      <Row name="DPoP-bound access tokens">{yesNo(m.dpop_bound_access_tokens)}</Row>
      <Row name="FAPI 2.0 profile">{yesNo(m.fapi2_profile)}</Row>
      <Row name="ID token signing algorithm">{m.id_token_signed_response_alg}</Row>
      <Row name="Default assurance (default_acr_values)">{list(m.default_acr_values)}</Row>
      <Row name="Keys">{m.jwks_uri ? `From ${m.jwks_uri}` : m.jwks ? `${m.jwks.keys.length} registered ${m.jwks.keys.length === 1 ? 'key' : 'keys'}` : 'None'}</Row>
      <Row name="Back-channel logout URI">{m.backchannel_logout_uri ?? 'None'}</Row>
      <Row name="Resources it may ask tokens for">{list(m.allowed_resources, 'Any')}</Row>
      <Row name="Resources it serves">{list(m.served_resources)}</Row>
      <Row name="Token exchange audiences">{list(m.token_exchange_audiences)}</Row>
    </dl>
  );
}

export interface ApplicationProps extends Frame {
  client: Client;
  /** The console's own client: shown, never rotated or deleted here. */
  isConsole: boolean;
}

export function ApplicationPage({ operator, csrfToken, client, isConsole }: ApplicationProps) {
  const path = applicationPath(client.clientId);
  return (
    <ConsoleLayout title={`Application ${nameOf(client)}`} operator={operator} csrfToken={csrfToken} section={CONSOLE.applications}>
      <a class="nhsuk-back-link" href={CONSOLE.applications}>
        All applications
      </a>
      <h1 class="app-wrap">{nameOf(client)}</h1>
      <ApplicationMetadata client={client} />
      {isConsole ? (
        <p class="nhsuk-inset-text">This is the operator console's own application. The service keeps it as it should be, so it cannot be changed or deleted here.</p>
      ) : (
        <div class="nhsuk-button-group">
          {usesClientSecret(client.metadata.token_endpoint_auth_method) ? (
            <a class="nhsuk-button nhsuk-button--secondary" href={pathTo(CONSOLE.rotateSecret, { client_id: client.clientId })} role="button" draggable="false">
              Rotate the client secret
            </a>
          ) : null}
          <a class="nhsuk-button nhsuk-button--warning" href={pathTo(CONSOLE.deleteApplication, { client_id: client.clientId })} role="button" draggable="false">
            Delete this application
          </a>
        </div>
      )}
    </ConsoleLayout>
  );
}
