// The shape of a benchmark run's results (bench/results/latest.json) and the
// figures derived from them that the table, the chart and the targets use.
// Ours may run on more than one runtime ("ours (workerd)", "ours (deno)"):
// every figure is per target, against the peer and the floor of the same run.
import type { LoadResult } from './load.ts';

export interface ScenarioResult {
  id: string;
  name: string;
  unit: 'req' | 'sign-in';
  /** Ours by target name, as listed in BenchResults.targets. */
  ours: Record<string, LoadResult | null>;
  peer: LoadResult | null;
}

export interface BenchResults {
  date: string;
  machine: { cpus: number; model: string; node: string; loadAverage: number[] };
  options: { durationS: number; connections: number; warmupS: number; url: string | null };
  /** Ours' targets, in the order they ran. */
  targets: string[];
  /** What scenario (c) introspects on each side, and how many distinct tokens it cycles through. */
  introspected: { ours: string; peer: string; poolSize: number };
  /** Each target's floor: a server that does nothing, on the same runtime, served the same way. */
  helloWorld: Record<string, LoadResult | null>;
  scenarios: ScenarioResult[];
}

export const failed = (r: LoadResult | null | undefined): boolean => !!r && (r.errors > 0 || r.count === 0);

/** Units per server CPU-second; null when the server's CPU was not measured. */
export function perCpuSecond(r: LoadResult | null | undefined): number | null {
  if (!r || r.serverCpuS === null || r.serverCpuS <= 0) return null;
  return r.count / r.serverCpuS;
}

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;

interface Derived {
  oursPerCpu: number | null;
  peerPerCpu: number | null;
  /** ours / peer, per server CPU-second. */
  cpuRatio: number | null;
  /** ours / peer, by raw units per second. */
  rawRatio: number | null;
  /** ours' units/s over its own runtime's hello-world requests/s. */
  ofHelloWorld: number | null;
}

export function derive(s: ScenarioResult, target: string, helloWorld: LoadResult | null | undefined): Derived {
  const ours = s.ours[target];
  const oursPerCpu = perCpuSecond(ours);
  const peerPerCpu = perCpuSecond(s.peer);
  return {
    oursPerCpu,
    peerPerCpu,
    cpuRatio: ratio(oursPerCpu, peerPerCpu),
    rawRatio: ratio(ours?.perSecond, s.peer?.perSecond),
    ofHelloWorld: ratio(ours?.perSecond, helloWorld?.perSecond),
  };
}

/** The state layer's targets: ours / peer per server CPU-second, by scenario. */
export const CPU_RATIO_TARGETS: Readonly<Record<string, number>> = { a: 2, b: 1.5, c: 1.5, d: 1, e: 0.5 };
/** p99 at the run's concurrency, for the single-request scenarios (not the whole sign-in). */
export const P99_LIMIT_MS = 50;
const P99_SCENARIOS: readonly string[] = ['a', 'b', 'c', 'd'];

export interface TargetCheck {
  scenario: string;
  /** Which of ours it judges, e.g. "ours (workerd)". */
  target: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

const fmtRatio = (r: number | null) => (r === null ? 'n/a' : `${r.toFixed(2)}×`);

/** The targets, for each of ours, with what this run measured (met null: could not be judged). */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const s of results.scenarios) {
    const scenario = `(${s.id}) ${s.name}`;
    for (const target of results.targets) {
      const ours = s.ours[target];
      if (ours === undefined) continue;
      const d = derive(s, target, results.helloWorld[target]);
      const goal = CPU_RATIO_TARGETS[s.id];
      if (goal !== undefined) {
        checks.push({ scenario, target, goal: `≥ ${goal}× the peer per server CPU-second`, measured: fmtRatio(d.cpuRatio), met: d.cpuRatio === null ? null : d.cpuRatio >= goal });
      }
      if (P99_SCENARIOS.includes(s.id) && ours) {
        const p99 = ours.latencyMs.p99;
        const judged = Number.isFinite(p99);
        checks.push({ scenario, target, goal: `p99 < ${P99_LIMIT_MS} ms at ${results.options.connections} connections`, measured: judged ? `${p99.toFixed(1)} ms` : 'n/a', met: judged ? p99 < P99_LIMIT_MS : null });
      }
      if (failed(ours)) checks.push({ scenario, target, goal: 'no errors', measured: `${ours!.errors.toLocaleString('en-GB')} errors`, met: false });
    }
  }
  return checks;
}
