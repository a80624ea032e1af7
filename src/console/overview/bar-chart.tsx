// A bar chart drawn on the server as SVG: no script and no chart library in the
// browser. Accessible as one image (role="img" named by its <title> and
// described by its <desc>, WCAG 1.1.1); the page shows the same figures in a
// table beside it. Each series has its own pattern as well as its own colour,
// and the legend repeats both, so nothing is told by colour alone (WCAG 1.4.1).
// Colours and text meet 3:1 and 4.5:1 against white (WCAG 1.4.11, 1.4.3).

export interface BarSeries {
  name: string;
  values: number[];
}

export interface BarChartProps {
  /** Unique on the page: prefixes the ids of the title, description and patterns. */
  id: string;
  title: string;
  description: string;
  /** One per bar position (e.g. an hour), under the x axis. */
  labels: string[];
  series: BarSeries[];
  /** Series on top of each other (parts of one total), or side by side. */
  stacked: boolean;
  /** Show every n-th label, so short labels do not collide. */
  labelEvery?: number;
}

// NHS identity colours, each at least 3:1 on white, darkest first.
const COLOURS = ['#003087', '#005eb8', '#007f3b', '#7c2855', '#d5281b', '#330072', '#212b32'];

const WIDTH = 720;
const HEIGHT = 280;
const MARGIN = { top: 12, right: 12, bottom: 40, left: 48 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

/** The smallest of 1, 2, 5 × 10ⁿ at or above `max` (at least 1), so the axis has round numbers. */
export function axisMaximum(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** Whole-number ticks from 0 to the axis maximum, at most five steps. */
export function axisTicks(top: number): number[] {
  const step = Math.max(1, Math.ceil(top / 5));
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  if (ticks.at(-1) !== top) ticks.push(top);
  return ticks;
}

/** Each series' fill: a colour with its own texture drawn over it. */
function Pattern({ id, index }: { id: string; index: number }) {
  const colour = COLOURS[index % COLOURS.length]!;
  const marks = [
    null,
    <path d="M0 8 L8 0" stroke="#ffffff" stroke-width="2" />,
    <circle cx="4" cy="4" r="1.5" fill="#ffffff" />,
    <path d="M0 4 H8" stroke="#ffffff" stroke-width="2" />,
    <path d="M0 0 L8 8 M0 8 L8 0" stroke="#ffffff" stroke-width="1.5" />,
    <path d="M4 0 V8" stroke="#ffffff" stroke-width="2" />,
  ][index % 6];
  return (
    <pattern id={id} width="8" height="8" patternUnits="userSpaceOnUse">
      <rect width="8" height="8" fill={colour} />
      {marks}
    </pattern>
  );
}

interface Bar {
  series: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

function layoutBars({ labels, series, stacked }: BarChartProps, top: number): Bar[] {
  const slot = PLOT_W / Math.max(1, labels.length);
  const scale = (v: number) => (v / top) * PLOT_H;
  const bars: Bar[] = [];
  labels.forEach((_, i) => {
    const x0 = MARGIN.left + i * slot + slot * 0.15;
    const width = slot * 0.7;
    let base = 0;
    series.forEach((s, j) => {
      const value = s.values[i] ?? 0;
      if (value <= 0) return;
      const height = scale(value);
      if (stacked) {
        bars.push({ series: j, x: x0, y: MARGIN.top + PLOT_H - scale(base) - height, width, height });
        base += value;
      } else {
        const w = width / series.length;
        bars.push({ series: j, x: x0 + j * w, y: MARGIN.top + PLOT_H - height, width: w, height });
      }
    });
  });
  return bars;
}

const round = (n: number) => Math.round(n * 100) / 100;

export function BarChart(props: BarChartProps) {
  const { id, title, description, labels, series, stacked, labelEvery = 1 } = props;
  const perPosition = labels.map((_, i) => series.map((s) => s.values[i] ?? 0));
  const max = Math.max(0, ...perPosition.map((v) => (stacked ? v.reduce((a, b) => a + b, 0) : Math.max(0, ...v))));
  const top = axisMaximum(max);
  const bars = layoutBars(props, top);
  const slot = PLOT_W / Math.max(1, labels.length);
  const legendY = HEIGHT + 4;
  return (
    <svg
      class="app-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT + 20 * Math.ceil(series.length / 3)}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      focusable="false"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <defs>
        {series.map((_, j) => (
          <Pattern id={`${id}-fill-${j}`} index={j} />
        ))}
      </defs>
      {axisTicks(top).map((tick) => {
        const y = round(MARGIN.top + PLOT_H - (tick / top) * PLOT_H);
        return (
          <g>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y} y2={y} stroke="#aeb7bd" stroke-width="1" />
            <text x={MARGIN.left - 6} y={y + 4} text-anchor="end" font-size="12" fill="#212b32">
              {tick}
            </text>
          </g>
        );
      })}
      {bars.map((b) => (
        <rect class="app-chart__bar" data-series={b.series} x={round(b.x)} y={round(b.y)} width={round(b.width)} height={round(b.height)} fill={`url(#${id}-fill-${b.series})`} stroke="#212b32" stroke-width="0.5" />
      ))}
      <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={MARGIN.top + PLOT_H} y2={MARGIN.top + PLOT_H} stroke="#212b32" stroke-width="1" />
      {labels.map((label, i) =>
        i % labelEvery === 0 ? (
          <text x={round(MARGIN.left + i * slot + slot / 2)} y={MARGIN.top + PLOT_H + 18} text-anchor="middle" font-size="12" fill="#212b32">
            {label}
          </text>
        ) : null,
      )}
      {series.map((s, j) => {
        const x = MARGIN.left + (j % 3) * 220;
        const y = legendY + 20 * Math.floor(j / 3);
        return (
          <g class="app-chart__legend">
            <rect x={x} y={y - 11} width="14" height="14" fill={`url(#${id}-fill-${j})`} stroke="#212b32" stroke-width="0.5" />
            <text x={x + 20} y={y} font-size="12" fill="#212b32">
              {s.name}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
