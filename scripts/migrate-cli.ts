// Applies the migrations to LIBSQL_URL (e.g. a Turso database before deploying).
import { applyMigrations } from './migrate.ts';

const url = process.env.LIBSQL_URL;
if (!url) {
  console.error('migrate: LIBSQL_URL is required');
  process.exit(1);
}
try {
  await applyMigrations(url, process.env.LIBSQL_AUTH_TOKEN);
  console.log('migrate: the schema is up to date');
} catch (err) {
  console.error(`migrate: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
