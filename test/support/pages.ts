// Reading the service's server-rendered pages in tests: the NHS error summary,
// the inline error messages and the <title>.

/** The items of the page's error summary (nhsuk-error-summary), in order; [] when there is none. */
export function errorSummaryItems(html: string): string[] {
  const summary = html.match(/<div class="nhsuk-error-summary"[^>]*>([\s\S]*?)<\/ul>/);
  if (!summary) return [];
  return [...summary[1]!.matchAll(/<li>(?:<a href="#([\w-]+)">)?([^<]*)/g)].map((m) => (m[1] ? `${m[2]} → #${m[1]}` : m[2]!));
}

/** The text of the inline error messages (nhsuk-error-message), without their hidden "Error:" prefix. */
export function inlineErrors(html: string): string[] {
  return [...html.matchAll(/<span class="nhsuk-error-message" id="[\w-]+"><span class="nhsuk-u-visually-hidden">Error:<\/span> ([^<]*)<\/span>/g)].map((m) => m[1]!);
}

export function pageTitle(html: string): string {
  return html.match(/<title>([^<]*)<\/title>/)?.[1] ?? '';
}
