import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../../src/limits/client-address.ts';

const app = new Hono().get('/', (c) => c.text(clientAddress(c)));
const spoofed = { headers: { 'cf-connecting-ip': '203.0.113.9' } };

describe('the address rate limits count', () => {
  it('is the CF-Connecting-IP header on Workers, where the edge sets it', async () => {
    expect(await (await app.request('/', spoofed)).text()).toBe('203.0.113.9');
  });

  it('is the peer a host passes, never a header the client sent itself', async () => {
    const res = await app.fetch(new Request('http://idp.test/', spoofed), { clientAddress: '198.51.100.4' });
    expect(await res.text()).toBe('198.51.100.4');
  });

  it('counts an IPv6 peer per /64, and a peer with no address as local', async () => {
    const v6 = await app.fetch(new Request('http://idp.test/', spoofed), { clientAddress: '2001:db8:1:2:3:4:5:6' });
    expect(await v6.text()).toBe('2001:db8:1:2::/64');
    const unix = await app.fetch(new Request('http://idp.test/', spoofed), { clientAddress: '' });
    expect(await unix.text()).toBe('local');
  });
});
