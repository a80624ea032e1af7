// The role choice (contract §6, §8): one radio per role, labelled with the role
// and the organisation; past five roles a search box narrows the list (with no
// script every radio stays usable). The form carries the session's CSRF token.
import type { PersonRole } from '../directory/people.ts';
import { CSRF_FIELD } from '../session/csrf.ts';
import { Page } from './layout.tsx';

/** Contract §8: more than this many roles add a search box. */
export const SEARCH_THRESHOLD = 5;

export interface RoleChoiceProps {
  action: string;
  roles: PersonRole[];
  csrfToken: string;
  clientName?: string;
  error?: string;
}

export function RoleChoicePage({ action, roles, csrfToken, clientName, error }: RoleChoiceProps) {
  const searchable = roles.length > SEARCH_THRESHOLD;
  return (
    <Page title="Choose a role" scripts={searchable ? ['role-search.js'] : []}>
      <form method="post" action={action} novalidate>
        <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
        <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
          <fieldset class="nhsuk-fieldset" aria-describedby="role-hint">
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--l">
              <h1 class="nhsuk-fieldset__heading">Choose a role</h1>
            </legend>
            <div class="nhsuk-hint" id="role-hint">
              {clientName ? `The role you will act in while using ${clientName}.` : 'The role you will act in.'}
            </div>
            {error ? (
              <span class="nhsuk-error-message" role="alert">
                <span class="nhsuk-u-visually-hidden">Error:</span> {error}
              </span>
            ) : null}
            {searchable ? (
              <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="role-search">
                  Search roles
                </label>
                <input class="nhsuk-input" id="role-search" type="search" data-role-search autocomplete="off" />
              </div>
            ) : null}
            <div class="nhsuk-radios" data-role-list>
              {roles.map((role, i) => (
                <div class="nhsuk-radios__item">
                  <input class="nhsuk-radios__input" id={`role-${i}`} name="role" type="radio" value={role.id} />
                  <label class="nhsuk-label nhsuk-radios__label" for={`role-${i}`}>
                    {role.roleName}, {role.orgName} ({role.orgCode})
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <button type="submit" class="nhsuk-button">
          Continue
        </button>
      </form>
    </Page>
  );
}
