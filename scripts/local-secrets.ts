// Secrets for the local stack: generated once, kept in DATA_DIR (mode 0600), so
// tokens and encrypted keys stay valid across restarts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export interface LocalSecrets {
  adminToken: string;
  keyEncryptionSecret: string;
  libsqlAuthToken: string;
}

export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>;
    if (saved.adminToken && saved.keyEncryptionSecret && saved.libsqlAuthToken) return saved as LocalSecrets;
  }
  const secrets: LocalSecrets = {
    adminToken: randomBytes(32).toString('base64url'),
    keyEncryptionSecret: randomBytes(32).toString('base64url'),
    libsqlAuthToken: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
