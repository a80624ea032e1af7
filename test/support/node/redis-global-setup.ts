// Vitest global setup for the workerd tests: a real redis-server on a free port
// behind the Upstash REST bridge, its URL and token handed to the Upstash tests
// through inject(); and a port that accepts connections and never answers, for
// timeouts. Without redis-server only the Upstash tests fail, with the reason.
import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startRedisServer } from '../../../scripts/redis-rest-bridge/redis-server.ts';
import { startRedisRestBridge } from '../../../scripts/redis-rest-bridge/server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    upstash: { url: string; token: string; silentUrl: string } | { missing: string };
  }
}

export default async function setup(project: TestProject) {
  let redis;
  try {
    redis = await startRedisServer();
  } catch (err) {
    project.provide('upstash', { missing: err instanceof Error ? err.message : String(err) });
    return;
  }
  const token = randomBytes(24).toString('base64url');
  const bridge = await startRedisRestBridge({ redis, token });
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  const silentUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  project.provide('upstash', { url: bridge.url, token, silentUrl });
  return async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    await bridge.close();
    await redis.stop();
  };
}
