// node --import tsx scripts/redis-rest-bridge/cli.ts --redis HOST:PORT [--port N] [--host H] [--token T]
// Without --token the token comes from UPSTASH_REDIS_REST_TOKEN, which keeps it out of `ps` output.
import { parseArgs } from 'node:util';
import { startRedisRestBridge } from './server.ts';

// stdout carries only the "listening" line, which a parent process may wait
// for; everything else is diagnostics on stderr.
function logLine(line: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: cli.ts --redis HOST:PORT [--port N] [--host H] [--token T]\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { redis: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    usage(err instanceof Error ? err.message : String(err));
  }
  const redis = /^(.+):(\d+)$/.exec(values.redis ?? '');
  if (!redis) usage('--redis HOST:PORT is required');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`invalid --port ${values.port}`);
  const token = values.token ?? process.env['UPSTASH_REDIS_REST_TOKEN'] ?? '';
  if (token === '') usage('--token or UPSTASH_REDIS_REST_TOKEN is required');

  const bridge = await startRedisRestBridge({
    redis: { host: redis[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(redis[2]) },
    token,
    port,
    host: values.host,
    log: logLine,
  });
  process.stdout.write(`${JSON.stringify({ msg: 'redis rest bridge listening', url: bridge.url })}\n`);

  const stop = (signal: string) => {
    bridge.close().then(
      () => {
        logLine({ msg: 'redis rest bridge stopped', signal });
        process.exit(0);
      },
      (err: unknown) => {
        logLine({ msg: 'redis rest bridge failed to stop cleanly', error: String(err) });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  logLine({ msg: 'redis rest bridge failed to start', error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
