// The page shown for errors that must not be redirected: before the client and
// its redirect URI are trusted (RFC 6749 §4.1.2.1), or in the sign-in pages.
import type { Context } from 'hono';
import type { ServiceError } from '../errors.ts';
import { Page, renderPage } from './layout.tsx';

export interface ErrorPageProps {
  title: string;
  /** Safe to show: a ServiceError's description, never internals. */
  description: string;
  /** The RFC error code, shown small for whoever reports the problem. */
  error?: string;
}

export function ErrorPage({ title, description, error }: ErrorPageProps) {
  return (
    <Page title={title}>
      <h1>{title}</h1>
      <p>{description}</p>
      <p>Go back to the application you came from and try again. If this keeps happening, contact its service desk.</p>
      {error ? <p class="nhsuk-body-s nhsuk-u-secondary-text-color">Error code: {error}</p> : null}
    </Page>
  );
}

const TITLES: Record<number, string> = {
  400: 'There is a problem with this sign-in request',
  403: 'This request was refused',
  404: 'Page not found',
};

/** An error as an HTML page with the page security headers; `title` names what failed, when the status does not say. */
export function renderErrorPage(c: Context, err: ServiceError, title?: string): Response | Promise<Response> {
  const status = err.status >= 400 && err.status < 500 ? err.status : 400;
  return renderPage(c, ErrorPage({ title: title ?? TITLES[status] ?? TITLES[400]!, description: err.description, error: err.error }), status);
}
