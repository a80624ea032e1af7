// Calls to `npm start` as a confidential client (client_secret_basic) and an
// operator make them, with endpoints read from discovery and every call timed,
// for end-to-end tests that watch status, body and latency together.
import type { LocalStack } from './local-stack.ts';

/** Long enough to see any sane answer; a call past it is reported as hung. */
export const GIVE_UP_MS = 20_000;

export interface Endpoints {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  introspection_endpoint: string;
  registration_endpoint: string;
  jwks_uri: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, any>;
  text: string;
  ms: number;
}

export interface ConfidentialClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

/** One request, timed; a body that is not JSON leaves `json` empty and `text` as sent. */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const started = performance.now();
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(GIVE_UP_MS) });
    text = await res.text();
  } catch (err) {
    throw new Error(`${init.method ?? 'GET'} ${url} had no answer after ${Math.round(performance.now() - started)} ms: ${String(err)}`);
  }
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(text) as Record<string, any>;
  } catch {
    // Pages and plain-text answers are checked through `text`.
  }
  return { status: res.status, headers: res.headers, json, text, ms: performance.now() - started };
}

export async function discover(stack: LocalStack): Promise<Endpoints> {
  const found = await send(`${stack.url}/.well-known/openid-configuration`);
  if (found.status !== 200) throw new Error(`discovery answered ${found.status}`);
  return found.json as Endpoints;
}

export function adminSend(stack: LocalStack, url: string, method: string, body?: unknown, type = 'application/json'): Promise<Answer> {
  return send(url.startsWith('http') ? url : `${stack.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, ...(body !== undefined ? { 'content-type': type } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

/** Registers a client_secret_basic client (RFC 7591) with the given metadata. */
export async function registerClient(stack: LocalStack, endpoints: Endpoints, metadata: Record<string, unknown>): Promise<ConfidentialClient> {
  const registered = await adminSend(stack, endpoints.registration_endpoint, 'POST', {
    redirect_uris: ['https://faults-rp.example/callback'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...metadata,
  });
  if (registered.status !== 201) throw new Error(`registration answered ${registered.status}: ${registered.text}`);
  return registered.json as ConfidentialClient;
}

function basic(client: ConfidentialClient): string {
  // RFC 6749 §2.3.1: form-encode each part before joining them.
  const part = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${btoa(`${part(client.client_id)}:${part(client.client_secret)}`)}`;
}

function postForm(url: string, client: ConfidentialClient, fields: Record<string, string>): Promise<Answer> {
  return send(url, {
    method: 'POST',
    headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

export function tokenRequest(endpoints: Endpoints, client: ConfidentialClient, fields: Record<string, string>): Promise<Answer> {
  return postForm(endpoints.token_endpoint, client, fields);
}

export function introspect(endpoints: Endpoints, client: ConfidentialClient, token: string): Promise<Answer> {
  return postForm(endpoints.introspection_endpoint, client, { token });
}
