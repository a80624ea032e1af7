// `npm run start:deno`: the same local stack with the Deno entry (deno/main.ts).
// Sessions, grants and caches live in Upstash Redis: locally a redis-server
// (Debian's package) persisted under DATA_DIR/redis, behind the REST bridge that
// speaks Upstash's protocol. UPSTASH_REDIS_REST_URL names a real one instead.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root, runLocalStack } from './local-stack.ts';
import { startRedisRestBridge } from './redis-rest-bridge/server.ts';
import { startRedisServer } from './redis-rest-bridge/redis-server.ts';

const require = createRequire(import.meta.url);

await runLocalStack({
  command: 'npm run start:deno',
  async prepare({ dataDir, secrets, vars }): Promise<{ vars: Record<string, string>; stop(): Promise<void> }> {
    if (vars.UPSTASH_REDIS_REST_URL) return { vars: {}, stop: async () => {} };
    const dir = join(dataDir, 'redis');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const redis = await startRedisServer(undefined, { persistTo: dir });
    const bridge = await startRedisRestBridge({ redis, token: secrets.redisRestToken, port: 0 }).catch(async (err: unknown) => {
      await redis.stop();
      throw err;
    });
    return {
      vars: { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: secrets.redisRestToken },
      stop: async () => {
        await bridge.close();
        await redis.stop();
      },
    };
  },
  start({ port, vars, fidoMdsBlobFile }) {
    const deno = require.resolve('deno/bin.cjs');
    // --allow-sys: node:tls reads the root certificates for calls to clients (deno/checked-fetch.ts).
    return spawn(process.execPath, [deno, 'run', '--allow-net', '--allow-env', '--allow-read', '--allow-sys', '--no-prompt', join(root, 'deno/main.ts')], {
      cwd: root,
      // Its own process group, so stopping it stops Deno too. Settings go by the
      // environment, never on the command line.
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        ...vars,
        // The Deno entry reads a BLOB file itself: a real BLOB is past what one environment variable may hold.
        ...(fidoMdsBlobFile ? { FIDO_MDS_BLOB: fidoMdsBlobFile } : {}),
        PORT: String(port),
        HOSTNAME: '127.0.0.1',
        DENO_NO_UPDATE_CHECK: '1',
        DENO_NO_PROMPT: '1',
      },
    });
  },
});
