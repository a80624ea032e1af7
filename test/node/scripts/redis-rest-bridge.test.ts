// The Upstash REST bridge in front of a real redis-server, driven by
// @upstash/redis itself (as the Worker drives Upstash), plus raw HTTP where the
// client does not reach: the status codes, the encoding, refused input.
import { request } from 'node:http';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../../scripts/redis-rest-bridge/redis-server.ts';
import { startRedisRestBridge, type RedisRestBridge } from '../../../scripts/redis-rest-bridge/server.ts';
import { freePort } from '../../../scripts/free-port.ts';

const TOKEN = 'bridge-test-token-0123456789';
const MAX_BODY = 64 * 1024;
let redisServer: RedisServer;
let bridge: RedisRestBridge;

function client(options: { token?: string; raw?: boolean } = {}): Redis {
  return new Redis({
    url: bridge.url,
    token: options.token ?? TOKEN,
    enableTelemetry: false,
    retry: false,
    automaticDeserialization: !options.raw,
  });
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${bridge.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> | Record<string, unknown>[] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  redisServer = await startRedisServer();
  bridge = await startRedisRestBridge({ redis: redisServer, token: TOKEN, maxBodyBytes: MAX_BODY });
});

afterAll(async () => {
  await bridge?.close();
  await redisServer?.stop();
});

describe('commands through @upstash/redis', () => {
  it('stores and reads strings and numbers', async () => {
    const redis = client();
    expect(await redis.set('s:greeting', 'hello')).toBe('OK');
    expect(await redis.get('s:greeting')).toBe('hello');
    expect(await redis.set('s:n', 41)).toBe('OK');
    expect(await redis.incr('s:n')).toBe(42);
    expect(await redis.get('s:n')).toBe(42);
    expect(await redis.get('s:absent')).toBeNull();
    expect(await redis.mget('s:greeting', 's:absent', 's:n')).toEqual(['hello', null, 42]);
  });

  it('sets only when absent (NX) and expires at an absolute time (PXAT)', async () => {
    const redis = client();
    const at = Date.now() + 300;
    expect(await redis.set('nx:key', '1', { nx: true, pxat: at })).toBe('OK');
    expect(await redis.set('nx:key', '1', { nx: true, pxat: at })).toBeNull();
    expect(await redis.pttl('nx:key')).toBeGreaterThan(0);
    await sleep(400);
    expect(await redis.exists('nx:key')).toBe(0);
    expect(await redis.set('nx:key', '1', { nx: true, pxat: Date.now() + 10_000 })).toBe('OK');
  });

  it('runs Lua scripts with keys and arguments, and reports their errors', async () => {
    const redis = client();
    expect(await redis.eval('return {KEYS[1], ARGV[1], 7, false}', ['lua:k'], ['v'])).toEqual(['lua:k', 'v', 7, null]);
    expect(await redis.createScript<number>("return redis.call('incrby', KEYS[1], ARGV[1])").exec(['lua:n'], ['5'])).toBe(5);
    await expect(redis.eval("return redis.error_reply('ERR nope')", [], [])).rejects.toThrow(/nope/);
  });

  it('runs pipelines, each command answering on its own', async () => {
    const redis = client();
    const results = await redis.pipeline().set('p:a', 'x').incr('p:n').get('p:a').hget('p:a', 'field').exec({ keepErrors: true });
    expect(results.map((r) => r.result)).toEqual(['OK', 1, 'x', undefined]);
    expect(results[3]!.error).toMatch(/WRONGTYPE/);
  });

  it('runs transactions atomically (multi-exec)', async () => {
    const redis = client();
    expect(await redis.multi().set('m:a', 'v').incr('m:n').incr('m:n').get('m:a').exec()).toEqual(['OK', 1, 2, 'v']);
    // A command that fails while running leaves the others applied, as in Redis.
    const results = await redis.multi().incr('m:a').set('m:b', 'w').exec({ keepErrors: true });
    expect(results[0]!.error).toMatch(/not an integer/);
    expect(results[1]!.result).toBe('OK');
    // One Redis refuses to queue aborts the whole transaction.
    const refused = await post('/multi-exec', [['set', 'm:c', '1'], ['nosuchcommand']]);
    expect(refused.status).toBe(400);
    expect((refused.body as { error: string }).error).toMatch(/unknown command/);
    expect(await redis.exists('m:c')).toBe(0);
  });

  it('keeps unicode and binary-ish values byte for byte', async () => {
    const redis = client({ raw: true });
    const values = ['é ü 漢字 🎉', '\u0000\u0001\u007f tab\t nl\n', 'OK', '{"looks":"like json"}', '', 'x'.repeat(10_000)];
    for (const [i, value] of values.entries()) {
      await redis.set(`bin:${i}:ключ`, value);
      expect(await redis.get(`bin:${i}:ключ`)).toBe(value);
    }
  });

  it('serves concurrent requests on separate connections', async () => {
    const redis = client();
    await Promise.all(Array.from({ length: 50 }, () => redis.incr('c:n')));
    expect(await redis.get('c:n')).toBe(50);
  });
});

describe('the HTTP surface', () => {
  it('base64-encodes every string of a result when asked, and only then', async () => {
    await post('/', ['set', 'enc:k', 'é']);
    expect((await post('/', ['get', 'enc:k'], { 'upstash-encoding': 'base64' })).body).toEqual({ result: Buffer.from('é').toString('base64') });
    expect((await post('/', ['set', 'enc:k', 'é'], { 'upstash-encoding': 'base64' })).body).toEqual({ result: 'T0s=' });
    expect((await post('/', ['get', 'enc:k'])).body).toEqual({ result: 'é' });
    expect((await post('/', ['incr', 'enc:n'], { 'upstash-encoding': 'base64' })).body).toEqual({ result: 1 });
    expect((await post('/', ['get', 'enc:absent'], { 'upstash-encoding': 'base64' })).body).toEqual({ result: null });
  });

  it('refuses a wrong or missing token with 401', async () => {
    await expect(client({ token: 'wrong-token' }).get('x')).rejects.toThrow(/Unauthorized/);
    expect((await post('/', ['get', 'x'], { authorization: 'Bearer wrong-token' })).status).toBe(401);
    expect((await post('/', ['get', 'x'], { authorization: '' })).status).toBe(401);
    expect((await post('/', ['get', 'x'], { authorization: `Basic ${TOKEN}` })).status).toBe(401);
  });

  it('answers a bad command with an error and keeps serving', async () => {
    expect(await post('/', ['nosuchcommand', 'x'])).toEqual({ status: 400, body: { error: expect.stringMatching(/unknown command/) } });
    expect((await post('/', ['get'])).status).toBe(400);
    for (const bad of ['not json', '{}', '[]', '[null]', '[["get","x"]]', '[{"a":1}]', '["subscribe","ch"]', '["client","reply","off"]']) {
      const answer = await post('/', bad);
      expect(answer.status, bad).toBe(400);
      expect((answer.body as { error: string }).error, bad).toMatch(/^ERR/);
    }
    expect((await post('/pipeline', [])).status).toBe(400);
    expect((await post('/pipeline', ['get', 'x'])).status).toBe(400);
    expect(await client().set('still:alive', 'yes')).toBe('OK');
  });

  it('refuses bodies over the limit with 413, announced or streamed', async () => {
    const big = await post('/', ['set', 'big', 'x'.repeat(MAX_BODY)]);
    expect(big.status).toBe(413);
    await expect(client().set('big', 'x'.repeat(MAX_BODY))).rejects.toThrow(/exceeds/);
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(`${bridge.url}/`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write('x'.repeat(MAX_BODY / 4));
      req.end();
    });
    expect(streamed).toBe(413);
    expect(await client().exists('big')).toBe(0);
  });

  it('answers 404 off its paths and 405 for other methods', async () => {
    expect((await post('/get/x', ['get', 'x'])).status).toBe(404);
    expect((await fetch(`${bridge.url}/`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
  });

  it('answers 503 while Redis is down, and serves again once it is back', async () => {
    let redis = await startRedisServer();
    const own = await startRedisRestBridge({ redis, token: TOKEN });
    const get = () => fetch(`${own.url}/`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '["get","x"]' });
    try {
      expect((await get()).status).toBe(200);
      await redis.stop();
      const down = await get();
      expect(down.status).toBe(503);
      expect(((await down.json()) as { error: string }).error).toMatch(/unavailable/);
      redis = await startRedisServer(redis.port);
      expect(await (await get()).json()).toEqual({ result: null });
    } finally {
      await own.close();
      await redis.stop();
    }
  });

  it('answers 503 when Redis was never there', async () => {
    const orphan = await startRedisRestBridge({ redis: { host: '127.0.0.1', port: await freePort() }, token: TOKEN });
    try {
      const res = await fetch(`${orphan.url}/`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '["get","x"]' });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: string }).error).toMatch(/unavailable/);
    } finally {
      await orphan.close();
    }
  });
});
