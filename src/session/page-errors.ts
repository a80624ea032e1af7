// Page routes answer errors with an HTML page, not the JSON the API gives: the
// one way every page renders a refusal.
import type { Context } from 'hono';
import { OAuthError, ServiceError } from '../errors.ts';
import type { AppEnv } from '../http/context.ts';
import { renderErrorPage } from '../pages/error.tsx';

type PageHandler = (c: Context<AppEnv>) => Promise<Response>;

/** `title` heads the page where the status alone does not say what failed. */
export function page(handler: PageHandler, title?: string): PageHandler {
  return async (c) => {
    try {
      return await handler(c);
    } catch (err) {
      if (err instanceof ServiceError && err.status < 500) return renderErrorPage(c, err, title);
      throw err;
    }
  };
}

export const expiredInteraction = () =>
  new OAuthError('invalid_request', 'this sign-in request has expired or was already completed; go back to the application and start again');
