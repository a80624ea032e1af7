// The FIDO Metadata Service BLOB (FIDO MDS 3.0 §3.1.7): verified with
// @simplewebauthn/server's verifyMDSBlob (x5c chain to the configured roots, then
// the JWT signature), indexed by AAGUID, and kept in the isolate. A BLOB given as
// text is loaded once; one given as a URL is fetched again after its nextUpdate.
import { SettingsService, type MetadataBLOBPayloadEntry } from '@simplewebauthn/server';
import { verifyMDSBlob } from '@simplewebauthn/server/helpers';
import type { FidoMetadataSource } from '../config.ts';
import { ConfigError } from '../errors.ts';

export interface MetadataBlob {
  /** FIDO MDS 3.0 §3.1.6 `no`: a serial number that only grows. */
  no: number;
  nextUpdate: Date;
  /** Entries of FIDO2 authenticators, by lower-case AAGUID. */
  entries: Map<string, MetadataBLOBPayloadEntry>;
}

/** The roots @simplewebauthn/server ships for the FIDO Alliance's own MDS (GlobalSign R3, R46). */
const FIDO_ALLIANCE_ROOTS = SettingsService.getRootCertificates({ identifier: 'mds' });

// verifyMDSBlob reads its trust anchors from the process-wide SettingsService, so
// setting them and verifying happen one load at a time: two configurations in one
// isolate (tests) never verify against each other's roots.
let verifying: Promise<unknown> = Promise.resolve();

/** Verifies a BLOB's chain and signature; a ConfigError naming FIDO_MDS_BLOB says why one is refused. */
export async function verifyMetadataBlob(jwt: string, rootCertificates: readonly string[] | null): Promise<MetadataBlob> {
  const run = verifying.then(async () => {
    SettingsService.setRootCertificates({ identifier: 'mds', certificates: [...(rootCertificates ?? FIDO_ALLIANCE_ROOTS)] });
    return verifyMDSBlob(jwt.trim());
  });
  verifying = run.catch(() => undefined);
  let verified;
  try {
    verified = await run;
  } catch (err) {
    throw new ConfigError('FIDO_MDS_BLOB', `the metadata BLOB was refused: ${reasonOf(err)}`);
  }
  const entries = new Map<string, MetadataBLOBPayloadEntry>();
  for (const entry of verified.payload.entries ?? []) {
    if (entry.aaguid && entry.metadataStatement) entries.set(entry.aaguid.toLowerCase(), entry);
  }
  return { no: verified.payload.no, nextUpdate: verified.parsedNextUpdate, entries };
}

function reasonOf(err: unknown): string {
  // A payload or header that is not JSON, or a header without x5c, fails before any check.
  if (!(err instanceof Error) || err instanceof SyntaxError || err instanceof TypeError) return 'not a signed BLOB with an x5c header';
  // verifyMDSBlob wraps the chain failure; its cause says which certificate failed.
  return err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message;
}

interface Cached {
  blob: Promise<MetadataBlob>;
  /** Milliseconds: a URL's BLOB is fetched again from then on. */
  refreshAt: number;
}

const cache = new Map<string, Cached>();
const RETRY_MS = 15 * 60 * 1000;

/**
 * The configured BLOB, verified, from the isolate's cache. A URL's BLOB past its
 * nextUpdate is fetched again; if that fails or is no newer (§3.1.8: a lower or
 * equal `no` is ignored), the one held stays in use and a retry waits 15 minutes.
 */
export async function loadMetadataBlob(
  source: FidoMetadataSource,
  now: number,
  // Called through a closure: workerd refuses fetch invoked with another `this`.
  fetcher: typeof fetch = (input, init) => fetch(input, init),
): Promise<MetadataBlob> {
  const key = `${source.blob}\n${(source.rootCertificates ?? []).join('\n')}`;
  const held = cache.get(key);
  if (held && now < held.refreshAt) return held.blob;
  const isUrl = source.blob.startsWith('https://');
  const fresh = (isUrl ? fetchBlob(source.blob, fetcher) : Promise.resolve(source.blob)).then((jwt) =>
    verifyMetadataBlob(jwt, source.rootCertificates),
  );
  if (!held) {
    const entry = { blob: fresh, refreshAt: Infinity };
    cache.set(key, entry);
    // A failed first load is not kept: the next registration tries again.
    fresh.then(
      (blob) => void (entry.refreshAt = isUrl ? blob.nextUpdate.getTime() : Infinity),
      () => cache.delete(key),
    );
    return fresh;
  }
  held.refreshAt = now + RETRY_MS;
  const previous = await held.blob;
  try {
    const next = await fresh;
    if (next.no <= previous.no) return previous;
    cache.set(key, { blob: Promise.resolve(next), refreshAt: next.nextUpdate.getTime() });
    return next;
  } catch {
    return previous;
  }
}

async function fetchBlob(url: string, fetcher: typeof fetch): Promise<string> {
  let response: Response;
  try {
    response = await fetcher(url, { headers: { accept: 'application/jwt, text/plain' } });
  } catch (err) {
    throw new ConfigError('FIDO_MDS_BLOB', `could not fetch ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!response.ok) throw new ConfigError('FIDO_MDS_BLOB', `fetching ${url} answered ${response.status}`);
  return response.text();
}
