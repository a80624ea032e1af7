// Classifies the host of a URL the service will call or redirect to, so that a
// registered URI cannot point the service at its own network (SSRF).
// Takes `URL.hostname`: the WHATWG parser has already folded IPv4 spellings
// such as 0x7f.1 or 2130706433 into dotted quads and compressed IPv6.

export type HostKind = 'loopback' | 'private' | 'public';

// RFC 6761, RFC 8375 and names that resolve only inside an organisation.
const INTERNAL_SUFFIXES = ['localhost', 'local', 'internal', 'intranet', 'lan', 'home', 'corp', 'home.arpa'];

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** Eight 16-bit groups, or null if `host` is not an IPv6 literal. */
export function ipv6Groups(host: string): number[] | null {
  let text = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (!text.includes(':')) return null;
  // A trailing dotted quad (::ffff:127.0.0.1) is two groups written another way.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4(dotted[1]!);
    if (!v4) return null;
    const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
    text = text.slice(0, -dotted[1]!.length) + `${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.every((g) => Number.isInteger(g)) ? groups : null;
}

function classifyIpv4([a, b]: number[]): HostKind {
  if (a === 127) return 'loopback';
  if (
    a === 0 || // "this network"
    a === 10 ||
    (a === 100 && b! >= 64 && b! <= 127) || // carrier-grade NAT, RFC 6598
    (a === 169 && b === 254) || // link-local, cloud metadata endpoints
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    a! >= 224 // multicast, reserved, broadcast
  ) {
    return 'private';
  }
  return 'public';
}

function classifyIpv6(g: number[]): HostKind {
  const zeroPrefix = g.slice(0, 5).every((x) => x === 0);
  if (zeroPrefix && g[5] === 0 && g[6] === 0 && g[7] === 1) return 'loopback';
  if (zeroPrefix && g[5] === 0xffff) {
    // IPv4-mapped (::ffff:a.b.c.d): judge the IPv4 address it carries.
    return classifyIpv4([g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff]);
  }
  const first = g[0]!;
  if (
    g.every((x) => x === 0) || // unspecified
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 // multicast
  ) {
    return 'private';
  }
  return 'public';
}

export function classifyHost(hostname: string): HostKind {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const v4 = ipv4(host);
  if (v4) return classifyIpv4(v4);
  const v6 = ipv6Groups(host);
  if (v6) return classifyIpv6(v6);
  if (host.includes(':') || host.startsWith('[')) return 'private'; // unparseable literal: refuse
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  // A single label resolves through the resolver's search domains: an internal name.
  if (!host.includes('.')) return 'private';
  if (INTERNAL_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) return 'private';
  return 'public';
}
