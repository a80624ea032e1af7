import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// A port taken from the kernel's ephemeral range (bind to 0, then close) can be
// handed to any outgoing connection on the machine before our server binds it,
// and the server then fails with "address already in use". Ports below that
// range are never given to outgoing connections, so they stay free until someone
// binds them on purpose: they are tried first, in random order.
const EPHEMERAL_FALLBACK_LOW = 32768;
const LOWEST = 10000;
const ATTEMPTS = 50;

/** Ports this process has handed out, so that two calls never answer the same one. */
const handedOut = new Set<number>();

function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const value = Number(low);
    return Number.isInteger(value) && value > 0 ? value : EPHEMERAL_FALLBACK_LOW;
  } catch {
    return EPHEMERAL_FALLBACK_LOW;
  }
}

/** Binds `port` on loopback and closes it: the port it got (the kernel's choice for 0), or null when taken. */
function tryPort(port: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(null) : reject(err)));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

/** A port free on loopback right now, outside the ephemeral range where the system has one. */
export async function freePort(): Promise<number> {
  const high = ephemeralLow() - 1;
  if (high > LOWEST) {
    for (let i = 0; i < ATTEMPTS; i++) {
      const candidate = LOWEST + Math.floor(Math.random() * (high - LOWEST + 1));
      if (handedOut.has(candidate)) continue;
      // Reserved before the check, so a concurrent call cannot pick it meanwhile.
      handedOut.add(candidate);
      if ((await tryPort(candidate)) !== null) return candidate;
      handedOut.delete(candidate);
    }
  }
  const port = await tryPort(0);
  if (port === null) throw new Error('no free port on loopback');
  handedOut.add(port);
  return port;
}
