// The side-by-side table (Markdown, also what the terminal shows), the ratios
// against the targets, and the whole report, from a run's results. One row per
// scenario and target of ours, each against the peer of the same run.
import type { LoadResult } from './load.ts';
import { checkTargets, CPU_RATIO_TARGETS, derive, failed, P99_LIMIT_MS, perCpuSecond, type BenchResults, type TargetCheck } from './results.ts';

const int = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  return digits === 0 ? int.format(n) : n.toFixed(digits);
}

const ms = (n: number | undefined) => formatNumber(n, 1);
type Result = LoadResult | null | undefined;

function throughput(r: Result): string {
  if (!r) return 'not run';
  return `${formatNumber(r.perSecond)}${failed(r) ? ' **FAILED**' : ''}`;
}

const latency = (r: Result) => (r ? `${ms(r.latencyMs.p50)} / ${ms(r.latencyMs.p99)}` : '–');
const cpu = (r: Result) => (r ? formatNumber(r.serverCpuS, 1) : '–');
const errors = (r: Result) => (r ? formatNumber(r.errors) : '–');
const times = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(2)}×`);
const percent = (n: number | null) => (n === null ? 'n/a' : `${Math.round(n * 100)}%`);
const mark = (c: TargetCheck | undefined) => (!c || c.met === null ? 'n/a' : c.met ? 'met' : '**missed**');

/** One scenario's result on one line, as the run prints it when the scenario ends. */
export function summaryLine(label: string, unit: string, r: LoadResult): string {
  const roles = Object.entries(r.serverCpuByRole ?? {}).map(([role, s]) => `${role} ${s.toFixed(1)}`);
  const serverCpu = r.serverCpuS === null ? 'n/a' : `${r.serverCpuS.toFixed(1)} s${roles.length > 1 ? ` (${roles.join(', ')})` : ''}`;
  return (
    `${label}  ${formatNumber(r.perSecond)} ${unit}/s  p50 ${ms(r.latencyMs.p50)} ms  p99 ${ms(r.latencyMs.p99)} ms  ${r.errors} err  ` +
    `server CPU ${serverCpu}  client CPU ${r.clientCpuS.toFixed(1)} s${failed(r) ? '  FAILED' : ''}`
  );
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const header = (cells: string[]) => [row(cells), row(cells.map((_, i) => (i < 2 ? '---' : '---:')))];
const scenarioLabel = (s: BenchResults['scenarios'][number]) => `(${s.id}) ${s.name}${s.unit === 'sign-in' ? ' (sign-ins)' : ''}`;

export function markdownTable(results: BenchResults): string {
  const lines = header([
    'scenario', 'ours', 'ours /s', 'peer /s', 'ours p50 / p99 ms', 'peer p50 / p99 ms', 'ours err', 'peer err',
    'ours CPU s', 'peer CPU s', 'ours per CPU-s', 'peer per CPU-s', 'ours/peer per CPU-s', 'ours/peer raw', 'ours % of hello-world',
  ]);
  for (const s of results.scenarios) {
    for (const target of results.targets) {
      const ours = s.ours[target];
      const d = derive(s, target, results.helloWorld[target]);
      lines.push(row([
        scenarioLabel(s), target, throughput(ours), throughput(s.peer), latency(ours), latency(s.peer), errors(ours), errors(s.peer),
        cpu(ours), cpu(s.peer), formatNumber(d.oursPerCpu), formatNumber(d.peerPerCpu), times(d.cpuRatio), times(d.rawRatio), percent(d.ofHelloWorld),
      ]));
    }
  }
  for (const target of results.targets) {
    const hw = results.helloWorld[target];
    if (!hw) continue;
    const perCpu = hw.serverCpuS ? hw.count / hw.serverCpuS : null;
    lines.push(row(['hello-world (GET, does nothing)', target, throughput(hw), '–', latency(hw), '–', errors(hw), '–', cpu(hw), '–', formatNumber(perCpu), '–', '–', '–', '100%']));
  }
  return lines.join('\n');
}

/** For each scenario and target of ours: the ratios to the peer, % of the floor, p99, and each target met or missed. */
export function ratiosTable(results: BenchResults): string {
  const checks = checkTargets(results);
  const connections = results.options.connections;
  const lines = header(['scenario', 'ours', 'ours/peer per CPU-s', 'target', 'met', 'ours % of hello-world', `p99 ms at ${connections} conn.`, 'p99 target', 'met', 'errors']);
  for (const s of results.scenarios) {
    for (const target of results.targets) {
      const ours = s.ours[target];
      if (ours === undefined) continue;
      const d = derive(s, target, results.helloWorld[target]);
      const mine = checks.filter((c) => c.scenario.startsWith(`(${s.id})`) && c.target === target);
      const ratioCheck = mine.find((c) => c.goal.includes('per server CPU-second'));
      const p99Check = mine.find((c) => c.goal.startsWith('p99'));
      const goal = CPU_RATIO_TARGETS[s.id];
      lines.push(row([
        scenarioLabel(s), target, times(d.cpuRatio), goal === undefined ? '–' : `≥ ${goal}×`, mark(ratioCheck),
        percent(d.ofHelloWorld), ms(ours?.latencyMs.p99), p99Check ? `< ${P99_LIMIT_MS} ms` : '–', p99Check ? mark(p99Check) : '–',
        failed(ours) ? `**${formatNumber(ours!.errors)}**` : errors(ours),
      ]));
    }
  }
  return lines.join('\n');
}

/** Ours' server CPU seconds by process, per scenario and target (and the floor): which side of the service the time went to. */
function cpuByRoleTable(results: BenchResults): string {
  const floor = { id: '–', name: 'hello-world (the floor)' };
  const all = [
    ...results.scenarios.flatMap((s) => results.targets.map((t) => ({ s: { id: s.id, name: s.name }, t, r: s.ours[t] }))),
    ...results.targets.map((t) => ({ s: floor, t, r: results.helloWorld[t] })),
  ];
  const roles = [...new Set(all.flatMap(({ r }) => Object.keys(r?.serverCpuByRole ?? {})))];
  if (roles.length === 0) return '';
  const lines = header(['scenario', 'ours', ...roles.map((r) => `${r} CPU s`), 'server CPU µs per unit', 'load generator CPU s']);
  for (const { s, t, r } of all) {
    if (!r) continue;
    const perUnit = perCpuSecond(r);
    lines.push(row([s === floor ? s.name : `(${s.id}) ${s.name}`, t, ...roles.map((role) => formatNumber(r.serverCpuByRole?.[role], 1)), formatNumber(perUnit ? 1e6 / perUnit : null), formatNumber(r.clientCpuS, 1)]));
  }
  return lines.join('\n');
}

/** The whole Markdown report: conditions, the side-by-side table, ratios and targets, and any error samples. */
export function markdownReport(results: BenchResults): string {
  const { options, machine } = results;
  const sides = [...results.targets, 'peer'];
  const errorLines = results.scenarios.flatMap((s) =>
    sides.flatMap((side) => ((side === 'peer' ? s.peer : s.ours[side])?.errorSamples ?? []).map((e) => `- (${s.id}) ${side}: ${e}`)),
  );
  const byRole = cpuByRoleTable(results);
  return [
    `# Benchmark, ${results.date}`,
    '',
    `${options.durationS} s per scenario after ${options.warmupS} s of warm-up, ${options.connections} connections (virtual users), ` +
      `${machine.cpus} × ${machine.model}, Node ${machine.node}, load average at start ${machine.loadAverage.map((n) => n.toFixed(2)).join(' ')}. ` +
      `Ours: ${options.url ?? 'the production bundle (wrangler deploy --dry-run) under plain `workerd serve` with a generated config (the Durable Objects of wrangler.toml on SQLite), and the local libSQL server, their files on tmpfs (/dev/shm) when the machine has it; ours (deno): the Deno entry (deno/main.ts) with redis-server in memory behind the Upstash REST bridge (a Node process) and the same libSQL server'}; ` +
      'peer: oidc-provider in one Node process; server CPU from /proc (utime + stime) of every server process; hello-world: a Worker that does nothing, served the same way (on Deno: Deno.serve answering "ok").',
    '',
    markdownTable(results),
    '',
    `(c) introspects ${results.introspected.ours} on ours and ${results.introspected.peer} on the peer, ` +
      `each request the next of ${results.introspected.poolSize} distinct tokens issued just before the run. ` +
      '(e) counts whole sign-ins: authorize, sign-in, redirect with a code, code redeemed for tokens.',
    '',
    '## Ratios and targets',
    '',
    ratiosTable(results),
    '',
    ...(byRole ? ['## Where ours’ server CPU went', '', byRole, ''] : []),
    ...(errorLines.length > 0 ? ['## Errors (samples)', '', ...errorLines, ''] : []),
  ].join('\n');
}
