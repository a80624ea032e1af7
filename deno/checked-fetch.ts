// The outbound fetch port on Deno, for URLs clients registered (jwks_uri,
// backchannel_logout_uri): the name is resolved (Deno.resolveDns, A and AAAA),
// every address is checked (src/clients/resolved-address.ts), and the socket
// connects to the checked address while TLS keeps the URL's name for SNI and
// certificate verification. Deno's fetch cannot do that (its `tcp` proxy
// transport speaks plain HTTP only), so the request goes through node:http(s),
// whose `lookup` option decides where the socket connects.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Buffer } from 'node:buffer';
import ipaddr from 'ipaddr.js';
import { classifyHost } from '../src/clients/host-address.ts';
import { checkResolvedAddresses, OutboundAddressRefused, type CheckedAddress } from '../src/clients/resolved-address.ts';

export interface CheckedFetchOptions {
  /** Loopback targets allowed (local development, the issuer on loopback). */
  allowLoopback: boolean;
  /** The addresses a name resolves to; Deno.resolveDns unless a test hands in another. */
  resolve?: (name: string) => Promise<string[]>;
  /** Roots trusted instead of the system's (tests with a certificate of their own). */
  ca?: string[];
  /** Larger responses are refused: a JWKS or a logout answer is small. */
  maxResponseBytes?: number;
}

/** A and AAAA records; a name with neither resolves to nothing (and is refused). */
export async function resolveWithDeno(name: string): Promise<string[]> {
  const answers = await Promise.allSettled([Deno.resolveDns(name, 'A'), Deno.resolveDns(name, 'AAAA')]);
  return answers.flatMap((answer) => (answer.status === 'fulfilled' ? answer.value : []));
}

/** The addresses to check for a URL's host: itself when a literal, localhost per RFC 6761 §6.3, else resolved. */
async function addressesOf(host: string, resolve: (name: string) => Promise<string[]>): Promise<string[]> {
  if (ipaddr.IPv4.isValidFourPartDecimal(host) || ipaddr.IPv6.isValid(host)) return [host];
  const byName = classifyHost(host);
  if (byName === 'private') throw new OutboundAddressRefused(`${host} is an internal name`);
  return byName === 'loopback' ? ['127.0.0.1', '::1'] : await resolve(host);
}

export function createCheckedFetch(options: CheckedFetchOptions): typeof fetch {
  const resolve = options.resolve ?? resolveWithDeno;
  const maxBytes = options.maxResponseBytes ?? 1 << 20;
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundAddressRefused(`${url.protocol} is not http(s)`);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const checked = checkResolvedAddresses(await addressesOf(host, resolve), options.allowLoopback);
    if (!checked.ok) throw new OutboundAddressRefused(`${host} ${checked.problem}`);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    return send(request, url, host, checked.addresses, body, options.ca, maxBytes);
  };
}

function send(request: Request, url: URL, host: string, to: CheckedAddress[], body: Buffer | undefined, ca: string[] | undefined, maxBytes: number): Promise<Response> {
  // The socket goes to a checked address, whatever a second lookup would say.
  const lookup = ((_name: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (opts?.all) callback(null, to);
    else callback(null, to[0]!.address, to[0]!.family);
  }) as unknown as LookupFunction;
  const headers: Record<string, string> = Object.fromEntries(request.headers);
  if (body) headers['content-length'] = String(body.length);
  const secure = url.protocol === 'https:';
  return new Promise<Response>((resolve, reject) => {
    const signal = request.signal;
    if (signal.aborted) return reject(signal.reason);
    const req = (secure ? https : http).request(
      {
        hostname: host,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
        lookup,
        agent: false,
        // TLS verifies the URL's name (SNI too), not the address connected to.
        ...(secure && !ipaddr.isValid(host) ? { servername: host } : {}),
        ...(secure && ca ? { ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) req.destroy(new Error(`the answer is larger than ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          const status = res.statusCode ?? 502;
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, v);
          }
          const empty = status === 204 || status === 304 || request.method === 'HEAD';
          resolve(new Response(empty ? null : new Uint8Array(Buffer.concat(chunks)), { status, headers: responseHeaders }));
        });
        res.on('error', reject);
      },
    );
    // AbortSignal.timeout's reason is a TimeoutError, which callers tell from a refusal.
    signal.addEventListener('abort', () => req.destroy(signal.reason), { once: true });
    req.on('error', (err) => reject(signal.aborted ? signal.reason : err));
    req.end(body);
  });
}
