// The Deno entry: the same core as the Worker, over Upstash Redis (sessions,
// grants, replay caches, revocation list, rate limits, challenges) and libSQL
// (directory, signing keys, audit, back-channel logout outbox). No Durable
// Object and no `cloudflare:*` module is reachable from here.
//   deno run --allow-net --allow-env --allow-read --allow-sys deno/main.ts
// (--allow-sys: node:tls reads the root certificates for calls to clients' https URLs).
// listens on PORT (default 8787) on HOSTNAME (default 127.0.0.1).
import { createApp } from '../src/app.ts';
import { isBlobOrUrl } from '../src/config.ts';
import { ConfigError } from '../src/errors.ts';
import { createLogger } from '../src/log.ts';
import { drainOutbox } from '../src/logout/backchannel-outbox.ts';
import { loadMetadataBlob } from '../src/webauthn/metadata-blob.ts';
import { buildDenoPorts } from './ports.ts';

/** How often due back-channel logout deliveries are looked for. */
const OUTBOX_INTERVAL_MS = 2_000;

const log = createLogger();
let ports;
try {
  ports = buildDenoPorts(await withFidoMdsBlobFile(Deno.env.toObject()), new URL('..', import.meta.url));
  // A configured FIDO MDS BLOB is verified before serving: a bad one stops the service here.
  if (ports.config.fidoMetadata) await loadMetadataBlob(ports.config.fidoMetadata, Date.now());
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  log.error('configuration error', { problem: err.message });
  Deno.exit(1);
}
const app = createApp(ports);
if (Deno.permissions.querySync({ name: 'sys' }).state !== 'granted') {
  log.error('without --allow-sys, jwks_uri fetches and back-channel logout to https URLs fail: node:tls cannot read the root certificates');
}

const port = Number(Deno.env.get('PORT') ?? 8787);
const hostname = Deno.env.get('HOSTNAME') ?? '127.0.0.1';
const server = Deno.serve({ port, hostname, onListen: () => log.info('listening', { url: `http://${hostname}:${port}` }) }, (request, info) =>
  app.fetch(request, { clientAddress: peerAddress(info.remoteAddr) }),
);

/** FIDO_MDS_BLOB may name a file on Deno, which can read one (the Worker takes the BLOB or a URL). */
async function withFidoMdsBlobFile(env: Record<string, string>): Promise<Record<string, string>> {
  const value = env.FIDO_MDS_BLOB;
  if (!value || isBlobOrUrl(value)) return env;
  try {
    return { ...env, FIDO_MDS_BLOB: (await Deno.readTextFile(value)).trim() };
  } catch (err) {
    throw new ConfigError('FIDO_MDS_BLOB', `is not a BLOB, an https URL or a readable file (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** The peer as rate limits count it; a Unix socket peer counts as local. */
function peerAddress(remote: Deno.Addr): string {
  return remote.transport === 'tcp' || remote.transport === 'udp' ? remote.hostname : '';
}

// Deliveries wait in libSQL; one drain at a time per process, each bounded.
let draining = false;
const timer = setInterval(() => {
  if (draining) return;
  draining = true;
  drainOutbox(ports)
    .catch((err: unknown) => log.error('back-channel logout drain failed', { error: err instanceof Error ? err.message : String(err) }))
    .finally(() => (draining = false));
}, OUTBOX_INTERVAL_MS);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  Deno.addSignalListener(signal, () => {
    clearInterval(timer);
    void server.shutdown().then(() => Deno.exit(0));
  });
}
