// The NHS error summary (nhsuk-frontend components/error-summary): first in
// the main content so it is read first without script, role="alert" on an
// inner container as the component does, tabindex=-1 so that
// /assets/error-summary.js can move focus to it on load.
export interface PageError {
  /** What to fix, in the words the field's inline error uses. */
  text: string;
  /** The id of the field the link moves to. */
  field?: string;
}

export function ErrorSummary({ errors, id = 'error-summary' }: { errors: PageError[]; id?: string }) {
  if (errors.length === 0) return null;
  return (
    <div class="nhsuk-error-summary" data-module="nhsuk-error-summary" data-error-summary id={id} aria-labelledby={`${id}-title`} tabindex={-1}>
      <div role="alert">
        <h2 class="nhsuk-error-summary__heading" id={`${id}-title`}>
          There is a problem
        </h2>
        <div class="nhsuk-error-summary__body">
          <ul class="nhsuk-list nhsuk-error-summary__list">
            {errors.map((error) => (
              <li>{error.field ? <a href={`#${error.field}`}>{error.text}</a> : error.text}</li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

/** The inline message above a field, with the visually hidden prefix nhsuk-frontend uses. */
export function ErrorMessage({ id, text }: { id: string; text: string }) {
  return (
    <span class="nhsuk-error-message" id={id}>
      <span class="nhsuk-u-visually-hidden">Error:</span> {text}
    </span>
  );
}
