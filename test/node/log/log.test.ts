// src/log.ts and the request log line of src/http/middleware.ts: one JSON object
// a line, filtered by LOG_LEVEL, secret-looking fields masked, no query strings.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../../src/http/context.ts';
import { renderError } from '../../../src/http/errors.ts';
import { requestContext } from '../../../src/http/middleware.ts';
import { createLogger, redact, type LogLevel } from '../../../src/log.ts';
import type { Ports } from '../../../src/ports.ts';

function capture(level?: LogLevel, base?: Record<string, unknown>) {
  const lines: string[] = [];
  const log = createLogger((line) => lines.push(line), { level, base });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger: one JSON object a line', () => {
  it('writes time (ISO 8601), level, msg, the base fields and the caller fields', () => {
    const { log, lines, parsed } = capture('info', { service: 'idp' });
    const before = Date.now();
    log.info('request', { requestId: 'r-1', status: 200 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    const [line] = parsed();
    expect(line).toEqual({ time: expect.any(String), level: 'info', msg: 'request', service: 'idp', requestId: 'r-1', status: 200 });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
    expect(Date.parse(line!.time as string)).toBeGreaterThanOrEqual(before - 1);
  });

  it('keeps a line one line when a message or field holds newlines (no log injection)', () => {
    const { log, lines, parsed } = capture();
    log.error('broken\n{"level":"info","msg":"forged"}', { error: 'line one\nline two' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.split('\n')).toHaveLength(1);
    expect(parsed()[0]).toMatchObject({ level: 'error', msg: 'broken\n{"level":"info","msg":"forged"}', error: 'line one\nline two' });
  });

  it('lets no field forge time, level or msg', () => {
    const { log, parsed } = capture();
    log.info('real', { level: 'error', msg: 'forged', time: 'yesterday', other: 1 });
    expect(parsed()[0]).toEqual({ time: expect.stringMatching(/^\d{4}-/), level: 'info', msg: 'real', other: 1 });
  });

  it('masks secret-looking names inside nested fields too, and keeps dates', () => {
    const { log, parsed } = capture();
    const at = new Date('2026-12-06T00:00:00Z');
    log.info('audit', { details: { client_secret: 'S', scope: 'openid', items: [{ refresh_token: 'R' }] }, at });
    expect(parsed()[0]).toMatchObject({
      details: { client_secret: '[redacted]', scope: 'openid', items: [{ refresh_token: '[redacted]' }] },
      at: '2026-12-06T00:00:00.000Z',
    });
  });

  it('writes to console.log by default', () => {
    const original = console.log;
    const seen: unknown[] = [];
    console.log = (...args: unknown[]) => void seen.push(...args);
    try {
      createLogger().warn('to the console');
    } finally {
      console.log = original;
    }
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0] as string)).toMatchObject({ level: 'warn', msg: 'to the console' });
  });
});

describe('LOG_LEVEL filtering (README "Configuration")', () => {
  it.each([
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    [undefined, ['info', 'warn', 'error']],
  ] as const)('at level %s writes %j', (level, written) => {
    const { log, parsed } = capture(level);
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(parsed().map((l) => l.level)).toEqual(written);
  });
});

describe('redaction of fields whose names look secret', () => {
  it.each([
    'client_secret', 'secret', 'access_token', 'refresh_token', 'id_token', 'registration_access_token', 'adminToken',
    'password', 'newPassword', 'authorization', 'Authorization', 'cookie', 'Set-Cookie', 'code_verifier', 'client_assertion', 'code',
  ])('masks %s', (name) => {
    const { log, lines, parsed } = capture();
    log.info('event', { [name]: 'S3CRET-value', requestId: 'r-2' });
    expect(lines[0]).not.toContain('S3CRET-value');
    expect(parsed()[0]).toMatchObject({ [name]: '[redacted]', requestId: 'r-2' });
  });

  it.each(['code_challenge', 'state', 'client_id', 'requestId', 'path', 'personId', 'error'])('keeps %s, which is not secret', (name) => {
    expect(redact({ [name]: 'visible' })).toEqual({ [name]: 'visible' });
  });

  it('does not change the fields object it was given', () => {
    const fields = { password: 'hunter2', status: 401 };
    expect(redact(fields)).toEqual({ password: '[redacted]', status: 401 });
    expect(fields.password).toBe('hunter2');
  });
});

/** The middleware stack of src/app.ts in front of a few routes, logging into `lines`. */
function appLogging(lines: string[]) {
  const log = createLogger((line) => lines.push(line), { level: 'info' });
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('ports', { log, config: { issuer: 'http://localhost:8787' } } as unknown as Ports);
    await next();
  });
  app.use('*', requestContext);
  app.get('/authorize', (c) => c.redirect('/signin?interaction=abc', 302));
  app.get('/enrol/:code', (c) => c.text('enrol'));
  app.post('/enrol/:code/finish', (c) => c.text('done'));
  app.get('/boom', () => {
    throw new Error('database exploded');
  });
  app.onError(renderError);
  return app;
}

const request = (app: Hono<AppEnv>, path: string, init: RequestInit = {}) => app.request(`http://localhost:8787${path}`, init);

describe('the request log line (src/http/middleware.ts)', () => {
  it('logs method, path without the query, status, duration and the request id the response carries', async () => {
    const lines: string[] = [];
    const query = 'response_type=code&client_id=c1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&state=xyz-state';
    const res = await request(appLogging(lines), `/authorize?${query}`);
    expect(res.status).toBe(302);
    const requestId = res.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: expect.any(String), level: 'info', msg: 'request', requestId, method: 'GET', path: '/authorize', status: 302, ms: expect.any(Number),
    });
    for (const secret of ['code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'xyz-state', '?']) expect(lines[0]).not.toContain(secret);
  });

  it('keeps a well-formed incoming X-Request-Id and replaces one that could forge log text', async () => {
    const lines: string[] = [];
    const app = appLogging(lines);
    const kept = await request(app, '/authorize', { headers: { 'x-request-id': 'edge-123.abc_DEF' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-123.abc_DEF');
    const forged = await request(app, '/authorize', { headers: { 'x-request-id': 'a"b,"level":"error' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const tooLong = await request(app, '/authorize', { headers: { 'x-request-id': 'a'.repeat(65) } });
    expect(tooLong.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.map((l) => JSON.parse(l).requestId)).toEqual([
      'edge-123.abc_DEF', forged.headers.get('x-request-id'), tooLong.headers.get('x-request-id'),
    ]);
    expect(lines.join('\n')).not.toContain('"level":"error"');
  });

  it('logs an enrolment path without its invitation code', async () => {
    const lines: string[] = [];
    const app = appLogging(lines);
    const code = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWpr';
    expect((await request(app, `/enrol/${code}?from=email`)).status).toBe(200);
    expect((await request(app, `/enrol/${code}/finish`, { method: 'POST' })).status).toBe(200);
    expect(lines.map((l) => JSON.parse(l).path)).toEqual(['/enrol/[code]', '/enrol/[code]/finish']);
    expect(lines.join('\n')).not.toContain(code);
  });

  it('logs an unhandled error with the request id but without the query, and answers a generic 500', async () => {
    const lines: string[] = [];
    const res = await request(appLogging(lines), '/boom?token=abc123secret', { headers: { 'x-request-id': 'req-boom' } });
    expect(res.status).toBe(500);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toEqual({ error: 'server_error', error_description: 'internal error (request req-boom)' });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.map((l) => [l.level, l.msg, l.requestId])).toEqual([
      ['error', 'unhandled error', 'req-boom'],
      ['info', 'request', 'req-boom'],
    ]);
    expect(logged[0]).toMatchObject({ error: 'Error: database exploded', stack: expect.stringContaining('database exploded') });
    expect(logged[1]).toMatchObject({ path: '/boom', status: 500 });
    expect(lines.join('\n')).not.toContain('abc123secret');
  });
});
