// Vitest global setup for the workerd tests: a real local libSQL server on a
// free port over a temporary file, migrated, its URL handed to the Worker.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLibsqlServer } from '../../../scripts/libsql-server/server.ts';
import { applyMigrations } from '../../../scripts/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    libsqlUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'wi-worker-test-'));
  const server = await startLibsqlServer({ file: join(dir, 'directory.db'), port: 0 });
  await applyMigrations(server.url);
  project.provide('libsqlUrl', server.url);
  return async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
