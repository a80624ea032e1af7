// Secrets for the local stack: generated once, kept in DATA_DIR (mode 0600), so
// tokens and encrypted keys stay valid across restarts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export interface LocalSecrets {
  adminToken: string;
  keyEncryptionSecret: string;
  libsqlAuthToken: string;
  demoCookieSecret: string;
  /** The local Upstash REST bridge's token (npm run start:deno). */
  redisRestToken: string;
}

const NAMES: (keyof LocalSecrets)[] = ['adminToken', 'keyEncryptionSecret', 'libsqlAuthToken', 'demoCookieSecret', 'redisRestToken'];

export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, 'secrets.json');
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {};
  // Only what is missing is generated: replacing a kept secret would strand the data it protects.
  const missing = NAMES.filter((name) => !saved[name]);
  for (const name of missing) saved[name] = randomBytes(32).toString('base64url');
  if (missing.length > 0) writeFileSync(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
  return saved as LocalSecrets;
}
