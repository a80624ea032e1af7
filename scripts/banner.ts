// What `npm start` prints once the stack answers: where it is, the operator
// token, and how to sign in as a demo person.
import type { DemoData } from './seed.ts';

interface BannerInput {
  issuer: string;
  localUrl: string;
  adminToken: string;
  dataDir: string;
  demo: DemoData;
  demoBaseUrl: string;
  startedMs: number;
}

async function invite(localUrl: string, adminToken: string, personId: string): Promise<string> {
  const res = await fetch(`${localUrl}/admin/users/${personId}/enrolments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}` },
  });
  if (!res.ok) return `(could not create an invitation: ${res.status})`;
  return ((await res.json()) as { url: string }).url;
}

export async function printBanner(input: BannerInput): Promise<void> {
  const lines = [
    '',
    `Workforce identity is running at ${input.issuer} (ready in ${(input.startedMs / 1000).toFixed(1)} s)`,
    `  discovery   ${input.issuer}/.well-known/openid-configuration`,
    `  health      ${input.issuer}/healthz`,
    `  admin token ${input.adminToken}   (for /scim/v2, /admin and /register)`,
    `  data        ${input.dataDir}`,
    '',
    `Demo relying party: ${input.demoBaseUrl} (signs in with the demo client below)`,
    `Demo client application: client_id ${input.demo.client.client_id}`,
    `  client_secret ${input.demo.client.client_secret}`,
    `  redirect_uri  ${input.demo.client.redirect_uris.join(' ')}`,
    '',
    'Demo people, each with a fresh one-time link to enrol an authenticator (valid 24 hours):',
  ];
  for (const p of input.demo.people) {
    lines.push(`  ${p.userName.padEnd(12)} ${p.description.padEnd(36)} ${await invite(input.localUrl, input.adminToken, p.id)}`);
  }
  lines.push(
    '',
    `To sign in: open an enrolment link in a browser and create a passkey, then open ${input.demoBaseUrl} and choose Sign in.`,
    `Operator console: ${input.issuer}/console, as kim.operator, with a passkey kept on one device (AAL3: Windows Hello or a`,
    '  security key; a synced passkey is refused). Enrol it from kim.operator\'s link above.',
    '',
    'Stop with Ctrl-C. State survives a restart.',
    '',
  );
  console.log(lines.join('\n'));
}
