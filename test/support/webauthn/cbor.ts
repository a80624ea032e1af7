// The little of CBOR (RFC 8949) a software authenticator writes: unsigned and
// negative integers, byte and text strings, arrays and maps, in definite lengths.
// Maps keep the order given; callers list keys in CTAP2 canonical order (§3.9 of
// RFC 8949: shorter encodings first).

export type CborValue = number | string | Uint8Array | boolean | CborValue[] | CborMap;
export type CborMap = Map<number | string, CborValue>;

function head(major: number, n: number): number[] {
  const m = major << 5;
  if (n < 24) return [m | n];
  if (n < 0x100) return [m | 24, n];
  if (n < 0x10000) return [m | 25, n >> 8, n & 0xff];
  if (n < 0x100000000) return [m | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  throw new RangeError('integer too large for this encoder');
}

function encodeInto(value: CborValue, out: number[]): void {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError('only integers are supported');
    out.push(...(value >= 0 ? head(0, value) : head(1, -1 - value)));
  } else if (typeof value === 'boolean') {
    out.push(value ? 0xf5 : 0xf4);
  } else if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    out.push(...head(3, bytes.length), ...bytes);
  } else if (value instanceof Uint8Array) {
    out.push(...head(2, value.length), ...value);
  } else if (Array.isArray(value)) {
    out.push(...head(4, value.length));
    for (const item of value) encodeInto(item, out);
  } else {
    out.push(...head(5, value.size));
    for (const [k, v] of value) {
      encodeInto(k, out);
      encodeInto(v, out);
    }
  }
}

export function encodeCbor(value: CborValue): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  encodeInto(value, out);
  return new Uint8Array(out);
}
