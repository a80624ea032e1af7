// A browser single-page application for end-to-end tests: a tiny Node static
// server on a free loopback port serving a page that loads oidc-client-ts's
// browser bundle from node_modules. Its origin differs from the issuer's, so
// the browser enforces CORS on every call the library makes.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const BUNDLE = readFileSync(`${root}/node_modules/oidc-client-ts/dist/browser/oidc-client-ts.min.js`);

/** The page: a UserManager with these settings, kept as window.mgr; on /callback it completes the sign-in. */
function page(settings: Record<string, string>): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>SPA</title>
<script src="/oidc-client-ts.js"></script></head><body><pre id="out"></pre>
<script>
  const settings = ${JSON.stringify(settings)};
  window.mgr = new oidc.UserManager({ ...settings, redirect_uri: location.origin + '/callback', post_logout_redirect_uri: location.origin + '/signed-out', response_type: 'code', loadUserInfo: true, automaticSilentRenew: false });
  window.callbackDone = location.pathname === '/callback'
    ? window.mgr.signinRedirectCallback().then((user) => { document.getElementById('out').textContent = 'signed in'; return user.profile.sub; }, (err) => { document.getElementById('out').textContent = 'error ' + err.message; throw err; })
    : Promise.resolve(null);
</script></body></html>`;
}

export interface StaticSpa {
  origin: string;
  /** The UserManager settings (authority, client_id, scope): known once the client is registered for this origin. */
  settings: Record<string, string>;
  close(): Promise<void>;
}

/** Serves the SPA on 127.0.0.1 at a free port; every HTML path gets the same page. */
export async function startStaticSpa(): Promise<StaticSpa> {
  const spa = { settings: {} as Record<string, string> };
  const server: Server = createServer((req, res) => {
    if (req.url === '/oidc-client-ts.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(BUNDLE);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(spa.settings));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(spa, {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
