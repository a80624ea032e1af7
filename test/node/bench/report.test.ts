import { describe, expect, it } from 'vitest';
import { markdownReport, markdownTable, summaryLine, targetsTable } from '../../../bench/report.ts';
import { checkTargets, derive, perCpuSecond } from '../../../bench/results.ts';
import { benchResults, loadResult } from './fixtures.ts';

describe('derived figures', () => {
  it('divides units by server CPU seconds, and has no figure without CPU', () => {
    expect(perCpuSecond(loadResult(100))).toBe(100);
    expect(perCpuSecond(loadResult(100, { serverCpuS: null }))).toBeNull();
    expect(perCpuSecond(null)).toBeNull();
  });

  it('gives ours/peer per CPU-second and raw, and ours over hello-world', () => {
    const results = benchResults();
    const d = derive(results.scenarios[0]!, results.helloWorld);
    expect(d.cpuRatio).toBeCloseTo(3);
    expect(d.rawRatio).toBeCloseTo(3);
    expect(d.ofHelloWorld).toBeCloseTo(0.75);
  });
});

describe('targets', () => {
  it('judges each target of the issue and fails a scenario with errors', () => {
    const checks = checkTargets(benchResults());
    const find = (scenario: string, target: string) => checks.find((c) => c.scenario.startsWith(scenario) && c.target.includes(target));
    expect(find('(a)', '2×')).toMatchObject({ measured: '3.00×', met: true });
    expect(find('(a)', '50%')).toMatchObject({ measured: '75%', met: true });
    // Ours 1000/s on 10 CPU-s, the peer 1000/s on 5 CPU-s: half as efficient.
    expect(find('(c)', '2×')).toMatchObject({ measured: '0.50×', met: false });
    expect(find('(c)', 'no errors')).toMatchObject({ met: false });
    expect(find('(e)', 'scripted login')).toMatchObject({ measured: '0.50×', met: false });
    expect(find('(e)', 'p99')).toMatchObject({ measured: '80.0 ms', met: false });
  });
});

describe('the Markdown report', () => {
  it('puts ours and the peer side by side, marks failures and adds the hello-world row', () => {
    const table = markdownTable(benchResults()).split('\n');
    expect(table[0]).toContain('| scenario | ours /s | peer /s |');
    expect(table).toHaveLength(2 + 3 + 1);
    expect(table[2]).toContain('| 3,000 | 1,000 |');
    expect(table[2]).toContain('| 3.00× | 3.00× | 75% |');
    expect(table[3]).toContain('1,000 **FAILED**');
    expect(table[4]).toContain('(e) full sign-in (sign-ins)');
    expect(table[5]).toMatch(/^\| hello-world Worker \(GET\) \| 4,000 \|/);
  });

  it('lists the targets and the error samples, never hiding a failure', () => {
    const report = markdownReport(benchResults());
    expect(targetsTable(benchResults())).toContain('| **no** |');
    expect(report).toContain('## Errors (samples)');
    expect(report).toContain('- (c) ours: introspection: 500');
    expect(report).toContain('| ours: workerd CPU s | ours: libSQL server CPU s |');
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
