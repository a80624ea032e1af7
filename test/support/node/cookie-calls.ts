// Runs a cookie helper inside a request, as the app does, and gives back what
// went on the wire (Set-Cookie) or what the helper read from a Cookie header.
import { Hono, type Context } from 'hono';

export async function setCookieLine(write: (c: Context) => void): Promise<string> {
  const app = new Hono().get('/', (c) => {
    write(c);
    return c.body(null, 204);
  });
  const line = (await app.request('/')).headers.get('set-cookie');
  if (line === null) throw new Error('no Set-Cookie');
  return line;
}

export async function readWith<T>(cookieHeader: string | undefined, read: (c: Context) => T): Promise<T> {
  let value: T | undefined;
  const app = new Hono().get('/', (c) => {
    value = read(c);
    return c.body(null, 204);
  });
  await app.request('/', { headers: cookieHeader === undefined ? {} : { cookie: cookieHeader } });
  return value as T;
}

/** The attributes of a Set-Cookie line, lower-cased, in order. */
export function attributes(line: string): string[] {
  return line.split(';').slice(1).map((a) => a.trim().toLowerCase());
}
