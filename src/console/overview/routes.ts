// /console/overview: the sign-in activity of the last 24 hours, read with one
// aggregate query over the audit log each time the page is asked for.
import { Hono } from 'hono';
import { renderPage } from '../../pages/layout.tsx';
import type { ConsoleEnv } from '../context.ts';
import { layoutProps } from '../layout.tsx';
import { OverviewPage } from './overview-page.tsx';
import { readSignInActivity } from './sign-in-activity.ts';
import { CONSOLE, under } from '../../paths.ts';

export const overviewRoutes = new Hono<ConsoleEnv>()
  .get(under(CONSOLE.mount, CONSOLE.overview), async (c) => {
    const activity = await readSignInActivity(c.var.ports.db, c.var.ports.now());
    return renderPage(c, OverviewPage({ ...layoutProps(c), activity }));
  });
