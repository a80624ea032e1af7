// workerd's own log lines reach the terminal through @cloudflare/vitest-pool-workers,
// which writes them to process.stdout/stderr itself (its handleStructuredLogs,
// which a project cannot replace): they are not console output of a test, so
// vitest's onConsoleLog never sees them. Three are known, expected and harmless,
// and read like failures in a green run; this drops exactly those lines.
//  - "WebSocket peer disconnected": the pool's WebSocket to each test file's
//    runner closing when the file ends. The pool ignores it from 0.16
//    (cloudflare/workers-sdk#13833); this project is on 0.15.
//  - "connect(): Connection refused" and "Network connection lost": a fetch to a
//    loopback port with nothing listening, the back-channel logout tests' client
//    that is down (test/worker/logout/backchannel.test.ts). workerd logs the
//    refused connection, and logs the fetch's rejection as "Uncaught (in promise)"
//    even when the caller catches it, as postLogoutToken does: a bare
//    `fetch(closedPort).catch(() => {})` in a test logs the same three lines.
// A real failure still fails its test: the filter only hides the runtime's log.
// Anchored at workerd's own prefixes, so a test's console output is never dropped.
const KNOWN_NOISE = [
  /^exception = \S+: disconnected: WebSocket peer disconnected\n/,
  /^exception = \S+: disconnected: connect\(\): Connection refused\n/,
  /^uncaught exception; source = Uncaught \(in promise\); stack = Error: Network connection lost\.\n/,
  /^uncaught exception; exception = \S+: disconnected: jsg\.Error: Network connection lost\.\n/,
];

function filtered(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && KNOWN_NOISE.some((line) => line.test(chunk))) return true;
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

export function dropKnownWorkerdNoise(): void {
  filtered(process.stdout);
  filtered(process.stderr);
}
