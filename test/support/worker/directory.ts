// Direct access to the directory database from workerd tests, to check what
// was stored (hashes, audit rows) rather than only what was answered.
import { env } from 'cloudflare:test';
import { readConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/directory/database.ts';
import type { Database } from '../../../src/ports.ts';

let db: Database | undefined;

export function testDatabase(): Database {
  db ??= createDatabase(readConfig(env as unknown as Record<string, unknown>));
  return db;
}
