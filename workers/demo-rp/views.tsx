// The demo's pages: plain HTML, no script, with the NHS.UK header and styles
// the identity service uses (served by the demo itself: /assets/*, /favicon.ico).
import type { Child } from 'hono/jsx';
import { Frame, NhsHeader } from '../../src/pages/frame.tsx';

const DEMO_NAME = 'Demo clinical system';

function decode(jwt: string | undefined): unknown {
  if (!jwt) return null;
  const [header, payload] = jwt.split('.');
  try {
    const json = (part: string) => JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    return { header: json(header!), payload: json(payload!) };
  } catch {
    return 'not a JWT';
  }
}

function Layout({ title, children }: { title: string; children?: Child }) {
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${DEMO_NAME}`}</title>
        <link rel="stylesheet" href="/assets/nhsuk.min.css" />
        <link rel="stylesheet" href="/assets/site.css" />
        <link rel="icon" href="/favicon.ico" type="image/svg+xml" />
      </head>
      <Frame header={<NhsHeader serviceName={DEMO_NAME} href="/" />}>
        <h1>{title}</h1>
        {children}
      </Frame>
    </html>
  );
}

export interface Tokens {
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  userinfo?: unknown;
  refreshed_at?: string;
}

export function SignedIn({ tokens, logouts }: { tokens: Tokens; logouts: unknown[] }) {
  return (
    <Layout title="Signed in">
      <div class="nhsuk-button-group">
        <form method="post" action="/refresh">
          <button type="submit" class="nhsuk-button nhsuk-button--secondary">
            Refresh tokens
          </button>
        </form>
        <form method="post" action="/logout">
          <button type="submit" class="nhsuk-button nhsuk-button--secondary">
            Log out
          </button>
        </form>
      </div>
      {tokens.refreshed_at ? <p role="status">Tokens refreshed at {tokens.refreshed_at}.</p> : null}
      <h2>ID token</h2>
      <pre id="id-token" class="app-pre">{JSON.stringify(decode(tokens.id_token), null, 2)}</pre>
      <h2>Access token</h2>
      <pre id="access-token" class="app-pre">{JSON.stringify(decode(tokens.access_token), null, 2)}</pre>
      <h2>Userinfo</h2>
      <pre id="userinfo" class="app-pre">{JSON.stringify(tokens.userinfo, null, 2)}</pre>
      <BackchannelLog logouts={logouts} />
    </Layout>
  );
}

export function SignedOut({ logouts, message }: { logouts: unknown[]; message?: string }) {
  return (
    <Layout title="Signed out">
      {message ? <p role="status">{message}</p> : null}
      <p>This relying party signs in with the workforce identity service and shows what it receives.</p>
      <form method="get" action="/login">
        <button type="submit" class="nhsuk-button">
          Sign in
        </button>
      </form>
      <BackchannelLog logouts={logouts} />
    </Layout>
  );
}

function BackchannelLog({ logouts }: { logouts: unknown[] }) {
  return (
    <>
      <h2>Back-channel logouts received</h2>
      <pre id="backchannel-log" class="app-pre">{JSON.stringify(logouts, null, 2)}</pre>
    </>
  );
}
