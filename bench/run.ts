// npm run bench [-- --url URL] [--duration 10] [--connections 32] [--warmup 1] [--only a,b,...] [--inspect PORT]
// Starts our service as production runs it (or uses --url), the peer
// oidc-provider and a hello-world Worker; provisions each through its public
// API; runs every scenario against ours and the peer in turn; prints the
// side-by-side table and writes bench/results/latest.{json,md,svg}.
import { cpus, loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../scripts/free-port.ts';
import { renderChart } from './chart.ts';
import { cpuByRole, type ServerProcesses } from './cpu.ts';
import { HttpClient } from './http.ts';
import { stopAll, stopOnSignals } from './lifecycle.ts';
import { runLoad, type LoadResult, type LoadScenario } from './load.ts';
import { startPeer } from './peer/target.ts';
import { provisionOurs } from './provision.ts';
import { markdownReport, markdownTable, summaryLine, targetsTable } from './report.ts';
import { failed, type BenchResults, type ScenarioResult } from './results.ts';
import { helloWorld } from './scenarios/hello-world.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { serveScript } from './serve-workerd.ts';
import { startLocalService } from './stack.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

function options() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      'admin-token': { type: 'string' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      warmup: { type: 'string', default: '1' },
      only: { type: 'string' },
      // workerd's V8 inspector on this port, to profile ours with Chrome DevTools while a scenario runs.
      inspect: { type: 'string' },
    },
    strict: true,
  });
  const number = (name: string, value: string, min: number) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, not "${value}"`);
    return n;
  };
  const only = values.only?.split(',').map((s) => s.trim().toLowerCase());
  const unknown = only?.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown?.length) throw new Error(`--only: no scenario ${unknown.join(', ')} (scenarios: ${SCENARIOS.map((s) => s.id).join(', ')})`);
  const adminToken = values['admin-token'] ?? process.env.ADMIN_TOKEN;
  if (values.url && !adminToken) throw new Error('--url needs the service’s admin token: --admin-token or ADMIN_TOKEN');
  return {
    url: values.url ?? null,
    adminToken: adminToken ?? '',
    durationS: number('duration', values.duration, 0.5),
    connections: Math.floor(number('connections', values.connections, 1)),
    warmupS: number('warmup', values.warmup, 0),
    scenarios: SCENARIOS.filter((s) => !only || only.includes(s.id)),
    inspectorPort: values.inspect === undefined ? undefined : number('inspect', values.inspect, 1),
  };
}

type Options = ReturnType<typeof options>;

function progressLine(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${text.padEnd(100)}`);
}

async function measure(label: string, unit: string, scenario: LoadScenario<unknown>, processes: ServerProcesses | null, opts: Options): Promise<LoadResult> {
  progressLine(`${label}  preparing`);
  const result = await runLoad(scenario, {
    durationS: opts.durationS,
    connections: opts.connections,
    warmupS: opts.warmupS,
    serverCpu: processes ? () => cpuByRole(processes) : undefined,
    onProgress: ({ elapsedS, count, errors, warmup }) =>
      progressLine(warmup ? `${label}  warming up ${elapsedS.toFixed(1)} s` : `${label}  ${elapsedS.toFixed(1)} s  ${count.toLocaleString('en-GB')} ${unit}  ${errors} err`),
  });
  const summary = summaryLine(label, unit, result);
  if (process.stderr.isTTY) process.stderr.write(`\r${summary.padEnd(100)}\n`);
  else log(summary);
  return result;
}

async function main(): Promise<number> {
  stopOnSignals();
  const opts = options();
  const ours = opts.url ? { url: opts.url, adminToken: opts.adminToken, processes: null } : await startLocalService(root, log, opts.inspectorPort);
  log(`provisioning ours: 3 clients, ${opts.connections} people with passkeys`);
  const oursTarget = await provisionOurs({ http: new HttpClient(ours.url, opts.connections), adminToken: ours.adminToken, people: opts.connections, processes: ours.processes });
  const peer = await startPeer({ root, port: await freePort(), connections: opts.connections });
  log(`peer (oidc-provider) on ${peer.http.origin}`);
  const hello = await serveScript(root, join(root, 'bench', 'hello-world.js'), await freePort());
  log(`hello-world Worker on ${hello.url} (workerd ${hello.pids.join(', ')})`);

  const loadAverage = loadavg();
  const scenarios: ScenarioResult[] = [];
  // Ours and the peer take turns per scenario, so drift in the machine's other load hits both alike.
  for (const def of opts.scenarios) {
    const unit = def.unit;
    const label = (side: string) => `(${def.id}) ${side} ${def.name}`;
    const oursResult = await measure(label('ours'), unit, def.create(oursTarget), oursTarget.processes, opts);
    const peerResult = await measure(label('peer'), unit, def.create(peer), peer.processes, opts);
    scenarios.push({ id: def.id, name: def.name, unit, ours: oursResult, peer: peerResult });
  }
  const helloHttp = new HttpClient(hello.url, opts.connections);
  const helloResult = await measure('hello-world Worker (GET)', 'req', helloWorld(helloHttp), { workerd: hello.pids }, opts);
  // A service the bench did not start keeps running: leave no bench people or clients in it.
  if (opts.url) await oursTarget.deprovision().catch((err: unknown) => log(`removing the bench's people and clients failed: ${String(err)}`));
  await stopAll();

  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.versions.node, loadAverage },
    options: { durationS: opts.durationS, connections: opts.connections, warmupS: opts.warmupS, url: opts.url },
    introspected: { ours: oursTarget.introspected.description, peer: peer.introspected.description },
    helloWorld: helloResult,
    scenarios,
  };
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), markdownReport(results));
  writeFileSync(join(dir, 'latest.svg'), renderChart(results));
  process.stdout.write(`\n${markdownTable(results)}\n\n${targetsTable(results)}\n\nwritten: bench/results/latest.json, latest.md, latest.svg\n`);
  return scenarios.some((s) => failed(s.ours) || failed(s.peer)) || failed(helloResult) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    if (process.stderr.isTTY) process.stderr.write('\n');
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    await stopAll();
    process.exit(1);
  },
);
