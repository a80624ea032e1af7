// The pages the footer links to: the accessibility statement, the privacy
// notice and how to reach the service desk. Plain text, the same for everyone.
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.ts';
import { Page, renderPage } from './layout.tsx';
import { SERVICE_NAME } from './frame.tsx';
import { SERVICE } from '../paths.ts';

function AccessibilityStatement() {
  return (
    <Page title="Accessibility statement">
      <h1>Accessibility statement</h1>
      <p>
        This statement covers the {SERVICE_NAME} pages: signing in, choosing a role, setting up a passkey or an
        authenticator app, and signing out.
      </p>
      <h2>How accessible these pages are</h2>
      <p>
        The pages aim to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. They use the NHS.UK
        frontend components, work without a mouse, reflow at 320 pixels wide and at 400% zoom, and do not use colour
        alone to give information. Every page and every state of its forms is checked with the axe-core rules for
        WCAG 2.2 A and AA in an automated test.
      </p>
      <h2>What does not work without JavaScript</h2>
      <p>
        Creating a passkey and signing in with one need JavaScript, because browsers offer passkeys only to scripts.
        Signing in with a password and an authenticator app, setting up the app and choosing a role work without it.
      </p>
      <h2>Reporting a problem</h2>
      <p>
        If you find a problem with these pages, or need information in another format, <a href={SERVICE.contact}>contact the
        service desk</a>.
      </p>
    </Page>
  );
}

function PrivacyNotice() {
  return (
    <Page title="Privacy notice">
      <h1>Privacy notice</h1>
      <p>
        {SERVICE_NAME} proves who you are to the health and care applications you sign in to, and tells them which roles
        you hold.
      </p>
      <h2>What we keep</h2>
      <ul>
        <li>your name, username, organisations and roles, as your registration authority recorded them</li>
        <li>the public part of your passkeys and, sealed, the key of your authenticator app; never your password itself</li>
        <li>a record of each sign-in: when, how, from which application, and whether it worked</li>
      </ul>
      <h2>Cookies</h2>
      <p>
        One cookie keeps you signed in while the browser is open. It is needed for the service to work and is not used
        for anything else.
      </p>
      <h2>Who sees it</h2>
      <p>
        An application you sign in to receives only what it asked for and is allowed: usually your name, your roles and
        how you signed in.
      </p>
    </Page>
  );
}

function ContactServiceDesk() {
  return (
    <Page title="Contact the service desk">
      <h1>Contact the service desk</h1>
      <p>
        For a new invitation, a locked account or a lost passkey, contact your organisation's registration authority or
        IT service desk. They can unlock your account and send you a new invitation.
      </p>
      <p>Tell them your username and, if a page showed one, the error code.</p>
    </Page>
  );
}

export const serviceInfoRoutes = new Hono<AppEnv>()
  .get(SERVICE.accessibility, (c) => renderPage(c, AccessibilityStatement()))
  .get(SERVICE.privacy, (c) => renderPage(c, PrivacyNotice()))
  .get(SERVICE.contact, (c) => renderPage(c, ContactServiceDesk()));
