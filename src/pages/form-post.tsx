// OAuth 2.0 Form Post Response Mode §2: the authorization response as hidden
// fields POSTed to the redirect URI. The one inline script submits the form and
// is allowed by its CSP hash; without script, the visible button does the same.
import { Page } from './layout.tsx';

/** The whole inline script; its SHA-256 is what the page's CSP allows. */
export const AUTO_SUBMIT_SCRIPT = 'document.forms[0].submit();';

export interface FormPostProps {
  action: string;
  fields: Record<string, string>;
}

export function FormPostPage({ action, fields }: FormPostProps) {
  return (
    <Page title="Returning to the application">
      <h1>Returning to the application</h1>
      <form method="post" action={action}>
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <p>If nothing happens, select Continue.</p>
        <button type="submit" class="nhsuk-button">
          Continue
        </button>
      </form>
      <script dangerouslySetInnerHTML={{ __html: AUTO_SUBMIT_SCRIPT }}></script>
    </Page>
  );
}
