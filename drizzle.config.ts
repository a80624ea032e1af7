import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: ['./schema/people.ts', './schema/credentials.ts', './schema/clients.ts', './schema/audit.ts', './schema/person-index.ts', './schema/signing-keys.ts', './schema/backchannel-outbox.ts'],
  out: './schema/migrations',
});
