// The local libSQL server in a process of its own, for fault tests: `npm start`
// is pointed at it with LIBSQL_URL, and the test can freeze it (SIGSTOP: the
// kernel still accepts connections, nothing answers), kill it, and start it
// again on the same port over the same file while the Worker keeps running.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../scripts/free-port.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export class LibsqlProcess {
  private child: ChildProcess | undefined;

  private constructor(
    readonly file: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(file: string): Promise<LibsqlProcess> {
    const server = new LibsqlProcess(file, await freePort());
    await server.restart();
    return server;
  }

  /** Starts the server on its port; answers once it listens. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('the libSQL server is already running');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/libsql-server/cli.ts', '--file', this.file, '--port', String(this.port)], {
      cwd: root,
      env: { ...process.env, LIBSQL_AUTH_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the libSQL server did not start:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk;
        if (output.includes('libsql server listening')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the libSQL server exited with ${code}:\n${output}`));
      });
    });
  }

  /** SIGSTOP: connections are accepted by the kernel and never answered, like a hung database. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** SIGKILL, as a crash would: open connections are reset, new ones refused. */
  kill(): Promise<void> {
    return this.end('SIGKILL');
  }

  /** SIGTERM (thawed first, so it can act on it): for cleaning up. */
  stop(): Promise<void> {
    this.thaw();
    return this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }
}
