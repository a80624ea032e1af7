import { describe, expect, it } from 'vitest';
import { bundleLocator, selfTimeByFile, topSelfTime, type CpuProfile } from '../../../bench/profile.ts';

const frame = (functionName: string, lineNumber = 0, url = 'index.js') => ({ functionName, url, lineNumber, columnNumber: 0 });

// 100 ms sampled in 10 samples: 10 ms each, 2 of them idle.
const profile: CpuProfile = {
  startTime: 0,
  endTime: 100_000,
  nodes: [
    { id: 1, callFrame: frame('(root)', 0, ''), hitCount: 0, children: [2, 3, 4, 5] },
    { id: 2, callFrame: frame('(idle)', 0, ''), hitCount: 2 },
    { id: 3, callFrame: frame('verifySecret', 12), hitCount: 3 },
    { id: 4, callFrame: frame('verifySecret', 12), hitCount: 1 },
    { id: 5, callFrame: frame('route', 3), hitCount: 4 },
  ],
};

describe('bundleLocator', () => {
  const bundle = ['var x;', '// node_modules/hono/dist/hono-base.js', 'a', '// src/oauth/token.ts', 'b', 'c'].join('\n');
  const locate = bundleLocator(bundle);

  it('names the source file of a bundle line by the last module comment above it', () => {
    expect(locate('index.js', 0)).toBeNull();
    expect(locate('index.js', 2)).toBe('node_modules/hono/dist/hono-base.js');
    expect(locate('index.js', 3)).toBe('src/oauth/token.ts');
    expect(locate('index.js', 5)).toBe('src/oauth/token.ts');
  });

  it('locates nothing in the runtime’s own scripts', () => {
    expect(locate('node-internal:internal_timers', 3)).toBeNull();
  });
});

describe('topSelfTime', () => {
  const rows = topSelfTime(profile, 10, (_url, line) => (line >= 10 ? 'src/clients/secret.ts' : 'node_modules/hono/dist/router.js'));

  it('sums self time of the same function across call paths, largest first, in ms of the profile', () => {
    expect(rows[0]).toMatchObject({ functionName: 'verifySecret', location: 'src/clients/secret.ts (index.js:13)', selfMs: 40 });
    expect(rows[1]).toMatchObject({ functionName: 'route', location: 'node_modules/hono/dist/router.js (index.js:4)', selfMs: 40 });
  });

  it('gives each function’s share of the busy (not idle) time', () => {
    expect(rows.find((r) => r.functionName === 'verifySecret')!.share).toBeCloseTo(0.5);
    expect(rows.find((r) => r.functionName === '(idle)')).toMatchObject({ selfMs: 20, share: 0 });
  });

  it('keeps to the limit, and names the script and line where no source file is known', () => {
    expect(topSelfTime(profile, 1)).toEqual([expect.objectContaining({ location: 'index.js:13' })]);
  });

  it('groups self time by file, and node_modules by package', () => {
    expect(selfTimeByFile(rows.filter((r) => r.functionName !== '(idle)'))).toEqual([
      { file: 'src/clients/secret.ts', selfMs: 40 },
      { file: 'node_modules/hono', selfMs: 40 },
    ]);
  });
});
