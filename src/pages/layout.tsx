// The frame every page shares: NHS.UK frontend styles, no inline script, and the
// headers that keep pages out of frames and caches.
import type { Child } from 'hono/jsx';
import type { Context } from 'hono';

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
  title: string;
  /** Scripts under /assets, loaded deferred: pages must work without them where they can. */
  scripts?: string[];
  children?: Child;
}

export function Page({ title, scripts = [], children }: PageProps) {
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – Workforce identity`}</title>
        <link rel="stylesheet" href="/assets/nhsuk.min.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        {scripts.map((src) => (
          <script src={`/assets/${src}`} defer></script>
        ))}
      </head>
      <body>
        <a class="nhsuk-skip-link" href="#main-content">
          Skip to main content
        </a>
        <header class="nhsuk-header" role="banner">
          <div class="nhsuk-header__container nhsuk-width-container">
            <span class="nhsuk-header__service-name">Workforce identity</span>
          </div>
        </header>
        <div class="nhsuk-width-container">
          <main class="nhsuk-main-wrapper" id="main-content" role="main">
            {children}
          </main>
        </div>
      </body>
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
