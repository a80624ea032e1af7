// Everything the bench starts registers how to stop it here, so the normal end,
// a failure and SIGINT/SIGTERM all leave no process or temporary file behind.
// Something may call process.exit() before an asynchronous stop can finish, so
// each registration may also give a synchronous `kill` that the 'exit' event
// runs for whatever is still up (workerd, the libSQL server, the peer).

type Stop = () => Promise<void> | void;
type Kill = () => void;

interface Registration {
  stop: Stop;
  kill?: Kill;
  done: boolean;
}

const registrations: Registration[] = [];
let stopping: Promise<void> | undefined;

process.on('exit', () => {
  for (const r of registrations.toReversed()) {
    if (r.done) continue;
    try {
      r.kill?.();
    } catch {
      // exiting anyway
    }
  }
});

async function run(r: Registration): Promise<void> {
  if (r.done) return;
  try {
    await r.stop();
  } finally {
    r.done = true;
    registrations.splice(registrations.indexOf(r), 1);
  }
}

/** Registers `stop` (and a synchronous last-resort `kill`); answers a function that runs and unregisters it. */
export function onStop(stop: Stop, kill?: Kill): () => Promise<void> {
  const registration: Registration = { stop, kill, done: false };
  registrations.push(registration);
  return () => run(registration);
}

/** Stops everything still registered, newest first; safe to call more than once. */
export function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const r of registrations.toReversed()) {
      try {
        await run(r);
      } catch (err) {
        process.stderr.write(`bench: stopping failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  })();
  return stopping;
}

/** SIGINT/SIGTERM stop everything, then exit with the conventional 128 + signal number. */
export function stopOnSignals(): void {
  const handle = (signal: NodeJS.Signals, code: number) => {
    process.stderr.write(`\nbench: ${signal}, stopping\n`);
    void stopAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => handle('SIGINT', 130));
  process.once('SIGTERM', () => handle('SIGTERM', 143));
}
