// The overview's sign-in activity: two charts (successful sign-ins by method and
// level, stacked; failed sign-ins and locks side by side) and the same figures
// in a table, which is what screen readers and people who want numbers read.
import { HOUR_MS, UNRECORDED, type SignInActivity, type SignInSeries } from './sign-in-activity.ts';
import { BarChart } from './bar-chart.tsx';
import { ScrollRegion } from '../table.tsx';

const METHOD_NAMES: Record<string, string> = {
  passkey: 'Passkey',
  password_totp: 'Password and authenticator app',
  password: 'Password',
  [UNRECORDED]: 'Method not recorded',
};

export function seriesName(s: SignInSeries): string {
  const method = METHOD_NAMES[s.method] ?? s.method;
  return s.level > 0 ? `${method}, AAL${s.level}` : method;
}

/** "14:00" in UTC, the hour's start. */
export const hourLabel = (start: number) => new Date(start).toISOString().slice(11, 16);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "6 Dec 15:00" in UTC. */
export function dayAndTime(at: number): string {
  const d = new Date(at);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${hourLabel(at)}`;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export interface ActivityTotals {
  signIns: number;
  failures: number;
  locks: number;
  busiest: { start: number; count: number } | null;
}

export function activityTotals(activity: SignInActivity): ActivityTotals {
  let busiest: ActivityTotals['busiest'] = null;
  for (const hour of activity.hours) {
    const count = sum(hour.signIns);
    if (count > 0 && (!busiest || count > busiest.count)) busiest = { start: hour.start, count };
  }
  return {
    signIns: sum(activity.hours.map((h) => sum(h.signIns))),
    failures: sum(activity.hours.map((h) => h.failures)),
    locks: sum(activity.hours.map((h) => h.locks)),
    busiest,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function ActivityCharts({ activity }: { activity: SignInActivity }) {
  const totals = activityTotals(activity);
  const labels = activity.hours.map((h) => hourLabel(h.start));
  const span = `between ${dayAndTime(activity.from)} and ${dayAndTime(activity.to)} UTC`;
  const bySeries = activity.series.map((s, j) => ({ name: seriesName(s), values: activity.hours.map((h) => h.signIns[j] ?? 0) }));
  const successDescription =
    totals.signIns === 0
      ? `No successful sign-ins ${span}.`
      : `${plural(totals.signIns, 'successful sign-in', 'successful sign-ins')} ${span}: ` +
        bySeries.map((s) => `${s.name} ${sum(s.values)}`).join('; ') +
        `. Busiest hour ${hourLabel(totals.busiest!.start)} with ${totals.busiest!.count}. The table below gives each hour.`;
  const failureDescription =
    `${plural(totals.failures, 'failed sign-in', 'failed sign-ins')} and ${plural(totals.locks, 'lock', 'locks')} ${span}.` +
    ' The table below gives each hour.';
  return (
    <>
      <h2>Successful sign-ins per hour</h2>
      <BarChart id="signins-chart" title="Successful sign-ins per hour, by method and assurance level" description={successDescription} labels={labels} series={bySeries} stacked labelEvery={3} />
      <h2>Failed sign-ins and locks per hour</h2>
      <BarChart
        id="failures-chart"
        title="Failed sign-ins and locks per hour"
        description={failureDescription}
        labels={labels}
        series={[
          { name: 'Failed sign-ins', values: activity.hours.map((h) => h.failures) },
          { name: 'Locks', values: activity.hours.map((h) => h.locks) },
        ]}
        stacked={false}
        labelEvery={3}
      />
    </>
  );
}

export function ActivityTable({ activity }: { activity: SignInActivity }) {
  const names = activity.series.map(seriesName);
  return (
    <ScrollRegion labelledBy="activity-table-caption">
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption" id="activity-table-caption">
          Sign-ins, failures and locks per hour (UTC)
        </caption>
        <thead class="nhsuk-table__head">
          <tr>
            <th scope="col">Hour</th>
            {names.map((n) => (
              <th scope="col" class="nhsuk-table__header--numeric">{n}</th>
            ))}
            <th scope="col" class="nhsuk-table__header--numeric">All successful</th>
            <th scope="col" class="nhsuk-table__header--numeric">Failed</th>
            <th scope="col" class="nhsuk-table__header--numeric">Locks</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {activity.hours.map((h) => (
            <tr>
              <th scope="row" class="app-nowrap">
                {hourLabel(h.start)}–{hourLabel(h.start + HOUR_MS)}
              </th>
              {h.signIns.map((n) => (
                <td class="nhsuk-table__cell--numeric">{n}</td>
              ))}
              <td class="nhsuk-table__cell--numeric">{sum(h.signIns)}</td>
              <td class="nhsuk-table__cell--numeric">{h.failures}</td>
              <td class="nhsuk-table__cell--numeric">{h.locks}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
