// The console's page frame: the service's own page (NHS header and footer, CSP
// without inline script, no framing: src/pages/layout.tsx) with the console's
// navigation and the signed-in operator, whose sign-out is a CSRF-guarded form.
import type { Child } from 'hono/jsx';
import { Page } from '../pages/layout.tsx';
import { NhsHeader } from '../pages/frame.tsx';
import { ErrorSummary, type PageError } from '../pages/error-summary.tsx';
import { CSRF_FIELD } from '../session/csrf.ts';
import type { ConsoleContext, Operator } from './context.ts';
import { CONSOLE_NAV } from './nav.ts';
import { CONSOLE } from '../paths.ts';

export const CONSOLE_NAME = 'Operator console';

export interface ConsoleLayoutProps {
  /** Unique to the page, e.g. "Sam Patel": the <title> adds the console's name. */
  title: string;
  operator: Operator;
  csrfToken: string;
  /** The nav entry this page belongs to, by its href. */
  section?: string;
  /** Form problems: shown in the NHS error summary at the top, and "Error: " leads the title. */
  errors?: PageError[];
  children?: Child;
}

function ConsoleHeader({ operator, csrfToken, section }: Pick<ConsoleLayoutProps, 'operator' | 'csrfToken' | 'section'>) {
  return (
    <>
      <NhsHeader serviceName={CONSOLE_NAME} href={CONSOLE.mount} />
      <div class="app-console-bar">
        <div class="nhsuk-width-container app-console-bar__inner">
          <nav class="app-console-nav" aria-label="Console">
            <ul class="app-console-nav__list">
              {CONSOLE_NAV.map((entry) => (
                <li class="app-console-nav__item">
                  <a class="app-console-nav__link" href={entry.href} aria-current={entry.href === section ? 'page' : undefined}>
                    {entry.text}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <form class="app-console-bar__account" method="post" action={CONSOLE.logout}>
            <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
            <span class="nhsuk-body-s app-console-bar__who">Signed in as {operator.displayName}</span>
            <button type="submit" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small app-console-bar__signout">Sign out</button>
          </form>
        </div>
      </div>
    </>
  );
}

export function ConsoleLayout({ title, operator, csrfToken, section, errors = [], children }: ConsoleLayoutProps) {
  return (
    <Page title={`${title} – ${CONSOLE_NAME}`} error={errors.length > 0} header={<ConsoleHeader operator={operator} csrfToken={csrfToken} section={section} />}>
      <ErrorSummary errors={errors} />
      {children}
    </Page>
  );
}

/** The layout's operator and CSRF token, from the guard's context. */
export const layoutProps = (c: ConsoleContext) => ({ operator: c.var.operator, csrfToken: c.var.csrfToken });
