// The generated config as workerd itself reads it: the one real check that the
// schema names (enableSql, localDisk, fromEnvironment, Network.allow) are right.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWorkerd, type ServedWorker } from '../../../bench/serve-workerd.ts';

const WORKER = `
import { DurableObject } from 'cloudflare:workers';
export class Counter extends DurableObject {
  fetch() {
    const sql = this.ctx.storage.sql;
    sql.exec('CREATE TABLE IF NOT EXISTS hits (n INTEGER)');
    sql.exec('INSERT INTO hits VALUES (1)');
    return new Response(String(sql.exec('SELECT count(*) AS c FROM hits').one().c));
  }
}
export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === '/object') return env.COUNTER.get(env.COUNTER.idFromName('one')).fetch(request);
    if (path === '/upstream') {
      try {
        return new Response(await (await fetch(env.UPSTREAM)).text());
      } catch (err) {
        return new Response(String(err), { status: 502 });
      }
    }
    return Response.json({ secret: env.SECRET, note: env.NOTE });
  },
};
`;

describe.runIf(process.platform === 'linux')('a generated config under workerd serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-workerd-test-'));
  let upstream: Server;
  let upstreamUrl: string;
  const served: ServedWorker[] = [];
  let open: ServedWorker;

  async function serve(name: string, outboundAllow?: string[]): Promise<ServedWorker> {
    const configDir = join(dir, name);
    mkdirSync(join(configDir, 'objects'), { recursive: true });
    const worker = await serveWorkerd({
      configDir,
      config: {
        bundleDir: join(dir, 'bundle'),
        modules: [{ name: 'worker.js', type: 'esModule' }],
        compatibilityDate: '2026-04-20',
        compatibilityFlags: ['nodejs_compat'],
        address: '127.0.0.1:0',
        vars: { UPSTREAM: upstreamUrl, NOTE: 'a "quoted" note' },
        secrets: ['SECRET'],
        durableObjects: [{ binding: 'COUNTER', className: 'Counter', sql: true }],
        durableObjectDir: join(configDir, 'objects'),
        outboundAllow,
      },
      secretValues: { SECRET: 'from-the-environment' },
    });
    served.push(worker);
    return worker;
  }

  beforeAll(async () => {
    mkdirSync(join(dir, 'bundle'));
    writeFileSync(join(dir, 'bundle', 'worker.js'), WORKER);
    upstream = createServer((_req, res) => res.end('upstream says hello'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
    open = await serve('plain', ['public', 'private', 'local']);
  });

  afterAll(async () => {
    for (const w of served) await w.stop();
    upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the module with its text bindings, and a secret from the environment only', async () => {
    expect(open.pids).toHaveLength(1);
    expect(await (await fetch(open.url)).json()).toEqual({ secret: 'from-the-environment', note: 'a "quoted" note' });
    expect(readFileSync(join(dir, 'plain', 'workerd.capnp'), 'utf8')).not.toContain('from-the-environment');
  });

  it('keeps a SQLite-backed Durable Object’s rows in its directory on disk', async () => {
    expect(await (await fetch(`${open.url}/object`)).text()).toBe('1');
    expect(await (await fetch(`${open.url}/object`)).text()).toBe('2');
    expect(readdirSync(join(dir, 'plain', 'objects', 'bench-Counter')).some((f) => f.endsWith('.sqlite'))).toBe(true);
  });

  it('reaches a server on loopback only when the outbound network allows local addresses', async () => {
    expect(await (await fetch(`${open.url}/upstream`)).text()).toBe('upstream says hello');
    const closed = await serve('public-only');
    const refused = await fetch(`${closed.url}/upstream`);
    expect(refused.status).toBe(502);
  });
});
