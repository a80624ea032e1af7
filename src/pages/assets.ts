// GET /assets/{name}: the stylesheet, icons and browser scripts pages load under
// `script-src 'self'`. The runtime hands the files in as a port (workers/assets.ts
// bundles them as text modules), so this stays free of runtime imports.
import { Hono } from 'hono';
import { HttpError } from '../errors.ts';
import type { AppEnv } from '../http/context.ts';
import { sha256 } from '../secrets.ts';
import { SERVICE } from '../paths.ts';

export interface Asset {
  body: string;
  /** The Content-Type header, charset included for text. */
  type: string;
}

/** Assets by their name under /assets/, e.g. 'nhsuk.min.css' or 'images/nhsuk-icon-cross.svg'. */
export type AssetBundle = Readonly<Record<string, Asset>>;

// Paths carry no version, so browsers revalidate hourly; the ETag makes that a 304.
const CACHE_CONTROL = 'public, max-age=3600';

const etags = new WeakMap<Asset, Promise<string>>();

function etagOf(asset: Asset): Promise<string> {
  let etag = etags.get(asset);
  if (!etag) {
    etag = sha256(asset.body).then((digest) => `"${digest.slice(0, 27)}"`);
    etags.set(asset, etag);
  }
  return etag;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

export const assetRoutes = new Hono<AppEnv>()
  .get(`${SERVICE.assets}/*`, async (c) => {
    // Names are plain ASCII, so the raw path is compared as it came: nothing to decode.
    const name = new URL(c.req.url).pathname.slice(`${SERVICE.assets}/`.length);
    const asset = Object.hasOwn(c.var.ports.assets, name) ? c.var.ports.assets[name] : undefined;
    if (!asset) throw new HttpError(404, 'no such asset');
    const etag = await etagOf(asset);
    const headers = { 'Cache-Control': CACHE_CONTROL, ETag: etag, 'X-Content-Type-Options': 'nosniff' };
    if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    return c.body(asset.body, 200, { ...headers, 'Content-Type': asset.type });
  });
