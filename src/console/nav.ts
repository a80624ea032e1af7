// The console's navigation, in the order operators read it. Each view adds its
// own entry when it exists, so the console never links to a page that is not there.
import { CONSOLE } from '../paths.ts';

export interface NavEntry {
  href: string;
  text: string;
}

export const CONSOLE_NAV: readonly NavEntry[] = [
  { href: CONSOLE.overview, text: 'Overview' },
  { href: CONSOLE.people, text: 'People' },
  { href: CONSOLE.applications, text: 'Applications' },
  { href: CONSOLE.keys, text: 'Signing keys' },
  { href: CONSOLE.audit, text: 'Audit log' },
];
