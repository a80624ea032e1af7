// The bad-input fuzz's harness: builds requests from generated parts, sends them
// through the real Worker entry (SELF.fetch) or the same app in-process (much
// faster), checks every answer for a 5xx, leaked internals and the error shape
// of its RFC, and checks afterwards that the service still works.
import { SELF } from 'cloudflare:test';
import fc from 'fast-check';
import { jwtVerify } from 'jose';
import { expect, inject } from 'vitest';
import { MARKUP_PROBE } from './fuzz-inputs.ts';
import { extraHeaders, type HeaderList } from './fuzz-headers.ts';
import { basicAuthorization } from './client-auth.ts';
import { registerClient, type RegisteredClient } from './clients.ts';
import { issuer } from './requests.ts';
import { publishedKeys } from './tokens.ts';
import { testApp, type TestApp } from './test-app.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** FUZZ_RUNS: how many times the CI number of cases each property runs. */
    fuzzRuns: string;
    /** FUZZ_SEED: replays a run fast-check reported. */
    fuzzSeed: string;
  }
}

/** How a request to one endpoint answers errors. */
export interface Surface {
  /** 'oauth': RFC 6749 JSON; 'scim': RFC 7644 §3.12; 'page': an HTML page (405, 413, 429 answer JSON). */
  shape: 'oauth' | 'scim' | 'page';
  /** 401 carries an RFC 6750 Bearer challenge, or for client authentication invalid_client (RFC 6749 §5.2). */
  challenge?: 'bearer' | 'client';
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: HeaderList;
  body?: string;
  /** Through the Worker entry and its bindings (SELF.fetch), else the same app in-process. */
  viaWorker: boolean;
}

/** The CI number of cases times FUZZ_RUNS (default 1). */
export function fuzzRuns(ciRuns: number): number {
  const factor = Number(inject('fuzzRuns') || 1);
  return Math.max(1, Math.round(ciRuns * (Number.isFinite(factor) && factor > 0 ? factor : 1)));
}

/** A test timeout that grows with FUZZ_RUNS. */
export const fuzzTimeout = (ciRuns: number) => 60_000 + fuzzRuns(ciRuns) * 100;

/** One case in five goes through the Worker entry, as production runs it; the rest through the same app in-process, which is much faster. */
const viaWorker = fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

// A few client addresses, so rate limits count apart from other test files without
// a Durable Object per case: workerd slows to seconds a request once a run has
// created thousands of rate-limiter objects (one per address).
const address = fc.constantFrom('192.0.2.1', '192.0.2.2', '198.51.100.7', '2001:db8::1', '2001:db8:0:1::1', '203.0.113.9');

/** Request parts from generators, with the stray headers and a client address. */
export function fuzzRequest(parts: {
  method: fc.Arbitrary<string>;
  path: fc.Arbitrary<string>;
  headers: fc.Arbitrary<HeaderList>;
  body?: fc.Arbitrary<string | undefined>;
}): fc.Arbitrary<FuzzRequest> {
  const stray = fc.oneof({ weight: 3, arbitrary: fc.constant<HeaderList>([]) }, { weight: 1, arbitrary: extraHeaders });
  return fc
    .record({ method: parts.method, path: parts.path, headers: parts.headers, stray, address, body: parts.body ?? fc.constant(undefined), viaWorker })
    .map(({ method, path, headers, stray, address, body, viaWorker }) => ({
      method,
      path,
      headers: [['cf-connecting-ip', address], ...headers, ...stray],
      body: method === 'GET' || method === 'HEAD' ? undefined : body,
      viaWorker,
    }));
}

/** Headers from optional values: an undefined value is left out. */
export function headerList(values: Record<string, string | undefined>): HeaderList {
  return Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined);
}

const SCIM_ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

let app: TestApp | undefined;

/** A fuzz case's answer, read in full. */
export interface Answer {
  res: Response;
  body: string;
}

/**
 * The request as SELF.fetch may carry it. Over HTTP the server frames the body by
 * Content-Length, so a wrong one cannot reach the app as such; through the
 * binding a Content-Length that disagrees with the body crashes workerd
 * (segfault, workerd 1.20260426) or leaves it waiting, so the runtime sets it.
 */
function forWorkerBinding(request: Request): Request {
  if (!request.headers.has('content-length')) return request;
  const copy = new Request(request);
  copy.headers.delete('content-length');
  return copy;
}

// Nothing may hang: an answer, body included, comes within this time or the case fails.
const ANSWER_WITHIN_MS = 15_000;

export async function send(req: FuzzRequest): Promise<Answer> {
  const headers = new Headers();
  for (const [name, value] of req.headers) headers.append(name, value);
  // Appended, not resolved: a path like //x must not become a request to host x.
  // redirect: manual, as SELF.fetch would otherwise follow a redirect to the client back into this Worker.
  const request = new Request(`${issuer}${req.path}`, { method: req.method, headers, body: req.body, redirect: 'manual' });
  app ??= testApp();
  const target = app;
  const exchange = async () => {
    const res = await (req.viaWorker ? SELF.fetch(forWorkerBinding(request)) : target.fetch(request));
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    return { res, body: await res.text() };
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms: ${describeRequest(req)}`)), ANSWER_WITHIN_MS);
  });
  try {
    return await Promise.race([exchange(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Internals an answer must never show, whatever the input.
const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\n\s+at |\bat (?:async )?\S*\s?\(?(?:file:\/\/|\/)[^)\s]*:\d+:\d+/],
  ['an exception name', /\b(?:Type|Range|Syntax|Reference|Eval|URI|Zod|Libsql|Drizzle|Aggregate)Error\b/],
  // A page title may start "Error: " (the NHS service manual's pattern for a form with errors).
  ['an "Error:" prefix', /(?:^|[\s"']|(?<!<title)>)Error: /],
  ['a source path', /[/\\](?:src|workers|node_modules|schema)[/\\][\w./-]+\.(?:ts|tsx|js|mjs)\b|file:\/\//],
  ['SQL or the database', /SQLITE|SQL logic error|no such (?:table|column)|Failed query|\bselect\s+["\w*, ]+\s+from\s+"/i],
];

const describeRequest = (req: FuzzRequest) =>
  `${req.viaWorker ? 'SELF' : 'app'} ${req.method} ${req.path.slice(0, 200)} ${JSON.stringify(req.headers).slice(0, 300)} ${JSON.stringify(req.body ?? '').slice(0, 300)}`;

const describe = (req: FuzzRequest, { res, body }: Answer) => `${describeRequest(req)} → ${res.status} ${body.slice(0, 300)}`;

/** Everything an answer to bad input must be: no 5xx, nothing internal, the error shape of its RFC. */
export function expectSafeAnswer(req: FuzzRequest, answer: Answer, surface: Surface): void {
  const { res, body } = answer;
  const what = describe(req, answer);
  expect(res.status, what).toBeLessThan(500);
  for (const [leak, pattern] of LEAKS) expect(pattern.test(body), `${leak} in ${what}`).toBe(false);
  expect(res.headers.get('x-request-id'), what).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('text/html')) expect(body.includes(MARKUP_PROBE), `unescaped markup in ${what}`).toBe(false);
  if (res.status === 405) expect(res.headers.get('allow'), what).toBeTruthy();
  if (res.status === 429) expect(Number(res.headers.get('retry-after')), what).toBeGreaterThan(0);
  if (res.status >= 300 && res.status < 400 && res.status !== 304) expect(res.headers.get('location'), what).toBeTruthy();
  if (res.status < 400 || req.method === 'HEAD') return;
  const shape = surface.shape === 'page' && [405, 413, 429].includes(res.status) ? 'oauth' : surface.shape;
  if (shape === 'page') {
    expect(type, what).toMatch(/^text\/html/);
    expect(body, what).toMatch(/^<!DOCTYPE html>/i);
    return;
  }
  const json = JSON.parse(body) as Record<string, unknown>;
  if (shape === 'scim') {
    expect(type, what).toMatch(/^application\/scim\+json/);
    expect(json.schemas, what).toEqual([SCIM_ERROR_URN]);
    expect(json.status, what).toBe(String(res.status));
    expect(typeof json.detail, what).toBe('string');
  } else {
    expect(type, what).toMatch(/^application\/json/);
    expect(json.error, what).toMatch(/^[a-z_]+$/);
    expect(typeof json.error_description, what).toBe('string');
  }
  if (res.status === 401 && (surface.challenge === 'bearer' || shape === 'scim')) {
    expect(res.headers.get('www-authenticate'), what).toMatch(/^Bearer\b/);
  }
  if (res.status === 401 && surface.challenge === 'client') {
    expect(json.error, what).toBe('invalid_client');
    const triedBasic = req.headers.some(([n, v]) => n === 'authorization' && /^\s*basic(\s|$)/i.test(v));
    if (triedBasic) expect(res.headers.get('www-authenticate'), what).toMatch(/^Basic\b/);
  }
}

let healthClient: Promise<RegisteredClient> | undefined;

/** After a property: discovery answers, and a real client_credentials request gets a token that verifies. */
export async function expectServiceHealthy(): Promise<void> {
  healthClient ??= registerClient({ client_name: 'Fuzz health check', grant_types: ['client_credentials'], scope: 'fuzz:check' });
  const client = await healthClient;
  const discovery = await SELF.fetch(new URL('/.well-known/openid-configuration', issuer));
  expect(discovery.status).toBe(200);
  const metadata = (await discovery.json()) as { issuer: string; token_endpoint: string };
  expect(metadata.issuer).toBe(issuer);
  const res = await SELF.fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: { authorization: basicAuthorization(client.client_id, client.client_secret!), 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const { access_token: token } = (await res.json()) as { access_token: string };
  const { payload } = await jwtVerify(token, await publishedKeys(), { issuer, typ: 'at+jwt' });
  expect(payload.client_id).toBe(client.client_id);
}

/** Runs `property` for fuzzRuns(ciRuns) cases (FUZZ_SEED replays one run), then checks the service is healthy. */
// How often each status answered in the current property, so a run shows how deep its cases got.
const statuses = new Map<number, number>();

/**
 * Runs `property` for fuzzRuns(ciRuns) cases (FUZZ_SEED replays one run), then
 * checks the service is healthy. A fuzz whose cases never got past validation
 * proves little, so at least `minSuccessShare` of the answers must be below 400.
 */
export async function checkProperty<T>(property: fc.IAsyncPropertyWithHooks<T>, ciRuns: number, minSuccessShare = 0.02): Promise<void> {
  const seed = inject('fuzzSeed');
  statuses.clear();
  await fc.assert(property, { numRuns: fuzzRuns(ciRuns), ...(seed ? { seed: Number(seed) } : {}) });
  const tally = [...statuses].sort(([a], [b]) => a - b);
  const total = tally.reduce((n, [, count]) => n + count, 0);
  const succeeded = tally.filter(([status]) => status < 400).reduce((n, [, count]) => n + count, 0);
  console.log(`fuzz: ${total} requests; by status ${tally.map(([status, count]) => `${status}×${count}`).join(' ')}`);
  expect(succeeded / total, 'share of answers below 400').toBeGreaterThanOrEqual(minSuccessShare);
  await expectServiceHealthy();
}
