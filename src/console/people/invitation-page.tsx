// The enrolment invitation just made: its one-time link and the same link as a
// QR code, drawn here as SVG (uqr, already used for authenticator apps) so no
// script or image request is needed. Shown once: only its hash is kept.
import { renderSVG } from 'uqr';
import type { Person } from '../../directory/people.ts';
import { ConsoleLayout, type ConsoleLayoutProps } from '../layout.tsx';
import { personName, personPath } from './person-page.tsx';
import { CONSOLE } from '../../paths.ts';

export interface InvitationPageProps extends Pick<ConsoleLayoutProps, 'operator' | 'csrfToken'> {
  person: Person;
  url: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** uqr draws with fill attributes only, so the page's CSP allows it inline. */
function qrCode(text: string, label: string): string {
  const escaped = label.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return renderSVG(text, { ecc: 'M', border: 2 }).replace('<svg ', `<svg width="240" height="240" role="img" aria-label="${escaped}" `);
}

export function InvitationPage({ operator, csrfToken, person, url, expiresAt }: InvitationPageProps) {
  const name = personName(person);
  return (
    <ConsoleLayout title={`Enrolment invitation for ${name}`} operator={operator} csrfToken={csrfToken} section={CONSOLE.people}>
      <a class="nhsuk-back-link" href={personPath(person.id)}>
        Back to {name}
      </a>
      <h1 class="app-wrap">Enrolment invitation for {name}</h1>
      <div class="nhsuk-inset-text" role="status">
        <p>The invitation has been created. It works once, until {new Date(expiresAt).toUTCString()}.</p>
      </div>
      <p>Give the person this link, or let them scan the QR code with the device that will hold their passkey. It is shown only now.</p>
      <p class="app-wrap">
        <a id="invitation-link" href={url}>
          {url}
        </a>
      </p>
      <div class="app-qr" dangerouslySetInnerHTML={{ __html: qrCode(url, `QR code of the enrolment link for ${name}`) }}></div>
    </ConsoleLayout>
  );
}
