// The NHS.UK header and footer, in nhsuk-frontend's own markup (its header and
// footer templates, v10): the NHS logo beside the service name, and a footer
// with the support links every NHS service carries. The demo relying party
// uses the header too, with its own name.
import type { Child } from 'hono/jsx';
import { SERVICE } from '../paths.ts';

export const SERVICE_NAME = 'Workforce identity';

/** The footer's pages (src/pages/service-info.tsx serves them). */
export const FOOTER_LINKS = [
  { href: SERVICE.accessibility, text: 'Accessibility statement' },
  { href: SERVICE.privacy, text: 'Privacy notice' },
  { href: SERVICE.contact, text: 'Contact the service desk' },
] as const;

// The NHS logo path from nhsuk-frontend's header template (components/header/template.njk).
const NHS_LOGO_PATH =
  'M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z';

export interface HeaderProps {
  serviceName?: string;
  /** Where the logo and name lead; without it they are not a link. */
  href?: string;
}

/** nhsuk-frontend's header with logo and service name combined into one link (its combineLogoAndServiceNameLinks case). */
export function NhsHeader({ serviceName = SERVICE_NAME, href }: HeaderProps) {
  const logo = (
    <svg class="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS">
      <title>NHS</title>
      <path fill="currentcolor" d={NHS_LOGO_PATH}></path>
    </svg>
  );
  const name = <span class="nhsuk-header__service-name">{serviceName}</span>;
  return (
    <header class="nhsuk-header" data-module="nhsuk-header" role="banner">
      <div class="nhsuk-header__container nhsuk-width-container">
        <div class="nhsuk-header__service">
          {href ? (
            <a class="nhsuk-header__service-logo" href={href} aria-label={`NHS ${serviceName} homepage`}>
              {logo}
              {name}
            </a>
          ) : (
            <>
              {logo}
              {name}
            </>
          )}
        </div>
      </div>
    </header>
  );
}

export interface FooterProps {
  links?: readonly { href: string; text: string }[];
}

/** nhsuk-frontend's footer with meta items ("Support links") and the copyright line. */
export function NhsFooter({ links = FOOTER_LINKS }: FooterProps) {
  return (
    <footer class="nhsuk-footer" role="contentinfo">
      <div class="nhsuk-width-container">
        <div class="nhsuk-footer__meta">
          <h2 class="nhsuk-u-visually-hidden">Support links</h2>
          <ul class="nhsuk-footer__list">
            {links.map((link) => (
              <li class="nhsuk-footer__list-item">
                <a class="nhsuk-footer__list-item-link" href={link.href}>
                  {link.text}
                </a>
              </li>
            ))}
          </ul>
          <p class="nhsuk-body-s">© NHS England</p>
        </div>
      </div>
    </footer>
  );
}

export interface FrameProps {
  header: Child;
  footer?: Child;
  children?: Child;
}

/** Skip link, header, main and footer, as nhsuk-frontend's page template lays them out. */
export function Frame({ header, footer, children }: FrameProps) {
  return (
    <body class="app-page">
      <a class="nhsuk-skip-link" data-module="nhsuk-skip-link" href="#maincontent">
        Skip to main content
      </a>
      {header}
      <div class="app-page__main">
        <div class="nhsuk-width-container">
          <main class="nhsuk-main-wrapper" id="maincontent" role="main">
            {children}
          </main>
        </div>
      </div>
      {footer}
    </body>
  );
}
