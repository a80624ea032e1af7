// fast-check generators of hostile input for the bad-input fuzz (docs/security.md,
// "Bad input never yields a 500"): strings with NUL bytes, lone
// surrogates and markup, JSON that is malformed, huge or deeply nested, forms with
// broken escapes and repeated keys, and JWTs that are not quite JWTs. Shaped
// generators put known field names in, so the fuzz gets past schema checks.
import fc from 'fast-check';
import { base64url as jose } from 'jose';

/** Appears raw in a fuzz input; an HTML page that shows it raw did not escape it. */
export const MARKUP_PROBE = '<x-fuzz-probe>';

const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\uFEFF', '\uD800', '\uDFFF\uD800', '\u202Eevil', '\u0085', '\u2028', '𝕏😀',
  '\\', '"', "'", '%', '%00', '%zz', '%E0%A4%A', '+', '&', '=', '#', '?', '..', '../../etc/passwd', '//evil.example',
  'javascript:alert(1)', MARKUP_PROBE, `</script>${MARKUP_PROBE}`, '${7*7}', '{{7*7}}', "' OR '1'='1", '"; DROP TABLE people; --',
  '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'null', 'undefined', 'true', '-1', '0', '1e309', 'NaN',
  '9'.repeat(40), '0x10', 'a'.repeat(300), 'a'.repeat(70_000),
];

/** A string meant to break things, including strings fast-check invents. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

/** Any JSON value, weighted towards strings and numbers at the edges. */
export const nastyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 0.5, 1e308, -1e308, 2 ** 53 + 2, [], {}, [null], { '': null }) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 4 }) },
);

/** A value for a known field: one of the plausible ones, or anything at all. */
export function fieldValue(plausible: readonly unknown[]): fc.Arbitrary<unknown> {
  if (plausible.length === 0) return nastyJson;
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...plausible) }, { weight: 2, arbitrary: nastyJson });
}

export type Shape = Record<string, readonly unknown[] | fc.Arbitrary<unknown>>;

const asArbitrary = (v: readonly unknown[] | fc.Arbitrary<unknown>) => (Array.isArray(v) ? fieldValue(v) : (v as fc.Arbitrary<unknown>));

/** An object with some of `shape`'s fields (plausible or hostile values) and a few stray keys. */
export function shapedObject(shape: Shape): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, asArbitrary(v)]));
  return fc
    .tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(nastyString, nastyJson, { maxKeys: 2 }))
    .map(([known, stray]) => Object.assign(Object.create(null), stray, known));
}

// 'a' nested n deep: a value that recursion (zod, structuredClone, JSON.stringify) must survive.
const deepArray = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** JSON text that does not parse, or parses into something hostile. */
export const brokenJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '{', '[', '{"a":', '{"a" 1}', "{'a':1}", '{"a":1,}', '[1,]', '{"a":1}{', '// x\n{}', 'NaN', 'undefined',
    '\uFEFF{}', '{"a":"\u0000"}', '{"a":"\\ud800"}', '{"__proto__":{"admin":true}}', '"\\u0000"', '1e99999', '-', '{"a":01}', 'nul'),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.integer({ min: 1, max: 400_000 }).map(deepArray),
  fc.integer({ min: 1, max: 200_000 }).map(deepObject),
);

/** A JSON body: usually the shape serialised, sometimes cut short, deep, huge or not JSON at all. */
export function jsonBody(shape: Shape): fc.Arbitrary<string> {
  const shaped = shapedObject(shape);
  return fc.oneof(
    { weight: 6, arbitrary: shaped.map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: fc.tuple(shaped, fc.nat()).map(([o, n]) => JSON.stringify(o).slice(0, n % (JSON.stringify(o).length + 1))) },
    { weight: 1, arbitrary: fc.tuple(shaped, fc.constantFrom(...Object.keys(shape)), fc.integer({ min: 1, max: 300_000 }))
        .map(([o, key, n]) => JSON.stringify({ ...o, [key]: '__DEEP__' }).replace('"__DEEP__"', deepArray(n))) },
    { weight: 2, arbitrary: brokenJsonText },
    { weight: 1, arbitrary: fc.constantFrom(1024 * 1024 - 64, 1024 * 1024 + 1).map((n) => JSON.stringify({ a: 'x'.repeat(n) })) },
  );
}

/** encodeURIComponent that takes any string: lone surrogates become U+FFFD first. */
export function uriEncoded(value: string): string {
  return encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
}

/** A form value as it may appear on the wire: encoded, raw or with broken percent escapes. */
function wireEncoded(value: string): fc.Arbitrary<string> {
  return fc.constantFrom(
    uriEncoded(value),
    value,
    `${value}%`,
    `%${value}%zz`,
  );
}

export type FormShape = Record<string, readonly string[] | fc.Arbitrary<string>>;

/** A form body whose keys come mostly from `shape`, with repeated, missing and unknown keys. */
export function formBody(shape: FormShape): fc.Arbitrary<string> {
  const keys = Object.keys(shape);
  const plausible = (k: string): fc.Arbitrary<string> => {
    const v = shape[k]!;
    return Array.isArray(v) ? fc.constantFrom(...(v.length ? v : [''])) : (v as fc.Arbitrary<string>);
  };
  const pair = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...keys).chain((k) => fc.tuple(fc.constant(k), fc.oneof({ weight: 2, arbitrary: plausible(k) }, { weight: 1, arbitrary: nastyString }))) },
    { weight: 1, arbitrary: fc.tuple(nastyString, nastyString) },
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(pair, { maxLength: 8 }).chain((pairs) =>
        fc.tuple(...pairs.map(([k, v]) => fc.tuple(wireEncoded(k), wireEncoded(v)))).map((parts) => parts.map(([k, v]) => `${k}=${v}`).join('&'))) },
    { weight: 1, arbitrary: fc.constantFrom('', '&', '=', '&&==&', '%', 'a', 'a=1&a=2', '=x', 'x='.repeat(5000)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  );
}

/** Strings are UTF-8 encoded first. */
export function base64url(bytes: Uint8Array | string): string {
  return jose.encode(bytes);
}

const jwtHeader = shapedObject({
  alg: ['none', 'None', 'HS256', 'RS256', 'ES256', 'EdDSA', 'PS256', 'RSA-OAEP', ''],
  typ: ['JWT', 'at+jwt', 'logout+jwt', 'secevent+jwt', 'dpop+jwt', 'jwt'],
  kid: ['', '../../keys', 'k-1'],
  crit: [['exp'], ['b64'], []],
  b64: [false],
  jku: ['https://evil.example/jwks.json'],
  jwk: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }],
});

/** Claims a client assertion, ID token, logout token or access token may carry, with hostile values. */
export const jwtClaims = shapedObject({
  iss: ['http://localhost:8787', 'https://evil.example'],
  sub: ['555000000001', ''],
  aud: ['http://localhost:8787', 'http://localhost:8787/token', ['http://localhost:8787', 'x']],
  exp: [0, -1, 2 ** 31, 1e20, '9999999999'],
  iat: [0, 2 ** 31, 'now'],
  nbf: [2 ** 40],
  jti: ['', 'x'.repeat(300), 1],
  sid: ['', 'x'],
  client_id: ['x'],
  scope: ['openid', 'openid profile'],
  events: [{ 'http://schemas.openid.net/event/backchannel-logout': {} }],
  nonce: ['n'],
});

/** Something in the place of a compact JWS: well-formed but unsigned or wrongly signed, or not a JWT at all. */
export const jwtLike: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(jwtHeader, jwtClaims, fc.uint8Array({ maxLength: 96 }))
      .map(([h, p, sig]) => `${base64url(JSON.stringify(h))}.${base64url(JSON.stringify(p))}.${base64url(sig)}`) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 })).map(([h, p]) => `${base64url(h)}.${base64url(p)}.`) },
  { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '...', 'a.b', 'a.b.c', 'a.b.c.d.e', 'eyJ.eyJ.', '====.====.====', `${'A'.repeat(20_000)}.e30.`) },
  { weight: 1, arbitrary: nastyString },
);
