// Outbound requests to URLs a client registered (jwks_uri, backchannel_logout_uri)
// where the runtime can resolve a name before it connects (the Deno entry): every
// address the name resolves to is judged as host-address.ts judges a literal, and
// the connection goes to one of the addresses checked, never to a second lookup's
// answer, so a public-looking name cannot lead into the service's own network
// (SSRF, including DNS rebinding between the check and the connection).
import ipaddr from 'ipaddr.js';
import { classifyHost } from './host-address.ts';

/** Refused before connecting: the name or an address it resolves to is not one the service may call. */
export class OutboundAddressRefused extends Error {
  override name = 'OutboundAddressRefused';
}

export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

export type AddressCheck = { ok: true; addresses: CheckedAddress[] } | { ok: false; problem: string };

/**
 * Judges every resolved address of a host; answers them, in order, as the ones the
 * connection may go to, or why none may be. Loopback passes only with `allowLoopback` (local development,
 * while the issuer itself is on loopback: CONTRACT §3).
 */
export function checkResolvedAddresses(addresses: readonly string[], allowLoopback: boolean): AddressCheck {
  if (addresses.length === 0) return { ok: false, problem: 'resolves to no address' };
  for (const address of addresses) {
    // Only canonical forms: classifyHost would read '127.1' as a name.
    if (!ipaddr.IPv4.isValidFourPartDecimal(address) && !ipaddr.IPv6.isValid(address)) return { ok: false, problem: `resolves to something that is not an address (${address})` };
    const kind = classifyHost(address);
    if (kind === 'private') return { ok: false, problem: `resolves to a private, link-local or internal address (${address})` };
    if (kind === 'loopback' && !allowLoopback) return { ok: false, problem: `resolves to a loopback address (${address})` };
  }
  return { ok: true, addresses: addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })) };
}

/** Loopback targets are for local development: allowed only while the issuer is on loopback. */
export function loopbackAllowedFor(issuer: string): boolean {
  try {
    return classifyHost(new URL(issuer).hostname) === 'loopback';
  } catch {
    return false;
  }
}
