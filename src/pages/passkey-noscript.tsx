// The warning a passkey page shows without script (nhsuk-frontend's warning card):
// WebAuthn runs only from script, so the page says so and points to what works without.
import type { Child } from 'hono/jsx';

/** `children`: what needs the script, and the way on without it. */
export function PasskeyNoscript({ children }: { children: Child }) {
  return (
    <noscript>
      <div class="nhsuk-card nhsuk-card--warning">
        <div class="nhsuk-card__content">
          <h2 class="nhsuk-card__heading">
            <span class="nhsuk-u-visually-hidden">Important: </span>
            JavaScript is needed for passkeys
          </h2>
          <p class="nhsuk-card__description">{children}</p>
        </div>
      </div>
    </noscript>
  );
}
