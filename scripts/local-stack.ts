// The local stack both entries share (`npm start` on workerd, `npm run
// start:deno` on Deno), in one Node process that npm can signal: a libSQL server
// over DATA_DIR/directory.db (unless LIBSQL_URL names another), migrations, the
// identity server the entry starts, demo data seeded once, the demo relying
// party, and on SIGINT or SIGTERM everything it started is stopped.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_VARIABLES, readConfig } from '../src/config.ts';
import { ConfigError } from '../src/errors.ts';
import { printBanner } from './banner.ts';
import { readFidoMdsBlobFile, verifyFidoMetadata } from './fido-metadata.ts';
import { freePort } from './free-port.ts';
import { startLibsqlServer, type LibsqlServer } from './libsql-server/server.ts';
import { loadLocalSecrets, type LocalSecrets } from './local-secrets.ts';
import { applyMigrations, MigrationError } from './migrate.ts';
import { seedDemoData } from './seed.ts';
import { startWranglerDev, stopProcessGroup, waitForHealthy } from './wrangler-dev.ts';

export const root = fileURLToPath(new URL('..', import.meta.url));

interface StackContext {
  port: number;
  dataDir: string;
  secrets: LocalSecrets;
  /** The identity server's settings, validated; an entry may add to them before it starts. */
  vars: Record<string, string>;
  /** FIDO_MDS_BLOB as a file path, when given so: `vars` holds its text (too long for an environment variable). */
  fidoMdsBlobFile?: string;
}

interface StackEntry {
  /** How the user started it, for messages: `npm start`. */
  command: string;
  /** Services the entry needs before the identity server (e.g. Redis); their settings join `vars`. */
  prepare?(context: StackContext): Promise<{ vars: Record<string, string>; stop(): Promise<void> }>;
  /** Starts the identity server on `context.port`, in its own process group. */
  start(context: StackContext): Promise<ChildProcess> | ChildProcess;
}

export async function runLocalStack(entry: StackEntry): Promise<void> {
  const fail = (message: string): never => {
    console.error(`${entry.command}: ${message}`);
    process.exit(1);
  };
  const env = process.env;
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT must be a port number, not "${env.PORT}"`);
  const issuer = env.ISSUER ?? `http://localhost:${port}`;
  const demoPort = Number(env.DEMO_PORT ?? port + 1);
  if (!Number.isInteger(demoPort) || demoPort < 1 || demoPort > 65535 || demoPort === port) {
    fail(`DEMO_PORT must be a port number other than PORT, not "${env.DEMO_PORT}"`);
  }
  const dataDir = resolve(env.DATA_DIR ?? '.data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secrets = loadLocalSecrets(dataDir);
  const adminToken = env.ADMIN_TOKEN ?? secrets.adminToken;

  const libsqlUrl = env.LIBSQL_URL ?? '';
  const libsqlAuthToken = env.LIBSQL_URL ? env.LIBSQL_AUTH_TOKEN : secrets.libsqlAuthToken;
  const vars: Record<string, string> = {
    ISSUER: issuer,
    ADMIN_TOKEN: adminToken,
    KEY_ENCRYPTION_SECRET: env.KEY_ENCRYPTION_SECRET ?? secrets.keyEncryptionSecret,
    LIBSQL_URL: libsqlUrl || 'http://127.0.0.1:1',
    ...(libsqlAuthToken ? { LIBSQL_AUTH_TOKEN: libsqlAuthToken } : {}),
  };
  // The rest of the server's settings (lifetimes, LOG_LEVEL, AAL3_AAGUIDS, rate limits,
  // lockout, Upstash): passed through as set, validated with the rest just below.
  const decidedHere = new Set(['ISSUER', 'ADMIN_TOKEN', 'KEY_ENCRYPTION_SECRET', 'LIBSQL_URL', 'LIBSQL_AUTH_TOKEN']);
  for (const name of CONFIG_VARIABLES) if (!decidedHere.has(name) && env[name]) vars[name] = env[name];
  let blobFile: { file: string; text: string } | null = null;
  try {
    blobFile = readFidoMdsBlobFile(env.FIDO_MDS_BLOB);
    if (blobFile) vars.FIDO_MDS_BLOB = blobFile.text;
    readConfig(vars);
    await verifyFidoMetadata(vars);
  } catch (err) {
    if (err instanceof ConfigError) fail(`configuration: ${err.message}`);
    throw err;
  }

  const started = Date.now();
  const context: StackContext = { port, dataDir, secrets, vars, ...(blobFile ? { fidoMdsBlobFile: blobFile.file } : {}) };
  const stops: (() => Promise<void>)[] = [];
  let libsql: LibsqlServer | undefined;
  if (!env.LIBSQL_URL) {
    libsql = await startLibsqlServer({ file: resolve(dataDir, 'directory.db'), port: 0, authToken: libsqlAuthToken });
    vars.LIBSQL_URL = libsql.url;
    stops.push(() => libsql!.close());
  }
  const stopServices = () => Promise.all(stops.map((stop) => stop().catch(() => {})));
  try {
    await applyMigrations(vars.LIBSQL_URL!, libsqlAuthToken);
    if (entry.prepare) {
      const prepared = await entry.prepare(context);
      stops.push(prepared.stop);
      Object.assign(vars, prepared.vars);
    }
  } catch (err) {
    await stopServices();
    fail(err instanceof MigrationError ? err.message : `could not start: ${err instanceof Error ? err.message : String(err)}`);
  }

  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(children.map((child) => stopProcessGroup(child)));
    await stopServices();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const watch = (child: ChildProcess, what: string) =>
    child.on('exit', (code) => {
      if (!stopping) {
        console.error(`${entry.command}: ${what} exited (${code ?? 'signal'}); stopping`);
        void stop(1);
      }
    });

  try {
    const server = await entry.start(context);
    children.push(server);
    watch(server, 'the identity server');
    await waitForHealthy(`http://127.0.0.1:${port}/healthz`, server);
    const demoBaseUrl = `http://localhost:${demoPort}`;
    const demo = await seedDemoData(`http://127.0.0.1:${port}`, adminToken, dataDir, demoBaseUrl, issuer);
    const demoRp = startWranglerDev({
      cwd: root,
      port: demoPort,
      dataDir,
      config: 'workers/demo-rp/wrangler.toml',
      name: 'demo-rp',
      inspectorPort: await freePort(),
      vars: {
        ISSUER: issuer,
        CLIENT_ID: demo.client.client_id,
        CLIENT_SECRET: demo.client.client_secret,
        BASE_URL: demoBaseUrl,
        COOKIE_SECRET: secrets.demoCookieSecret,
      },
    });
    children.push(demoRp);
    watch(demoRp, 'the demo relying party');
    await waitForHealthy(`http://127.0.0.1:${demoPort}/`, demoRp);
    await printBanner({ issuer, localUrl: `http://127.0.0.1:${port}`, adminToken, dataDir, demo, demoBaseUrl, startedMs: Date.now() - started });
  } catch (err) {
    console.error(`${entry.command}: ${err instanceof Error ? err.message : String(err)}`);
    await stop(1);
  }
}
