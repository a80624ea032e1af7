// The console's one table markup (NHS design system classes): a header row of
// column names and the caller's body rows. A table wider than the page sits in a
// focusable scroll region named by its caption (WCAG 2.1.1: keyboard users can
// scroll it), so the caption is then visible and carries the region's label.
import type { Child } from 'hono/jsx';

export interface TableProps {
  caption: Child;
  /** Set when a scroll region is labelled by the caption; the caption is then shown. */
  captionId?: string;
  /** Extra classes on the table element. */
  class?: string;
  headers: string[];
  /** The body rows. */
  children?: Child;
}

export function Table({ caption, captionId, class: extra = 'app-wrap', headers, children }: TableProps) {
  return (
    <table class={`nhsuk-table ${extra}`}>
      {captionId ? (
        <caption class="nhsuk-table__caption" id={captionId}>
          {caption}
        </caption>
      ) : (
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{caption}</caption>
      )}
      <thead class="nhsuk-table__head">
        <tr class="nhsuk-table__row">
          {headers.map((h) => (
            <th class="nhsuk-table__header" scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody class="nhsuk-table__body">{children}</tbody>
    </table>
  );
}

export function ScrollRegion({ labelledBy, children }: { labelledBy: string; children?: Child }) {
  return (
    <div class="app-table-scroll" role="region" aria-labelledby={labelledBy} tabindex={0}>
      {children}
    </div>
  );
}

/** A table in a scroll region labelled by its caption. */
export function ScrollTable(props: TableProps & { captionId: string }) {
  return (
    <ScrollRegion labelledBy={props.captionId}>
      <Table {...props} />
    </ScrollRegion>
  );
}
