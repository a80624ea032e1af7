// Server CPU time from /proc, so throughput reads as requests per server
// CPU-second: on a 2-core machine the load generator competes with the server,
// and raw requests/s alone would reward whichever side starves the other.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticks: number | undefined;

/** Clock ticks per second for utime/stime (`getconf CLK_TCK`, almost always 100). */
function clockTicks(): number {
  if (ticks === undefined) {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticks = Number.isFinite(value) && value > 0 ? value : 100;
  }
  return ticks;
}

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime, in clock ticks, summed over the process's threads. */
  cpuTicks: number;
}

/** proc(5): comm may hold spaces and parentheses, so fields are counted after the last ')'. */
export function parseProcStat(line: string): ProcStat | null {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = line.slice(close + 2).split(' ');
  // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (![ppid, utime, stime].every(Number.isFinite)) return null;
  return { pid: Number(line.slice(0, open).trim()), comm: line.slice(open + 1, close), ppid, cpuTicks: utime + stime };
}

function readStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null; // gone, or no /proc here
  }
}

/** The CPU seconds the processes have used so far; a process that has gone counts 0. */
export function cpuSeconds(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) total += readStat(pid)?.cpuTicks ?? 0;
  return total / clockTicks();
}

/** A server's processes by role (e.g. workerd, the libSQL server), for CPU accounting. */
export type ServerProcesses = Record<string, number[]>;

/** CPU seconds used so far, by role. */
export function cpuByRole(processes: ServerProcesses): Record<string, number> {
  return Object.fromEntries(Object.entries(processes).map(([role, pids]) => [role, cpuSeconds(pids)]));
}
