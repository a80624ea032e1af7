// Overview: the last 24 hours of sign-ins at a glance, as totals, two
// server-rendered charts and the table of every figure behind them.
import { ConsoleLayout, type ConsoleLayoutProps } from '../layout.tsx';
import { ActivityCharts, activityTotals, ActivityTable, dayAndTime } from './activity.tsx';
import type { SignInActivity } from './sign-in-activity.ts';
import { CONSOLE } from '../../paths.ts';

export interface OverviewProps extends Pick<ConsoleLayoutProps, 'operator' | 'csrfToken'> {
  activity: SignInActivity;
}

export function OverviewPage({ operator, csrfToken, activity }: OverviewProps) {
  const totals = activityTotals(activity);
  return (
    <ConsoleLayout title="Overview" operator={operator} csrfToken={csrfToken} section={CONSOLE.overview}>
      <h1>Overview</h1>
      <p>
        Sign-ins over the last 24 hours, from {dayAndTime(activity.from)} to {dayAndTime(activity.to)} UTC, from the audit log. Reload the page for
        the latest figures.
      </p>
      <dl class="nhsuk-summary-list">
        <div class="nhsuk-summary-list__row">
          <dt class="nhsuk-summary-list__key">Successful sign-ins</dt>
          <dd class="nhsuk-summary-list__value" data-total="signins">{totals.signIns}</dd>
        </div>
        <div class="nhsuk-summary-list__row">
          <dt class="nhsuk-summary-list__key">Failed sign-ins</dt>
          <dd class="nhsuk-summary-list__value" data-total="failures">{totals.failures}</dd>
        </div>
        <div class="nhsuk-summary-list__row">
          <dt class="nhsuk-summary-list__key">Locks (people, usernames at an address, addresses)</dt>
          <dd class="nhsuk-summary-list__value" data-total="locks">{totals.locks}</dd>
        </div>
      </dl>
      <ActivityCharts activity={activity} />
      <h2>Every hour</h2>
      <ActivityTable activity={activity} />
      <p>
        <a href={`${CONSOLE.audit}?action=signin&outcome=failure`}>See failed sign-ins in the audit log</a>
      </p>
    </ConsoleLayout>
  );
}
