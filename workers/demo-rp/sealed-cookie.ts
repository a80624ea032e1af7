// The demo keeps its tokens in an AES-GCM sealed cookie, so it needs no storage
// of its own; the key is derived from a secret `npm start` generates.
import { base64url } from 'jose';

const encoder = new TextEncoder();

async function keyFrom(secret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('demo-rp cookie') },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

const toBase64url = (bytes: Uint8Array): string => base64url.encode(bytes);
const fromBase64url = (text: string): Uint8Array<ArrayBuffer> => new Uint8Array(base64url.decode(text));

export async function seal(secret: string, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await keyFrom(secret), encoder.encode(JSON.stringify(value)));
  return `${toBase64url(iv)}.${toBase64url(new Uint8Array(data))}`;
}

export async function unseal<T>(secret: string, sealed: string | undefined): Promise<T | null> {
  if (!sealed) return null;
  const [iv, data] = sealed.split('.');
  if (!iv || !data) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64url(iv) }, await keyFrom(secret), fromBase64url(data));
    return JSON.parse(new TextDecoder().decode(plain)) as T;
  } catch {
    return null;
  }
}
