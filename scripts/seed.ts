// Demo data, provisioned through the public contract (SCIM and registration) so
// it is exactly what an operator's own tooling would create. Runs once per
// DATA_DIR; what it created is remembered in demo.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPermittedBackchannelLogoutUri } from '../src/clients/backchannel-uri.ts';
import { OPERATOR_ROLE_CODE, OPERATOR_ROLE_NAME } from '../src/console/operator-role.ts';

const RBAC = 'urn:nhs:scim:schemas:extension:rbac:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

export interface DemoData {
  people: { userName: string; id: string; description: string }[];
  client: { client_id: string; client_secret: string; registration_access_token: string; redirect_uris: string[] };
}

const trust = { orgCode: 'RX1', orgName: 'Example NHS Trust' };
const practice = { orgCode: 'Y12345', orgName: 'Example Medical Practice' };

function role(org: { orgCode: string }, roleCode: string, roleName: string, activities: [string, string][]) {
  return {
    orgCode: org.orgCode,
    roleCode,
    roleName,
    activityCodes: activities.map((a) => a[0]),
    activities: activities.map((a) => a[1]),
    workgroupCodes: [],
    workgroups: [],
    areaOfWorkCodes: [],
    areasOfWork: [],
  };
}

const clinician = role(trust, 'S8000:G8000:R8000', '"Clinical":"Clinical Provision":"Clinical Practitioner Access Role"', [
  ['B0570', 'Perform Patient Trace'],
  ['B0278', 'Amend Patient Demographics'],
]);
const admin = role(trust, 'S8000:G8001:R8001', '"Clinical":"Clinical Provision":"Nurse Access Role"', [['B0570', 'Perform Patient Trace']]);
const receptionist = role(practice, 'S8002:G8003:R8005', '"Admin & Clerical":"Admin & Clerical":"Receptionist Access Role"', [
  ['B0264', 'Access Patient Record'],
]);

interface DemoPerson {
  userName: string;
  description: string;
  name: Record<string, string>;
  emails: { value: string; type: string; primary: boolean }[];
  ext: Record<string, unknown>;
}

// The operator console's demo operator: the operator role and nothing clinical.
const operatorRole = role(trust, OPERATOR_ROLE_CODE, OPERATOR_ROLE_NAME, []);
const demoOperator: DemoPerson = {
  userName: 'kim.operator',
  description: 'operator console (AAL3 passkey)',
  name: { givenName: 'Kim', familyName: 'Operator' },
  emails: [{ value: 'kim.operator@example.nhs.uk', type: 'work', primary: true }],
  ext: { identityAssuranceLevel: 3, professionalMemberships: {}, organisations: [trust], roles: [operatorRole] },
};

const demoPeople: DemoPerson[] = [
  {
    userName: 'alex.morgan',
    description: 'one role',
    name: { givenName: 'Alex', familyName: 'Morgan', honorificPrefix: 'Dr' },
    emails: [{ value: 'alex.morgan@example.nhs.uk', type: 'work', primary: true }],
    ext: { identityAssuranceLevel: 3, professionalMemberships: { gmc_id: '7654321' }, organisations: [trust], roles: [clinician] },
  },
  {
    userName: 'sam.patel',
    description: 'several roles at two organisations',
    name: { givenName: 'Sam', familyName: 'Patel', middleName: 'Jay', honorificPrefix: 'Mx' },
    emails: [{ value: 'sam.patel@example.nhs.uk', type: 'work', primary: true }],
    ext: { identityAssuranceLevel: 3, professionalMemberships: { nmc_id: '12A3456B' }, organisations: [trust, practice], roles: [admin, clinician, receptionist] },
  },
  {
    userName: 'jo.smith',
    description: 'no roles',
    name: { givenName: 'Jo', familyName: 'Smith' },
    emails: [{ value: 'jo.smith@example.nhs.uk', type: 'work', primary: true }],
    ext: { identityAssuranceLevel: 2, professionalMemberships: {}, organisations: [trust], roles: [] },
  },
];

async function call(url: string, adminToken: string, method: string, body?: unknown, type = 'application/json') {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': type } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${new URL(url).pathname} answered ${res.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * The demo client. Its back-channel logout receiver is on loopback, which the
 * service accepts only while its issuer is on loopback too (contract §3); with a
 * public ISSUER the demo goes without back-channel logout rather than fail to start.
 */
function demoClientMetadata(demoBaseUrl: string, publicIssuer: string) {
  const backchannelLogoutUri = `${demoBaseUrl}/backchannel-logout`;
  const backchannel = isPermittedBackchannelLogoutUri(backchannelLogoutUri, publicIssuer)
    ? { backchannel_logout_uri: backchannelLogoutUri, backchannel_logout_session_required: true }
    : {};
  return {
    client_name: 'Demo clinical system',
    redirect_uris: [`${demoBaseUrl}/callback`],
    post_logout_redirect_uris: [`${demoBaseUrl}/`],
    ...backchannel,
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid profile email nhsperson associatedorgs nationalrbacaccess professionalmemberships organisationalmemberships selectedrole',
  };
}

async function seedPeople(issuer: string, adminToken: string, list: DemoPerson[] = [...demoPeople, demoOperator]): Promise<DemoData['people']> {
  const people: DemoData['people'] = [];
  for (const p of list) {
    const filter = encodeURIComponent(`userName eq "${p.userName}"`);
    const found = await call(`${issuer}/scim/v2/Users?filter=${filter}`, adminToken, 'GET');
    const existing = (found.Resources as { id: string }[] | undefined)?.[0];
    const user =
      existing ??
      ((await call(
        `${issuer}/scim/v2/Users`,
        adminToken,
        'POST',
        { schemas: [CORE, RBAC], userName: p.userName, name: p.name, emails: p.emails, active: true, [RBAC]: p.ext },
        'application/scim+json',
      )) as { id: string });
    people.push({ userName: p.userName, id: user.id, description: p.description });
  }
  return people;
}

/**
 * Creates the demo people and client once per DATA_DIR (remembered in demo.json),
 * and moves the client's URIs when the demo relying party's address changes.
 */
export async function seedDemoData(issuer: string, adminToken: string, dataDir: string, demoBaseUrl: string, publicIssuer: string): Promise<DemoData> {
  const file = join(dataDir, 'demo.json');
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoData) : null;
  if (saved?.client.registration_access_token) {
    const metadata = demoClientMetadata(demoBaseUrl, publicIssuer);
    if (saved.client.redirect_uris[0] !== metadata.redirect_uris[0]) {
      const res = await fetch(`${issuer}/register/${saved.client.client_id}`, {
        method: 'PUT',
        // New redirect URIs widen the registration: only the operator may (CONTRACT §3).
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...metadata, client_id: saved.client.client_id, client_secret: saved.client.client_secret }),
      });
      if (!res.ok) throw new Error(`updating the demo client answered ${res.status}: ${await res.text()}`);
      saved.client.redirect_uris = metadata.redirect_uris;
      writeFileSync(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
    }
    // A DATA_DIR seeded before the console existed gets its operator too.
    if (!saved.people.some((p) => p.userName === demoOperator.userName)) {
      saved.people.push(...(await seedPeople(issuer, adminToken, [demoOperator])));
      writeFileSync(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
    }
    return saved;
  }
  const people = await seedPeople(issuer, adminToken);
  const metadata = demoClientMetadata(demoBaseUrl, publicIssuer);
  const client = await call(`${issuer}/register`, adminToken, 'POST', metadata);
  const demo: DemoData = {
    people,
    client: {
      client_id: String(client.client_id),
      client_secret: String(client.client_secret),
      registration_access_token: String(client.registration_access_token),
      redirect_uris: metadata.redirect_uris,
    },
  };
  writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return demo;
}
