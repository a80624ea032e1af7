// Which files are served under /assets/, from where in the repository, and as
// what. Each runtime reads the files its own way (the Worker bundles them as
// text modules, Deno reads them at start) and builds the same bundle here.
import type { AssetBundle } from './assets.ts';

const CSS = 'text/css; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const SVG = 'image/svg+xml; charset=utf-8';
const NHSUK = 'node_modules/nhsuk-frontend/dist/nhsuk';

/** Served name → file (relative to the repository root) and Content-Type. */
export const ASSET_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  'nhsuk.min.css': { file: `${NHSUK}/nhsuk-frontend.min.css`, type: CSS },
  'site.css': { file: 'src/pages/styles/site.css', type: CSS },
  'favicon.svg': { file: `${NHSUK}/assets/images/favicon.svg`, type: SVG },
  // The stylesheet refers to these icons by absolute path (search cancel, select arrows).
  'images/nhsuk-icon-arrow-down.svg': { file: `${NHSUK}/assets/images/nhsuk-icon-arrow-down.svg`, type: SVG },
  'images/nhsuk-icon-arrow-up.svg': { file: `${NHSUK}/assets/images/nhsuk-icon-arrow-up.svg`, type: SVG },
  'images/nhsuk-icon-arrow-up-down.svg': { file: `${NHSUK}/assets/images/nhsuk-icon-arrow-up-down.svg`, type: SVG },
  'images/nhsuk-icon-cross.svg': { file: `${NHSUK}/assets/images/nhsuk-icon-cross.svg`, type: SVG },
  'simplewebauthn-browser.js': { file: 'node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js', type: JS },
  'webauthn-errors.js': { file: 'src/pages/scripts/webauthn-errors.js', type: JS },
  'enrol.js': { file: 'src/pages/scripts/enrol.js', type: JS },
  'passkey-signin.js': { file: 'src/pages/scripts/passkey-signin.js', type: JS },
  'error-summary.js': { file: 'src/pages/scripts/error-summary.js', type: JS },
};

/** The bundle from each file's text; throws naming a file the runtime could not give. */
export function buildAssetBundle(read: (file: string) => string | undefined): AssetBundle {
  const bundle: Record<string, { body: string; type: string }> = {};
  for (const [name, { file, type }] of Object.entries(ASSET_FILES)) {
    const body = read(file);
    if (body === undefined) throw new Error(`asset ${name}: ${file} is missing`);
    // The stylesheet loads the NHS font from assets.nhs.uk. Pages allow fonts only
    // from 'self' and this service sends nobody to third parties, so the @font-face
    // rules go and the stylesheet's own fallback (Arial, sans-serif) is used.
    bundle[name] = { body: name === 'nhsuk.min.css' ? body.replace(/@font-face\{[^}]*\}/g, '') : body, type };
  }
  return bundle;
}
