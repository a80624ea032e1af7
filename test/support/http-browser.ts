// A browser for tests that drive the service over HTTP: a cookie jar, manual
// redirects, and the same-origin JSON and form posts the service's pages send.
// Runtime-neutral (web standards only): workerd tests wrap it around SELF.fetch
// (./worker/browser.ts), Node tests around fetch to `npm start`.

export type Fetcher = (request: Request) => Promise<Response>;

export interface StoredCookie {
  value: string;
  /** The Set-Cookie line as sent, for checking attributes. */
  raw: string;
}

export class HttpBrowser {
  readonly cookies = new Map<string, StoredCookie>();
  /** The service's origin: the only one cookies are sent to and kept from. */
  readonly origin: string;
  /** The URL of the latest request. */
  url: URL;

  constructor(
    base: string,
    private readonly fetcher: Fetcher = (request) => fetch(request),
  ) {
    this.origin = new URL(base).origin;
    this.url = new URL(base);
  }

  /** One request, no redirects followed; cookies sent to and kept from the service only. */
  async fetch(path: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, this.origin);
    this.url = url;
    const headers = new Headers(init.headers);
    const ours = url.origin === this.origin;
    if (ours && this.cookies.size > 0 && !headers.has('cookie')) {
      headers.set('cookie', [...this.cookies].map(([name, c]) => `${name}=${c.value}`).join('; '));
    }
    const response = await this.fetcher(new Request(url, { ...init, headers, redirect: 'manual' }));
    if (ours) this.keep(response);
    return response;
  }

  /**
   * Follows redirects while they stay on the service, as a browser would (303 → GET);
   * answers the first response that is not a redirect, or the redirect that leaves.
   */
  async navigate(path: string | URL, init: RequestInit = {}): Promise<Response> {
    let response = await this.fetch(path, init);
    for (let hops = 0; hops < 10 && isRedirect(response); hops++) {
      const next = new URL(response.headers.get('location')!, this.url);
      if (next.origin !== this.origin) return response;
      response = await this.fetch(next);
    }
    return response;
  }

  /** A JSON POST from one of the service's pages (fetch sends Origin). */
  postJson(path: string, body: unknown, origin = this.origin): Promise<Response> {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** A form submission, as the browser sends it. */
  postForm(path: string, fields: Record<string, string>, origin = this.origin): Promise<Response> {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams(fields).toString(),
    });
  }

  cookie(name: string): StoredCookie | undefined {
    return this.cookies.get(name);
  }

  private keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/;\s*max-age=0\b/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, { value, raw: line });
    }
  }
}

export function isRedirect(response: Response): boolean {
  return response.status >= 300 && response.status < 400 && response.headers.has('location');
}

/** The query of a redirect's Location, as an object. */
export function locationParams(response: Response, base: string): Record<string, string> {
  return Object.fromEntries(new URL(response.headers.get('location')!, base).searchParams);
}
