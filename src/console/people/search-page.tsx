// People: a search form (GET, so results can be bookmarked and need no CSRF
// token) and the matching people, each linking to their page.
import { ConsoleLayout, type ConsoleLayoutProps } from '../layout.tsx';
import type { PersonSummary } from '../../directory/person-search.ts';
import { SEARCH_LIMIT } from '../../directory/person-search.ts';
import { Table } from '../table.tsx';
import { CONSOLE, pathTo } from '../../paths.ts';

export interface PeopleSearchProps extends Pick<ConsoleLayoutProps, 'operator' | 'csrfToken'> {
  query: string;
  results: PersonSummary[] | null;
}

export function PeopleSearchPage({ operator, csrfToken, query, results }: PeopleSearchProps) {
  return (
    <ConsoleLayout title={query ? `People matching “${query}”` : 'People'} operator={operator} csrfToken={csrfToken} section={CONSOLE.people}>
      <h1>People</h1>
      <form method="get" action={CONSOLE.people} role="search">
        <div class="nhsuk-form-group">
          <label class="nhsuk-label" for="q">
            Name, username or uid
          </label>
          <div class="nhsuk-hint" id="q-hint">
            Part of a name or username, or a 12-digit uid.
          </div>
          <input class="nhsuk-input nhsuk-u-width-two-thirds" id="q" name="q" type="search" value={query} aria-describedby="q-hint" autocomplete="off" spellcheck={false} maxlength={128} />
        </div>
        <button class="nhsuk-button" type="submit">
          Search
        </button>
      </form>
      {results === null ? null : results.length === 0 ? (
        <p role="status">No people match “{query}”.</p>
      ) : (
        <>
          <p role="status">
            {results.length === SEARCH_LIMIT ? `The first ${SEARCH_LIMIT} people` : `${results.length} ${results.length === 1 ? 'person' : 'people'}`} matching “{query}”.
          </p>
          <Table caption="People matching the search" headers={['Name', 'Username', 'uid', 'Status']}>
            {results.map((p) => (
              <tr class="nhsuk-table__row">
                <td class="nhsuk-table__cell">
                  <a href={pathTo(CONSOLE.person, { id: p.id })}>{p.name}</a>
                </td>
                <td class="nhsuk-table__cell">{p.userName}</td>
                <td class="nhsuk-table__cell">{p.uid}</td>
                <td class="nhsuk-table__cell">{p.active ? 'Active' : 'Deactivated'}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </ConsoleLayout>
  );
}
