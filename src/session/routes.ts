// The sign-in pages and their JSON API (contract §6): GET /signin, the passkey
// assertion under /webauthn/authentication/*, the password form (docs/assurance.md), the role choice and a plain
// "signed in" page. Protocol decisions stay in src/oauth/authorization-flow.ts.
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/context.ts';
import { renderPage } from '../pages/layout.tsx';
import { ROLE_SEARCH_SCRIPT } from '../pages/role-search-script.ts';
import { SignedInPage } from '../pages/sign-in.tsx';
import { passkeyAuthenticationRoutes } from './passkey-authentication.ts';
import { passwordSignInRoutes } from './password-sign-in.ts';
import { showSignInPage } from './sign-in-page.ts';
import { roleChoiceRoutes } from './role-choice.ts';
import { page } from './page-errors.ts';
import { SERVICE, SIGN_IN } from '../paths.ts';

async function signInPage(c: Context<AppEnv>): Promise<Response> {
  return showSignInPage(c, { interactionId: c.req.query('interaction') });
}

export const sessionRoutes = new Hono<AppEnv>()
  .get(SIGN_IN.signIn, page(signInPage))
  .get(SIGN_IN.signedIn, page(async (c) => renderPage(c, SignedInPage())))
  .get(SERVICE.roleSearchScript, (c) =>
    c.body(ROLE_SEARCH_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }),
  )
  .route('/', passkeyAuthenticationRoutes)
  .route('/', passwordSignInRoutes)
  .route('/', roleChoiceRoutes);
