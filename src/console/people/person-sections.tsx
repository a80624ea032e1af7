// The operator's sections of a person's page: authenticators, sessions, locks
// and the latest audit events, each action a one-button form.
import type { AuditEventView } from '../../admin/audit-query.ts';
import type { AuthenticatorView } from '../../directory/credentials/authenticators.ts';
import type { IndexedObject } from '../../directory/person-index.ts';
import type { LockoutMethod, MethodBlock } from '../../limits/lockout.ts';
import { CSRF_FIELD } from '../../session/csrf.ts';
import { Table } from '../table.tsx';
import { CONSOLE, pathTo } from '../../paths.ts';

export const when = (ms: number | string | null) => (ms === null ? 'Never' : new Date(ms).toUTCString());

export interface ActionFormProps {
  action: string;
  csrfToken: string;
  /** The button's visible text. */
  label: string;
  /** Read after the label by screen readers, so each button's name is unique on the page. */
  hiddenLabel?: string;
  fields?: Record<string, string>;
  warning?: boolean;
}

export function ActionForm({ action, csrfToken, label, hiddenLabel, fields = {}, warning }: ActionFormProps) {
  return (
    <form method="post" action={action} class="app-console-action">
      <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={`nhsuk-button nhsuk-button--small ${warning ? 'nhsuk-button--warning' : 'nhsuk-button--secondary'}`}>
        {label}
        {hiddenLabel ? <span class="nhsuk-u-visually-hidden"> {hiddenLabel}</span> : null}
      </button>
    </form>
  );
}

const kindOf = (a: AuthenticatorView) =>
  a.type === 'totp' ? 'Authenticator app' : a.device_bound ? 'Passkey kept on one device (AAL3)' : 'Passkey synced between devices (AAL2)';

export function AuthenticatorsSection({ personId, csrfToken, authenticators }: { personId: string; csrfToken: string; authenticators: AuthenticatorView[] }) {
  return (
    <section aria-labelledby="authenticators-heading">
      <h2 id="authenticators-heading">Sign-in methods</h2>
      {authenticators.length === 0 ? <p>None. Create an enrolment invitation so the person can add one.</p> : null}
      <ul class="nhsuk-list" id="authenticators">
        {authenticators.map((a, i) => (
          <li class="nhsuk-card">
            <div class="nhsuk-card__content">
              <h3 class="nhsuk-card__heading app-wrap">{a.name}</h3>
              <p class="nhsuk-body-s">
                {kindOf(a)}. Added {when(a.created_at)}. Last used {when(a.last_used_at)}.
              </p>
              <ActionForm action={pathTo(CONSOLE.revokeAuthenticator, { id: personId })} csrfToken={csrfToken} label="Revoke" hiddenLabel={`sign-in method ${i + 1}, ${a.name}`} fields={{ id: a.id }} warning />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SessionsSection({ personId, csrfToken, sessions }: { personId: string; csrfToken: string; sessions: IndexedObject[] }) {
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      {sessions.length === 0 ? (
        <p>No sessions.</p>
      ) : (
        <>
          <p class="nhsuk-body-s">Sessions signed in to, newest first. A session the person signed out of stays listed until it would have expired.</p>
          <ul class="nhsuk-list" id="sessions">
            {sessions.map((s, i) => (
              <li class="nhsuk-card">
                <div class="nhsuk-card__content">
                  <p class="nhsuk-body-s">
                    Signed in {when(s.createdAt)}. Ends by {when(s.expiresAt)}.
                  </p>
                  <ActionForm action={pathTo(CONSOLE.endSessions, { id: personId })} csrfToken={csrfToken} label="End session" hiddenLabel={`${i + 1}, signed in ${when(s.createdAt)}`} fields={{ session: s.objectId }} warning />
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const METHOD_NAMES: Record<LockoutMethod, string> = { password: 'Password', passkey: 'Passkey', user_code: 'Device code' };

export function LockSection({ personId, csrfToken, blocks }: { personId: string; csrfToken: string; blocks: MethodBlock[] }) {
  return (
    <section aria-labelledby="lock-heading">
      <h2 id="lock-heading">Lock state</h2>
      {blocks.length === 0 ? (
        <p>Not locked or throttled.</p>
      ) : (
        <>
          <ul class="nhsuk-list nhsuk-list--bullet">
            {blocks.map((b) => (
              <li>
                {METHOD_NAMES[b.method]}: {b.state === 'locked' ? 'locked' : 'throttled'} until {when(b.until)}
              </li>
            ))}
          </ul>
          <ActionForm action={pathTo(CONSOLE.unlock, { id: personId })} csrfToken={csrfToken} label="Unlock" hiddenLabel="every sign-in method" />
        </>
      )}
    </section>
  );
}

export function AuditSection({ events }: { events: AuditEventView[] }) {
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Recent audit events</h2>
      {events.length === 0 ? (
        <p>No events.</p>
      ) : (
        <Table caption="The latest events about this person, newest first" headers={['When', 'Action', 'Outcome', 'Actor']}>
          {events.map((e) => (
            <tr class="nhsuk-table__row">
              <td class="nhsuk-table__cell">{when(e.at)}</td>
              <td class="nhsuk-table__cell">{e.action}</td>
              <td class="nhsuk-table__cell">{e.outcome}</td>
              <td class="nhsuk-table__cell">{e.actor}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
