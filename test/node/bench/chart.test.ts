import { describe, expect, it } from 'vitest';
import { escapeXml, niceMax, renderChart } from '../../../bench/chart.ts';
import { benchResults } from './fixtures.ts';

describe('niceMax', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceMax(7)).toBe(10);
    expect(niceMax(1500)).toBe(2000);
    expect(niceMax(2100)).toBe(2500);
    expect(niceMax(4000)).toBe(5000);
    expect(niceMax(0)).toBe(1);
  });
});

describe('renderChart', () => {
  const svg = renderChart(benchResults());

  it('is one SVG document with a title', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('<title>Throughput by scenario');
  });

  it('draws each target of ours and the peer for each scenario, and a hello-world bar per target', () => {
    expect(svg.match(/fill="#005eb8"><title>/g)).toHaveLength(3);
    expect(svg.match(/fill="#41b6e6"><title>/g)).toHaveLength(3);
    expect(svg.match(/fill="#768692"><title>/g)).toHaveLength(3);
    expect(svg.match(/fill="#007f3b"><title>/g)).toHaveLength(2);
    expect(svg).toContain('>3,000</text>');
    expect(svg).toContain('>ours (deno)</text>');
  });

  it('says "not run" for a target that did not run', () => {
    expect(svg).toContain('>not run</text>');
  });

  it('labels a failed scenario FAILED', () => {
    expect(svg).toContain('>FAILED</text>');
  });

  it('escapes text', () => {
    expect(escapeXml('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
  });
});
