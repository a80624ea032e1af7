// A hand-written SVG bar chart of throughput by scenario: each target of ours
// (one per runtime) and the peer side by side, and each runtime's hello-world
// as the ceiling (bar and dashed line).
import type { LoadResult } from './load.ts';
import { failed, type BenchResults } from './results.ts';

const WIDTH = 820;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 20, top: 60, bottom: 70 };
const COLOURS = { peer: '#768692', hello: '#007f3b', fail: '#d5281b', axis: '#425563' };
/** One colour per target of ours, in the order they ran. */
const OURS_COLOURS = ['#005eb8', '#41b6e6', '#330072', '#ae2573'];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round axis maximum at or above `max`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

interface Bar {
  label: string;
  colour: string;
  result: LoadResult | null | undefined;
}

interface Group {
  title: string;
  subtitle: string;
  bars: Bar[];
}

function groups(results: BenchResults): Group[] {
  const colourOf = (target: string) => OURS_COLOURS[results.targets.indexOf(target) % OURS_COLOURS.length]!;
  const list: Group[] = results.scenarios.map((s) => {
    const cut = s.name.indexOf(' (');
    return {
      title: `(${s.id}) ${cut > 0 ? s.name.slice(0, cut) : s.name}`,
      subtitle: cut > 0 ? s.name.slice(cut + 1) : s.unit === 'sign-in' ? 'sign-ins/s' : '',
      bars: [...results.targets.map((t) => ({ label: t, colour: colourOf(t), result: s.ours[t] })), { label: 'peer', colour: COLOURS.peer, result: s.peer }],
    };
  });
  const floors = results.targets.filter((t) => results.helloWorld[t]);
  if (floors.length > 0) {
    list.push({ title: 'hello-world', subtitle: 'GET, does nothing', bars: floors.map((t) => ({ label: `hello-world, ${t}`, colour: COLOURS.hello, result: results.helloWorld[t] })) });
  }
  return list;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');

export function renderChart(results: BenchResults): string {
  const all = groups(results);
  const values = all.flatMap((g) => g.bars.map((b) => b.result?.perSecond ?? 0));
  const top = niceMax(Math.max(1, ...values));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Arial, sans-serif" font-size="12">`);
  out.push(`<title>Throughput by scenario: ours (by runtime), the peer (oidc-provider) and a hello-world server</title>`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">Throughput by scenario (${results.options.connections} connections, ${results.options.durationS} s each)</text>`);
  let lx = MARGIN.left;
  const legend: [string, string][] = [...results.targets.map((t, i): [string, string] => [t, OURS_COLOURS[i % OURS_COLOURS.length]!]), ['peer (oidc-provider)', COLOURS.peer], ['hello-world', COLOURS.hello]];
  for (const [label, colour] of legend) {
    out.push(`<rect x="${lx}" y="34" width="12" height="12" fill="${colour}"/><text x="${lx + 16}" y="44">${escapeXml(label)}</text>`);
    lx += 28 + label.length * 6.5;
  }
  for (let i = 0; i <= 5; i++) {
    const v = (top * i) / 5;
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v)}" y2="${y(v)}" stroke="#d8dde0"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end" fill="${COLOURS.axis}">${fmt(v)}</text>`);
  }
  out.push(`<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="${COLOURS.axis}">per second (requests; sign-ins for the sign-in)</text>`);
  const groupW = plotW / Math.max(1, all.length);
  const barW = Math.min(44, (groupW - 20) / Math.max(2, ...all.map((g) => g.bars.length)));
  all.forEach((g, gi) => {
    const cx = MARGIN.left + groupW * gi + groupW / 2;
    const x0 = cx - (g.bars.length * barW) / 2;
    g.bars.forEach((b, bi) => {
      const v = b.result?.perSecond ?? 0;
      const x = x0 + bi * barW;
      out.push(`<rect x="${x + 2}" y="${y(v)}" width="${barW - 4}" height="${y(0) - y(v)}" fill="${b.colour}"><title>${escapeXml(`${g.title} ${b.label}: ${fmt(v)}/s`)}</title></rect>`);
      const text = !b.result ? 'not run' : failed(b.result) ? 'FAILED' : fmt(v);
      const colour = b.result && failed(b.result) ? COLOURS.fail : COLOURS.axis;
      out.push(`<text x="${x + barW / 2}" y="${y(v) - 4}" text-anchor="middle" font-size="10" fill="${colour}">${text}</text>`);
    });
    out.push(`<text x="${cx}" y="${y(0) + 18}" text-anchor="middle">${escapeXml(g.title)}</text>`);
    if (g.subtitle) out.push(`<text x="${cx}" y="${y(0) + 33}" text-anchor="middle" font-size="10" fill="${COLOURS.axis}">${escapeXml(g.subtitle)}</text>`);
  });
  for (const hw of Object.values(results.helloWorld)) {
    if (!hw) continue;
    const hy = y(hw.perSecond);
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${hy}" y2="${hy}" stroke="${COLOURS.hello}" stroke-dasharray="6 4"/>`);
  }
  out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0)}" y2="${y(0)}" stroke="${COLOURS.axis}"/>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
