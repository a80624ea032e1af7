import { describe, expect, it } from 'vitest';
import { cpuSeconds, parseProcStat } from '../../../bench/cpu.ts';

describe('parseProcStat', () => {
  it('reads ppid and utime + stime after the last parenthesis, whatever comm holds', () => {
    const line = '4242 (a) b (c)) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 100 0 0';
    expect(parseProcStat(line)).toEqual({ pid: 4242, comm: 'a) b (c)', ppid: 17, cpuTicks: 300 });
  });

  it('answers null for a line that is not a stat line', () => {
    expect(parseProcStat('nonsense')).toBeNull();
  });
});

describe('on this machine', () => {
  it.runIf(process.platform === 'linux')('counts a process that burns CPU', async () => {
    const before = cpuSeconds([process.pid]);
    // Burns 150 ms of CPU by the process's own count, not of wall time: on a busy machine the two differ.
    const start = process.cpuUsage();
    const deadline = Date.now() + 5000;
    const used = () => {
      const u = process.cpuUsage(start);
      return (u.user + u.system) / 1e6;
    };
    while (used() < 0.15 && Date.now() < deadline) Math.sqrt(Math.random());
    expect(cpuSeconds([process.pid]) - before).toBeGreaterThan(0.1);
  });
});
