// A page that says what has just happened (signed in, signed out): its title is
// its heading, the outcome a status message so that it is announced (WCAG 2.2
// SC 4.1.3), and what follows says what the person can do next.
import type { Child } from 'hono/jsx';
import { Page } from './layout.tsx';

export function OutcomePage({ title, outcome, children }: { title: string; outcome: string; children?: Child }) {
  return (
    <Page title={title}>
      <h1>{title}</h1>
      <p role="status">{outcome}</p>
      {children}
    </Page>
  );
}
