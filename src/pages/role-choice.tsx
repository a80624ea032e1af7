// The role choice (contract §6, §8): one radio per role, labelled with the role
// name a person recognises and, as hint text, the organisation and its code.
// Past five roles a search form narrows the list: without script it is a GET
// that renders the page again with the matching roles; with script
// (/assets/role-search.js) the list narrows as the person types. The choice
// form carries the session's CSRF token.
import type { PersonRole } from '../directory/people.ts';
import { ContinueForm } from './continue-form.tsx';
import { ErrorMessage, ErrorSummary } from './error-summary.tsx';
import { Page } from './layout.tsx';

/** Contract §8: more than this many roles add a search box. */
export const SEARCH_THRESHOLD = 5;

/**
 * The role's own name: CIS2 role names are a quoted triple
 * `"Clinical":"Clinical Provision":"Nurse Access Role"` whose last part is the
 * role people know; any other name is shown as it is.
 */
export function roleDisplayName(roleName: string): string {
  const triple = /^\s*"[^"]*"(?:\s*:\s*"[^"]*")*\s*$/.test(roleName) ? roleName.match(/"([^"]*)"\s*$/) : null;
  const name = triple?.[1]?.trim();
  return name || roleName.trim();
}

/** Roles whose name, organisation or code contain every word of the search. */
export function matchingRoles(roles: PersonRole[], search: string): PersonRole[] {
  const terms = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return roles;
  return roles.filter((role) => {
    const text = `${roleDisplayName(role.roleName)} ${role.orgName} ${role.orgCode} ${role.roleName}`.toLowerCase();
    return terms.every((t) => text.includes(t));
  });
}

export interface RoleChoiceProps {
  /** The choice form's action; `searchAction` with `interaction` is where the search form goes. */
  action: string;
  searchAction: string;
  interactionId: string;
  roles: PersonRole[];
  csrfToken: string;
  clientName?: string;
  /** What was searched for, when the list is narrowed. */
  search?: string;
  error?: string;
}

export function RoleChoicePage(props: RoleChoiceProps) {
  const { action, roles, csrfToken, clientName, error } = props;
  const searchable = roles.length > SEARCH_THRESHOLD;
  const search = searchable ? (props.search ?? '').trim() : '';
  const shown = matchingRoles(roles, search);
  const describedBy = ['role-hint', error ? 'role-error' : ''].filter(Boolean).join(' ');
  return (
    <Page title={clientName ? `Choose a role for ${clientName}` : 'Choose a role'} error={Boolean(error)} scripts={searchable ? ['role-search.js'] : []}>
      <div class="nhsuk-grid-row">
        <div class="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={error ? [{ text: error, field: shown.length > 0 ? 'role-0' : 'role-search' }] : []} />
          <h1>Choose a role</h1>
          <p id="role-intro">
            {clientName ? `${clientName} will know you by the role you choose` : 'Applications will know you by the role you choose'}{' '}
            until you sign out.
          </p>
          {searchable ? <RoleSearch {...props} search={search} shownCount={shown.length} /> : null}
          <ContinueForm action={action} csrfToken={csrfToken}>
            <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
              <fieldset class="nhsuk-fieldset" aria-describedby={describedBy}>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Which role are you acting in?</legend>
                <div class="nhsuk-hint" id="role-hint">
                  Select one role. Each shows the organisation you hold it at.
                </div>
                {error ? <ErrorMessage id="role-error" text={error} /> : null}
                <div class="nhsuk-radios" data-module="nhsuk-radios" data-role-list>
                  {shown.map((role, i) => (
                    <div class="nhsuk-radios__item">
                      <input class="nhsuk-radios__input" id={`role-${i}`} name="role" type="radio" value={role.id} aria-describedby={`role-${i}-hint`} />
                      <label class="nhsuk-label nhsuk-radios__label app-wrap" for={`role-${i}`}>
                        {roleDisplayName(role.roleName)}
                      </label>
                      <div class="nhsuk-hint nhsuk-radios__hint app-wrap" id={`role-${i}-hint`}>
                        {role.orgName} ({role.orgCode})
                      </div>
                    </div>
                  ))}
                </div>
                {shown.length === 0 ? <p>No roles match your search. Search again or show all your roles.</p> : null}
              </fieldset>
            </div>
          </ContinueForm>
        </div>
      </div>
    </Page>
  );
}

function RoleSearch({ searchAction, interactionId, roles, search, shownCount }: RoleChoiceProps & { search: string; shownCount: number }) {
  return (
    <form method="get" action={searchAction} role="search" aria-label="Your roles" novalidate>
      <input type="hidden" name="interaction" value={interactionId} />
      <div class="nhsuk-form-group">
        <label class="nhsuk-label" for="role-search">
          Search your roles
        </label>
        <div class="nhsuk-hint" id="role-search-hint">
          By role, organisation or organisation code
        </div>
        <input
          class="nhsuk-input nhsuk-u-width-two-thirds"
          id="role-search"
          name="q"
          type="search"
          value={search}
          autocomplete="off"
          spellcheck={false}
          aria-describedby="role-search-hint"
          data-role-search
        />
      </div>
      <button type="submit" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" data-role-search-button>
        Search
      </button>
      {/* Updated by the script as the list narrows; said politely by screen readers. */}
      <p class="nhsuk-body-s" role="status" data-role-count>
        {search ? `${shownCount} of ${roles.length} roles match "${search}".` : `You hold ${roles.length} roles.`}
      </p>
      {search ? (
        <p>
          <a href={`${searchAction}?interaction=${encodeURIComponent(interactionId)}`}>Show all {roles.length} roles</a>
        </p>
      ) : null}
    </form>
  );
}
