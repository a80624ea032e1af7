// Byte helpers for the software authenticator: base64url, concatenation, SHA-256
// and the DER form of an ECDSA signature that WebAuthn requires (§6.5.5).
import { base64url as jose } from 'jose';

export function base64url(bytes: Uint8Array): string {
  return jose.encode(bytes);
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(jose.decode(text));
}

export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export async function sha256(data: string | Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/** DER INTEGER: no leading zeros, but a 0x00 before a set high bit keeps it positive. */
function derInteger(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.slice(i);
  const body = trimmed[0]! & 0x80 ? concat(new Uint8Array([0]), trimmed) : trimmed;
  return concat(new Uint8Array([0x02, body.length]), body);
}

/** Web Crypto's raw r||s (IEEE P1363) to the ASN.1 SEQUENCE { r, s } WebAuthn expects. */
export function derSignature(raw: Uint8Array): Uint8Array<ArrayBuffer> {
  const half = raw.length / 2;
  const seq = concat(derInteger(raw.slice(0, half)), derInteger(raw.slice(half)));
  return concat(new Uint8Array([0x30, seq.length]), seq);
}
