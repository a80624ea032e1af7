// The demo's pages: plain HTML, no script.
import type { Child } from 'hono/jsx';

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

export function Layout({ title, children }: { title: string; children?: Child }) {
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <title>{title}</title>
      </head>
      <body style="font-family: sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.4">
        <h1>{title}</h1>
        {children}
      </body>
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
    <Layout title="Demo clinical system: signed in">
      <form method="post" action="/refresh" style="display:inline">
        <button type="submit">Refresh tokens</button>
      </form>{' '}
      <form method="post" action="/logout" style="display:inline">
        <button type="submit">Log out</button>
      </form>
      {tokens.refreshed_at ? <p role="status">Tokens refreshed at {tokens.refreshed_at}.</p> : null}
      <h2>ID token</h2>
      <pre id="id-token">{JSON.stringify(decode(tokens.id_token), null, 2)}</pre>
      <h2>Access token</h2>
      <pre id="access-token">{JSON.stringify(decode(tokens.access_token), null, 2)}</pre>
      <h2>Userinfo</h2>
      <pre id="userinfo">{JSON.stringify(tokens.userinfo, null, 2)}</pre>
      <BackchannelLog logouts={logouts} />
    </Layout>
  );
}

export function SignedOut({ logouts, message }: { logouts: unknown[]; message?: string }) {
  return (
    <Layout title="Demo clinical system">
      {message ? <p role="status">{message}</p> : null}
      <p>This relying party signs in with the workforce identity service and shows what it receives.</p>
      <form method="get" action="/login">
        <button type="submit">Sign in</button>
      </form>
      <BackchannelLog logouts={logouts} />
    </Layout>
  );
}

function BackchannelLog({ logouts }: { logouts: unknown[] }) {
  return (
    <>
      <h2>Back-channel logouts received</h2>
      <pre id="backchannel-log">{JSON.stringify(logouts, null, 2)}</pre>
    </>
  );
}
