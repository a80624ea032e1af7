// The check of every address a registered outbound name resolves to
// (src/clients/resolved-address.ts): one non-public address refuses the name.
import { describe, expect, it } from 'vitest';
import { checkResolvedAddresses, loopbackAllowedFor } from '../../../src/clients/resolved-address.ts';

describe('checking every resolved address before connecting (SSRF, DNS rebinding)', () => {
  it('answers the addresses to connect to, in order and with their family, when every one is public', () => {
    expect(checkResolvedAddresses(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'], false)).toEqual({
      ok: true,
      addresses: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
      ],
    });
  });

  it.each([
    ['RFC 1918', '10.1.2.3'],
    ['link-local (cloud metadata)', '169.254.169.254'],
    ['carrier-grade NAT', '100.64.0.1'],
    ['benchmarking', '198.18.0.1'],
    ['IETF protocol assignments', '192.0.0.8'],
    ['"this network"', '0.0.0.0'],
    ['unique local IPv6', 'fd00::1'],
    ['link-local IPv6 with a zone', 'fe80::1%eth0'],
    ['IPv4-mapped private', '::ffff:10.0.0.1'],
    ['NAT64', '64:ff9b::a00:1'],
    ['6to4', '2002:a00:1::1'],
    ['site-local fec0::/10', 'fec0::1'],
  ])('refuses a name when one of its addresses is %s (%s), even beside public ones', (_what, address) => {
    const check = checkResolvedAddresses(['93.184.216.34', address], true);
    expect(check).toEqual({ ok: false, problem: `resolves to a private, link-local or internal address (${address})` });
  });

  it('refuses loopback unless local development allows it, IPv4 and IPv6 and mapped alike', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect(checkResolvedAddresses([address], false)).toEqual({ ok: false, problem: `resolves to a loopback address (${address})` });
      expect(checkResolvedAddresses([address], true)).toMatchObject({ ok: true, addresses: [{ address }] });
    }
  });

  it('refuses no address at all, and anything that is not a canonical address', () => {
    expect(checkResolvedAddresses([], true)).toEqual({ ok: false, problem: 'resolves to no address' });
    for (const odd of ['127.1', '0x7f.0.0.1', '2130706433', 'rp.example', '']) {
      expect(checkResolvedAddresses(['93.184.216.34', odd], true)).toMatchObject({ ok: false, problem: expect.stringMatching(/not an address/) });
    }
  });

  it('allows loopback only while the issuer itself is on loopback (CONTRACT §3)', () => {
    expect(loopbackAllowedFor('http://localhost:8787')).toBe(true);
    expect(loopbackAllowedFor('http://127.0.0.1:8787')).toBe(true);
    expect(loopbackAllowedFor('https://id.nhs.example')).toBe(false);
    expect(loopbackAllowedFor('not a url')).toBe(false);
  });
});
