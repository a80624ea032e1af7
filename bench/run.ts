// npm run bench [-- --url URL] [--duration 10] [--connections 32] [--warmup 1] [--only a,b,...]
//                  [--ours workerd,...] [--inspect PORT] [--profile a,d,...]
// Starts each target of ours as production runs it (or uses --url), the peer
// oidc-provider and each target's hello-world floor; provisions each through
// its public API; runs every scenario against each target of ours and the peer
// in turn; prints the side-by-side table and the ratios against the targets,
// and writes bench/results/latest.{json,md,svg}. With --profile, also samples
// ours' isolate during the named scenarios and prints where its CPU went (the
// profiler slows ours, so such a run writes no results).
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
import { existingService, OURS_TARGETS, type RunningOurs } from './ours.ts';
import { startPeer } from './peer/target.ts';
import { profileWindow, type ProfileRequest } from './profile-run.ts';
import { provisionOurs } from './provision.ts';
import { markdownReport, markdownTable, ratiosTable, summaryLine } from './report.ts';
import { failed, type BenchResults, type ScenarioResult } from './results.ts';
import { helloWorld } from './scenarios/hello-world.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { POOL_SIZE } from './token-pool.ts';

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
      // Which targets of ours run, by a word of their name (workerd, deno).
      ours: { type: 'string' },
      // The runtime's V8 inspector on this port, to profile ours with Chrome DevTools while a scenario runs.
      inspect: { type: 'string' },
      // Scenarios to sample ours' CPU during (their measured window), printing the top self-time functions.
      profile: { type: 'string' },
    },
    strict: true,
  });
  const number = (name: string, value: string, min: number) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, not "${value}"`);
    return n;
  };
  const ids = (name: string, value: string | undefined) => {
    const list = value?.split(',').map((s) => s.trim().toLowerCase());
    const unknown = list?.filter((id) => !SCENARIOS.some((s) => s.id === id));
    if (unknown?.length) throw new Error(`--${name}: no scenario ${unknown.join(', ')} (scenarios: ${SCENARIOS.map((s) => s.id).join(', ')})`);
    return list;
  };
  const only = ids('only', values.only);
  const profile = ids('profile', values.profile) ?? [];
  const adminToken = values['admin-token'] ?? process.env.ADMIN_TOKEN;
  if (values.url && !adminToken) throw new Error('--url needs the service’s admin token: --admin-token or ADMIN_TOKEN');
  if (values.url && profile.length > 0) throw new Error('--profile needs a service the bench starts, not --url');
  const wanted = values.ours?.split(',').map((s) => s.trim().toLowerCase());
  const targets = values.url ? [existingService(values.url, adminToken!)] : OURS_TARGETS.filter((t) => !wanted || wanted.some((w) => t.name.includes(w)));
  if (targets.length === 0) throw new Error(`--ours: no target matches (targets: ${OURS_TARGETS.map((t) => t.name).join(', ')})`);
  const inspectorPort = values.inspect === undefined ? (profile.length > 0 ? 0 : undefined) : number('inspect', values.inspect, 1);
  return {
    url: values.url ?? null,
    durationS: number('duration', values.duration, 0.5),
    connections: Math.floor(number('connections', values.connections, 1)),
    warmupS: number('warmup', values.warmup, 0),
    scenarios: SCENARIOS.filter((s) => !only || only.includes(s.id)),
    targets,
    inspectorPort,
    profile,
  };
}

type Options = ReturnType<typeof options>;

function progressLine(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${text.padEnd(100)}`);
}

async function measure(label: string, unit: string, scenario: LoadScenario<unknown>, processes: ServerProcesses | null, opts: Options, profile?: ProfileRequest): Promise<LoadResult> {
  progressLine(`${label}  preparing`);
  const window = profile ? await profileWindow(profile) : undefined;
  const result = await runLoad(scenario, {
    durationS: opts.durationS,
    connections: opts.connections,
    warmupS: opts.warmupS,
    serverCpu: processes ? () => cpuByRole(processes) : undefined,
    onWindow: window?.onWindow,
    onProgress: ({ elapsedS, count, errors, warmup }) =>
      progressLine(warmup ? `${label}  warming up ${elapsedS.toFixed(1)} s` : `${label}  ${elapsedS.toFixed(1)} s  ${count.toLocaleString('en-GB')} ${unit}  ${errors} err`),
  });
  const summary = summaryLine(label, unit, result);
  if (process.stderr.isTTY) process.stderr.write(`\r${summary.padEnd(100)}\n`);
  else log(summary);
  if (window) log(await window.report(result.count));
  return result;
}

async function main(): Promise<number> {
  stopOnSignals();
  const opts = options();
  const started = performance.now();
  const ours: { name: string; running: RunningOurs; target: Awaited<ReturnType<typeof provisionOurs>>; floor: { url: string; processes: ServerProcesses } | null }[] = [];
  for (const t of opts.targets) {
    const context = { root, log, inspectorPort: opts.inspectorPort };
    const running = await t.start(context);
    log(`provisioning ${t.name}: 3 clients, ${opts.connections} people with passkeys`);
    const target = await provisionOurs({ http: new HttpClient(running.url, opts.connections), adminToken: running.adminToken, people: opts.connections, processes: running.processes });
    const floor = (await t.startHelloWorld?.(context)) ?? null;
    if (floor) log(`hello-world for ${t.name} on ${floor.url}`);
    ours.push({ name: t.name, running, target, floor });
  }
  const peer = await startPeer({ root, port: await freePort(), connections: opts.connections });
  log(`peer (oidc-provider) on ${peer.http.origin}`);

  const loadAverage = loadavg();
  const scenarios: ScenarioResult[] = [];
  // Each of ours and the peer take turns per scenario, so drift in the machine's other load hits all alike.
  for (const def of opts.scenarios) {
    const label = (side: string) => `(${def.id}) ${side} ${def.name}`;
    const results: Record<string, LoadResult | null> = {};
    for (const o of ours) {
      const profile = opts.profile.includes(def.id) && o.running.inspectorPort !== undefined
        ? { inspectorPort: o.running.inspectorPort, bundleFile: o.running.bundleFile, name: `${def.id}-${o.name.replace(/\W+/g, '-').replace(/-$/, '')}` }
        : undefined;
      results[o.name] = await measure(label(o.name), def.unit, def.create(o.target), o.target.processes, opts, profile);
    }
    const peerResult = await measure(label('peer'), def.unit, def.create(peer), peer.processes, opts);
    scenarios.push({ id: def.id, name: def.name, unit: def.unit, ours: results, peer: peerResult });
  }
  const floors: Record<string, LoadResult | null> = {};
  for (const o of ours) {
    floors[o.name] = o.floor ? await measure(`hello-world ${o.name}`, 'req', helloWorld(new HttpClient(o.floor.url, opts.connections)), o.floor.processes, opts) : null;
  }
  // A service the bench did not start keeps running: leave no bench people or clients in it.
  if (opts.url) {
    for (const o of ours) await o.target.deprovision().catch((err: unknown) => log(`removing the bench's people and clients failed: ${String(err)}`));
  }
  await stopAll();

  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.versions.node, loadAverage },
    options: { durationS: opts.durationS, connections: opts.connections, warmupS: opts.warmupS, url: opts.url },
    targets: ours.map((o) => o.name),
    introspected: { ours: ours[0]!.target.introspected.description, peer: peer.introspected.description, poolSize: POOL_SIZE },
    helloWorld: floors,
    scenarios,
  };
  process.stdout.write(`\n${markdownTable(results)}\n\n${ratiosTable(results)}\n\n`);
  log(`the run took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (opts.profile.length > 0 || opts.inspectorPort !== undefined) {
    log('an inspector was open, which slows ours: bench/results/ left as it was');
  } else {
    const dir = join(root, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(dir, 'latest.md'), markdownReport(results));
    writeFileSync(join(dir, 'latest.svg'), renderChart(results));
    log('written: bench/results/latest.json, latest.md, latest.svg');
  }
  const anyFailed = scenarios.some((s) => failed(s.peer) || Object.values(s.ours).some(failed)) || Object.values(floors).some(failed);
  return anyFailed ? 1 : 0;
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
