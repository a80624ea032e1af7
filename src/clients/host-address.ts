// Classifies the host of a URL the service will call or redirect to, so that a
// registered URI cannot point the service at its own network (SSRF).
// Takes `URL.hostname`: the WHATWG parser has already folded IPv4 spellings
// such as 0x7f.1 or 2130706433 into dotted quads and compressed IPv6.
// Addresses are judged by ipaddr.js's registry of special ranges (IANA's IPv4
// and IPv6 special-purpose registries, RFC 6890): only plain unicast is public.
// Names are judged by name: the Worker cannot resolve one before it connects,
// so a public-looking name that resolves into private space is not caught here.
import ipaddr from 'ipaddr.js';

type HostKind = 'loopback' | 'private' | 'public';

// RFC 6761, RFC 8375 and names that resolve only inside an organisation.
const INTERNAL_SUFFIXES = ['localhost', 'local', 'internal', 'intranet', 'lan', 'home', 'corp', 'home.arpa'];

function classifyIpv4(address: ipaddr.IPv4): HostKind {
  const range = address.range();
  if (range === 'loopback') return 'loopback';
  // Private, link-local (cloud metadata), carrier-grade NAT, "this network",
  // benchmarking 198.18.0.0/15, IETF protocol assignments 192.0.0.0/24,
  // documentation, multicast, reserved, broadcast: none is a relying party.
  return range === 'unicast' ? 'public' : 'private';
}

function classifyIpv6(address: ipaddr.IPv6): HostKind {
  // IPv4-mapped (::ffff:a.b.c.d): the IPv4 address it carries decides.
  if (address.isIPv4MappedAddress()) return classifyIpv4(address.toIPv4Address());
  const range = address.range();
  if (range === 'loopback') return 'loopback';
  // IPv4-compatible (::a.b.c.d, RFC 4291 §2.5.5.1, deprecated): ipaddr.js calls it unicast,
  // but it reaches the IPv4 address it carries.
  if (address.parts.slice(0, 6).every((part) => part === 0)) return 'private';
  // Unique local, link-local, site-local fec0::/10, multicast, NAT64 64:ff9b::/96 and
  // 64:ff9b:1::/48, 6to4 2002::/16 and Teredo (IPv4 underneath), documentation, discard...
  return range === 'unicast' ? 'public' : 'private';
}

export function classifyHost(hostname: string): HostKind {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return classifyIpv4(ipaddr.IPv4.parse(host));
  const literal = host.replace(/^\[(.*)\]$/, '$1');
  if (literal.includes(':')) return ipaddr.IPv6.isValid(literal) ? classifyIpv6(ipaddr.IPv6.parse(literal)) : 'private';
  if (host.startsWith('[')) return 'private'; // unparseable literal: refuse
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  // A single label resolves through the resolver's search domains: an internal name.
  if (!host.includes('.')) return 'private';
  if (INTERNAL_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) return 'private';
  return 'public';
}
