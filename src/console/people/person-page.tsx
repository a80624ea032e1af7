// A person's page: who they are, their roles and organisations, and what an
// operator can do about their access — revoke an authenticator, end a session,
// lift a lock, invite them to enrol — each a plain form with the CSRF token.
import type { Person } from '../../directory/people.ts';
import { roleDisplayName } from '../../pages/role-choice.tsx';
import { ConsoleLayout, type ConsoleLayoutProps } from '../layout.tsx';
import type { PersonView } from './person-view.ts';
import { ActionForm, AuditSection, AuthenticatorsSection, SessionsSection, LockSection } from './person-sections.tsx';
import { Table } from '../table.tsx';
import { CONSOLE, pathTo } from '../../paths.ts';

export const personPath = (id: string) => pathTo(CONSOLE.person, { id });

export const personName = (p: Person) =>
  p.displayName || p.formattedName || [p.givenName, p.familyName].filter(Boolean).join(' ') || p.userName;

export interface PersonPageProps extends Pick<ConsoleLayoutProps, 'operator' | 'csrfToken'> {
  view: PersonView;
  /** What the last action did, announced as a status. */
  status?: string;
  error?: string;
}

function Details({ person }: { person: Person }) {
  const rows: [string, string][] = [
    ['Username', person.userName],
    ['uid', person.uid],
    ['Status', person.active ? 'Active' : 'Deactivated'],
    ['Identity assurance level', String(person.identityAssuranceLevel)],
    ['Email', person.emails.map((e) => e.value).join(', ') || 'None'],
  ];
  return (
    <dl class="nhsuk-summary-list app-wrap">
      {rows.map(([key, value]) => (
        <div class="nhsuk-summary-list__row">
          <dt class="nhsuk-summary-list__key">{key}</dt>
          <dd class="nhsuk-summary-list__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function RolesSection({ person }: { person: Person }) {
  return (
    <section aria-labelledby="roles-heading">
      <h2 id="roles-heading">Roles and organisations</h2>
      <h3>Organisations</h3>
      {person.organisations.length === 0 ? (
        <p>No organisations.</p>
      ) : (
        <ul class="nhsuk-list nhsuk-list--bullet">
          {person.organisations.map((o) => (
            <li>
              {o.orgName} ({o.orgCode})
            </li>
          ))}
        </ul>
      )}
      <h3>Roles</h3>
      {person.roles.length === 0 ? (
        <p>No roles.</p>
      ) : (
        <Table caption="Roles held" headers={['Role', 'Organisation', 'Role code']}>
          {person.roles.map((r) => (
            <tr class="nhsuk-table__row">
              <td class="nhsuk-table__cell">{roleDisplayName(r.roleName)}</td>
              <td class="nhsuk-table__cell">
                {r.orgName} ({r.orgCode})
              </td>
              <td class="nhsuk-table__cell">{r.roleCode}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

export function PersonPage({ operator, csrfToken, view, status, error }: PersonPageProps) {
  const { person } = view;
  return (
    <ConsoleLayout title={personName(person)} operator={operator} csrfToken={csrfToken} section={CONSOLE.people} errors={error ? [{ text: error }] : []}>
      <a class="nhsuk-back-link" href={CONSOLE.people}>
        Find another person
      </a>
      <h1 class="app-wrap">{personName(person)}</h1>
      {status ? (
        <div class="nhsuk-inset-text" role="status">
          <p>{status}</p>
        </div>
      ) : null}
      <Details person={person} />
      <RolesSection person={person} />
      <AuthenticatorsSection personId={person.id} csrfToken={csrfToken} authenticators={view.authenticators} />
      <section aria-labelledby="enrol-heading">
        <h2 id="enrol-heading">Enrolment invitation</h2>
        {person.active ? (
          <>
            <p>A one-time link the person opens to add a passkey or an authenticator app.</p>
            <ActionForm action={pathTo(CONSOLE.invitations, { id: person.id })} csrfToken={csrfToken} label="Create an enrolment invitation" />
          </>
        ) : (
          <p>This person is deactivated, so they cannot be invited to enrol.</p>
        )}
      </section>
      <SessionsSection personId={person.id} csrfToken={csrfToken} sessions={view.sessions} />
      <LockSection personId={person.id} csrfToken={csrfToken} blocks={view.blocks} />
      <AuditSection events={view.events} />
    </ConsoleLayout>
  );
}
