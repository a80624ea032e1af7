import { describe, expect, it } from 'vitest';
import { backchannelLogoutUriProblem, isPermittedBackchannelLogoutUri } from '../../../src/clients/backchannel-uri.ts';
import { classifyHost } from '../../../src/clients/host-address.ts';

const PUBLIC_ISSUER = 'https://id.example.nhs.uk';
const LOOPBACK_ISSUER = 'http://localhost:8787';

describe('backchannelLogoutUriProblem (OIDC Back-Channel Logout §2.2, CONTRACT §3)', () => {
  it('accepts a public https URI with port, path and query', () => {
    expect(backchannelLogoutUriProblem('https://rp.example.com:8443/logout?x=1', PUBLIC_ISSUER)).toBeNull();
    expect(isPermittedBackchannelLogoutUri('https://rp.example.com/logout', PUBLIC_ISSUER)).toBe(true);
  });

  it('refuses http to a public host, relative URIs, fragments and credentials', () => {
    expect(backchannelLogoutUriProblem('http://rp.example.com/logout', PUBLIC_ISSUER)).toMatch(/https/);
    expect(backchannelLogoutUriProblem('http://rp.example.com/logout', LOOPBACK_ISSUER)).toMatch(/https/);
    expect(backchannelLogoutUriProblem('/logout', PUBLIC_ISSUER)).toMatch(/absolute/);
    expect(backchannelLogoutUriProblem('https://rp.example.com/logout#x', PUBLIC_ISSUER)).toMatch(/fragment/);
    expect(backchannelLogoutUriProblem('https://rp.example.com/logout#', PUBLIC_ISSUER)).toMatch(/fragment/);
    expect(backchannelLogoutUriProblem('https://u:p@rp.example.com/logout', PUBLIC_ISSUER)).toMatch(/credentials/);
    expect(backchannelLogoutUriProblem('ftp://rp.example.com/logout', PUBLIC_ISSUER)).toMatch(/https/);
  });

  it('allows loopback targets, over http or https, only while the issuer is on loopback', () => {
    for (const uri of ['http://localhost:3000/logout', 'http://127.0.0.1:3000/logout', 'https://[::1]/logout', 'http://127.9.9.9/']) {
      expect(backchannelLogoutUriProblem(uri, LOOPBACK_ISSUER), uri).toBeNull();
      expect(backchannelLogoutUriProblem(uri, 'http://127.0.0.1:8787'), uri).toBeNull();
      expect(backchannelLogoutUriProblem(uri, PUBLIC_ISSUER), uri).toMatch(/loopback/);
    }
  });

  it.each([
    'https://10.0.0.5/logout',
    'https://172.16.0.1/logout',
    'https://172.31.255.255/logout',
    'https://192.168.1.10/logout',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://[fc00::1]/',
    'https://[fd12:3456::1]/',
    'https://[fe80::1]/',
    'https://[::]/',
    'https://[::ffff:10.0.0.1]/',
    'https://[::ffff:192.168.0.1]/',
    'https://printer.local/logout',
    'https://metadata.google.internal/',
    'https://router.home.arpa/',
    'https://intranet/logout',
    'https://0x0a.0.0.1/',
    'https://167772161/',
    // Forms the hand-written table missed (ipaddr.js special ranges):
    'https://198.18.0.1/', // benchmarking 198.18.0.0/15
    'https://198.19.255.1/',
    'https://192.0.0.8/', // IETF protocol assignments 192.0.0.0/24
    'https://192.0.2.1/', // documentation
    'https://[::10.0.0.1]/', // IPv4-compatible
    'https://[::127.0.0.1]/',
    'https://[::ffff:0:10.0.0.1]/', // SIIT (RFC 6145)
    'https://[64:ff9b::10.0.0.1]/', // NAT64 (RFC 6052)
    'https://[64:ff9b::169.254.169.254]/',
    'https://[64:ff9b:1::a00:1]/', // local-use NAT64 (RFC 8215)
    'https://[2002:a00:1::1]/', // 6to4 of 10.0.0.1
    'https://[2002:7f00:1::1]/', // 6to4 of 127.0.0.1
    'https://[2001::a00:1]/', // Teredo
    'https://[fec0::1]/', // site-local, deprecated
    'https://[2001:db8::1]/', // documentation
    'https://[100::1]/', // discard
  ])('never allows the private, link-local or internal target %s, even for a loopback issuer', (uri) => {
    expect(backchannelLogoutUriProblem(uri, PUBLIC_ISSUER)).toMatch(/private/);
    expect(backchannelLogoutUriProblem(uri, LOOPBACK_ISSUER)).toMatch(/private/);
  });

  it('treats IPv4-mapped loopback as loopback', () => {
    expect(backchannelLogoutUriProblem('https://[::ffff:127.0.0.1]/', PUBLIC_ISSUER)).toMatch(/loopback/);
  });
});

describe('classifyHost', () => {
  it('separates loopback, private and public hosts', () => {
    expect(classifyHost('localhost')).toBe('loopback');
    expect(classifyHost('app.localhost')).toBe('loopback');
    expect(classifyHost('[::1]')).toBe('loopback');
    expect(classifyHost('127.0.0.1')).toBe('loopback');
    expect(classifyHost('172.15.0.1')).toBe('public');
    expect(classifyHost('172.32.0.1')).toBe('public');
    expect(classifyHost('8.8.8.8')).toBe('public');
    expect(classifyHost('[2606:4700:4700::1111]')).toBe('public');
    expect(classifyHost('[2001:db8::1]')).toBe('private');
    expect(classifyHost('rp.example.com.')).toBe('public');
    expect(classifyHost('LOCALHOST.')).toBe('loopback');
  });

  it('refuses IPv6 literals it cannot parse', () => {
    expect(classifyHost('[1::2::3]')).toBe('private');
    expect(classifyHost('[1:2:3]')).toBe('private');
    expect(classifyHost('[example.com]')).toBe('private');
  });
});
