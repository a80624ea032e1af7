import { describe, expect, it } from 'vitest';
import type { PersonRole } from '../../../src/directory/people.ts';
import { decide, type DecisionInput } from '../../../src/oauth/authorization-decision.ts';
import type { AuthorizationRequest } from '../../../src/oauth/authorization-request.ts';
import type { Authentication } from '../../../src/ports.ts';

const NOW = 1_800_000_000;

const request = (overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
  clientId: 'c',
  redirectUri: 'https://rp.example.com/cb',
  responseMode: 'query',
  scope: ['openid'],
  codeChallenge: 'x'.repeat(43),
  prompt: [],
  acrValues: [],
  ...overrides,
});

const aal3: Authentication = { personId: 'p', authTime: NOW - 60, amr: ['FIDO2'], aal: 3, method: 'passkey' };
const aal2: Authentication = { ...aal3, aal: 2 };

const role = (id: string): PersonRole => ({
  id, personOrgId: null, orgCode: 'RX1', orgName: 'Trust', roleCode: 'R', roleName: id,
  activityCodes: [], activities: [], workgroupCodes: [], workgroups: [], areaOfWorkCodes: [], areasOfWork: [],
});

const MINUTE = 60_000;
const IDLE = { aal3Ms: 15 * MINUTE, aal2Ms: 30 * MINUTE };

function input(overrides: Partial<DecisionInput> = {}): DecisionInput {
  return {
    request: request(),
    authentication: aal3,
    subject: '555000000001',
    authenticatedInInteraction: false,
    roles: [],
    sessionRoleId: null,
    roleChosenInInteraction: false,
    nowSeconds: NOW,
    idleMs: 0,
    idleTimeouts: IDLE,
    ...overrides,
  };
}

describe('the authorization decision (contract §6, §8; OIDC Core §3.1.2.1)', () => {
  it('issues with no page when the session satisfies the request (single sign-on)', () => {
    expect(decide(input())).toEqual({ kind: 'issue', acr: 'AAL3_ANY', aal: 3, selectedRoleId: null });
  });

  it('asks for sign-in without an authentication (or with an inactive person, passed as none)', () => {
    expect(decide(input({ authentication: null }))).toEqual({ kind: 'authenticate', reason: 'no_session' });
  });

  it('asks again for prompt=login and select_account, but not once this interaction authenticated', () => {
    expect(decide(input({ request: request({ prompt: ['login'] }) }))).toEqual({ kind: 'authenticate', reason: 'login' });
    expect(decide(input({ request: request({ prompt: ['select_account'] }) }))).toEqual({ kind: 'authenticate', reason: 'login' });
    expect(decide(input({ request: request({ prompt: ['login'] }), authenticatedInInteraction: true })).kind).toBe('issue');
  });

  it("asks for sign-in when id_token_hint names someone other than the session's person (OIDC Core §3.1.2.1)", () => {
    const hintedOther = request({ idTokenHintSub: '555000000002' });
    expect(decide(input({ request: hintedOther }))).toEqual({ kind: 'authenticate', reason: 'id_token_hint' });
    // A fresh authentication in this interaction does not help if it is still someone else.
    expect(decide(input({ request: hintedOther, authenticatedInInteraction: true }))).toEqual({ kind: 'not_hinted_person' });
    expect(decide(input({ request: request({ idTokenHintSub: '555000000001' }) })).kind).toBe('issue');
    expect(decide(input({ request: hintedOther, subject: '555000000002', authenticatedInInteraction: true })).kind).toBe('issue');
  });

  it('asks again when auth_time is older than max_age, and not when it is within', () => {
    expect(decide(input({ request: request({ maxAge: 60 }) }))).toEqual({ kind: 'authenticate', reason: 'max_age' });
    expect(decide(input({ request: request({ maxAge: 0 }) }))).toEqual({ kind: 'authenticate', reason: 'max_age' });
    expect(decide(input({ request: request({ maxAge: 61 }) })).kind).toBe('issue');
    expect(decide(input({ request: request({ maxAge: 0 }), authenticatedInInteraction: true })).kind).toBe('issue');
  });

  it('steps up when no requested class is met, and reports the class met otherwise', () => {
    expect(decide(input({ authentication: aal2, request: request({ acrValues: ['AAL3_ANY'] }) }))).toEqual({ kind: 'authenticate', reason: 'acr' });
    expect(decide(input({ authentication: aal2, request: request({ acrValues: ['AAL3_ANY', 'AAL2_ANY'] }) }))).toMatchObject({ acr: 'AAL2_ANY' });
  });

  describe('role choice, when selectedrole is asked (contract §8)', () => {
    const selectedrole = request({ scope: ['openid', 'selectedrole'] });

    it('releases no role without the scope, and none for a person without roles', () => {
      expect(decide(input({ roles: [role('r1'), role('r2')] }))).toMatchObject({ kind: 'issue', selectedRoleId: null });
      expect(decide(input({ request: selectedrole }))).toMatchObject({ kind: 'issue', selectedRoleId: null });
    });

    it('chooses the only role without a page', () => {
      expect(decide(input({ request: selectedrole, roles: [role('r1')] }))).toMatchObject({ kind: 'issue', selectedRoleId: 'r1' });
    });

    it('asks when there are several and none chosen, keeps the choice for the session', () => {
      const roles = [role('r1'), role('r2')];
      expect(decide(input({ request: selectedrole, roles }))).toEqual({ kind: 'choose_role' });
      expect(decide(input({ request: selectedrole, roles, sessionRoleId: 'r2' }))).toMatchObject({ selectedRoleId: 'r2' });
      // A choice of a role the person no longer holds is no choice.
      expect(decide(input({ request: selectedrole, roles, sessionRoleId: 'gone' }))).toEqual({ kind: 'choose_role' });
    });

    it('asks again under prompt=login until this interaction has chosen', () => {
      const roles = [role('r1'), role('r2')];
      const login = request({ scope: ['openid', 'selectedrole'], prompt: ['login'] });
      const base = { request: login, roles, sessionRoleId: 'r1', authenticatedInInteraction: true };
      expect(decide(input(base))).toEqual({ kind: 'choose_role' });
      expect(decide(input({ ...base, roleChosenInInteraction: true }))).toMatchObject({ selectedRoleId: 'r1' });
    });
  });
});

describe('inactivity (NIST SP 800-63B §4.3.3, §4.2.3; CONTRACT §6)', () => {
  const asking = (acr: string, prompt: string[] = []) => request({ acrValues: [acr as 'AAL3_ANY'], prompt: prompt as ['none'] });

  it('still meets AAL3 classes just under 15 minutes idle, and no longer at 15 minutes', () => {
    expect(decide(input({ request: asking('AAL3_ANY'), idleMs: 15 * MINUTE - 1 }))).toMatchObject({ kind: 'issue', acr: 'AAL3_ANY', aal: 3 });
    expect(decide(input({ request: asking('AAL3_ANY'), idleMs: 15 * MINUTE }))).toEqual({ kind: 'authenticate', reason: 'acr' });
  });

  it('meets AAL2 classes between 15 and 30 minutes idle, issuing at AAL2, and none from 30 minutes', () => {
    expect(decide(input({ request: asking('AAL2_OR_AAL3_ANY'), idleMs: 29 * MINUTE }))).toMatchObject({ kind: 'issue', acr: 'AAL2_OR_AAL3_ANY', aal: 2 });
    expect(decide(input({ request: asking('AAL2_FIDO2'), idleMs: 30 * MINUTE }))).toEqual({ kind: 'authenticate', reason: 'acr' });
  });

  it('reports the level still met when no class is asked for: an idle AAL3 session is AAL1 after 30 minutes', () => {
    expect(decide(input({ idleMs: 20 * MINUTE }))).toMatchObject({ kind: 'issue', acr: 'AAL2_OR_AAL3_ANY', aal: 2 });
    expect(decide(input({ idleMs: 30 * MINUTE }))).toMatchObject({ kind: 'issue', acr: 'AAL1_USERPASS', aal: 1 });
  });

  it('counts an authentication within this very request as activity', () => {
    expect(decide(input({ request: asking('AAL3_ANY'), idleMs: 60 * MINUTE, authenticatedInInteraction: true }))).toMatchObject({ kind: 'issue', aal: 3 });
  });

  it('follows the configured timeouts', () => {
    const idleTimeouts = { aal3Ms: 2 * MINUTE, aal2Ms: 5 * MINUTE };
    expect(decide(input({ request: asking('AAL3_ANY'), idleMs: 2 * MINUTE, idleTimeouts }))).toEqual({ kind: 'authenticate', reason: 'acr' });
    expect(decide(input({ request: asking('AAL2_ANY'), idleMs: 5 * MINUTE, idleTimeouts }))).toEqual({ kind: 'authenticate', reason: 'acr' });
  });
});
