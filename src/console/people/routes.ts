// /console/people: search, and each person's page with the operator's actions.
import { Hono } from 'hono';
import { methodNotAllowed } from '../../http/errors.ts';
import { renderPage } from '../../pages/layout.tsx';
import type { ConsoleEnv } from '../context.ts';
import { layoutProps } from '../layout.tsx';
import { searchPeople } from './person-search.ts';
import { PeopleSearchPage } from './search-page.tsx';

export const peopleRoutes = new Hono<ConsoleEnv>()
  .get('/', async (c) => {
    const raw = c.req.query('q');
    const query = (raw ?? '').slice(0, 128).trim();
    const results = raw === undefined ? null : await searchPeople(c.var.ports.db, query);
    return renderPage(c, PeopleSearchPage({ ...layoutProps(c), query, results }));
  })
  .all('/', methodNotAllowed(['GET']));
