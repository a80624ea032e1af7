// One entry point to every rule of a session's record, so that any store can run
// them: a Durable Object between its synchronous read and write, a versioned
// record store with compare-and-set and retry. Commands are plain JSON values.
import {
  findByRefresh,
  findGrant,
  issueCode,
  redeemCode,
  redeemDeviceCode,
  revokeGrant,
  revokePersonGrants,
  revokeRefresh,
  rotateRefresh,
  type IssueCode,
  type RedeemCode,
  type RedeemDeviceCode,
  type RotateRefresh,
} from '../oauth/grant-rules.ts';
import type { IdleTimeouts } from '../assurance/idle.ts';
import type { AuthorizationRequest } from '../oauth/authorization-request.ts';
import type { Authentication } from '../ports.ts';
import { recordExpiresAt, type Applied, type NextRecord, type SessionRecord } from './session-record.ts';
import * as rules from './session-rules.ts';

export type SessionCommand =
  | { kind: 'create'; id: string; secretHash: string; csrfToken: string }
  | { kind: 'load'; secretHash: string }
  | { kind: 'addInteraction'; secretHash: string; interactionId: string; request: AuthorizationRequest }
  | { kind: 'interaction'; secretHash: string; interactionId: string; focus: boolean }
  | { kind: 'setChallenge'; secretHash: string; challenge: string; interactionId: string | null }
  | { kind: 'takeChallenge'; secretHash: string }
  | { kind: 'authenticate'; secretHash: string; newSecretHash: string; authentication: Authentication; interactionId: string | null; maxAgeMs: number }
  | { kind: 'chooseRole'; secretHash: string; interactionId: string; roleId: string | null }
  | { kind: 'completeInteraction'; secretHash: string; interactionId: string | null; clientId: string; idle: IdleTimeouts }
  | { kind: 'end' }
  | { kind: 'endSignedInWith'; authenticatorId: string }
  | ({ kind: 'issueCode' } & IssueCode)
  | ({ kind: 'redeemCode' } & RedeemCode)
  | ({ kind: 'redeemDeviceCode' } & RedeemDeviceCode)
  | ({ kind: 'rotateRefresh' } & RotateRefresh)
  | { kind: 'findGrant'; grantNumber: number }
  | { kind: 'findByRefresh'; refreshHash: string }
  | { kind: 'revokeGrant'; grantNumber: number; reason: string }
  | { kind: 'revokeRefresh'; refreshHash: string; clientId: string }
  | { kind: 'revokePersonGrants'; personId: string; reason: string };

type Rule<K extends SessionCommand['kind']> = (record: SessionRecord | null, command: Extract<SessionCommand, { kind: K }>, now: number) => Applied<unknown>;

const RULES = {
  create: (r, c, now) => rules.createSession(r, c.id, c.secretHash, c.csrfToken, now),
  load: (r, c, now) => rules.loadSession(r, c.secretHash, now),
  addInteraction: (r, c, now) => rules.addInteraction(r, c.secretHash, c.interactionId, c.request, now),
  interaction: (r, c, now) => rules.findInteraction(r, c.secretHash, c.interactionId, c.focus, now),
  setChallenge: (r, c, now) => rules.setChallenge(r, c.secretHash, c.challenge, c.interactionId, now),
  takeChallenge: (r, c, now) => rules.takeChallenge(r, c.secretHash, now),
  authenticate: (r, c, now) => rules.authenticate(r, c, now),
  chooseRole: (r, c, now) => rules.chooseRole(r, c.secretHash, c.interactionId, c.roleId, now),
  completeInteraction: (r, c, now) => rules.completeInteraction(r, c, now),
  end: (r, _c, now) => rules.endSession(r, now),
  endSignedInWith: (r, c, now) => rules.endSessionSignedInWith(r, c.authenticatorId, now),
  issueCode: (r, c, now) => issueCode(r, c, now),
  redeemCode: (r, c, now) => redeemCode(r, c, now),
  redeemDeviceCode: (r, c, now) => redeemDeviceCode(r, c, now),
  rotateRefresh: (r, c, now) => rotateRefresh(r, c, now),
  findGrant: (r, c, now) => findGrant(r, c.grantNumber, now),
  findByRefresh: (r, c, now) => findByRefresh(r, c.refreshHash, now),
  revokeGrant: (r, c, now) => revokeGrant(r, c.grantNumber, c.reason, now),
  revokeRefresh: (r, c, now) => revokeRefresh(r, c.refreshHash, c.clientId, now),
  revokePersonGrants: (r, c, now) => revokePersonGrants(r, c.personId, c.reason, now),
} satisfies { [K in SessionCommand['kind']]: Rule<K> };

/** What each command answers. */
export type SessionCommandResults = { [K in keyof typeof RULES]: ReturnType<(typeof RULES)[K]>['result'] };
export type SessionCommandResult<C extends SessionCommand> = SessionCommandResults[C['kind']];

/**
 * Applies one command to a session's record (null: there is none) at `now`.
 * A written record drops grants nothing can use any more; a record with nothing
 * live left is deleted.
 */
export function applySessionCommand<C extends SessionCommand>(
  record: SessionRecord | null,
  command: C,
  now: number,
): { next: NextRecord; result: SessionCommandResult<C> } {
  // Each rule takes the command of its own kind; the table above is checked against the union.
  const rule = RULES[command.kind] as (record: SessionRecord | null, command: SessionCommand, now: number) => Applied<unknown>;
  const applied = rule(record, command, now);
  return { next: settle(applied.next, now), result: applied.result as SessionCommandResult<C> };
}

function settle(next: NextRecord, now: number): NextRecord {
  if (next === null || next === 'unchanged') return next;
  const grants = next.grants.filter((g) => g.liveUntil > now);
  const kept = grants.length === next.grants.length ? next : { ...next, grants };
  return recordExpiresAt(kept) > now ? kept : null;
}
