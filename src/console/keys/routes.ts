// /console/keys: the signing keys by algorithm and state, read afresh from the
// key store (not the isolate's cache), and rotation through the same function
// as POST /admin/keys/rotate, audited as keys.rotate in the operator's name.
import { Hono } from 'hono';
import { bodyText } from '../../http/body.ts';
import { rotateSigningKeys } from '../../admin/keys.ts';
import { renderPage } from '../../pages/layout.tsx';
import type { ConsoleEnv } from '../context.ts';
import { layoutProps } from '../layout.tsx';
import { operatorAuthor } from '../operator-author.ts';
import { KeysPage, keySetSeen, SEEN_FIELD } from './keys-page.tsx';
import { CONSOLE, under } from '../../paths.ts';

const STATUS: Record<string, string> = {
  rotated: 'The signing keys were rotated: each algorithm’s next key now signs.',
};

export const keyRoutes = new Hono<ConsoleEnv>()
  .get(under(CONSOLE.mount, CONSOLE.keys), async (c) => {
    const keys = await c.var.ports.keys.publishedKeys();
    return renderPage(c, KeysPage({ ...layoutProps(c), keys, status: STATUS[c.req.query('done') ?? ''] }));
  })
  .post(under(CONSOLE.mount, CONSOLE.rotateKeys), async (c) => {
    // The form names the current keys the operator saw: a second press of the button, or
    // a page shown before someone else rotated, must not rotate again and make a next
    // key current before relying parties have fetched it (JWKS_MAX_AGE_SECONDS).
    const seen = new URLSearchParams(await bodyText(c)).get(SEEN_FIELD);
    const keys = await c.var.ports.keys.publishedKeys();
    if (seen !== keySetSeen(keys)) {
      const errors = [{ text: 'The keys changed after this page was shown, so they were not rotated again. Check them below before rotating.' }];
      return renderPage(c, KeysPage({ ...layoutProps(c), keys, errors }), 409);
    }
    await rotateSigningKeys(c.var.ports, operatorAuthor(c));
    // Post/redirect/get: reloading the page that follows does not rotate again.
    return c.redirect(`${CONSOLE.keys}?done=rotated`, 303);
  });
