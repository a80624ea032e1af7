// The Deno outbound fetch (deno/checked-fetch.ts) against real sockets: it
// connects to the address it checked, TLS still verifies the URL's name, and a
// name with any non-public address is refused before a connection is made.
// Run by test/node/deno/checked-fetch.test.ts (`deno test`), with a certificate
// for rp.test that test hands in through CHECKED_FETCH_CERT and _KEY.
import assert from 'node:assert/strict';
import { createCheckedFetch } from '../../deno/checked-fetch.ts';
import { OutboundAddressRefused } from '../../src/clients/resolved-address.ts';

const cert = Deno.readTextFileSync(Deno.env.get('CHECKED_FETCH_CERT')!);
const key = Deno.readTextFileSync(Deno.env.get('CHECKED_FETCH_KEY')!);

/** A TLS server for rp.test on loopback, recording the Host of each request it gets. */
function tlsServer() {
  const hosts: string[] = [];
  const server = Deno.serve({ port: 0, hostname: '127.0.0.1', cert, key, onListen() {} }, async (req) => {
    hosts.push(req.headers.get('host') ?? '');
    if (req.method === 'POST') return new Response(null, { status: 204 });
    return Response.json({ keys: [], body: await req.text() });
  });
  return { server, hosts, port: server.addr.port };
}

Deno.test('connects to the checked address, keeping the name for Host, SNI and certificate verification', async () => {
  const { server, hosts, port } = tlsServer();
  const looked: string[] = [];
  const send = createCheckedFetch({ allowLoopback: true, ca: [cert], resolve: (name) => (looked.push(name), Promise.resolve(['127.0.0.1'])) });
  try {
    const res = await send(`https://rp.test:${port}/jwks.json`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { keys: [], body: '' });
    const posted = await send(`https://rp.test:${port}/bcl`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'logout_token=a.b.c' });
    assert.equal(posted.status, 204);
    assert.deepEqual(looked, ['rp.test', 'rp.test']);
    assert.deepEqual(hosts, [`rp.test:${port}`, `rp.test:${port}`]);
    // The certificate names rp.test: the same address under another name fails verification.
    const other = createCheckedFetch({ allowLoopback: true, ca: [cert], resolve: () => Promise.resolve(['127.0.0.1']) });
    await assert.rejects(other(`https://other.test:${port}/jwks.json`), (err: Error) => !(err instanceof OutboundAddressRefused));
    assert.equal(hosts.length, 2);
  } finally {
    await server.shutdown();
  }
});

Deno.test('refuses, before connecting, a name with any private address, and loopback outside development', async () => {
  const { server, hosts, port } = tlsServer();
  try {
    const mixed = createCheckedFetch({ allowLoopback: true, ca: [cert], resolve: () => Promise.resolve(['127.0.0.1', '10.0.0.7']) });
    await assert.rejects(mixed(`https://rp.test:${port}/jwks.json`), (err: Error) => err instanceof OutboundAddressRefused && /10\.0\.0\.7/.test(err.message));
    const production = createCheckedFetch({ allowLoopback: false, ca: [cert], resolve: () => Promise.resolve(['127.0.0.1']) });
    await assert.rejects(production(`https://rp.test:${port}/jwks.json`), (err: Error) => err instanceof OutboundAddressRefused && /loopback/.test(err.message));
    await assert.rejects(production(`http://[::ffff:169.254.169.254]/latest`), OutboundAddressRefused);
    await assert.rejects(production(`https://metadata.internal/`), OutboundAddressRefused);
    const nowhere = createCheckedFetch({ allowLoopback: true, resolve: () => Promise.resolve([]) });
    await assert.rejects(nowhere(`https://rp.test:${port}/`), (err: Error) => err instanceof OutboundAddressRefused && /no address/.test(err.message));
    assert.deepEqual(hosts, []);
  } finally {
    await server.shutdown();
  }
});

Deno.test('reaches a loopback http receiver by name in development, and ends a request at its deadline', async () => {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const server = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen() {} }, async (req) => {
    if (new URL(req.url).pathname === '/slow') await held;
    return new Response(`hello ${req.headers.get('host')}`);
  });
  const send = createCheckedFetch({ allowLoopback: true, resolve: () => Promise.reject(new Error('localhost is not resolved')) });
  try {
    const res = await send(`http://localhost:${server.addr.port}/bcl`);
    assert.equal(await res.text(), `hello localhost:${server.addr.port}`);
    await assert.rejects(send(`http://localhost:${server.addr.port}/slow`, { signal: AbortSignal.timeout(100) }), (err: Error) => err.name === 'TimeoutError');
  } finally {
    release();
    await server.shutdown();
  }
});
