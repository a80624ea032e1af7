// Server nonces for DPoP proofs (RFC 9449 §8, §9): stateless, an HMAC over a
// time slot, so every isolate and entry agrees without shared state. A nonce
// is good in its slot and the next, i.e. for one to two slots.
import type { Ports } from '../ports.ts';
import { base64url, timingSafeEqual } from '../secrets.ts';

const SLOT_SECONDS = 300;
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    // A key of its own, derived from the operator's secret by purpose.
    key = crypto.subtle.importKey('raw', encoder.encode(`dpop-nonce:${secret}`), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, key);
  }
  return key;
}

async function nonceFor(ports: Ports, slot: number): Promise<string> {
  const key = await hmacKey(ports.config.keyEncryptionSecret);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${slot}`)));
  return `${slot.toString(36)}.${base64url(mac)}`;
}

const slotAt = (ports: Ports) => Math.floor(ports.now() / 1000 / SLOT_SECONDS);

export function issueDpopNonce(ports: Ports): Promise<string> {
  return nonceFor(ports, slotAt(ports));
}

export async function checkDpopNonce(ports: Ports, nonce: string): Promise<boolean> {
  const slot = slotAt(ports);
  const [current, previous] = await Promise.all([nonceFor(ports, slot), nonceFor(ports, slot - 1)]);
  return timingSafeEqual(nonce, current) || timingSafeEqual(nonce, previous);
}
