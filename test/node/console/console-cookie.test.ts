// The console's sealed cookies (AES-256-GCM under a key derived from
// KEY_ENCRYPTION_SECRET, the cookie's name as additional data): what opens and
// what does not.
import { describe, expect, it } from 'vitest';
import { consoleSessionSchema, loginStateSchema, readCookie, seal, unseal } from '../../../src/console/console-cookie.ts';
import { randomToken } from '../../../src/secrets.ts';

const SECRET = 'dGVzdC1rZXktZW5jcnlwdGlvbi1zZWNyZXQtMzJiISE';
const session = { personId: 'p1', grantId: 'abc-1', csrfToken: randomToken(), authTime: 1, lastActiveAt: 2 };

describe('sealed console cookies', () => {
  it('opens what it sealed, under the same name and secret', async () => {
    const sealed = await seal(SECRET, 'console', session);
    expect(await unseal(SECRET, 'console', sealed, consoleSessionSchema)).toEqual(session);
    expect(readCookie(`a=b; console=${sealed}`, 'console')).toBe(sealed);
  });

  it('does not open under another cookie name (the name is the additional data), another secret, or once tampered with', async () => {
    const sealed = await seal(SECRET, 'console', session);
    expect(await unseal(SECRET, 'console-login', sealed, consoleSessionSchema)).toBeNull();
    expect(await unseal(randomToken(), 'console', sealed, consoleSessionSchema)).toBeNull();
    const [format, iv, body] = sealed.split('.');
    const flipped = `${format}.${iv}.${body!.slice(0, -2)}${body!.endsWith('A') ? 'B' : 'A'}${body!.slice(-1)}`;
    expect(await unseal(SECRET, 'console', flipped, consoleSessionSchema)).toBeNull();
    expect(await unseal(SECRET, 'console', 'v1.x', consoleSessionSchema)).toBeNull();
  });

  it('does not accept a value of the wrong shape, even sealed with the right key', async () => {
    const sealed = await seal(SECRET, 'console', { personId: 'p1' });
    expect(await unseal(SECRET, 'console', sealed, consoleSessionSchema)).toBeNull();
    const login = await seal(SECRET, 'console-login', { state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/elsewhere', createdAt: 0 });
    expect(await unseal(SECRET, 'console-login', login, loginStateSchema)).toBeNull();
  });

  it('ignores a cookie value that is not shaped like a sealed one', () => {
    expect(readCookie('console=junk', 'console')).toBeNull();
    expect(readCookie('xconsole=v1.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBB', 'console')).toBeNull();
    expect(readCookie(undefined, 'console')).toBeNull();
  });
});
