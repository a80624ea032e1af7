// The console's navigation, in the order operators read it. Each view adds its
// own entry when it exists, so the console never links to a page that is not there.
export interface NavEntry {
  href: string;
  text: string;
}

export const CONSOLE_NAV: readonly NavEntry[] = [
  { href: '/console/people', text: 'People' },
];
