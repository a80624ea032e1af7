// The confirmation page in front of an action that breaks a running
// application (rotating its secret, deleting it): what will happen, in a
// warning callout, and a form carrying the console's CSRF token.
import { CSRF_FIELD } from '../../session/csrf.ts';
import type { Client } from '../../clients/client.ts';
import { ConsoleLayout } from '../layout.tsx';
import { applicationPath, nameOf, type Frame } from './application-pages.tsx';
import { CONSOLE, pathTo } from '../../paths.ts';

export interface ConfirmProps extends Frame {
  client: Client;
  action: 'rotate-secret' | 'delete';
}

const CONFIRM = {
  'rotate-secret': {
    title: (name: string) => `Rotate the client secret of ${name}`,
    warning: 'The current secret stops working at once',
    text: 'The application cannot get tokens until it is given the new secret, which is shown once on the next page.',
    button: 'Rotate the secret',
    style: 'nhsuk-button--secondary',
  },
  delete: {
    title: (name: string) => `Delete ${name}`,
    warning: 'This cannot be undone',
    text: 'The application can no longer sign anyone in. Its client ID, secret and registration access token stop working, and so do the tokens it holds.',
    button: 'Delete the application',
    style: 'nhsuk-button--warning',
  },
} as const;

export function ConfirmApplicationActionPage({ operator, csrfToken, client, action }: ConfirmProps) {
  const words = CONFIRM[action];
  const path = applicationPath(client.clientId);
  return (
    <ConsoleLayout title={words.title(nameOf(client))} operator={operator} csrfToken={csrfToken} section={CONSOLE.applications}>
      <a class="nhsuk-back-link" href={path}>
        Back to {nameOf(client)}
      </a>
      <h1 class="app-wrap">{words.title(nameOf(client))}</h1>
      <div class="nhsuk-warning-callout">
        <h2 class="nhsuk-warning-callout__label">
          <span role="text">
            <span class="nhsuk-u-visually-hidden">Important: </span>
            {words.warning}
          </span>
        </h2>
        <p>{words.text}</p>
      </div>
      <form method="post" action={pathTo(action === 'delete' ? CONSOLE.deleteApplication : CONSOLE.rotateSecret, { client_id: client.clientId })}>
        <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
        <div class="nhsuk-button-group">
          <button type="submit" class={`nhsuk-button ${words.style}`}>
            {words.button}
          </button>
          <a class="nhsuk-link" href={path}>
            Cancel
          </a>
        </div>
      </form>
    </ConsoleLayout>
  );
}
