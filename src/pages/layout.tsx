// The frame every page shares: NHS.UK frontend styles, header and footer, no
// inline script, and the headers that keep pages out of frames and caches.
import type { Child } from 'hono/jsx';
import type { Context } from 'hono';
import { Frame, NhsFooter, NhsHeader, SERVICE_NAME } from './frame.tsx';
import { SERVICE } from '../paths.ts';

export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface PageProps {
  /** Unique to the page: what it is for, e.g. "Choose a role". */
  title: string;
  /** The page shows a form error: the title says so first, and focus moves to the error summary. */
  error?: boolean;
  /** Scripts under /assets, loaded deferred: pages must work without them where they can. */
  scripts?: string[];
  /** What goes under the NHS header, e.g. the operator console's navigation; the header alone by default. */
  header?: Child;
  children?: Child;
}

/** The <title>: "Error: " first when the page reports a problem (NHS service manual, error summary). */
export const pageTitle = (title: string, error = false) => `${error ? 'Error: ' : ''}${title} – ${SERVICE_NAME}`;

export function Page({ title, error = false, scripts = [], header, children }: PageProps) {
  const all = error ? ['error-summary.js', ...scripts] : scripts;
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{pageTitle(title, error)}</title>
        <link rel="stylesheet" href={`${SERVICE.assets}/nhsuk.min.css`} />
        <link rel="stylesheet" href={`${SERVICE.assets}/site.css`} />
        <link rel="icon" href={`${SERVICE.assets}/favicon.svg`} type="image/svg+xml" />
        {all.map((src) => (
          <script src={`${SERVICE.assets}/${src}`} defer></script>
        ))}
      </head>
      <Frame header={header ?? <NhsHeader />} footer={<NhsFooter />}>
        {children}
      </Frame>
    </html>
  );
}

/** Security headers for an HTML page (contract: CSP, no framing, no caching, no referrer). */
export function pageHeaders(csp: string = PAGE_CSP): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  };
}

export function renderPage(c: Context, page: ReturnType<typeof Page>, status = 200, csp: string = PAGE_CSP): Response | Promise<Response> {
  return c.html(`<!doctype html>${page}`, status as 200, pageHeaders(csp));
}

/**
 * PAGE_CSP for a page whose form is answered with a redirect to `source` (an
 * origin, or a private-use scheme): CSP Level 3 checks form-action against every
 * redirect after the submission too, and Chromium blocks the hop otherwise.
 */
export function cspAllowingFormRedirectTo(source: string): string {
  return PAGE_CSP.replace("form-action 'self'", `form-action 'self' ${source}`);
}
