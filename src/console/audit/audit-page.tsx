// Audit: the filters of GET /admin/audit as a GET form (so a filtered view can
// be bookmarked and needs no CSRF token), the matching events newest first,
// paging by the query's cursor, and a CSV download of the same selection.
import type { Child } from 'hono/jsx';
import type { AuditEventView } from '../../admin/audit-query.ts';
import { ErrorMessage, type PageError } from '../../pages/error-summary.tsx';
import { ConsoleLayout, type ConsoleLayoutProps } from '../layout.tsx';
import { auditQueryString, DEFAULT_PAGE_SIZE, PAGE_SIZES, type AuditFormValues } from './audit-filter-form.ts';
import { EXPORT_MAX_ROWS } from './audit-export.ts';
import { ScrollTable } from '../table.tsx';
import { CONSOLE } from '../../paths.ts';

export interface AuditPageProps extends Pick<ConsoleLayoutProps, 'operator' | 'csrfToken'> {
  values: AuditFormValues;
  errors: PageError[];
  /** Null when the filters were refused. */
  events: AuditEventView[] | null;
  nextCursor: string | null;
  /** This page is not the newest. */
  paged: boolean;
}

/** A filter's form group: its label, hint and error message, then the control (NHS design system form pattern). */
function FilterGroup({ name, label, hint, error, children }: { name: keyof AuditFormValues; label: string; hint?: string; error?: PageError; children: Child }) {
  return (
    <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label class="nhsuk-label" for={name}>
        {label}
      </label>
      {hint ? (
        <div class="nhsuk-hint" id={`${name}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? <ErrorMessage id={`${name}-error`} text={error.text} /> : null}
      {children}
    </div>
  );
}

function TextFilter({ name, label, hint, value, errors }: { name: keyof AuditFormValues; label: string; hint: string; value: string; errors: PageError[] }) {
  const error = errors.find((e) => e.field === name);
  return (
    <FilterGroup name={name} label={label} hint={hint} error={error}>
      <input
        class={`nhsuk-input${error ? ' nhsuk-input--error' : ''}`}
        id={name}
        name={name}
        type={name === 'since' || name === 'until' ? 'datetime-local' : 'text'}
        value={value}
        spellcheck={false}
        autocomplete="off"
        aria-describedby={`${name}-hint${error ? ` ${name}-error` : ''}`}
      />
    </FilterGroup>
  );
}

function SelectFilter({ name, label, options, value, errors }: { name: keyof AuditFormValues; label: string; options: [string, string][]; value: string; errors: PageError[] }) {
  const error = errors.find((e) => e.field === name);
  return (
    <FilterGroup name={name} label={label} error={error}>
      <select class={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`} id={name} name={name} aria-describedby={error ? `${name}-error` : undefined}>
        {options.map(([v, text]) => (
          <option value={v} selected={v === value}>
            {text}
          </option>
        ))}
      </select>
    </FilterGroup>
  );
}

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');

function EventsTable({ events }: { events: AuditEventView[] }) {
  return (
    <ScrollTable caption="Audit events, newest first" captionId="audit-caption" class="app-audit-table" headers={['When', 'Action', 'Outcome', 'Actor', 'Subject', 'Client', 'Details']}>
      {events.map((e) => (
        <tr class="nhsuk-table__row" data-event-id={e.id}>
          <td class="nhsuk-table__cell app-nowrap">{when(e.at)}</td>
          <td class="nhsuk-table__cell">{e.action}</td>
          <td class="nhsuk-table__cell">{e.outcome === 'failure' ? <strong>Failure</strong> : 'Success'}</td>
          <td class="nhsuk-table__cell app-wrap">{e.actor}</td>
          <td class="nhsuk-table__cell app-wrap">{e.subject ?? ''}</td>
          <td class="nhsuk-table__cell app-wrap">{e.client_id ?? ''}</td>
          <td class="nhsuk-table__cell app-wrap">
            <code>{JSON.stringify(e.details)}</code>
          </td>
        </tr>
      ))}
    </ScrollTable>
  );
}

export function AuditPage({ operator, csrfToken, values, errors, events, nextCursor, paged }: AuditPageProps) {
  const limit = values.limit || String(DEFAULT_PAGE_SIZE);
  return (
    <ConsoleLayout title="Audit log" operator={operator} csrfToken={csrfToken} section={CONSOLE.audit} errors={errors}>
      <h1>Audit log</h1>
      <form method="get" action={CONSOLE.audit} novalidate>
        <fieldset class="nhsuk-fieldset">
          <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Filter events</legend>
          <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-one-half">
              <TextFilter name="person" label="Person (subject ID)" hint="The directory ID the event is about." value={values.person} errors={errors} />
              <TextFilter name="client" label="Client ID" hint="The application the event came through." value={values.client} errors={errors} />
              <TextFilter name="action" label="Action" hint="For example signin, person.locked, client.register." value={values.action} errors={errors} />
              <SelectFilter name="outcome" label="Outcome" value={values.outcome} errors={errors} options={[['', 'Any'], ['success', 'Success'], ['failure', 'Failure']]} />
            </div>
            <div class="nhsuk-grid-column-one-half">
              <TextFilter name="since" label="From (UTC)" hint="Events at or after this time, in UTC." value={values.since} errors={errors} />
              <TextFilter name="until" label="To (UTC)" hint="Events before this time, in UTC." value={values.until} errors={errors} />
              <SelectFilter name="limit" label="Events on each page" value={limit} errors={errors} options={PAGE_SIZES.map((n) => [String(n), String(n)])} />
            </div>
          </div>
        </fieldset>
        <div class="nhsuk-button-group">
          <button type="submit" class="nhsuk-button">
            Show events
          </button>
          <a class="nhsuk-link" href={CONSOLE.audit}>
            Clear the filters
          </a>
        </div>
      </form>
      {events === null ? null : (
        <>
          <p role="status">{events.length === 0 ? 'No events match these filters.' : `${events.length} ${events.length === 1 ? 'event' : 'events'} on this page.`}</p>
          <p>
            <a href={`${CONSOLE.auditExport}${auditQueryString({ ...values, limit: '' })}`} download>
              Download the matching events as CSV
            </a>{' '}
            (newest first, at most {EXPORT_MAX_ROWS.toLocaleString('en-GB')}).
          </p>
          {events.length > 0 ? <EventsTable events={events} /> : null}
          {paged || nextCursor ? (
            <nav class="nhsuk-pagination" role="navigation" aria-label="Audit pages">
              <ul class="nhsuk-list nhsuk-pagination__list">
                {paged ? (
                  <li class="nhsuk-pagination-item--previous">
                    <a class="nhsuk-pagination__link nhsuk-pagination__link--prev" href={`${CONSOLE.audit}${auditQueryString(values)}`}>
                      <span class="nhsuk-pagination__title">Newest events</span>
                    </a>
                  </li>
                ) : null}
                {nextCursor ? (
                  <li class="nhsuk-pagination-item--next">
                    <a class="nhsuk-pagination__link nhsuk-pagination__link--next" href={`${CONSOLE.audit}${auditQueryString(values, { cursor: nextCursor })}`} rel="next">
                      <span class="nhsuk-pagination__title">Older events</span>
                    </a>
                  </li>
                ) : null}
              </ul>
            </nav>
          ) : null}
        </>
      )}
    </ConsoleLayout>
  );
}
