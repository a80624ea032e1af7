// The address a request comes from, as rate limits and lockout count it: the
// CF-Connecting-IP header Cloudflare sets at its edge (or the peer address a
// Deno host passes), else 'local' (wrangler dev,
// tests, a benchmark on loopback). IPv6 is counted per /64, the block one
// subscriber is usually given, so rotating through it buys an attacker nothing.
import type { Context } from 'hono';

const LOCAL_ADDRESS = 'local';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The first four groups of an IPv6 address, expanded ('2001:db8::1' → '2001:db8:0:0::/64'). */
function ipv6Prefix(address: string): string | null {
  if (!/^[0-9a-f:.]+$/i.test(address) || address.length > 45) return null;
  const halves = address.toLowerCase().split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) takes two groups.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const missing = 8 - width(head) - width(tail);
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.slice(0, 4).some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** A normalised address key; a header that is not an address counts as 'local'. */
export function addressKey(header: string | undefined): string {
  const value = header?.trim();
  if (!value) return LOCAL_ADDRESS;
  if (IPV4.test(value)) return value;
  return ipv6Prefix(value) ?? LOCAL_ADDRESS;
}

/**
 * A host that knows the peer itself (the Deno entry) passes it as `clientAddress`
 * in the fetch environment; the header is then never read, so a client cannot
 * name its own address. Passing it beside the request spares copying each one.
 */
export function clientAddress(c: Context): string {
  const given = (c.env as { clientAddress?: unknown } | undefined)?.clientAddress;
  if (typeof given === 'string') return addressKey(given);
  return addressKey(c.req.header('cf-connecting-ip'));
}
