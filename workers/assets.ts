// The files served under /assets/, bundled into the Worker as Text modules
// (wrangler.toml [[rules]]), so `wrangler dev`, the vitest pool and a deploy all
// carry the same bytes with no copy step. Which files, and as what, is
// src/pages/asset-manifest.ts; a bundler needs the imports written out.
import nhsukCss from '../node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css';
import favicon from '../node_modules/nhsuk-frontend/dist/nhsuk/assets/images/favicon.svg';
import iconArrowDown from '../node_modules/nhsuk-frontend/dist/nhsuk/assets/images/nhsuk-icon-arrow-down.svg';
import iconArrowUp from '../node_modules/nhsuk-frontend/dist/nhsuk/assets/images/nhsuk-icon-arrow-up.svg';
import iconArrowUpDown from '../node_modules/nhsuk-frontend/dist/nhsuk/assets/images/nhsuk-icon-arrow-up-down.svg';
import iconCross from '../node_modules/nhsuk-frontend/dist/nhsuk/assets/images/nhsuk-icon-cross.svg';
import simpleWebAuthnBrowser from '../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js';
import webauthnErrorsScript from '../src/pages/scripts/webauthn-errors.js';
import enrolScript from '../src/pages/scripts/enrol.js';
import passkeySigninScript from '../src/pages/scripts/passkey-signin.js';
import errorSummaryScript from '../src/pages/scripts/error-summary.js';
import siteCss from '../src/pages/styles/site.css';
import { buildAssetBundle } from '../src/pages/asset-manifest.ts';
import type { AssetBundle } from '../src/pages/assets.ts';

const NHSUK = 'node_modules/nhsuk-frontend/dist/nhsuk';

const FILES: Record<string, string> = {
  [`${NHSUK}/nhsuk-frontend.min.css`]: nhsukCss,
  [`${NHSUK}/assets/images/favicon.svg`]: favicon,
  [`${NHSUK}/assets/images/nhsuk-icon-arrow-down.svg`]: iconArrowDown,
  [`${NHSUK}/assets/images/nhsuk-icon-arrow-up.svg`]: iconArrowUp,
  [`${NHSUK}/assets/images/nhsuk-icon-arrow-up-down.svg`]: iconArrowUpDown,
  [`${NHSUK}/assets/images/nhsuk-icon-cross.svg`]: iconCross,
  'node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js': simpleWebAuthnBrowser,
  'src/pages/scripts/webauthn-errors.js': webauthnErrorsScript,
  'src/pages/scripts/enrol.js': enrolScript,
  'src/pages/scripts/passkey-signin.js': passkeySigninScript,
  'src/pages/scripts/error-summary.js': errorSummaryScript,
  'src/pages/styles/site.css': siteCss,
};

export const ASSETS: AssetBundle = buildAssetBundle((file) => FILES[file]);
