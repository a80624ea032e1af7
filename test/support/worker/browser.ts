// The test browser (../http-browser.ts) for workerd tests: on the test issuer,
// over SELF.fetch unless given another fetcher (e.g. an app built with test ports).
import { SELF } from 'cloudflare:test';
import { HttpBrowser, locationParams, type Fetcher } from '../http-browser.ts';
import { TEST_ISSUER } from '../test-env.ts';

export { isRedirect, type Fetcher, type StoredCookie } from '../http-browser.ts';

export const ORIGIN = new URL(TEST_ISSUER).origin;

export class Browser extends HttpBrowser {
  constructor(fetcher: Fetcher = (request) => SELF.fetch(request)) {
    super(TEST_ISSUER, fetcher);
  }
}

/** The query of a redirect's Location, as an object. */
export function redirectParams(response: Response): Record<string, string> {
  return locationParams(response, TEST_ISSUER);
}
