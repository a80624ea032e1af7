// node --import tsx scripts/libsql-server/cli.ts --file PATH [--port N] [--host H]
// The auth token comes from LIBSQL_AUTH_TOKEN so it stays out of `ps` output.
import { parseArgs } from 'node:util';
import { startLibsqlServer } from './server.ts';

// stdout carries only the "listening" line, which a parent process may wait
// for; everything else is diagnostics on stderr.
function logLine(line: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: cli.ts --file PATH [--port N] [--host H]\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { file: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    usage(err instanceof Error ? err.message : String(err));
  }
  if (values.file === undefined) usage('--file is required');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`invalid --port ${values.port}`);
  const token = process.env['LIBSQL_AUTH_TOKEN'];

  const server = await startLibsqlServer({
    file: values.file,
    port,
    host: values.host,
    authToken: token === undefined || token === '' ? undefined : token,
    log: logLine,
  });
  process.stdout.write(`${JSON.stringify({ msg: 'libsql server listening', url: server.url })}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => {
        logLine({ msg: 'libsql server stopped', signal });
        process.exit(0);
      },
      (err: unknown) => {
        logLine({ msg: 'libsql server failed to stop cleanly', error: String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  logLine({ msg: 'libsql server failed to start', error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
