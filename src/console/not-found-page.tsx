// A console page that names something which does not exist (a deleted
// application, a mistyped link): said inside the console, with a way back.
import { renderPage } from '../pages/layout.tsx';
import type { ConsoleContext } from './context.ts';
import { ConsoleLayout, layoutProps } from './layout.tsx';

export function renderConsoleNotFound(c: ConsoleContext, what: string, back: { href: string; text: string; section: string }) {
  const page = (
    <ConsoleLayout title={`${what} not found`} {...layoutProps(c)} section={back.section}>
      <h1>{what} not found</h1>
      <p>It may have been deleted, or the link may be wrong.</p>
      <p>
        <a href={back.href}>{back.text}</a>
      </p>
    </ConsoleLayout>
  );
  return renderPage(c, page, 404);
}
