// The directory's libSQL connection over HTTP (the same protocol to Turso, sqld or
// the local server), with a deadline on every round trip so a dead database
// yields a 503 rather than a hung request.
import { createClient } from '@libsql/client/web';
import { drizzle } from 'drizzle-orm/libsql/web';
import * as schema from '../../schema/index.ts';
import type { Config } from '../config.ts';
import { UnavailableError } from '../errors.ts';
import type { Database } from '../ports.ts';

export function createDatabase(config: Config, baseFetch: typeof fetch = fetch): Database {
  const deadlineFetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    let response: Response;
    try {
      response = await baseFetch(input, { ...init, signal: AbortSignal.timeout(config.dbTimeoutMs) });
    } catch (cause) {
      throw new UnavailableError('the directory database', { cause });
    }
    // A 5xx is the server (or a proxy before it) failing or shutting down, not
    // our statement: sqld and the local server answer SQL errors with 4xx or an
    // error result. Its body is read so the connection can be reused.
    if (response.status >= 500) {
      const detail = await response.text().catch(() => '');
      throw new UnavailableError('the directory database', { cause: new Error(`HTTP ${response.status}: ${detail.slice(0, 200)}`) });
    }
    return response;
  };
  const url = config.libsql.url.replace(/^libsql:/, 'https:');
  const client = createClient({
    url,
    authToken: config.libsql.authToken,
    fetch: deadlineFetch as typeof fetch,
    intMode: 'number',
    // The client's default queue (20 slots, `concurrency || 20`) resumes a queued
    // query from another request's context, which workerd cancels, and the slot
    // is never freed: after a burst every query hangs. Each request awaits its
    // own fetch instead; the deadline above bounds them.
    concurrency: Number.MAX_SAFE_INTEGER,
  });
  return drizzle(client, { schema }) as unknown as Database;
}
