// Every page carries the NHS.UK header (logo and service name) and footer
// (accessibility statement, privacy notice, service desk), a unique title, and
// the footer's pages exist.
import { describe, expect, it } from 'vitest';
import { pageTitle } from '../../support/pages.ts';
import { call } from '../../support/worker/requests.ts';

const PAGES: [string, number, string][] = [
  ['/signin', 200, 'Sign in – Workforce identity'],
  ['/signed-in', 200, 'You are signed in – Workforce identity'],
  ['/accessibility', 200, 'Accessibility statement – Workforce identity'],
  ['/privacy', 200, 'Privacy notice – Workforce identity'],
  ['/contact', 200, 'Contact the service desk – Workforce identity'],
  ['/signin?interaction=gone', 400, 'There is a problem with this sign-in request – Workforce identity'],
  [`/enrol/${'A'.repeat(43)}`, 404, 'This invitation link is not valid – Workforce identity'],
];

describe('the frame of every page (NHS.UK header and footer)', () => {
  it.each(PAGES)('%s has the NHS header, the footer links and its own title', async (path, status, title) => {
    const res = await call(path);
    expect(res.status).toBe(status);
    const html = await res.text();
    expect(pageTitle(html)).toBe(title);
    expect(html).toMatch(/<a class="nhsuk-skip-link"[^>]*href="#maincontent">Skip to main content<\/a>/);
    expect(html).toMatch(/<header class="nhsuk-header"[^>]*role="banner">[\s\S]*<svg class="nhsuk-header__logo"[^>]*aria-label="NHS"[\s\S]*<span class="nhsuk-header__service-name">Workforce identity<\/span>/);
    expect(html).toMatch(/<main class="nhsuk-main-wrapper" id="maincontent"/);
    const footer = html.slice(html.indexOf('<footer class="nhsuk-footer" role="contentinfo">'));
    for (const [href, text] of [['/accessibility', 'Accessibility statement'], ['/privacy', 'Privacy notice'], ['/contact', 'Contact the service desk']]) {
      expect(footer).toContain(`<a class="nhsuk-footer__list-item-link" href="${href}">${text}</a>`);
    }
    // The body is a column whose main part grows, so no grey band shows below a short page.
    expect(html).toContain('<body class="app-page">');
    expect(html).toContain('<link rel="stylesheet" href="/assets/site.css"/>');
  });

  it('serves the page stylesheet and the error-summary script as assets', async () => {
    const css = await call('/assets/site.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toMatch(/body\.app-page\s*\{[^}]*min-height: 100vh/);
    const script = await call('/assets/error-summary.js');
    expect(script.status).toBe(200);
    expect(await script.text()).toContain("querySelector('[data-error-summary]')");
  });

  it('answers other methods on the footer pages with 405', async () => {
    const res = await call('/privacy', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
