// fast-check generators of request headers for the bad-input fuzz: Authorization
// that is oversized, doubled, wrongly encoded or of the wrong scheme, odd
// Content-Type and Content-Length, cookies that are not ours, hostile
// X-Request-Id, Origin and client addresses.
import fc from 'fast-check';
import { base64url, jwtLike, nastyString } from './fuzz-inputs.ts';

export type HeaderList = [string, string][];

/** Only what a Headers object accepts: no CR, LF or NUL, and ASCII (workerd warns on every non-ASCII value). */
export function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e\t]/g, '');
}

const safeString = nastyString.map(headerSafe);

const basic = (text: string) => `Basic ${btoa(text)}`;

/** Authorization values that are wrong in every way the service must survive. */
export const badAuthorization: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'Bearer', 'Bearer ', 'bearer', 'Basic', 'Basic ', 'Basic =', 'Basic ====', basic(':'), basic('a'), basic('a:'), basic(':b'),
    'Basic /w==', 'Basic wCg6', basic('%zz:%zz'), basic('%E0%A4%A:x'), 'Basic YTpi YTpi', 'Digest username="x"', 'Negotiate',
    'Bearer a b', 'Bearer a,Bearer b', 'Bearer \t x', `Bearer ${'A'.repeat(20_000)}`, `Basic ${'QUFB'.repeat(5000)}`, 'DPoP x',
  ),
  safeString.map((t) => `Bearer ${t}`),
  fc.uint8Array({ maxLength: 48 }).map((b) => `Basic ${btoa(String.fromCharCode(...b))}`),
  jwtLike.map((j) => `Bearer ${headerSafe(j)}`),
  safeString,
);

/**
 * An Authorization header: one of `valid` (so requests get past the first
 * check), none, a bad one, or a valid one doubled up with another.
 */
export function authorization(valid: readonly string[]): fc.Arbitrary<string | undefined> {
  const options: fc.WeightedArbitrary<string | undefined>[] = [
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: badAuthorization },
  ];
  if (valid.length) {
    options.push({ weight: 5, arbitrary: fc.constantFrom(...valid) });
    options.push({ weight: 1, arbitrary: fc.tuple(fc.constantFrom(...valid), badAuthorization).map(([v, b]) => `${v}, ${b}`) });
    options.push({ weight: 1, arbitrary: fc.constantFrom(...valid).map((v) => ` ${v.toLowerCase()}  `) });
  }
  return fc.oneof(...options);
}

/** A Content-Type: the expected one (with parameters or odd case), none, another or junk. */
export function contentType(expected: string): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(expected) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constantFrom(
        `${expected}; charset=utf-8`, `${expected.toUpperCase()} ;charset=UTF-16`, `${expected};;;`, `${expected}, text/plain`,
        'application/json', 'application/scim+json', 'application/x-www-form-urlencoded', 'text/plain', 'text/html',
        'multipart/form-data; boundary=x', 'application/octet-stream', '*/*', ';', '', 'application/json; charset=latin1',
      ) },
    { weight: 1, arbitrary: safeString },
  );
}

/** A well-shaped session handle (object id . secret) that this service never issued. */
export const forgedHandle: fc.Arbitrary<string> = fc
  .tuple(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }))
  .map(([id, secret]) => `${[...id].map((b) => b.toString(16).padStart(2, '0')).join('')}.${base64url(secret)}`);

/** A Cookie header: none, ours forged or mangled, repeated, huge, or `valid` (a real session). */
export function cookie(valid: readonly string[] = []): fc.Arbitrary<string | undefined> {
  const options: fc.WeightedArbitrary<string | undefined>[] = [
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: forgedHandle.map((h) => `session=${h}`) },
    { weight: 2, arbitrary: safeString.map((s) => `session=${s}`) },
    { weight: 1, arbitrary: fc.constantFrom(';', '=', 'session', 'session=', '=session', 'session=a; session=b', `session=${'a'.repeat(8000)}`,
        'a=b; c=d;; ;session="x"', '__Host-session=x', 'session=0.A') },
  ];
  if (valid.length) options.push({ weight: 3, arbitrary: fc.constantFrom(...valid) });
  return fc.oneof(...options);
}

/** The rest of a request's headers: request id, Content-Length, client address, Origin, Accept. */
export const extraHeaders: fc.Arbitrary<HeaderList> = fc
  .record(
    {
      'x-request-id': fc.oneof(fc.constantFrom('req-1', 'a'.repeat(65), '../x', '<x>', ''), safeString),
      'content-length': fc.constantFrom('0', '1', '-1', 'abc', '1e3', '99999999999', '00', ' 5'),
      // Appended to the case's own address; a few values only (see fuzz-harness.ts).
      'cf-connecting-ip': fc.constantFrom('192.0.2.200', '2001:db8::2', 'not an address', '999.1.1.1', ''),
      origin: fc.constantFrom('http://localhost:8787', 'https://evil.example', 'null', 'http://localhost:8787/x', ''),
      accept: fc.constantFrom('text/html', 'application/json', '*/*', 'x'),
      'if-match': fc.constantFrom('*', 'W/"x"', '"', 'W/'),
      'if-none-match': fc.constantFrom('*', 'W/"x"', '"'),
    },
    { requiredKeys: [] },
  )
  .map((h) => Object.entries(h) as HeaderList);
