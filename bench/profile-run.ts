// Profiles one scenario's measured window on ours: the sampler starts when the
// window opens and stops when it closes; the report names the top self-time
// functions (and files), and the whole profile is written for DevTools.
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatNumber } from './report.ts';
import { bundleLocator, InspectorSession, selfTimeByFile, startProfile, topSelfTime, type CpuProfile } from './profile.ts';

export interface ProfileRequest {
  inspectorPort: number;
  bundleFile?: string;
  /** Names the written file, e.g. a-ours-workerd. */
  name: string;
}

interface ProfiledWindow {
  onWindow(edge: 'open' | 'close'): void;
  /** Waits for the profile, writes it, and answers the text to print. */
  report(units: number): Promise<string>;
}

const TOP = 25;

export async function profileWindow(request: ProfileRequest): Promise<ProfiledWindow> {
  const session = await InspectorSession.connect(request.inspectorPort);
  let stopper: Promise<() => Promise<CpuProfile>> | undefined;
  let profile: Promise<CpuProfile> | undefined;
  return {
    onWindow: (edge) => {
      if (edge === 'open') stopper = startProfile(session);
      else if (stopper) profile = stopper.then((stop) => stop());
    },
    report: async (units) => {
      try {
        if (!profile) return `profile ${request.name}: the measured window never closed`;
        const p = await profile;
        const file = join(tmpdir(), `identity-bench-${request.name}.cpuprofile`);
        writeFileSync(file, JSON.stringify(p));
        const locate = request.bundleFile ? bundleLocator(readFileSync(request.bundleFile, 'utf8')) : undefined;
        const all = topSelfTime(p, Number.MAX_SAFE_INTEGER, locate);
        const busyMs = all.filter((r) => r.functionName !== '(idle)').reduce((sum, r) => sum + r.selfMs, 0);
        // V8 samples by wall clock: time the OS gave another process while the isolate was busy counts as busy.
        const perUnit = units > 0 ? `${formatNumber((busyMs * 1000) / units)} µs busy per unit` : '';
        const lines = [
          `profile ${request.name}: ${formatNumber(busyMs)} ms busy (sampled wall time, not CPU) over ${formatNumber((p.endTime - p.startTime) / 1000)} ms, ${perUnit}; written to ${file}`,
          `top ${TOP} functions by self time (share of busy time):`,
          ...all.slice(0, TOP + 1).filter((r) => r.functionName !== '(idle)').slice(0, TOP).map((r) => `  ${(r.share * 100).toFixed(1).padStart(5)}%  ${formatNumber(r.selfMs).padStart(6)} ms  ${r.functionName}  ${r.location}`),
          'self time by file or package:',
          ...selfTimeByFile(all.filter((r) => r.functionName !== '(idle)')).slice(0, 15).map((f) => `  ${((f.selfMs / busyMs) * 100).toFixed(1).padStart(5)}%  ${f.file}`),
        ];
        return lines.join('\n');
      } finally {
        session.close();
      }
    },
  };
}
