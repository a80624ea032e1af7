import { describe, expect, it } from 'vitest';
import { markdownReport, markdownTable, ratiosTable, summaryLine } from '../../../bench/report.ts';
import { checkTargets, derive, perCpuSecond } from '../../../bench/results.ts';
import { benchResults, DENO, loadResult, WORKERD } from './fixtures.ts';

describe('derived figures', () => {
  it('divides units by server CPU seconds, and has no figure without CPU', () => {
    expect(perCpuSecond(loadResult(100))).toBe(100);
    expect(perCpuSecond(loadResult(100, { serverCpuS: null }))).toBeNull();
    expect(perCpuSecond(null)).toBeNull();
  });

  it('gives each target its own ratios to the same peer, and its share of its own runtime’s hello-world', () => {
    const results = benchResults();
    const a = results.scenarios[0]!;
    const workerd = derive(a, WORKERD, results.helloWorld[WORKERD]);
    expect(workerd).toMatchObject({ oursPerCpu: 3000, peerPerCpu: 1000 });
    expect(workerd.cpuRatio).toBeCloseTo(3);
    expect(workerd.rawRatio).toBeCloseTo(3);
    expect(workerd.ofHelloWorld).toBeCloseTo(0.75);
    const deno = derive(a, DENO, results.helloWorld[DENO]);
    expect(deno.cpuRatio).toBeCloseTo(1.5);
    expect(deno.ofHelloWorld).toBeCloseTo(0.75);
  });

  it('has no ratio for a target that did not run', () => {
    const results = benchResults();
    expect(derive(results.scenarios[2]!, DENO, results.helloWorld[DENO]).cpuRatio).toBeNull();
  });
});

describe('targets', () => {
  const checks = checkTargets(benchResults());
  const find = (scenario: string, target: string, goal: string) => checks.find((c) => c.scenario.startsWith(scenario) && c.target === target && c.goal.includes(goal));

  it('judges the per-CPU-second ratio of each target against its scenario’s goal', () => {
    expect(find('(a)', WORKERD, '2×')).toMatchObject({ measured: '3.00×', met: true });
    expect(find('(a)', DENO, '2×')).toMatchObject({ measured: '1.50×', met: false });
    // Ours 1000/s on 10 CPU-s, the peer 1000/s on 5 CPU-s: half as efficient, against a 1.5× goal.
    expect(find('(c)', WORKERD, '1.5×')).toMatchObject({ measured: '0.50×', met: false });
    expect(find('(e)', WORKERD, '0.5×')).toMatchObject({ measured: '0.50×', met: true });
  });

  it('judges p99 under 50 ms for the single-request scenarios only, and fails a target with errors', () => {
    expect(find('(a)', WORKERD, 'p99')).toMatchObject({ goal: 'p99 < 50 ms at 32 connections', measured: '12.0 ms', met: true });
    expect(find('(a)', DENO, 'p99')).toMatchObject({ measured: '60.0 ms', met: false });
    expect(find('(e)', WORKERD, 'p99')).toBeUndefined();
    expect(find('(c)', WORKERD, 'no errors')).toMatchObject({ met: false });
    expect(find('(c)', DENO, 'no errors')).toBeUndefined();
  });

  it('cannot judge a target that did not run', () => {
    expect(find('(e)', DENO, '0.5×')).toMatchObject({ measured: 'n/a', met: null });
  });
});

describe('the Markdown report', () => {
  it('gives each scenario a row per target of ours beside the same peer, then a hello-world row per target', () => {
    const table = markdownTable(benchResults()).split('\n');
    expect(table[0]).toContain('| scenario | ours | ours /s | peer /s |');
    expect(table).toHaveLength(2 + 3 * 2 + 2);
    expect(table[2]).toContain(`| ${WORKERD} | 3,000 | 1,000 |`);
    expect(table[2]).toContain('| 3.00× | 3.00× | 75% |');
    expect(table[3]).toContain(`| ${DENO} | 1,500 | 1,000 |`);
    expect(table[4]).toContain('1,000 **FAILED**');
    expect(table[6]).toContain('(e) full sign-in (sign-ins)');
    expect(table[7]).toContain(`| ${DENO} | not run |`);
    expect(table[8]).toMatch(/^\| hello-world \(GET, does nothing\) \| ours \(workerd\) \| 4,000 \|/);
    expect(table[9]).toContain(`| ${DENO} | 2,000 |`);
  });

  it('marks each target met or missed, with % of hello-world and p99', () => {
    const ratios = ratiosTable(benchResults()).split('\n');
    expect(ratios[0]).toBe('| scenario | ours | ours/peer per CPU-s | target | met | ours % of hello-world | p99 ms at 32 conn. | p99 target | met | errors |');
    expect(ratios[2]).toBe(`| (a) client_credentials (client_secret_basic) | ${WORKERD} | 3.00× | ≥ 2× | met | 75% | 12.0 | < 50 ms | met | 0 |`);
    expect(ratios[3]).toBe(`| (a) client_credentials (client_secret_basic) | ${DENO} | 1.50× | ≥ 2× | **missed** | 75% | 60.0 | < 50 ms | **missed** | 0 |`);
    expect(ratios[4]).toContain('| **1** |');
    expect(ratios[6]).toContain('| ≥ 0.5× | met | 1% | 80.0 | – | – | 0 |');
  });

  it('lists the error samples by target, never hiding a failure, and CPU by process', () => {
    const report = markdownReport(benchResults());
    expect(report).toContain('## Ratios and targets');
    expect(report).toContain('## Errors (samples)');
    expect(report).toContain(`- (c) ${WORKERD}: introspection: 500`);
    expect(report).toContain('| scenario | ours | workerd CPU s | libSQL server CPU s | server CPU µs per unit | load generator CPU s |');
    // 30,000 requests on 10 CPU-s: 333 µs each.
    expect(report).toContain(`| (a) client_credentials (client_secret_basic) | ${WORKERD} | 8.0 | 2.0 | 333 | 3.0 |`);
    expect(report).toContain(`| hello-world (the floor) | ${DENO} | 8.0 | 2.0 | 500 | 3.0 |`);
    expect(report).toContain('the next of 256 distinct tokens');
  });
});

describe('the summary line', () => {
  it('gives throughput, latency, errors and CPU by process, and says FAILED', () => {
    expect(summaryLine('(a) ours', 'req', loadResult(1234.4))).toBe(
      '(a) ours  1,234 req/s  p50 4.0 ms  p99 12.0 ms  0 err  server CPU 10.0 s (workerd 8.0, libSQL server 2.0)  client CPU 3.0 s',
    );
    expect(summaryLine('(a) ours', 'req', loadResult(0, { count: 0, errors: 3, serverCpuS: null, serverCpuByRole: null }))).toMatch(/3 err {2}server CPU n\/a {2}client CPU 3\.0 s {2}FAILED$/);
  });
});
