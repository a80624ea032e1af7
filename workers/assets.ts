// The files served under /assets/, bundled into the Worker as Text modules
// (wrangler.toml [[rules]]), so `wrangler dev`, the vitest pool and a deploy all
// carry the same bytes with no copy step. The core serves them (src/pages/assets.ts).
import nhsukCss from '../node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css';
import favicon from '../node_modules/nhsuk-frontend/dist/nhsuk/assets/images/favicon.svg';
import iconArrowDown from '../node_modules/nhsuk-frontend/dist/nhsuk/assets/images/nhsuk-icon-arrow-down.svg';
import iconArrowUp from '../node_modules/nhsuk-frontend/dist/nhsuk/assets/images/nhsuk-icon-arrow-up.svg';
import iconArrowUpDown from '../node_modules/nhsuk-frontend/dist/nhsuk/assets/images/nhsuk-icon-arrow-up-down.svg';
import iconCross from '../node_modules/nhsuk-frontend/dist/nhsuk/assets/images/nhsuk-icon-cross.svg';
import simpleWebAuthnBrowser from '../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js';
import enrolScript from '../src/pages/scripts/enrol.js';
import passkeySigninScript from '../src/pages/scripts/passkey-signin.js';
import errorSummaryScript from '../src/pages/scripts/error-summary.js';
import siteCss from '../src/pages/styles/site.css';
import type { AssetBundle } from '../src/pages/assets.ts';

const CSS = 'text/css; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const SVG = 'image/svg+xml; charset=utf-8';

// The stylesheet loads the NHS font from assets.nhs.uk. Pages allow fonts only
// from 'self' and this service sends nobody to third parties, so the @font-face
// rules go and the stylesheet's own fallback (Arial, sans-serif) is used.
const selfContainedCss = nhsukCss.replace(/@font-face\{[^}]*\}/g, '');

export const ASSETS: AssetBundle = {
  'nhsuk.min.css': { body: selfContainedCss, type: CSS },
  'site.css': { body: siteCss, type: CSS },
  'favicon.svg': { body: favicon, type: SVG },
  // The stylesheet refers to these icons by absolute path (search cancel, select arrows).
  'images/nhsuk-icon-arrow-down.svg': { body: iconArrowDown, type: SVG },
  'images/nhsuk-icon-arrow-up.svg': { body: iconArrowUp, type: SVG },
  'images/nhsuk-icon-arrow-up-down.svg': { body: iconArrowUpDown, type: SVG },
  'images/nhsuk-icon-cross.svg': { body: iconCross, type: SVG },
  'simplewebauthn-browser.js': { body: simpleWebAuthnBrowser, type: JS },
  'enrol.js': { body: enrolScript, type: JS },
  'passkey-signin.js': { body: passkeySigninScript, type: JS },
  'error-summary.js': { body: errorSummaryScript, type: JS },
};
