// GET /healthz: 200 once storage answers, 503 naming what does not.
import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { AppEnv } from './http/context.ts';
import { SERVICE } from './paths.ts';

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes = new Hono<AppEnv>()
  .get(SERVICE.health, async (c) => {
    const { db, keys, config } = c.var.ports;
    const checks: [string, () => Promise<unknown>][] = [
      ['directory database', () => db.run(sql`select 1`)],
      ['key store', () => keys.jwks()],
    ];
    for (const [name, check] of checks) {
      try {
        await within(config.dbTimeoutMs, check());
      } catch {
        return c.json({ status: 'unavailable', reason: `${name} does not answer` }, 503, { 'Cache-Control': 'no-store' });
      }
    }
    return c.json({ status: 'ok' }, 200, { 'Cache-Control': 'no-store' });
  });
