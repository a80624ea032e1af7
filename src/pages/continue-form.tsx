// A question page's form (NHS service manual, question pages): posted with the
// session's CSRF token, the question's fields, then one Continue button.
// novalidate: the server checks the answer and says what is wrong in its own words.
import type { Child } from 'hono/jsx';
import { CSRF_FIELD } from '../session/csrf.ts';

export function ContinueForm({ action, csrfToken, children }: { action: string; csrfToken: string; children?: Child }) {
  return (
    <form method="post" action={action} novalidate>
      <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
      {children}
      <button type="submit" class="nhsuk-button">
        Continue
      </button>
    </form>
  );
}
