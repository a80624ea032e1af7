// One TCP connection of its own to the service, for tests where "separate
// connections" is the point (test/e2e/races.test.ts): an undici Client holds one socket
// at a time, and its connector records the local port of every socket it
// opens, so a test can show that two requests really travelled apart.
import { buildConnector, Client } from 'undici';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: Record<string, any>;
}

export class Connection {
  /** Local ports of the sockets this connection has opened (one unless the server closed it). */
  readonly localPorts = new Set<number>();
  private readonly client: Client;

  constructor(origin: string) {
    const connector = buildConnector({});
    this.client = new Client(origin, {
      pipelining: 1,
      // A response slower than this is a hang, which is a failure here.
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
      connect: (options, callback) =>
        connector(options, (err, socket) => {
          if (socket?.localPort !== undefined) this.localPorts.add(socket.localPort);
          (callback as (e: Error | null, s: typeof socket) => void)(err, socket);
        }),
    });
  }

  async request(path: string, method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<Answer> {
    const res = await this.client.request({ path, method, headers, body });
    const text = await res.body.text();
    let json: Record<string, any> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, any>) : {};
    } catch {
      throw new Error(`${method} ${path} answered ${res.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    return { status: res.statusCode, headers: res.headers, json };
  }

  /** A form POST (application/x-www-form-urlencoded), as the OAuth endpoints take. */
  postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request(path, 'POST', { 'content-type': 'application/x-www-form-urlencoded', ...headers }, new URLSearchParams(fields).toString());
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request(path, 'GET', headers);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
