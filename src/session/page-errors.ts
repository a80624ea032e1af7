// Page routes answer errors with an HTML page, not the JSON the API gives.
import type { Context } from 'hono';
import { OAuthError } from '../errors.ts';
import type { AppEnv } from '../http/context.ts';
import { renderErrorPage } from '../pages/error.tsx';

type PageHandler = (c: Context<AppEnv>) => Promise<Response>;

export function page(handler: PageHandler): PageHandler {
  return async (c) => {
    try {
      return await handler(c);
    } catch (err) {
      if (err instanceof OAuthError && err.status < 500) return renderErrorPage(c, err);
      throw err;
    }
  };
}

export const expiredInteraction = () =>
  new OAuthError('invalid_request', 'this sign-in request has expired or was already completed; go back to the application and start again');
