// Applies the drizzle-kit migrations in schema/migrations to a libSQL server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../schema/migrations', import.meta.url));

/** A server that accepts the connection and never answers must not stall start-up. */
const MIGRATION_ROUND_TRIP_TIMEOUT_MS = 10_000;

export class MigrationError extends Error {}

/** The migrations' names, oldest first, from drizzle-kit's journal. */
function migrationTags(): string[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  return journal.entries.map((e) => e.tag);
}

/** How many migrations drizzle has recorded as applied (0 before the first). */
async function appliedCount(client: Client): Promise<number> {
  try {
    const result = await client.execute('SELECT count(*) AS n FROM __drizzle_migrations');
    return Number(result.rows[0]?.n ?? 0);
  } catch (err) {
    if (/no such table/i.test(describeCause(err))) return 0;
    throw err;
  }
}

function describeCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const inner = err.cause instanceof Error ? err.cause : err;
  const deeper = inner.cause instanceof Error ? ` (${inner.cause.message})` : '';
  return `${inner.message}${deeper}`;
}

export async function applyMigrations(url: string, authToken?: string, timeoutMs = MIGRATION_ROUND_TRIP_TIMEOUT_MS): Promise<void> {
  const deadlineFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const client = createClient({ url, authToken, fetch: deadlineFetch });
  let applied = 0;
  try {
    // Asked first, so a failure can name what was pending without another round trip.
    applied = await appliedCount(client);
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (err) {
    const pending = migrationTags().slice(applied);
    const which = pending.length > 0 ? `migrations ${pending.join(', ')}` : 'migrations';
    throw new MigrationError(
      `applying ${which} from ${MIGRATIONS_FOLDER} to ${url} failed: ${describeCause(err)}. ` +
        'Nothing was applied (they run as one batch). Point LIBSQL_URL at an empty database or one this version migrated, ' +
        'and check that the server is a libSQL server that answers (and LIBSQL_AUTH_TOKEN, if it needs one).',
    );
  } finally {
    client.close();
  }
}
