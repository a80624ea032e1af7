// One way to create and evolve a Durable Object's SQLite schema: numbered
// steps, each applied once, in order, in one transaction with the version bump.
// PRAGMA user_version is not authorised in Durable Objects (SQLITE_AUTH), so the
// version is a synchronous KV entry; deleteAll() clears it with the tables.
const VERSION_KEY = 'schema_version';

/** A step: SQL statements, or a function for what SQL alone cannot do. */
export type SchemaStep = readonly string[] | ((storage: DurableObjectStorage) => void);

export function schemaVersion(storage: DurableObjectStorage): number {
  return storage.kv.get<number>(VERSION_KEY) ?? 0;
}

/** Brings the schema to `steps.length`; a version newer than the code knows is refused. */
export function migrateSchema(storage: DurableObjectStorage, steps: readonly SchemaStep[]): void {
  const version = schemaVersion(storage);
  if (version === steps.length) return;
  if (version > steps.length) throw new Error(`stored schema version ${version} is newer than this code (${steps.length})`);
  storage.transactionSync(() => {
    for (const step of steps.slice(version)) {
      if (typeof step === 'function') step(storage);
      else for (const statement of step) storage.sql.exec(statement);
    }
    storage.kv.put(VERSION_KEY, steps.length);
  });
}
