// The side-by-side table (Markdown, also what the terminal shows) and the
// targets, from a run's results.
import type { LoadResult } from './load.ts';
import { checkTargets, derive, failed, type BenchResults } from './results.ts';

const int = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  return digits === 0 ? int.format(n) : n.toFixed(digits);
}

const ms = (n: number | undefined) => formatNumber(n, 1);

function throughput(r: LoadResult | null): string {
  if (!r) return 'not run';
  return `${formatNumber(r.perSecond)}${failed(r) ? ' **FAILED**' : ''}`;
}

function latency(r: LoadResult | null): string {
  return r ? `${ms(r.latencyMs.p50)} / ${ms(r.latencyMs.p99)}` : '–';
}

const cpu = (r: LoadResult | null) => (r ? formatNumber(r.serverCpuS, 1) : '–');
const errors = (r: LoadResult | null) => (r ? formatNumber(r.errors) : '–');
const times = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(2)}×`);
const percent = (n: number | null) => (n === null ? 'n/a' : `${Math.round(n * 100)}%`);

/** One scenario's result on one line, as the run prints it when the scenario ends. */
export function summaryLine(label: string, unit: string, r: LoadResult): string {
  const roles = Object.entries(r.serverCpuByRole ?? {}).map(([role, s]) => `${role} ${s.toFixed(1)}`);
  const serverCpu = r.serverCpuS === null ? 'n/a' : `${r.serverCpuS.toFixed(1)} s${roles.length > 1 ? ` (${roles.join(', ')})` : ''}`;
  return (
    `${label}  ${formatNumber(r.perSecond)} ${unit}/s  p50 ${ms(r.latencyMs.p50)} ms  p99 ${ms(r.latencyMs.p99)} ms  ${r.errors} err  ` +
    `server CPU ${serverCpu}  client CPU ${r.clientCpuS.toFixed(1)} s${failed(r) ? '  FAILED' : ''}`
  );
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function markdownTable(results: BenchResults): string {
  const header = [
    'scenario',
    'ours /s',
    'peer /s',
    'ours p50 / p99 ms',
    'peer p50 / p99 ms',
    'ours err',
    'peer err',
    'ours CPU s',
    'peer CPU s',
    'ours per CPU-s',
    'peer per CPU-s',
    'ours/peer per CPU-s',
    'ours/peer raw',
    'ours % of hello-world',
  ];
  const lines = [row(header), row(header.map((_, i) => (i === 0 ? '---' : '---:')))];
  for (const s of results.scenarios) {
    const d = derive(s, results.helloWorld);
    lines.push(
      row([
        `(${s.id}) ${s.name}${s.unit === 'sign-in' ? ' (sign-ins)' : ''}`,
        throughput(s.ours),
        throughput(s.peer),
        latency(s.ours),
        latency(s.peer),
        errors(s.ours),
        errors(s.peer),
        cpu(s.ours),
        cpu(s.peer),
        formatNumber(d.oursPerCpu),
        formatNumber(d.peerPerCpu),
        times(d.cpuRatio),
        times(d.rawRatio),
        percent(d.ofHelloWorld),
      ]),
    );
  }
  const hw = results.helloWorld;
  if (hw) {
    lines.push(row(['hello-world Worker (GET)', throughput(hw), '–', latency(hw), '–', errors(hw), '–', cpu(hw), '–', formatNumber(hw.serverCpuS ? hw.count / hw.serverCpuS : null), '–', '–', '–', '100%']));
  }
  return lines.join('\n');
}

export function targetsTable(results: BenchResults): string {
  const lines = [row(['scenario', 'target', 'measured', 'met']), row(['---', '---', '---:', '---'])];
  for (const c of checkTargets(results)) lines.push(row([c.scenario, c.target, c.measured, c.met === null ? 'n/a' : c.met ? 'yes' : '**no**']));
  return lines.join('\n');
}

/** Ours' server CPU seconds by process, per scenario: which side of the service the time went to. */
export function cpuByRoleTable(results: BenchResults): string {
  const roles = [...new Set(results.scenarios.flatMap((s) => Object.keys(s.ours?.serverCpuByRole ?? {})))];
  if (roles.length === 0) return '';
  const lines = [row(['scenario', ...roles.map((r) => `ours: ${r} CPU s`), 'load generator CPU s']), row(['---', ...roles.map(() => '---:'), '---:'])];
  for (const s of results.scenarios) {
    if (!s.ours) continue;
    lines.push(row([`(${s.id}) ${s.name}`, ...roles.map((r) => formatNumber(s.ours!.serverCpuByRole?.[r], 1)), formatNumber(s.ours.clientCpuS, 1)]));
  }
  return lines.join('\n');
}

/** The whole Markdown report: conditions, the side-by-side table, the targets, and any error samples. */
export function markdownReport(results: BenchResults): string {
  const { options, machine } = results;
  const errorLines = results.scenarios.flatMap((s) =>
    (['ours', 'peer'] as const).flatMap((side) => (s[side]?.errorSamples ?? []).map((e) => `- (${s.id}) ${side}: ${e}`)),
  );
  return [
    `# Benchmark, ${results.date}`,
    '',
    `${options.durationS} s per scenario after ${options.warmupS} s of warm-up, ${options.connections} connections (virtual users), ` +
      `${machine.cpus} × ${machine.model}, Node ${machine.node}, load average at start ${machine.loadAverage.map((n) => n.toFixed(2)).join(' ')}. ` +
      `Ours: ${options.url ?? 'the production bundle under workerd (Miniflare API) with the local libSQL server, their files on tmpfs (/dev/shm) when the machine has it'}; ` +
      'peer: oidc-provider in one Node process; server CPU from /proc (utime + stime).',
    '',
    markdownTable(results),
    '',
    `(c) introspects ${results.introspected.ours} on ours and ${results.introspected.peer} on the peer. ` +
      '(e) counts whole sign-ins: authorize, sign-in, redirect with a code, code redeemed for tokens.',
    '',
    ...(cpuByRoleTable(results) ? ['## Where ours’ server CPU went', '', cpuByRoleTable(results), ''] : []),
    '## Targets',
    '',
    targetsTable(results),
    ...(errorLines.length > 0 ? ['', '## Errors (samples)', '', ...errorLines] : []),
    '',
  ].join('\n');
}
