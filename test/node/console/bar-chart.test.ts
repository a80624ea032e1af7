import { describe, expect, it } from 'vitest';
import { axisMaximum, axisTicks, BarChart, type BarChartProps } from '../../../src/console/overview/bar-chart.tsx';

const render = (props: BarChartProps) => String(BarChart(props));

const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];
const bars = (svg: string) =>
  [...svg.matchAll(/<rect class="app-chart__bar"[^>]*>/g)].map(([tag]) => ({
    series: Number(attr(tag, 'data-series')),
    x: Number(attr(tag, 'x')),
    y: Number(attr(tag, 'y')),
    width: Number(attr(tag, 'width')),
    height: Number(attr(tag, 'height')),
    fill: attr(tag, 'fill'),
  }));

const chart: BarChartProps = {
  id: 'signins',
  title: 'Successful sign-ins per hour',
  description: '6 sign-ins in the last 24 hours.',
  labels: ['10:00', '11:00', '12:00'],
  series: [
    { name: 'Passkey, AAL3', values: [2, 0, 1] },
    { name: 'Password, AAL1', values: [2, 1, 0] },
  ],
  stacked: true,
};

describe('server-rendered bar chart', () => {
  it('is one image named by its title and described by its desc (WCAG 1.1.1)', () => {
    const svg = render(chart);
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toMatch(/aria-labelledby="signins-title signins-desc"/);
    expect(svg).toContain('<title id="signins-title">Successful sign-ins per hour</title>');
    expect(svg).toContain('<desc id="signins-desc">6 sign-ins in the last 24 hours.</desc>');
  });

  it('draws one bar per non-zero value, stacked, with heights in proportion', () => {
    const drawn = bars(render(chart));
    expect(drawn.map((b) => b.series)).toEqual([0, 1, 1, 0]);
    // Axis to 5: a value of 1 is a fifth of the plot's 228 px.
    const [first, onTop, alone] = drawn;
    expect(first!.height).toBeCloseTo((2 / 5) * 228, 1);
    expect(onTop!.height).toBeCloseTo(first!.height, 5);
    expect(onTop!.y + onTop!.height).toBeCloseTo(first!.y, 5);
    expect(onTop!.x).toBe(first!.x);
    expect(alone!.height).toBeCloseTo((1 / 5) * 228, 1);
    expect(alone!.x).toBeGreaterThan(first!.x);
  });

  it('puts series side by side when not stacked', () => {
    const drawn = bars(render({ ...chart, stacked: false }));
    const [a, b] = drawn;
    expect(a!.y + a!.height).toBeCloseTo(b!.y + b!.height, 5);
    expect(b!.x).toBeCloseTo(a!.x + a!.width, 5);
  });

  it('gives each series its own pattern, and the legend names each beside a swatch of it (WCAG 1.4.1)', () => {
    const svg = render(chart);
    const patterns = [...svg.matchAll(/<pattern id="([^"]+)"[^>]*>(.*?)<\/pattern>/g)];
    expect(patterns.map((p) => p[1])).toEqual(['signins-fill-0', 'signins-fill-1']);
    // Not the colour alone: the second pattern draws marks over its colour.
    expect(patterns[0]![2]).not.toEqual(patterns[1]![2]);
    expect(patterns[1]![2]).toMatch(/<path /);
    for (const b of bars(svg)) expect(b.fill).toBe(`url(#signins-fill-${b.series})`);
    const legend = [...svg.matchAll(/<g class="app-chart__legend"><rect [^>]*fill="([^"]+)"[^>]*\/?>(?:<\/rect>)?<text[^>]*>([^<]+)<\/text>/g)];
    expect(legend.map((l) => [l[1], l[2]])).toEqual([
      ['url(#signins-fill-0)', 'Passkey, AAL3'],
      ['url(#signins-fill-1)', 'Password, AAL1'],
    ]);
  });

  it('escapes text it is given', () => {
    const svg = render({ ...chart, title: '<script>x</script>', series: [{ name: 'a & "b"', values: [1, 1, 1] }] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('a &amp; &quot;b&quot;');
  });

  it('draws an empty plot with an axis to 1 and no bars when every value is zero', () => {
    const svg = render({ ...chart, series: [{ name: 'None', values: [0, 0, 0] }] });
    expect(bars(svg)).toEqual([]);
    expect(svg).not.toContain('NaN');
    expect(svg).not.toContain('Infinity');
  });

  it('labels every n-th position', () => {
    const svg = render({ ...chart, labelEvery: 2 });
    expect(svg).toContain('>10:00</text>');
    expect(svg).not.toContain('>11:00</text>');
    expect(svg).toContain('>12:00</text>');
  });
});

describe('axis', () => {
  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [11, 20],
    [250, 500],
    [501, 1000],
  ])('rounds a maximum of %d up to %d', (max, top) => expect(axisMaximum(max)).toBe(top));

  it('ticks in whole numbers up to the top', () => {
    expect(axisTicks(1)).toEqual([0, 1]);
    expect(axisTicks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(axisTicks(20)).toEqual([0, 4, 8, 12, 16, 20]);
    expect(axisTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
  });
});
