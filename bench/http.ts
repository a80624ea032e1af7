// HTTP for the load generator: one undici Pool per server (keep-alive
// connections, as many as the scenario's concurrency), each response read
// whole, and a cookie-keeping browser for the sign-in journey.
import { Pool } from 'undici';
import { onStop } from './lifecycle.ts';

interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export class HttpClient {
  private readonly pool: Pool;
  private readonly close: () => Promise<void>;

  constructor(readonly origin: string, connections: number) {
    // A response slower than 10 s is a failure, not something to wait for.
    this.pool = new Pool(origin, { connections, pipelining: 1, headersTimeout: 10_000, bodyTimeout: 10_000 });
    this.close = onStop(() => this.pool.destroy());
  }

  async request(path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const res = await this.pool.request({ path, method: (options.method ?? 'GET') as 'GET', headers: options.headers, body: options.body });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  /** A form POST (application/x-www-form-urlencoded), as the token endpoints take. */
  postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }

  postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  }

  destroy(): Promise<void> {
    return this.close();
  }
}

/** RFC 6749 §2.3.1: each part form-urlencoded, then joined with ":" and base64-encoded. */
export function basicAuthorization(clientId: string, secret: string): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`;
}

/** A failed step: what was asked, what came back. */
export class StepError extends Error {}

/** Parses a JSON body after checking the status, or throws a StepError naming the step. */
export function expectJson<T>(step: string, res: HttpResponse, status = 200): T {
  if (res.status !== status) throw new StepError(`${step}: ${res.status} ${res.text.slice(0, 200)}`);
  try {
    return JSON.parse(res.text) as T;
  } catch {
    throw new StepError(`${step}: not JSON: ${res.text.slice(0, 200)}`);
  }
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The Location of a redirect, or a StepError naming the step. */
export function expectRedirect(step: string, res: HttpResponse): URL {
  const location = header(res, 'location');
  if (res.status < 300 || res.status > 399 || !location) throw new StepError(`${step}: expected a redirect, got ${res.status} ${res.text.slice(0, 200)}`);
  return new URL(location, 'http://relative.invalid');
}

/**
 * A browser's cookie jar and navigation over an HttpClient: cookies sent back
 * to the same server, same-origin JSON posts with Origin, redirects followed
 * while they stay on the server. `origin` is the site as the browser knows it
 * (the issuer's), which may differ from the address connected to.
 */
export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(
    private readonly http: HttpClient,
    readonly origin: string = http.origin,
  ) {}

  private cookieHeader(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private keep(res: HttpResponse): void {
    const set = res.headers['set-cookie'];
    for (const line of Array.isArray(set) ? set : set ? [set] : []) {
      const pair = line.split(';', 1)[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /;\s*max-age=0\b/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async fetch(path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const res = await this.http.request(path, { ...options, headers: { ...this.cookieHeader(), ...options.headers } });
    this.keep(res);
    return res;
  }

  /** A same-origin fetch() from one of the server's pages: JSON with Origin. */
  postJson(path: string, body: unknown): Promise<HttpResponse> {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', origin: this.origin },
      body: JSON.stringify(body),
    });
  }

  /**
   * GETs `path` and follows redirects (any 3xx becomes a GET, as after a 303) while
   * they stay on this server; answers the last response and where it was fetched.
   */
  async navigate(path: string, maxHops = 10): Promise<{ res: HttpResponse; url: URL }> {
    let url = new URL(path, this.origin);
    let res = await this.fetch(url.pathname + url.search);
    for (let hop = 0; hop < maxHops; hop++) {
      const location = header(res, 'location');
      if (res.status < 300 || res.status > 399 || !location) break;
      const next = new URL(location, url);
      if (next.origin !== this.origin) break;
      url = next;
      res = await this.fetch(url.pathname + url.search);
    }
    return { res, url };
  }
}
