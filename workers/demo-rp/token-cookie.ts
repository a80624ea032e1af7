// The demo's tokens, kept in the browser as an AES-GCM sealed value. Someone with
// several roles brings an ID token and userinfo too big for one cookie, and
// browsers drop a cookie over 4096 bytes without a word, so the sealed value is
// split over numbered cookies: demo_tokens.0, demo_tokens.1, ...
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { seal, unseal } from './sealed-cookie.ts';

const NAME = 'demo_tokens';
// Room for the name and attributes within the 4096 bytes a browser keeps.
const CHUNK = 3800;
const MAX_CHUNKS = 8;

function chunkNames(c: Context): string[] {
  const names: string[] = [];
  for (let i = 0; i < MAX_CHUNKS && getCookie(c, `${NAME}.${i}`) !== undefined; i++) names.push(`${NAME}.${i}`);
  return names;
}

export async function readTokens<T>(c: Context, secret: string): Promise<T | null> {
  const names = chunkNames(c);
  return names.length === 0 ? null : unseal<T>(secret, names.map((n) => getCookie(c, n)).join(''));
}

export async function writeTokens(c: Context, secret: string, value: unknown, secure: boolean): Promise<void> {
  const sealed = await seal(secret, value);
  const count = Math.ceil(sealed.length / CHUNK);
  if (count > MAX_CHUNKS) throw new Error('the tokens are too large to keep in cookies');
  for (let i = 0; i < count; i++) {
    setCookie(c, `${NAME}.${i}`, sealed.slice(i * CHUNK, (i + 1) * CHUNK), { httpOnly: true, sameSite: 'Lax', path: '/', secure });
  }
  // A shorter value than last time: drop the chunks it no longer fills.
  for (const name of chunkNames(c).slice(count)) deleteCookie(c, name, { path: '/' });
}

export function clearTokens(c: Context): void {
  for (const name of chunkNames(c)) deleteCookie(c, name, { path: '/' });
}
