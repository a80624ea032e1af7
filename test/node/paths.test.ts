// src/paths.ts is the one list of public paths: every route the app registers
// comes from it, and the static page scripts, which cannot import it, fetch only
// paths it names.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import type { Ports } from '../../src/ports.ts';
import * as paths from '../../src/paths.ts';

const TABLE = new Set(
  Object.values(paths)
    .filter((group): group is Record<string, string> => typeof group === 'object')
    .flatMap((group) => Object.values(group)),
);

const SCRIPTS = new URL('../../src/pages/scripts/', import.meta.url);

describe('the path table (src/paths.ts)', () => {
  it('holds every path the app routes, so routes and links cannot drift apart', () => {
    const app = createApp({ config: { rateLimits: { windowSeconds: 60 } } } as unknown as Ports);
    const routed = app.routes.filter((r) => r.path !== '*' && !r.path.endsWith('/*')).map((r) => r.path);
    expect(routed.length).toBeGreaterThan(50);
    expect(routed.filter((path) => !TABLE.has(path))).toEqual([]);
    // Wildcard routes ('/assets/*') sit under a prefix the table names.
    const prefixes = app.routes.filter((r) => r.path.endsWith('/*') && r.path !== '/*').map((r) => r.path.slice(0, -2));
    expect(prefixes.filter((prefix) => !TABLE.has(prefix))).toEqual([]);
  });

  it('holds every path a page script fetches (the scripts are static assets and cannot import it)', () => {
    const fetched = readdirSync(SCRIPTS)
      .filter((name) => name.endsWith('.js'))
      .flatMap((name) => [...readFileSync(new URL(name, SCRIPTS), 'utf8').matchAll(/'(\/[A-Za-z0-9_\-./]*)'/g)].map((m) => m[1]!));
    expect(fetched).toContain('/webauthn/authentication/options');
    expect(fetched).toContain('/webauthn/registration/verify');
    expect(fetched.filter((path) => !TABLE.has(path))).toEqual([]);
  });

  it('reads a path as seen from its mount, and refuses one outside it', () => {
    expect(paths.under(paths.CONSOLE.mount, paths.CONSOLE.person)).toBe('/people/:id');
    expect(paths.under(paths.CONSOLE.mount, paths.CONSOLE.mount)).toBe('/');
    expect(() => paths.under(paths.CONSOLE.mount, '/consoled/x')).toThrow(/not under/);
  });

  it('fills a pattern with percent-encoded values, regex constraints included', () => {
    expect(paths.pathTo(paths.CONSOLE.person, { id: 'a/b c' })).toBe('/console/people/a%2Fb%20c');
    expect(paths.pathTo(paths.SCIM.user, { id: 'x' })).toBe('/scim/v2/Users/x');
    expect(() => paths.pathTo(paths.ENROL.finish, {})).toThrow(/needs code/);
  });

  it('maps each CIS2 alias to a path discovery advertises, never to itself (CONTRACT §7)', () => {
    for (const [alias, path] of Object.entries(paths.CIS2_ALIASES)) {
      expect(Object.values(paths.CIS2)).toContain(alias);
      expect([paths.OAUTH.token, paths.WELL_KNOWN.jwks, paths.OAUTH.endSession]).toContain(path);
    }
  });
});
